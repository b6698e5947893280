"""The assist widgets on their own: when "/" opens the popup, and text from other
agents and the hub (reply titles, suggested answers) shown as plain text only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from core.assist.quick_reply_search import search
from core.cache.cache import Cache
from core.protocol.agent import Event
from core.protocol.assist import (
    AssistSuggestions,
    QuickReply,
    QuickReplySaved,
    QuickReplyScope,
    Suggestion,
    SuggestionKind,
)
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from tests.ui.hostile_text import big_image, corpus, scan
from ui.assist.quick_reply_popup import QuickReplyPopup, trigger_query
from ui.assist.suggestion_panel import SuggestionPanel
from ui.shell.service_bridge import ServiceBridge


def test_slash_opens_only_at_the_start_of_a_word() -> None:
    assert trigger_query("/") == (0, "")
    assert trigger_query("好的 /退货") == (3, "退货")
    assert trigger_query("line one\n/thx") == (9, "thx")
    assert trigger_query("/order number") == (0, "order number")
    assert trigger_query("and/or") is None
    assert trigger_query("see https://shop.example/help") is None
    assert trigger_query("/ refund") is None  # a lone slash, then words
    assert trigger_query("/" + "x" * 41) is None


def test_hostile_titles_and_answers_are_shown_as_plain_text(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    hostile = corpus(big_image(tmp_path))
    service = AgentService(Cache(":memory:"), AgentInfo(id="a", username="lina",
                                                        display_name="李娜"))
    replies = [QuickReply(id=f"r{i}", scope=QuickReplyScope.TEAM, title=text[:500],
                          text=text, shortcut="x") for i, text in enumerate(hostile)]
    service.events_received(
        [Event(seq=i + 1, ts=0, body=QuickReplySaved(r)) for i, r in enumerate(replies)])
    items = [Suggestion(kind=SuggestionKind.QUICK_REPLY, id=r.id, title=r.title, text=r.text,
                        score=0.5, matched=[r.title[:10]]) for r in replies[:3]]
    service.events_received([Event(seq=len(replies) + 1, ts=0, body=AssistSuggestions(
        conversation_id="c1", message_id="m1", items=items))])

    bridge = ServiceBridge(service)
    panel = SuggestionPanel(bridge)
    qtbot.addWidget(panel)
    panel.show_conversation("c1")
    panel.show()
    popup = QuickReplyPopup()
    qtbot.addWidget(popup)
    popup.show_hits(search(service.quick_replies.all(), "x"))
    popup.show()
    assert popup.list.count() == min(8, len(replies))
    assert [c.isVisibleTo(panel) for c in panel.cards] == [True, True, True]
    assert scan([panel, popup]) == []
