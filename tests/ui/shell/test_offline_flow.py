"""Offline work against a real hub: the banner, pending replies that go out once, a
conversation taken away while disconnected, a damaged cache, and store mode."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.profile.directory_cache import VISIT_NOTE_PREFIX
from core.protocol.models import Channel, MessageAuthor, MessageStatus
from core.session.preferences import Preferences
from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.routing_helpers import auto_accept_hub, hub_row, routing_config
from tests.ui.shell.test_desktop_flow import signed_in

ROOT = Path(__file__).resolve().parents[3]
_SHOTS_DIR = __import__("os").environ.get("ZUOXI_SCREENSHOTS", "")
SHOTS = Path(_SHOTS_DIR) if _SHOTS_DIR else None  # Path("") would be the current folder
STORE_TAG = "store:shanghai-xujiahui"


def shot(widget: Any, name: str) -> None:
    """Save a screenshot when ZUOXI_SCREENSHOTS names a folder (for the docs)."""
    if SHOTS is not None and str(SHOTS):
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / name))


def make_desktop(qapp: Any, hub: HubProcess, tmp_path: Path,
                 preferences: Preferences | None = None) -> DesktopApp:
    options = Options(hub_url=hub.url, data_dir=tmp_path / "data", language="en")
    settings = Settings(tmp_path / "settings.ini")
    if preferences is not None:
        settings.save_preferences(preferences)
    app = DesktopApp(qapp, options, settings, CredentialStore(),
                     preferences=settings.preferences())
    app.start()
    return app


def close(qtbot: Any, app: DesktopApp) -> None:
    finished: list[int] = []
    app.finished.connect(finished.append)
    app.quit()
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    if app.login is not None:
        app.login.deleteLater()



@pytest.fixture
def hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    """Chats are assigned at once here (offers have their own tests)."""
    return auto_accept_hub(make_hub, tmp_path)

@pytest.fixture
def desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
            tmp_path: Path) -> Iterator[DesktopApp]:
    app = make_desktop(qapp, hub, tmp_path)
    yield app
    close(qtbot, app)


def test_offline_banner_pending_then_delivered(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess, desktop: DesktopApp
) -> None:
    signed_in(qtbot, desktop)
    signed = desktop.signed
    assert signed is not None
    window, service = signed.window, signed.service
    assert not window.offline_banner.isVisibleTo(window)
    customer = SimCustomer(hub.customer_ws_url, name="Zhou Min")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("My parcel never arrived"))
    qtbot.waitUntil(lambda: window.inbox.inbox_model.rowCount() == 1, timeout=15_000)
    conversation_id = customer.conversation_id
    assert conversation_id is not None
    panel = window.open_conversation(conversation_id)
    run(qtbot, qloop, customer.disconnect())

    port = hub.port
    hub.stop()
    qtbot.waitUntil(lambda: window.offline_banner.isVisibleTo(window), timeout=15_000)
    assert "offline" in window.offline_banner.text()
    assert "Reconnecting" in window.connection.text()
    assert window.connection.retry.isVisibleTo(window)
    panel.composer.setPlainText("Sorry! A new parcel goes out today.")
    panel.send()
    [reply] = [m for m in service.messages(conversation_id) if m.author is MessageAuthor.AGENT]
    assert reply.status is MessageStatus.PENDING
    model = panel.chat_view.message_model
    qtbot.waitUntil(lambda: any(model.message(r) and model.message(r).id == reply.id
                                for r in range(model.rowCount())))
    shot(window, "offline-window.png")
    shot(window.statusBar(), "offline-statusbar.png")

    hub.start(port=port)
    again = SimCustomer(hub.customer_ws_url, visitor_id=customer.visitor_id)
    run(qtbot, qloop, again.connect())
    # "Retry now" skips the backoff wait
    window.connection.retry.linkActivated.emit("retry")
    qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE, timeout=15_000)
    qtbot.waitUntil(lambda: not window.offline_banner.isVisibleTo(window))

    def status() -> MessageStatus | None:
        for row in range(model.rowCount()):
            message = model.message(row)
            if message is not None and message.id == reply.id:
                return message.status
        return None

    qtbot.waitUntil(lambda: status() is MessageStatus.DELIVERED, timeout=15_000)
    replies = [m for m in again.messages if m.author is MessageAuthor.AGENT]
    assert [m.id for m in replies] == [reply.id]  # once
    run(qtbot, qloop, again.disconnect())


def test_conversation_released_while_away_closes_its_tab(
    qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, tmp_path: Path
) -> None:
    config = routing_config(tmp_path / "routing", auto_accept_chat=True)
    hub = HubProcess(db_path=tmp_path / "hub.sqlite3", workdir=tmp_path / "hub",
                     extra_args=["--away-grace", "0.2", "--release-after", "0.4",
                                 "--routing-config", str(config)])
    hub.start()
    app = make_desktop(qapp, hub, tmp_path)
    try:
        signed_in(qtbot, app)
        signed = app.signed
        assert signed is not None
        window, service = signed.window, signed.service
        customer = SimCustomer(hub.customer_ws_url, name="Li Lei")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("你好"))
        qtbot.waitUntil(lambda: window.inbox.inbox_model.rowCount() == 1, timeout=15_000)
        conversation_id = customer.conversation_id
        assert conversation_id is not None
        window.open_conversation(conversation_id)
        assert window.tabs.count() == 1

        token = signed.token
        assert token is not None
        run(qtbot, qloop, service.disconnect())  # the link drops ...
        qtbot.waitUntil(lambda: hub_row(  # ... until the hub has released the conversation
            hub.db_path, "SELECT agent_id IS NULL FROM conversations WHERE id=?",
            conversation_id) == (1,), timeout=15_000)
        app._connect(hub.url, token)
        qtbot.waitUntil(lambda: window.tabs.count() == 0, timeout=15_000)
        assert window.notice_bar.isVisibleTo(window)
        assert "Li Lei" in window.notice_bar.label.text()
        assert "disconnected" in window.notice_bar.label.text()
        # kept as history (the hub may route it back to us: we are the only agent)
        assert [m.text for m in service.messages(conversation_id)] == ["你好"]
        run(qtbot, qloop, customer.disconnect())
    finally:
        close(qtbot, app)
        hub.stop()


def test_damaged_cache_is_rebuilt_and_the_agent_is_told(
    qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess, tmp_path: Path
) -> None:
    first = make_desktop(qapp, hub, tmp_path)
    signed_in(qtbot, first)
    customer = SimCustomer(hub.customer_ws_url, name="Wu Fang")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("还在吗"))
    assert first.signed is not None
    model = first.signed.window.inbox.inbox_model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=15_000)
    path = first.signed.cache.path
    assert path is not None
    close(qtbot, first)
    path.write_bytes(b"this is not a database" * 100)

    second = make_desktop(qapp, hub, tmp_path)  # the stored token: no sign-in dialog
    try:
        assert second.signed is not None
        window = second.signed.window
        assert window.notice_bar.isVisibleTo(window)
        assert "could not be read" in window.notice_bar.label.text()
        assert list(path.parent.glob(path.name + ".broken-*"))
        # rebuilt from the hub by a snapshot
        qtbot.waitUntil(lambda: window.inbox.inbox_model.rowCount() == 1, timeout=15_000)
    finally:
        close(qtbot, second)
        run(qtbot, qloop, customer.disconnect())


def hub_has_store_mode() -> bool:
    return "record_visit" in (ROOT / "hub" / "service.py").read_text()


@pytest.mark.skipif(not hub_has_store_mode(), reason="the hub has no record_visit yet")
def test_store_mode_lookup_and_walk_in_visit_offline(
    qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess, tmp_path: Path
) -> None:
    app = make_desktop(qapp, hub, tmp_path, Preferences(store_tag=STORE_TAG))
    try:
        signed_in(qtbot, app)
        signed = app.signed
        assert signed is not None
        service, window = signed.service, signed.window
        with sqlite3.connect(hub.db_path) as db:
            tagged = db.execute("SELECT COUNT(*) FROM customer_tags WHERE tag=?",
                                [STORE_TAG]).fetchone()[0]
            cid, name = db.execute(
                "SELECT c.id, c.name FROM customers c JOIN customer_tags t "
                "ON t.customer_id=c.id WHERE t.tag=? ORDER BY c.id LIMIT 1", [STORE_TAG]
            ).fetchone()
            email = db.execute("SELECT value FROM identities WHERE customer_id=? "
                               "AND kind='email'", [cid]).fetchone()[0]
        assert tagged > 0
        qtbot.waitUntil(lambda: service.directory.count() == tagged and not
                        service.directory.busy, timeout=15_000)

        port = hub.port
        hub.stop()
        qtbot.waitUntil(lambda: window.offline_banner.isVisibleTo(window), timeout=15_000)
        window.walk_in_requested.emit()
        dialog = signed.walk_in
        assert dialog is not None and dialog.isVisible()
        dialog.search.setText(email[2:9])  # a piece of the email address
        qtbot.waitUntil(lambda: dialog.results.count() >= 1, timeout=5_000)
        assert dialog.select_customer(cid)
        assert dialog.profile.findChildren(type(dialog.status))  # the profile shows
        dialog.note.setPlainText("Picked up a repaired kettle; asked about the warranty.")
        assert dialog.record.isEnabled()
        dialog.record.click()
        assert "back online" in dialog.outcome.text()
        [visit] = [p for p in service.customer_profile(cid).recent  # type: ignore[union-attr]
                   if p.channel is Channel.STORE]
        assert service.outbox_size() == 1
        shot(dialog, "walk-in.png")

        hub.start(port=port)
        service.reconnect_now()
        qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE,
                        timeout=15_000)
        qtbot.waitUntil(lambda: service.outbox_size() == 0, timeout=15_000)
        with sqlite3.connect(hub.db_path) as db:
            stored = db.execute(
                "SELECT c.channel, c.status, m.text FROM conversations c JOIN messages m "
                "ON m.conversation_id=c.id WHERE c.id=?", [visit.id]).fetchall()
        assert stored == [("store", "closed",
                           "Picked up a repaired kettle; asked about the warranty.")]
        # the hub's copy of the note replaced ours; the visit shows in the history
        qtbot.waitUntil(lambda: all(not m.id.startswith(VISIT_NOTE_PREFIX)
                                    for m in service.messages(visit.id)), timeout=10_000)
        [note] = service.messages(visit.id)
        assert note.status is MessageStatus.SENT
        profile = service.customer_profile(cid)
        assert profile is not None and visit.id in [p.id for p in profile.recent]
        assert name
    finally:
        close(qtbot, app)
