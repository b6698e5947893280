"""The cache keeps a conversation's mood and a supervisor's escalation alerts."""

from __future__ import annotations

import msgspec

from core.cache.cache import Cache
from core.protocol.sentiment import (
    EscalationRaised,
    EscalationReason,
    MessageClassified,
    Sentiment,
    SentimentTrend,
)
from tests.core.factories import assigned, event


def test_the_trend_arrives_with_the_assignment_and_follows_each_message() -> None:
    cache = Cache(":memory:")
    item = assigned("c1")
    item.conversation = msgspec.structs.replace(
        item.conversation, sentiment=SentimentTrend(first=0.1, recent=[0.1]))
    cache.apply_events([event(1, item)])
    row = cache.conversation("c1")
    assert row is not None
    assert (row.sentiment_first, row.sentiment_last, row.escalated) == (0.1, 0.1, False)

    trend = SentimentTrend(first=0.1, recent=[0.1, -0.8],
                           escalations=[EscalationReason.COMPLAINT])
    changes = cache.apply_events([event(2, MessageClassified(
        conversation_id="c1", message_id="c1-m2", sentiment=Sentiment.NEGATIVE, score=-0.8,
        trend=trend, reasons=[EscalationReason.COMPLAINT], priority=150))])
    assert changes.inbox and "c1" in changes.conversations
    row = cache.conversation("c1")
    assert row is not None
    assert (row.sentiment_first, row.sentiment_last, row.escalated) == (0.1, -0.8, True)
    assert [i.sentiment_last for i in cache.inbox()] == [-0.8]


def test_alerts_are_kept_once_newest_first() -> None:
    cache = Cache(":memory:")

    def alert(message_id: str, name: str) -> EscalationRaised:
        return EscalationRaised(
            conversation_id="c9", customer_id="cu9", customer_name=name, message_id=message_id,
            excerpt="<b>我要投诉</b>", reasons=[EscalationReason.COMPLAINT,
                                             EscalationReason.SAFETY],
            score=-0.9, priority=150, agent_id=None, queue="complaints")

    changes = cache.apply_events([event(1, alert("m1", "张三")), event(2, alert("m2", "李四"))])
    assert changes.alerts and bool(changes)
    cache.apply_events([event(3, alert("m1", "张三"))])  # the same alert again: kept once
    alerts = cache.escalation_alerts()
    assert [(a.message_id, a.customer_name) for a in alerts] == [("m2", "李四"), ("m1", "张三")]
    assert alerts[0].reasons == (EscalationReason.COMPLAINT, EscalationReason.SAFETY)
    assert alerts[0].excerpt == "<b>我要投诉</b>" and alerts[0].queue == "complaints"
