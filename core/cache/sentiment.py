"""The cache's side of sentiment: a conversation's trend and supervisors' escalation alerts.

Written from ``conversation_assigned`` (the trend so far), ``message_classified``
(each customer message) and ``escalation_raised`` (supervisors only); read by the
inbox (``core.cache.queries``) and ``alerts``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from core.protocol.sentiment import (
    EscalationRaised,
    EscalationReason,
    MessageClassified,
    SentimentTrend,
)
from core.records import Changes


@dataclass(frozen=True)
class EscalationAlert:
    message_id: str
    conversation_id: str
    customer_name: str
    excerpt: str
    reasons: tuple[EscalationReason, ...]
    score: float
    priority: int
    agent_id: str | None
    queue: str | None
    at: int


def store_trend(db: Database, conversation_id: str, trend: SentimentTrend | None) -> None:
    if trend is None:
        return
    db.execute(
        "UPDATE conversations SET sentiment_first=?, sentiment_last=?, escalations=? "
        "WHERE id=?",
        [trend.first, trend.last, json.dumps([r.value for r in trend.escalations]),
         conversation_id])


def apply_classified(db: Database, body: MessageClassified) -> Changes:
    store_trend(db, body.conversation_id, body.trend)
    return Changes(conversations={body.conversation_id}, inbox=True)


def apply_alert(db: Database, body: EscalationRaised, ts: int) -> Changes:
    db.execute(
        "INSERT OR IGNORE INTO escalation_alerts (message_id, conversation_id, customer_name, "
        "excerpt, reasons, score, priority, agent_id, queue, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [body.message_id, body.conversation_id, body.customer_name, body.excerpt,
         json.dumps([r.value for r in body.reasons]), body.score, body.priority,
         body.agent_id, body.queue, ts])
    return Changes(alerts=True)


def alerts(db: Database, limit: int = 100) -> list[EscalationAlert]:
    """The newest escalation alerts first."""
    rows = db.execute(
        "SELECT message_id, conversation_id, customer_name, excerpt, reasons, score, "
        "priority, agent_id, queue, at FROM escalation_alerts ORDER BY at DESC, message_id "
        "LIMIT ?", [limit]).fetchall()
    return [EscalationAlert(r[0], r[1], r[2], r[3],
                            tuple(EscalationReason(x) for x in json.loads(r[4])), float(r[5]),
                            int(r[6]), r[7], r[8], int(r[9])) for r in rows]
