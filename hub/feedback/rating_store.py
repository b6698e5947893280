"""Stores CSAT ratings and NPS answers, and keeps the profile's figures current.

Policy: a conversation takes one CSAT rating; a second one is refused
(``ALREADY_RATED``) so the first answer stands and an emailed link cannot be
replayed. A customer answers NPS at most once per period.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.protocol.models import ConversationStatus
from hub.store import schema as t

MAX_COMMENT_CHARS = 2000
DEFAULT_NPS_PERIOD_S = 90 * 24 * 3600


class RatingSource(enum.StrEnum):
    WIDGET = "widget"
    EMAIL = "email"


class FeedbackRefusal(enum.StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    NOT_CLOSED = "not_closed"
    ALREADY_RATED = "already_rated"
    NPS_NOT_DUE = "nps_not_due"


class FeedbackError(Exception):
    def __init__(self, refusal: FeedbackRefusal, detail: str) -> None:
        super().__init__(f"{refusal}: {detail}")
        self.refusal = refusal
        self.detail = detail


@dataclass(frozen=True)
class Rating:
    conversation_id: str
    customer_id: str
    agent_id: str | None
    queue_id: str | None
    channel: str
    score: int
    solved: bool | None
    comment: str | None
    source: RatingSource
    rated_at: int


@dataclass(frozen=True)
class NpsAnswer:
    customer_id: str
    score: int
    reason: str | None
    answered_at: int
    conversation_id: str | None


def _clean_comment(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise FeedbackError(FeedbackRefusal.INVALID,
                            f"the comment is longer than {MAX_COMMENT_CHARS} characters")
    return text or None


class FeedbackStore:
    def __init__(self, engine: Engine, nps_period_s: int = DEFAULT_NPS_PERIOD_S) -> None:
        self.engine = engine
        self.nps_period_s = nps_period_s

    # ---- CSAT ------------------------------------------------------------------

    def rate(
        self,
        conversation_id: str,
        score: int,
        solved: bool | None,
        comment: str | None,
        source: RatingSource,
        now: int,
        customer_id: str | None = None,
    ) -> Rating:
        """Store the rating of a closed conversation. ``customer_id`` given: it must be
        the conversation's customer (the widget); a signed link names its conversation."""
        if not 1 <= score <= 5:
            raise FeedbackError(FeedbackRefusal.INVALID, f"a rating is 1-5, got {score}")
        comment = _clean_comment(comment)
        with self.engine.begin() as conn:
            conv = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).first()
            if conv is None:
                raise FeedbackError(FeedbackRefusal.NOT_FOUND, "no such conversation")
            if customer_id is not None and conv.customer_id != customer_id:
                raise FeedbackError(FeedbackRefusal.NOT_YOURS, "not your conversation")
            if conv.status != ConversationStatus.CLOSED.value:
                raise FeedbackError(FeedbackRefusal.NOT_CLOSED, "the conversation is still open")
            done = conn.execute(
                sa.select(t.conversation_ratings.c.conversation_id)
                .where(t.conversation_ratings.c.conversation_id == conversation_id)
            ).first()
            if done is not None:
                raise FeedbackError(FeedbackRefusal.ALREADY_RATED, "already rated")
            rating = Rating(
                conversation_id=conversation_id, customer_id=conv.customer_id,
                agent_id=conv.agent_id, queue_id=conv.queue_id, channel=conv.channel,
                score=score, solved=solved, comment=comment, source=source, rated_at=now,
            )
            try:
                conn.execute(t.conversation_ratings.insert().values(
                    conversation_id=rating.conversation_id, customer_id=rating.customer_id,
                    agent_id=rating.agent_id, queue_id=rating.queue_id, channel=rating.channel,
                    score=score, solved=solved, comment=comment, source=source.value,
                    rated_at=now,
                ))
            except sa.exc.IntegrityError as exc:  # a concurrent rating won the race
                raise FeedbackError(FeedbackRefusal.ALREADY_RATED, "already rated") from exc
            self._refresh_avg_csat(conn, conv.customer_id)
        return rating

    def _refresh_avg_csat(self, conn: Connection, customer_id: str) -> None:
        refresh_avg_csat(conn, customer_id)

    def status_of(self, conversation_id: str) -> ConversationStatus | None:
        with self.engine.connect() as conn:
            status = conn.execute(sa.select(t.conversations.c.status).where(
                t.conversations.c.id == conversation_id)).scalar()
        return None if status is None else ConversationStatus(status)

    def rating_of(self, conversation_id: str) -> Rating | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.conversation_ratings).where(
                t.conversation_ratings.c.conversation_id == conversation_id)).first()
        return None if row is None else _rating(row)

    def ratings_of_customer(self, customer_id: str) -> list[Rating]:
        r = t.conversation_ratings
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(r).where(r.c.customer_id == customer_id)
                                .order_by(r.c.rated_at)).all()
        return [_rating(row) for row in rows]

    # ---- NPS -------------------------------------------------------------------

    def nps_due(self, customer_id: str, now: int) -> bool:
        with self.engine.connect() as conn:
            return self._nps_due(conn, customer_id, now)

    def _nps_due(self, conn: Connection, customer_id: str, now: int) -> bool:
        n = t.nps_answers
        last = conn.execute(
            sa.select(sa.func.max(n.c.answered_at)).where(n.c.customer_id == customer_id)
        ).scalar()
        return last is None or now - int(last) >= self.nps_period_s * 1000

    def answer_nps(
        self, customer_id: str, score: int, reason: str | None, now: int,
        conversation_id: str | None = None,
    ) -> NpsAnswer:
        if not 0 <= score <= 10:
            raise FeedbackError(FeedbackRefusal.INVALID, f"NPS is 0-10, got {score}")
        reason = _clean_comment(reason)
        with self.engine.begin() as conn:
            if not self._nps_due(conn, customer_id, now):
                raise FeedbackError(FeedbackRefusal.NPS_NOT_DUE,
                                    "NPS was answered within the period")
            agent_id = queue_id = None
            if conversation_id is not None:
                conv = conn.execute(sa.select(t.conversations).where(
                    t.conversations.c.id == conversation_id)).first()
                if conv is None or conv.customer_id != customer_id:
                    raise FeedbackError(FeedbackRefusal.NOT_YOURS, "not your conversation")
                agent_id, queue_id = conv.agent_id, conv.queue_id
            conn.execute(t.nps_answers.insert().values(
                customer_id=customer_id, conversation_id=conversation_id, agent_id=agent_id,
                queue_id=queue_id, score=score, reason=reason, answered_at=now,
            ))
            conn.execute(t.customers.update().where(t.customers.c.id == customer_id)
                         .values(last_nps=score))
        return NpsAnswer(customer_id, score, reason, now, conversation_id)

    def nps_of_customer(self, customer_id: str) -> list[NpsAnswer]:
        n = t.nps_answers
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(n).where(n.c.customer_id == customer_id)
                                .order_by(n.c.answered_at)).all()
        return [NpsAnswer(r.customer_id, r.score, r.reason, r.answered_at, r.conversation_id)
                for r in rows]


def refresh_avg_csat(conn: Connection, customer_id: str) -> None:
    """The profile's CSAT average from its ratings."""
    r = t.conversation_ratings
    avg = conn.execute(
        sa.select(sa.func.avg(r.c.score)).where(r.c.customer_id == customer_id)
    ).scalar()
    conn.execute(t.customers.update().where(t.customers.c.id == customer_id)
                 .values(avg_csat=None if avg is None else round(float(avg), 2)))


def move_feedback(conn: Connection, from_id: str, to_id: str,
                  conversation_ids: list[str], nps_ids: list[int] | None = None) -> list[int]:
    """Ratings of ``conversation_ids`` and NPS answers (``nps_ids``; None: every one
    of ``from_id``) go with a merge or its undoing; both profiles' figures (CSAT
    average, last NPS) are computed again. Returns the ids of the NPS answers moved."""
    r, n = t.conversation_ratings, t.nps_answers
    if conversation_ids:
        conn.execute(r.update().where(r.c.conversation_id.in_(conversation_ids),
                                      r.c.customer_id == from_id).values(customer_id=to_id))
    query = sa.select(n.c.id).where(n.c.customer_id == from_id)
    if nps_ids is not None:
        query = query.where(n.c.id.in_(nps_ids))
    moved = sorted(conn.execute(query).scalars())
    if moved:
        conn.execute(n.update().where(n.c.id.in_(moved)).values(customer_id=to_id))
    for customer_id in (from_id, to_id):
        refresh_avg_csat(conn, customer_id)
        last = conn.execute(sa.select(n.c.score).where(n.c.customer_id == customer_id)
                            .order_by(n.c.answered_at.desc(), n.c.id.desc()).limit(1)).scalar()
        conn.execute(t.customers.update().where(t.customers.c.id == customer_id)
                     .values(last_nps=last))
    return moved


def _rating(row: sa.Row[Any]) -> Rating:
    return Rating(
        conversation_id=row.conversation_id, customer_id=row.customer_id,
        agent_id=row.agent_id, queue_id=row.queue_id, channel=row.channel, score=row.score,
        solved=row.solved, comment=row.comment, source=RatingSource(row.source),
        rated_at=row.rated_at,
    )
