"""What the hub stores of a classified customer message, and the conversation's trend.

Each method joins the unit of work in progress (hub.store.database), so the
classification, the trend, a raised priority and the events to agents and
supervisors commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol.sentiment import TREND_LENGTH, EscalationReason, SentimentTrend
from hub.access.permissions import Permission
from hub.access.role_store import agents_with
from hub.assist.sentiment import Classification
from hub.store import schema as t
from hub.store.base import now_ms, sentiment_trend
from hub.store.store import Store

_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class Recorded:
    """A classification as stored, with what the caller needs to tell people."""

    trend: SentimentTrend
    new_reasons: tuple[EscalationReason, ...]  # not seen in this conversation before
    first_escalation: bool  # the conversation had never escalated until now
    agent_id: str | None
    customer_id: str
    priority: int
    queue: str | None


class SentimentRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, conversation_id: str, message_id: str, result: Classification,
               ) -> Recorded | None:
        """Store the message's classification and the conversation's new trend; None if
        the conversation is gone or the message was classified before."""
        now = now_ms()
        with self.store.db.begin() as conn:
            row = conn.execute(sa.select(t.conversations).where(
                t.conversations.c.id == conversation_id)).first()
            seen = conn.execute(sa.select(t.message_sentiment.c.message_id).where(
                t.message_sentiment.c.message_id == message_id)).first()
            if row is None or seen is not None:
                return None
            conn.execute(t.message_sentiment.insert().values(
                message_id=message_id, conversation_id=conversation_id,
                sentiment=result.sentiment.value, score=result.score,
                reasons=_encode([r.value for r in result.reasons]).decode(), created_at=now))
            before = sentiment_trend(row)
            earlier = list(before.escalations) if before else []
            new_reasons = tuple(r for r in result.reasons if r not in earlier)
            trend = SentimentTrend(
                first=before.first if before else result.score,
                recent=([*before.recent, result.score] if before else [result.score])[
                    -TREND_LENGTH:],
                escalations=earlier + list(new_reasons),
            )
            values: dict[str, Any] = {
                "sentiment_first": trend.first,
                "sentiment_recent": _encode(trend.recent).decode(),
                "escalation_reasons": _encode([r.value for r in trend.escalations]).decode(),
            }
            first_escalation = not earlier and bool(new_reasons)
            if first_escalation:
                values["escalated_at"] = now
            conn.execute(t.conversations.update().where(
                t.conversations.c.id == conversation_id).values(**values))
        return Recorded(trend, new_reasons, first_escalation, row.agent_id, row.customer_id,
                        int(row.priority or 0), row.queue_id)

    def set_routing(self, conversation_id: str, priority: int, queue: str | None) -> None:
        values: dict[str, Any] = {"priority": priority}
        if queue is not None:
            values["queue_id"] = queue
        with self.store.db.begin() as conn:
            conn.execute(t.conversations.update().where(
                t.conversations.c.id == conversation_id).values(**values))

    def supervisors(self) -> list[str]:
        with self.store.db.connect() as conn:
            return agents_with(conn, Permission.MONITORING)

    def append(self, agent_id: str, body: ap.EventBody) -> ap.Event:
        with self.store.db.begin() as conn:
            return self.store.append_event(conn, agent_id, body)

    def classification_of(self, message_id: str) -> tuple[str, float, list[str]] | None:
        """A stored classification (sentiment, score, reason codes), for reports."""
        with self.store.db.connect() as conn:
            row = conn.execute(sa.select(t.message_sentiment).where(
                t.message_sentiment.c.message_id == message_id)).first()
        if row is None:
            return None
        return row.sentiment, float(row.score), msgspec.json.decode(row.reasons)
