"""An offer never takes the keyboard from a reply being typed; accepting has its own
key (or a click) and opens the conversation with the keyboard in its reply box.

A real hub offers real customers' chats to the desktop signed in as lina. Keys are
delivered to whichever widget has the focus when each key is pressed, as the window
system does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from core.protocol.models import MessageAuthor, Presence
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import hub_row, routing_config, wait_offer
from ui.chat.chat_panel import ChatPanel
from ui.shell.main_window import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def type_keys(qtbot: Any, text: str) -> None:
    """Each key goes to the widget that has the focus at that moment."""
    for char in text:
        widget = focused()
        assert widget is not None, "no widget has the keyboard"
        qtbot.keyClick(widget, char)


def press_enter(qtbot: Any) -> None:
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def activate(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)


def take_first_chat(qtbot: Any, qloop: Any, hub: HubProcess, window: MainWindow,
                    customer: SimCustomer) -> ChatPanel:
    window.choose_presence(Presence.AVAILABLE)
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                    "username='lina'") == ("available",), timeout=10_000)
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("Where is my parcel?"))
    wait_offer(qtbot, window, customer.conversation_id)
    qtbot.keyClick(window, Qt.Key.Key_A, CTRL_SHIFT)  # the accept key, wherever focus is

    def opened() -> bool:
        panel = window.current_panel()
        return panel is not None and panel.conversation_id == customer.conversation_id

    qtbot.waitUntil(opened, timeout=15_000)
    panel = window.current_panel()
    assert isinstance(panel, ChatPanel)
    return panel


def desktop_with_hub(qapp: Any, qtbot: Any, make_hub: Callable[..., HubProcess],
                     tmp_path: Path) -> tuple[HubProcess, Any]:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    return hub, running_desktop(qapp, qtbot, hub.url, tmp_path)


def test_accepted_offer_opens_with_the_keyboard_in_the_reply_box(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub, desktop = desktop_with_hub(qapp, qtbot, make_hub, tmp_path)
    with desktop as app:
        sign_in(qtbot, app)
        window = app.signed.window
        activate(qtbot, window)
        customer = SimCustomer(hub.customer_ws_url, name="Tom Baker")
        panel = take_first_chat(qtbot, qloop, hub, window, customer)
        qtbot.waitUntil(lambda: focused() is panel.composer, timeout=5_000)
        # so the agent answers straight away
        type_keys(qtbot, "On its way")
        press_enter(qtbot)
        reply = run(qtbot, qloop, customer.wait_message(
            lambda m: m.author is MessageAuthor.AGENT and m.text == "On its way", timeout=10))
        assert reply is not None
        run(qtbot, qloop, customer.disconnect())


def test_offer_never_takes_the_keyboard_from_a_reply_being_typed(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub, desktop = desktop_with_hub(qapp, qtbot, make_hub, tmp_path)
    with desktop as app:
        sign_in(qtbot, app)
        window = app.signed.window
        activate(qtbot, window)
        first = SimCustomer(hub.customer_ws_url, name="Tom Baker")
        panel = take_first_chat(qtbot, qloop, hub, window, first)
        panel.focus_composer()
        qtbot.waitUntil(lambda: focused() is panel.composer, timeout=5_000)
        type_keys(qtbot, "Let me")

        # a second customer writes: the offer rings while lina is typing
        second = SimCustomer(hub.customer_ws_url, name="王芳")
        run(qtbot, qloop, second.connect())
        run(qtbot, qloop, second.send("我要退款"))
        wait_offer(qtbot, window, second.conversation_id)
        toast = window.offer_toast

        # the words typed after it and Enter stay in the reply
        type_keys(qtbot, " check")
        press_enter(qtbot)
        reply = run(qtbot, qloop, first.wait_message(
            lambda m: m.author is MessageAuthor.AGENT, timeout=10))
        assert reply is not None and reply.text == "Let me check"
        assert focused() is panel.composer
        # Enter sent the reply; it did not accept the offer
        assert toast.isVisible() and toast.current is not None
        assert toast.current.conversation_id == second.conversation_id
        assert hub_row(hub.db_path, "SELECT status FROM offers WHERE conversation_id=?",
                       second.conversation_id) == ("open",)
        # announced without the focus, and how to take it is on screen
        assert toast.announced_offer == toast.current.offer_id
        assert "Ctrl+Shift+A" in toast.keys_hint.text()

        # a click on Accept takes it, and the keyboard follows to its reply box
        qtbot.mouseClick(toast.accept_button, Qt.MouseButton.LeftButton)

        def second_open() -> bool:
            current = window.current_panel()
            return current is not None and current.conversation_id == second.conversation_id

        qtbot.waitUntil(second_open, timeout=15_000)
        current = window.current_panel()
        assert isinstance(current, ChatPanel)
        qtbot.waitUntil(lambda: focused() is current.composer, timeout=5_000)
        run(qtbot, qloop, first.disconnect())
        run(qtbot, qloop, second.disconnect())
