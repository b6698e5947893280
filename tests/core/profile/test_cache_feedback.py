"""Ratings and NPS answers in the desktop's timeline cache: stored from a page,
read back as their own entries (not as conversations), beside the rated one."""

from __future__ import annotations

from core.cache.cache import Cache
from core.protocol.models import Channel, ConversationStatus
from core.protocol.profile import Timeline, TimelineItem
from core.records import TimelineKind
from tests.core.factories import T0


def test_feedback_entries_are_read_back_with_score_and_comment() -> None:
    cache = Cache(":memory:")
    items = [
        TimelineItem(kind="nps", id="nps_1", at=T0 + 3000, agent_name="李娜", score=9,
                     preview="Good people"),
        TimelineItem(kind="rating", id="conv1", at=T0 + 2000, agent_name="李娜", score=2,
                     solved=False, preview="Too slow"),
        TimelineItem(kind="conversation", id="conv1", at=T0, channel=Channel.CHAT,
                     status=ConversationStatus.CLOSED, preview="bye"),
    ]
    cache.store_timeline(Timeline(op="o", customer_id="cu1", items=items), None)
    entries = cache.timeline("cu1", limit=10)
    assert [(e.kind, e.id, e.score, e.solved, e.preview, e.agent_name) for e in entries] == [
        (TimelineKind.NPS, "nps_1", 9, None, "Good people", "李娜"),
        (TimelineKind.RATING, "conv1", 2, False, "Too slow", "李娜"),
        (TimelineKind.CONVERSATION, "conv1", None, None, "bye", None),
    ]
