"""A message that arrives in a long chat is drawn by the first paint after it.

The chat view lays out a long history in batches of 30 rows, one batch per turn of
the event loop, so that opening a conversation never wraps hundreds of bubbles at
once. A new message used to restart that batched layout from the first row: in a
chat of 100 messages its bubble appeared only after four batches, each one its own
repaint of the view, and the wait grew with the length of the chat (the benchmark's
"customer message → bubble painted" p95 rose from 41 to 74 ms over its 100
messages). Guarded by counts, not by time: how many times the view painted and how
many rows it measured before the bubble was on screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject

from core.cache.cache import Cache
from core.chat.preferences import SendKey
from core.protocol.agent import MessageStatusChanged
from core.protocol.models import MessageStatus
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from tests.core.factories import T0, added, assigned, event, message
from ui.chat.chat_panel import ChatPanel
from ui.chat.chat_view import ChatView
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets import paint_probe
from ui.widgets.theme import load_theme

HISTORY = 100


class PaintCounter(QObject):
    def __init__(self, view: ChatView) -> None:
        super().__init__(view)
        self.paints = 0
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


@pytest.fixture
def reports() -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    paint_probe.set_listener(lambda kind, key: seen.append((kind, key)))
    yield seen
    paint_probe.set_listener(None)


def long_chat(qtbot: Any, reports: list[tuple[str, str]]) -> tuple[AgentService, ChatView]:
    history = [message(f"h{i:03}", text=f"第 {i} 条 message number {i}", at=T0 + 1000 * i)
               for i in range(HISTORY)]
    service = AgentService(Cache(":memory:"))
    service.events_received([event(1, assigned(messages=history))])
    window = MainWindow(ServiceBridge(service), load_theme(ThemeName.LIGHT), SendKey.ENTER)
    window.resize(1366, 768)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.current_panel() is not None)
    panel = window.current_panel()
    assert isinstance(panel, ChatPanel)
    view = panel.chat_view
    # the whole history laid out (in batches) and its newest bubble on screen
    qtbot.waitUntil(lambda: ("bubble", f"h{HISTORY - 1:03}") in reports, timeout=10_000)
    assert view.message_model.rowCount() == HISTORY
    return service, view


def test_a_new_message_in_a_long_chat_is_drawn_by_the_next_paint(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, reports: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service, view = long_chat(qtbot, reports)
    paints = PaintCounter(view)
    measured: list[str] = []  # texts measured (laid out) or drawn
    text_layout = view.delegate._text_layout

    def counting(text: str, font: Any) -> Any:
        measured.append(text)
        return text_layout(text, font)

    monkeypatch.setattr(view.delegate, "_text_layout", counting)
    at_report: list[int] = []

    def listen(kind: str, key: str) -> None:
        reports.append((kind, key))
        if kind == "bubble" and key == "new":
            at_report.append(paints.paints)

    paint_probe.set_listener(listen)
    service.events_received([added(2, message("new", text="还在吗?", at=T0 + 1000 * HISTORY))])
    qtbot.waitUntil(lambda: bool(at_report))
    # One paint drew it (was 4: one per batch of 30 rows laid out again from the top).
    assert at_report == [1], at_report
    # Each row measured once for the new layout, and the bubbles on screen drawn.
    assert len(measured) <= HISTORY + 1 + 30, len(measured)
    assert view.message_model.message(HISTORY).id == "new"  # type: ignore[union-attr]


def test_opening_a_long_chat_still_lays_out_in_batches(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, reports: list[tuple[str, str]]) -> None:
    # What the batches are for: a long history is not measured in one go when opened.
    _service, view = long_chat(qtbot, reports)
    assert view.layoutMode() is ChatView.LayoutMode.Batched
    assert view.batchSize() < HISTORY


def test_a_delivery_status_repaints_its_bubble_without_laying_out_the_chat(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, reports: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A status (or sentiment) keeps the bubble's size: three such changes follow
    # every customer message, and each laid the whole list out again.
    service, view = long_chat(qtbot, reports)
    measured: list[str] = []
    text_layout = view.delegate._text_layout

    def counting(text: str, font: Any) -> Any:
        measured.append(text)
        return text_layout(text, font)

    monkeypatch.setattr(view.delegate, "_text_layout", counting)
    paints = PaintCounter(view)
    last = f"h{HISTORY - 1:03}"
    service.events_received([event(2, MessageStatusChanged(
        conversation_id="c1", message_id=last, status=MessageStatus.DELIVERED))])
    assert view.message_model.message(HISTORY - 1).status is MessageStatus.DELIVERED  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: paints.paints >= 1)  # the row repainted (a pending layout runs first)
    # A new message after it: once its bubble is painted, any layout the status
    # change asked for has run too.
    service.events_received([added(3, message("new", text="在吗", at=T0 + 1000 * HISTORY))])
    qtbot.waitUntil(lambda: ("bubble", "new") in reports)
    # One layout pass (the new row) and the bubbles drawn; a second pass for the
    # status would measure every row again.
    assert len(measured) < 2 * HISTORY, len(measured)
