"""Stored quality scores, their audit trail and the scoring cursor.

Every method takes the connection of the caller's transaction (a unit of work or
a scoring batch), so a score, its audit entries and the cursor commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from core.protocol.quality import (
    AuditEntry,
    ReviewReason,
    ReviewState,
    RuleResult,
    ScoreSummary,
)
from hub.store import schema as t
from hub.supervision.quality.inspection import Facts, Inspection
from hub.supervision.quality.review import after_scoring, appeal_deadline
from hub.supervision.quality.rules import QualitySettings

_encode_results = msgspec.json.Encoder().encode
_decode_results = msgspec.json.Decoder(list[RuleResult]).decode
CURSOR = "scores"
q = t.quality_scores.c


def audit(conn: Connection, conversation_id: str, at: int, action: str,
          actor_id: str | None = None, score: int | None = None,
          comment: str | None = None) -> None:
    conn.execute(t.quality_audit.insert().values(
        conversation_id=conversation_id, at=at, action=action, actor_id=actor_id,
        score=score, comment=comment))


def save(conn: Connection, scored: Sequence[tuple[Facts, Inspection, ReviewReason | None]],
         rules_version: str, now: int) -> None:
    """Store (or replace) the scores of a batch, with their audit entries."""
    if not scored:
        return
    ids = [facts.conversation_id for facts, _, _ in scored]
    before = {r.conversation_id: r for r in conn.execute(
        sa.select(q.conversation_id, q.review, q.final_score, q.score)
        .where(q.conversation_id.in_(ids)))}
    inserts: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    for facts, inspection, reason in scored:
        old = before.get(facts.conversation_id)
        state = after_scoring(ReviewState(old.review) if old else None, reason)
        final = old.final_score if old and state is ReviewState.OVERRIDDEN else inspection.score
        values = {
            "agent_id": facts.agent_id, "queue_id": facts.queue_id,
            "channel": facts.channel.value, "closed_at": facts.closed_at, "scored_at": now,
            "rules_version": rules_version, "score": inspection.score, "final_score": final,
            "fatal": inspection.fatal, "results": _encode_results(inspection.results).decode(),
            "review": state.value,
            "review_reason": reason.value if reason and state is ReviewState.PENDING else None,
        }
        if old is None:
            inserts.append({"conversation_id": facts.conversation_id, **values})
        else:
            if state not in (ReviewState.PENDING, ReviewState.NONE):
                values.pop("review_reason")  # the reason it was reviewed for stands
            conn.execute(t.quality_scores.update()
                         .where(q.conversation_id == facts.conversation_id).values(**values))
        audits.append({"conversation_id": facts.conversation_id, "at": now,
                       "action": "rescored" if old else "scored", "actor_id": None,
                       "score": inspection.score, "comment": None})
        if state is ReviewState.PENDING and (old is None or old.review != state.value):
            audits.append({"conversation_id": facts.conversation_id, "at": now,
                           "action": "queued", "actor_id": None, "score": None,
                           "comment": reason.value if reason else None})
    if inserts:
        conn.execute(t.quality_scores.insert(), inserts)
    conn.execute(t.quality_audit.insert(), audits)


def cursor(conn: Connection, lock: bool = False) -> int:
    """Where scoring stands. ``lock``: hold the cursor's row until the transaction
    ends, so that scorers of several hub processes take turns (on PostgreSQL; SQLite
    has one writer anyway) and the next one sees what the last one scored."""
    c = t.quality_cursor.c
    query = sa.select(c.closed_at).where(c.name == CURSOR)
    if lock:
        # The row exists from here on; on SQLite this write also takes the
        # database's write lock, on PostgreSQL the row is locked below.
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(t.quality_cursor)
                     .values(name=CURSOR, closed_at=0, conversation_id="")
                     .on_conflict_do_nothing(index_elements=[c.name]))
        query = query.with_for_update()
    value = conn.execute(query).scalar()
    return int(value or 0)


def set_cursor(conn: Connection, closed_at: int, conversation_id: str) -> None:
    c = t.quality_cursor.c
    done = conn.execute(t.quality_cursor.update()
                        .where(c.name == CURSOR, c.closed_at < closed_at)
                        .values(closed_at=closed_at, conversation_id=conversation_id))
    if done.rowcount == 0 and conn.execute(
            sa.select(c.name).where(c.name == CURSOR)).first() is None:
        conn.execute(t.quality_cursor.insert().values(
            name=CURSOR, closed_at=closed_at, conversation_id=conversation_id))


def row(conn: Connection, conversation_id: str) -> sa.Row[Any] | None:
    return conn.execute(sa.select(t.quality_scores)
                        .where(q.conversation_id == conversation_id)).first()


def summary(r: sa.Row[Any], settings: QualitySettings) -> ScoreSummary:
    return ScoreSummary(
        conversation_id=r.conversation_id, agent_id=r.agent_id, channel=r.channel,
        queue_id=r.queue_id, closed_at=r.closed_at, scored_at=r.scored_at, score=r.score,
        final_score=r.final_score, fatal=bool(r.fatal), review=ReviewState(r.review),
        review_reason=ReviewReason(r.review_reason) if r.review_reason else None,
        appealable_until=None if r.appealed_at is not None
        else appeal_deadline(r.scored_at, settings),
    )


def results(r: sa.Row[Any]) -> list[RuleResult]:
    return _decode_results(r.results)


def audit_trail(conn: Connection, conversation_id: str) -> list[AuditEntry]:
    a = t.quality_audit.c
    return [AuditEntry(at=e.at, action=e.action, actor_id=e.actor_id, comment=e.comment,
                       score=e.score)
            for e in conn.execute(sa.select(t.quality_audit)
                                  .where(a.conversation_id == conversation_id)
                                  .order_by(a.at, a.id))]


def listed(conn: Connection, where: Any, limit: int, oldest_first: bool = False,
           ) -> list[sa.Row[Any]]:
    order = (q.scored_at, q.conversation_id) if oldest_first \
        else (q.closed_at.desc(), q.conversation_id.desc())
    return list(conn.execute(sa.select(t.quality_scores).where(where)
                             .order_by(*order).limit(limit)))
