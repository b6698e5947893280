"""The desktop against a real hub: sign in, chat with a simulated customer, presence."""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.protocol.models import MessageAuthor, MessageStatus, Presence
from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop
from tests.ui.routing_helpers import accept_offer
from ui.chat.chat_view import ChatView
from ui.shell.login_dialog import LoginDialog

PASSWORD = "zuoxi-demo"
REPLY = "On it: 您好，马上为您查询"


@pytest.fixture
def desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
            tmp_path: Path) -> Iterator[DesktopApp]:
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        yield app


def sign_in(qtbot: Any, app: DesktopApp, username: str = "lina",
            password: str = PASSWORD) -> LoginDialog:
    dialog = app.login
    assert dialog is not None and dialog.isVisible()
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    return dialog


def signed_in(qtbot: Any, app: DesktopApp) -> None:
    sign_in(qtbot, app)
    qtbot.waitUntil(lambda: app.signed is not None and app.signed.window.isVisible(),
                    timeout=15_000)
    assert app.signed is not None
    service = app.signed.service
    qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE, timeout=15_000)


def test_chat_round_trip(qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess,
                         desktop: DesktopApp) -> None:
    signed_in(qtbot, desktop)
    assert desktop.login is not None and not desktop.login.isVisible()
    signed = desktop.signed
    assert signed is not None
    window = signed.window
    assert "李娜" in window.windowTitle()

    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    sent = run(qtbot, qloop, customer.send("你好，我的订单还没发货"))

    # it is offered (the toast rings); Enter accepts it ...
    accept_offer(qtbot, window, customer.conversation_id)
    # ... it shows in the inbox ...
    model = window.inbox.inbox_model
    qtbot.waitUntil(lambda: any(i.last_text == "你好，我的订单还没发货" for i in model.items()),
                    timeout=15_000)
    conversation_id = customer.conversation_id
    assert conversation_id is not None
    # ... and the conversation opens with the message in the chat view
    panel = window.open_conversation(conversation_id)
    view: ChatView = panel.chat_view
    qtbot.waitUntil(lambda: any(
        m.id == sent.id for m in (view.message_model.message(r)
                                  for r in range(view.message_model.rowCount())) if m
    ), timeout=10_000)
    assert panel.title.text() == "王芳"
    # the desktop confirmed it to the customer's widget
    run(qtbot, qloop, customer.wait_status(sent.id, MessageStatus.DELIVERED, timeout=10))

    # the agent answers with the keyboard
    panel.composer.setFocus()
    qtbot.keyClicks(panel.composer, "On it: ")  # QtTest types ASCII only
    panel.composer.insertPlainText("您好，马上为您查询")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert panel.composer.toPlainText() == ""
    reply = run(qtbot, qloop, customer.wait_message(
        lambda m: m.author is MessageAuthor.AGENT and m.text == REPLY, timeout=10))
    assert reply is not None

    def reply_status() -> MessageStatus | None:
        model = view.message_model
        for row in range(model.rowCount()):
            message = model.message(row)
            if message and message.text == REPLY:
                return message.status
        return None

    qtbot.waitUntil(lambda: reply_status() is MessageStatus.DELIVERED, timeout=15_000)

    # closing the conversation (with an outcome: its queue has disposition codes) takes
    # it out of the inbox and tells the customer
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    outcome = window.routing.disposition_dialog
    assert outcome is not None and outcome.isVisible()
    outcome.choose("resolved")
    qtbot.keyClick(outcome.codes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: all(i.conversation_id != conversation_id for i in model.items()))
    run(qtbot, qloop, customer.wait_for(lambda: customer.closed_by is not None, timeout=10))
    assert panel.closed_banner.isVisibleTo(panel)
    run(qtbot, qloop, customer.disconnect())


def agent_presence(db_path: Path, username: str) -> str:
    with sqlite3.connect(db_path) as db:
        row = db.execute("SELECT presence FROM agents WHERE username=?", [username]).fetchone()
    return str(row[0])


def test_presence_reaches_hub(qtbot: Any, hub: HubProcess, desktop: DesktopApp) -> None:
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    window = desktop.signed.window
    selector = window.presence
    row = selector.row_of(Presence.AWAY)
    selector.setCurrentIndex(row)
    selector.activated.emit(row)  # what a click in the popup does
    qtbot.waitUntil(lambda: agent_presence(hub.db_path, "lina") == "away", timeout=15_000)
    qtbot.waitUntil(lambda: desktop.signed is not None
                    and desktop.signed.service.outbox_size() == 0)
    assert selector.presence() is Presence.AWAY

    window.presence.set_presence(Presence.AVAILABLE)
    window.choose_presence(Presence.AVAILABLE)  # the Ctrl+1 action
    qtbot.waitUntil(lambda: agent_presence(hub.db_path, "lina") == "available", timeout=15_000)


def test_wrong_password_stays_on_login(qtbot: Any, desktop: DesktopApp) -> None:
    dialog = sign_in(qtbot, desktop, password="not-the-password")
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=15_000)
    assert dialog.error_text() == "Wrong user name or password."
    assert dialog.isVisible() and desktop.signed is None
    assert dialog.sign_in.isEnabled()


def test_unreachable_hub_is_explained(qtbot: Any, desktop: DesktopApp) -> None:
    dialog = desktop.login
    assert dialog is not None
    dialog.server.setText("http://127.0.0.1:9")
    dialog = sign_in(qtbot, desktop)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=15_000)
    assert "Cannot reach the server" in dialog.error_text()
    assert desktop.signed is None


def test_revoked_token_returns_to_login(qtbot: Any, hub: HubProcess, desktop: DesktopApp,
                                        memory_keyring: Any) -> None:
    signed_in(qtbot, desktop)
    [token] = memory_keyring.tokens().values()
    request = urllib.request.Request(hub.url + "/api/logout", data=b"", method="POST",
                                     headers={"Authorization": f"Bearer {token}"})
    urllib.request.urlopen(request, timeout=10).close()
    hub.restart()  # the desktop reconnects with the revoked token
    dialog = desktop.login
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=30_000)
    assert "expired" in dialog.notice.text()
    assert memory_keyring.tokens() == {}
    # signing in again resumes the same window
    window = desktop.signed.window if desktop.signed else None
    signed_in(qtbot, desktop)
    assert desktop.signed is not None and desktop.signed.window is window


def test_stored_token_skips_login(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
                                  hub: HubProcess, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    options = Options(hub_url=hub.url, data_dir=tmp_path / "data", language="en")
    first = DesktopApp(qapp, options, settings, CredentialStore())
    first.start()
    signed_in(qtbot, first)
    done: list[int] = []
    first.finished.connect(done.append)
    first.quit()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)

    second = DesktopApp(qapp, options, Settings(tmp_path / "settings.ini"), CredentialStore())
    second.start()
    assert second.signed is not None and second.login is None
    qtbot.waitUntil(
        lambda: second.signed is not None
        and second.signed.service.connection.state is ConnectionState.ONLINE,
        timeout=15_000,
    )
    second.finished.connect(done.append)
    second.quit()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)


def test_reply_written_offline_is_sent_once_the_hub_is_back(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess, desktop: DesktopApp
) -> None:
    signed_in(qtbot, desktop)
    signed = desktop.signed
    assert signed is not None
    customer = SimCustomer(hub.customer_ws_url, name="Emma Walker")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("Hello? Anyone there?"))
    accept_offer(qtbot, signed.window, customer.conversation_id)
    model = signed.window.inbox.inbox_model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=15_000)
    conversation_id = customer.conversation_id
    assert conversation_id is not None
    run(qtbot, qloop, customer.disconnect())

    port = hub.port
    hub.kill()
    service = signed.service
    qtbot.waitUntil(lambda: service.connection.state is ConnectionState.RECONNECTING,
                    timeout=15_000)
    assert "Reconnecting" in signed.window.connection.text()
    assert signed.window.offline_banner.isVisibleTo(signed.window)
    panel = signed.window.open_conversation(conversation_id)
    panel.composer.setPlainText("Sorry for the wait, I'm here now.")
    panel.send()
    [pending] = [m for m in service.messages(conversation_id)
                 if m.author is MessageAuthor.AGENT]
    assert pending.status is MessageStatus.PENDING

    hub.start(port=port)
    service.reconnect_now()
    qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE, timeout=30_000)

    def status() -> MessageStatus | None:
        stored = service.message(pending.id)
        return stored.status if stored else None

    qtbot.waitUntil(lambda: status() is MessageStatus.SENT, timeout=15_000)
    qtbot.waitUntil(lambda: service.outbox_size() == 0, timeout=15_000)  # acked
    assert status() is MessageStatus.SENT
    with sqlite3.connect(hub.db_path) as db:
        count = db.execute("SELECT COUNT(*) FROM messages WHERE id=?", [pending.id]).fetchone()[0]
    assert count == 1


def test_sign_out_returns_to_login(qtbot: Any, desktop: DesktopApp,
                                   memory_keyring: Any) -> None:
    signed_in(qtbot, desktop)
    assert desktop.signed is not None and memory_keyring.tokens()
    desktop.signed.window.sign_out_requested.emit()
    dialog = desktop.login
    assert dialog is not None
    qtbot.waitUntil(lambda: desktop.signed is None and dialog.isVisible(), timeout=15_000)
    assert memory_keyring.tokens() == {}
    assert dialog.username.text() == "lina"


def test_without_keyring_the_token_stays_in_memory_and_the_ui_says_so(
    qtbot: Any, desktop: DesktopApp
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # restored by the memory_keyring fixture
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    window = desktop.signed.window
    notice = window.status_bar.notice
    assert "No system keyring" in notice.text() and notice.isVisibleTo(window)
    # A lasting note sits beside the connection state, which stays visible.
    assert window.status_bar.connection.isVisibleTo(window)
    assert desktop.credentials.get(desktop.signed.hub_url or "", "lina")
