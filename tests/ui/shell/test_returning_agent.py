"""A returning agent who did not sign out sees the window before the keyring is read.

Importing ``keyring`` and finding its backend takes 100-350 ms; the token is only
needed to connect, so after a sign-in the settings note whose token the keyring
holds (never the token) and the next start draws the window from the cache, then
reads the token on a worker thread. After a sign-out, or when the keyring lost
the token, the sign-in dialog comes first again, as before.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from hub.process import HubProcess
from tests.ui.conftest import MemoryKeyring
from tests.ui.desktop_runner import sign_in


class GatedKeyring(MemoryKeyring):
    """Holds every token read until the test opens the gate; notes the reading
    thread. The cache's encryption key (desktop/cache_keys.py) is read at once."""

    def __init__(self, store: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.store = store
        self.gate = threading.Event()
        self.read_on: list[threading.Thread] = []

    def get_password(self, service: str, username: str) -> str | None:
        if username.startswith("cache-key"):  # the cache's key: read before the window
            return super().get_password(service, username)
        self.read_on.append(threading.current_thread())
        assert self.gate.wait(30), "the test never opened the gate"
        return super().get_password(service, username)


def token_in(memory: MemoryKeyring) -> str:
    [token] = [v for (_service, account), v in memory.store.items()
               if not account.startswith("cache-key")]
    return token


def start(qapp: Any, hub: HubProcess, tmp_path: Path) -> DesktopApp:
    options = Options(hub_url=hub.url, data_dir=tmp_path / "data", language="en")
    app = DesktopApp(qapp, options, Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    return app


def stop(qtbot: Any, app: DesktopApp) -> None:
    done: list[int] = []
    app.finished.connect(done.append)
    app.quit()
    qtbot.waitUntil(lambda: bool(done), timeout=15_000)
    if app.login is not None:
        app.login.deleteLater()


@pytest.fixture
def signed_in_before(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
                     tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Settings]:
    """An agent signed in once (the token went to the keyring) and quit."""
    first = start(qapp, hub, tmp_path)
    sign_in(qtbot, first)
    stop(qtbot, first)
    settings = Settings(tmp_path / "settings.ini")
    assert settings.token_kept(hub.url, "lina") and memory_keyring.store
    yield settings


def test_the_window_is_shown_before_the_keyring_is_read(
        qapp: Any, qtbot: Any, hub: HubProcess, tmp_path: Path,
        signed_in_before: Settings, memory_keyring: MemoryKeyring) -> None:
    gated = GatedKeyring(memory_keyring.store)
    keyring.set_keyring(gated)  # the memory_keyring fixture restores the old one
    app = start(qapp, hub, tmp_path)
    try:
        assert app.signed is not None and app.login is None
        window = app.signed.window
        qtbot.waitUntil(lambda: window.was_shown and bool(gated.read_on), timeout=15_000)
        # on screen while the keyring still holds the token back, read off the GUI thread
        assert window.isVisible() and app.signed.token is None
        assert gated.read_on[0] is not threading.main_thread()
        gated.gate.set()
        service = app.signed.service
        qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE,
                        timeout=15_000)
        assert app.signed.token == token_in(memory_keyring)
    finally:
        gated.gate.set()
        stop(qtbot, app)


def test_a_token_gone_from_the_keyring_brings_the_sign_in_back(
        qapp: Any, qtbot: Any, hub: HubProcess, tmp_path: Path,
        signed_in_before: Settings, memory_keyring: MemoryKeyring) -> None:
    for key in [k for k in memory_keyring.store if not k[1].startswith("cache-key")]:
        del memory_keyring.store[key]  # the token only: the cache's key stays
    app = start(qapp, hub, tmp_path)
    try:
        qtbot.waitUntil(lambda: app.login is not None and app.login.isVisible(),
                        timeout=15_000)
        assert app.login is not None and "sign in again" in app.login.notice.text()
        assert not Settings(tmp_path / "settings.ini").token_kept(hub.url, "lina")
        sign_in(qtbot, app)  # the same window carries on
        assert Settings(tmp_path / "settings.ini").token_kept(hub.url, "lina")
    finally:
        stop(qtbot, app)


def test_after_a_sign_out_the_sign_in_comes_first(
        qapp: Any, qtbot: Any, hub: HubProcess, tmp_path: Path,
        signed_in_before: Settings, memory_keyring: MemoryKeyring) -> None:
    app = start(qapp, hub, tmp_path)
    assert app.signed is not None
    qtbot.waitUntil(lambda: app.signed is not None
                    and app.signed.service.connection.state is ConnectionState.ONLINE,
                    timeout=15_000)
    app.signed.window.sign_out_requested.emit()
    qtbot.waitUntil(lambda: app.signed is None and app.login is not None
                    and app.login.isVisible(), timeout=15_000)
    stop(qtbot, app)
    assert not Settings(tmp_path / "settings.ini").token_kept(hub.url, "lina")

    again = start(qapp, hub, tmp_path)
    try:
        # nothing of the signed-out agent's cache is drawn before a sign-in
        assert again.signed is None
        assert again.login is not None and again.login.isVisible()
    finally:
        stop(qtbot, again)
