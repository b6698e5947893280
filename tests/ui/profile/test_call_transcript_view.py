"""A transcribed call on the desktop: the stream's call_transcribed lands in the
cache, the call's timeline item opens to who said what, and search finds it."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from core.cache.search import search
from core.chat.preferences import SendKey
from core.protocol import call as cl
from core.protocol.agent import ConversationAssigned, Event
from core.protocol.models import Channel, Conversation, ConversationStatus
from core.session.preferences import ThemeName
from tests.ui.profile_seed import T0, nana, seeded_service
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import load_theme

CUSTOMER_SAID = "你好，我上周订了一件蓝色的外套，到现在还没有收到。"
AGENT_SAID = "I can check your parcel for you right now."


def transcribed(service: Any) -> None:
    call = Conversation(id="cv1", customer_id="cu1", channel=Channel.VOICE,
                        status=ConversationStatus.CLOSED, created_at=T0 - 3_600_000)
    service.events_received([
        Event(seq=2, ts=T0, body=ConversationAssigned(conversation=call, customer=nana(),
                                                      messages=[])),
        Event(seq=3, ts=T0, body=cl.CallTranscribed(transcript=cl.CallTranscript(
            call_id="call-1", conversation_id="cv1", started_at=T0 - 3_600_000, segments=[
                cl.TranscriptSegment(cl.TranscriptSpeaker.CUSTOMER, 400, 7_500, CUSTOMER_SAID,
                                     "zh"),
                cl.TranscriptSegment(cl.TranscriptSpeaker.AGENT, 8_500, 11_000, AGENT_SAID,
                                     "en"),
            ]))),
    ])


def test_the_call_opens_to_who_said_what_and_search_finds_the_words(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = seeded_service()
    transcribed(service)
    win = MainWindow(ServiceBridge(service), load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    panel = win.customer_panel
    qtbot.waitUntil(lambda: panel.customer_id == "cu1")
    dialog = panel.open_transcript("cv1")
    qtbot.waitUntil(lambda: dialog.record is not None)  # offline: from the cache
    record = dialog.record
    assert record is not None and record.from_cache
    assert [(s.speaker, s.text) for s in record.call_segments] == [
        (cl.TranscriptSpeaker.CUSTOMER, CUSTOMER_SAID), (cl.TranscriptSpeaker.AGENT, AGENT_SAID)]
    text = dialog.body.toPlainText()
    assert "Call transcript" in text
    customer_at, agent_at = text.index(CUSTOMER_SAID), text.index(AGENT_SAID)
    assert text.rindex("Customer", 0, customer_at) < customer_at < agent_at
    assert text.rindex("Agent", customer_at, agent_at) > customer_at
    if os.environ.get("ZUOXI_SCREENSHOTS"):
        Path(os.environ["ZUOXI_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(Path(os.environ["ZUOXI_SCREENSHOTS"]) / "call-transcript.png"))
    # Search: a Chinese substring (trigram) and a short one (LIKE) find the call.
    for query in ("蓝色的外套", "外套", "parcel for you"):
        hits = search(service._cache.db, query)
        assert [h.customer_id for h in hits] == ["cu1"], query
        assert [(m.conversation_id, m.channel) for m in hits[0].messages] == [
            ("cv1", Channel.VOICE)], query


def test_the_timeline_s_call_item_shows_the_customer_s_first_words(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = seeded_service()
    transcribed(service)
    win = MainWindow(ServiceBridge(service), load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(win)
    win.show()
    model = win.customer_panel.timeline.model
    qtbot.waitUntil(lambda: any(
        (e := model.entry(r)) is not None and e.id == "cv1" for r in range(model.rowCount())))
    entry = next(e for r in range(model.rowCount()) if (e := model.entry(r)) and e.id == "cv1")
    assert entry.channel is Channel.VOICE and entry.call_words == CUSTOMER_SAID
