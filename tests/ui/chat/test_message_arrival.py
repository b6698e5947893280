"""One new message in an open chat: one notice per kind, few queries, one row inserted.

Before notices were declared once and reading stopped re-entering the panel's
refresh, one customer message in the open chat of the main window cost 3 notices
(message_did_change, then conversation_did_change twice: the second fired by
mark_read from inside the panel's own refresh), 29 SQL statements (21 reads:
19 SELECTs and 2 WITH ... SELECTs) and a reset of the whole message list.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from core.cache.cache import Cache
from core.chat.preferences import SendKey
from core.protocol.agent import MessageStatusChanged
from core.protocol.models import MessageStatus
from core.session.agent_service import AgentService
from core.session.notices import AgentNotices
from core.session.preferences import ThemeName
from tests.core.factories import T0, added, assigned, event, message
from ui.chat.chat_panel import ChatPanel
from ui.chat.chat_view import MessageListModel
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import load_theme


class ModelEvents:
    def __init__(self, model: MessageListModel) -> None:
        self.inserted: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int]] = []
        self.resets = 0
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.dataChanged.connect(
            lambda top, bottom, _roles=(): self.changed.append((top.row(), bottom.row())))
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1


def notices_of(service: AgentService) -> list[tuple[str, tuple[object, ...]]]:
    seen: list[tuple[str, tuple[object, ...]]] = []
    for notice in AgentNotices.notices():
        notice.hook(service).connect(lambda *a, _n=notice.name: seen.append((_n, a)))
    return seen


def open_chat(qtbot: Any) -> tuple[AgentService, MainWindow, ChatPanel]:
    service = AgentService(Cache(":memory:"))
    service.events_received([event(1, assigned())])
    window = MainWindow(ServiceBridge(service), load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.current_panel() is not None)  # opens by itself
    panel = window.current_panel()
    assert isinstance(panel, ChatPanel)
    qtbot.waitUntil(panel.isVisible)
    qtbot.waitUntil(lambda: service.conversation("c1").unread == 0)  # type: ignore[union-attr]
    return service, window, panel


def test_one_message_in_an_open_chat(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, window, panel = open_chat(qtbot)
    model = panel.chat_view.message_model
    assert model.rowCount() == 1
    rows = ModelEvents(model)
    notices = notices_of(service)
    statements: list[str] = []
    service._cache.db.conn.set_trace_callback(statements.append)
    try:
        service.events_received([added(2, message("c1-m2", text="还在吗", at=T0 + 60_000))])
    finally:
        service._cache.db.conn.set_trace_callback(None)

    assert notices == [("message_did_change", ("c1", "c1-m2")),
                       ("conversation_did_change", ("c1",))]
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(statements) <= 19, statements  # was 29
    assert len(reads) <= 11, reads  # was 21
    assert sum("SET unread=0" in s for s in statements) == 1  # read once, as it arrived
    assert service.conversation("c1").unread == 0  # type: ignore[union-attr]
    assert rows.inserted == [(1, 1)] and rows.resets == 0
    assert model.message(1).id == "c1-m2"  # type: ignore[union-attr]
    assert window.inbox.inbox_model.items()[0].unread == 0
    assert "(" not in window.windowTitle()


def test_a_message_behind_other_windows_stays_unread_until_the_agent_is_back(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, window, _panel = open_chat(qtbot)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    service.events_received([added(2, message("c1-m2", text="还在吗", at=T0 + 60_000))])
    assert service.conversation("c1").unread == 1  # type: ignore[union-attr]
    assert window.windowTitle().startswith("(1)")  # counted: the title and taskbar say so
    window.activateWindow()
    qtbot.waitUntil(lambda: service.conversation("c1").unread == 0)  # type: ignore[union-attr]
    assert "(" not in window.windowTitle()


def test_a_status_change_repaints_its_row(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, _window, panel = open_chat(qtbot)
    model = panel.chat_view.message_model
    panel.composer.setPlainText("稍等")
    panel.send()
    mine = model.message(1)
    assert mine is not None and mine.status is MessageStatus.PENDING
    rows = ModelEvents(model)
    service.events_received([event(2, MessageStatusChanged(
        conversation_id="c1", message_id=mine.id, status=MessageStatus.DELIVERED))])
    assert rows.changed == [(1, 1)] and rows.inserted == [] and rows.resets == 0
    assert model.message(1).status is MessageStatus.DELIVERED  # type: ignore[union-attr]


def test_messages_keep_time_order(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, _window, panel = open_chat(qtbot)
    model = panel.chat_view.message_model
    rows = ModelEvents(model)
    service.events_received([added(2, message("late", at=T0 + 60_000))])
    service.events_received([added(3, message("early", at=T0 + 30_000))])
    assert rows.inserted == [(1, 1), (1, 1)]
    shown = [model.message(r).id for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert shown == [m.id for m in service.messages("c1")] == ["c1-m1", "early", "late"]


def test_a_catch_up_reloads_once(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, _window, panel = open_chat(qtbot)
    model = panel.chat_view.message_model
    rows = ModelEvents(model)
    many = MessageListModel.BATCH_INSERTS + 10
    service.events_received([added(2 + i, message(f"m{i:03}", at=T0 + 1000 * (i + 1)))
                             for i in range(many)])
    assert len(rows.inserted) == MessageListModel.BATCH_INSERTS and rows.resets == 0
    qtbot.waitUntil(lambda: rows.resets == 1)  # the rest: one reload after the batch
    assert model.rowCount() == 1 + many
    assert [model.message(r).id for r in range(model.rowCount())] == [  # type: ignore[union-attr]
        m.id for m in service.messages("c1")]


def test_a_hidden_chat_stays_unread(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, window, panel = open_chat(qtbot)
    service.events_received([event(2, assigned("c2", "cu2"))])
    window.open_conversation("c2")
    qtbot.waitUntil(lambda: not panel.isVisible())
    service.events_received([added(3, message("c1-m2", at=T0 + 60_000))])
    assert service.conversation("c1").unread == 1  # type: ignore[union-attr]
    window.open_conversation("c1")  # showing it reads it
    qtbot.waitUntil(lambda: service.conversation("c1").unread == 0)  # type: ignore[union-attr]


def test_a_closed_tab_reads_nothing(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service, window, panel = open_chat(qtbot)
    gone: list[bool] = []
    panel.destroyed.connect(lambda: gone.append(True))
    window.tabs.close_conversation_tab("c1")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gone
    # Its "is it on screen?" went with it: asking a deleted widget would raise here.
    service.events_received([added(2, message("c1-m2", at=T0 + 60_000))])
    assert service.conversation("c1").unread == 1  # type: ignore[union-attr]
