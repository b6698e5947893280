"""The whole desktop against a real hub with its cache encrypted at rest: the key in
the keyring and nowhere on disk, and a key that does not open the cache (changed, or
gone) is a choice for the agent, re-sync or quit, never a crash."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.cache import cipher
from core.cache.cipher import CacheKey
from core.sync.client import ConnectionState
from desktop.app import DesktopApp
from hub.process import HubProcess
from tests.ui.desktop_runner import new_desktop, running_desktop, sign_in
from ui.shell.cache_locked_dialog import CacheLockedDialog


def _cache_file(app: DesktopApp) -> Path:
    assert app.signed is not None
    path = app.signed.cache.path
    assert path is not None
    return path


def _key_entries(memory_keyring: Any) -> dict[tuple[str, str], str]:
    return {k: v for k, v in memory_keyring.store.items() if k[1].startswith("cache-key")}


def _first_session(qapp: Any, qtbot: Any, hub: HubProcess, tmp_path: Path) -> Path:
    """Sign in once, take the hub's snapshot, quit: an encrypted cache with a seq."""
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app)
        assert app.signed is not None
        cache = app.signed.cache
        qtbot.waitUntil(lambda: cache.last_seq() is not None, timeout=15_000)
        path = _cache_file(app)
        assert app.signed.cache.encrypted
    return path


@pytest.fixture
def second_start(qapp: Any, qtbot: Any, hub: HubProcess,
                 tmp_path: Path) -> Iterator[list[DesktopApp]]:
    started: list[DesktopApp] = []
    yield started
    for app in started:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)  # noqa: B023


def test_the_cache_is_encrypted_and_its_key_only_in_the_keyring(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
        tmp_path: Path, memory_keyring: Any) -> None:
    path = _first_session(qapp, qtbot, hub, tmp_path)
    [(account, key_hex)] = _key_entries(memory_keyring).items()
    assert account == ("zuoxi", f"cache-key:{path.name}")
    assert not cipher.is_plain(path)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM conversations").fetchall()
    # The key is nowhere in the data folder or the settings, as text or as bytes.
    key = bytes.fromhex(key_hex)
    for file in [*tmp_path.rglob("*")]:
        if file.is_file():
            data = file.read_bytes()
            assert key_hex.encode() not in data and key not in data, file


def _locked_start(qapp: Any, qtbot: Any, hub: HubProcess, tmp_path: Path,
                  started: list[DesktopApp]) -> tuple[DesktopApp, CacheLockedDialog]:
    app = new_desktop(qapp, hub.url, tmp_path)  # the remembered hub and token
    started.append(app)
    qtbot.waitUntil(lambda: app.cache_locked_dialog is not None
                    and app.cache_locked_dialog.isVisible(), timeout=15_000)
    assert app.signed is None  # no window over a cache that cannot be read
    dialog = app.cache_locked_dialog
    assert dialog is not None
    return app, dialog


def test_a_wrong_key_offers_a_resync_that_rebuilds_from_the_hub(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
        tmp_path: Path, memory_keyring: Any, second_start: list[DesktopApp]) -> None:
    path = _first_session(qapp, qtbot, hub, tmp_path)
    [account] = _key_entries(memory_keyring)
    memory_keyring.store[account] = CacheKey.generate().hex()  # not the file's key
    before = path.read_bytes()

    app, dialog = _locked_start(qapp, qtbot, hub, tmp_path, second_start)
    assert "does not open it" in dialog.headline.text()
    assert path.read_bytes() == before  # nothing changed while the agent decides
    qtbot.mouseClick(dialog.resync, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: app.signed is not None and app.signed.window.isVisible(),
                    timeout=15_000)
    assert app.signed is not None
    service = app.signed.service
    qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE, timeout=15_000)
    cache = app.signed.cache
    qtbot.waitUntil(lambda: cache.last_seq() is not None, timeout=15_000)  # a snapshot
    assert app.signed.cache.encrypted
    notice = app.signed.window.notice_bar.label.text()
    assert "could not be unlocked" in notice and ".broken-" in notice
    [aside] = path.parent.glob(f"{path.name}.broken-*")
    assert aside.read_bytes() == before  # kept: the old key may still turn up


def test_a_missing_key_offers_quit_which_changes_nothing(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
        tmp_path: Path, memory_keyring: Any, second_start: list[DesktopApp]) -> None:
    path = _first_session(qapp, qtbot, hub, tmp_path)
    for account in _key_entries(memory_keyring):
        del memory_keyring.store[account]
    before = path.read_bytes()

    app, dialog = _locked_start(qapp, qtbot, hub, tmp_path, second_start)
    assert "not in this computer's keyring" in dialog.headline.text()
    finished: list[int] = []
    app.finished.connect(finished.append)
    qtbot.mouseClick(dialog.quit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
    second_start.clear()
    assert finished == [0] and app.signed is None
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.broken-*"))
    assert _key_entries(memory_keyring) == {}  # no key made for a file it cannot open


def test_a_plain_cache_from_before_is_encrypted_keeping_its_state(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
        tmp_path: Path, memory_keyring: Any, second_start: list[DesktopApp]) -> None:
    path = _first_session(qapp, qtbot, hub, tmp_path)
    [account] = _key_entries(memory_keyring)
    # Make it what an earlier version left: plain, and no key in the keyring.
    key = CacheKey.from_hex(memory_keyring.store.pop(account))
    conn = cipher.connect(path, key)
    seq = conn.execute("SELECT value FROM sync_state WHERE key='last_seq'").fetchone()[0]
    plain = path.with_name("plain.sqlite3")
    conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')").fetchall()
    conn.execute("DETACH DATABASE plain")
    conn.close()
    plain.replace(path)
    assert cipher.is_plain(path)

    app = new_desktop(qapp, hub.url, tmp_path)
    second_start.append(app)
    # Encrypted on a worker thread: meanwhile a window says so and shows how far it
    # is, and the main window waits for it.
    progress = app.cache_encryption_window
    assert progress is not None and progress.isVisible() and app.signed is None
    assert "Writing the encrypted copy" in progress.stage.text()
    seen: list[tuple[int, str]] = []
    progress.bar.valueChanged.connect(lambda value: seen.append((value, progress.stage.text())))
    qtbot.waitUntil(lambda: app.signed is not None and app.signed.window.isVisible(),
                    timeout=15_000)
    assert app.cache_encryption_window is None
    assert seen and seen[-1] == (1000, "Done. Opening Zuoxi…")
    assert [v for v, _ in seen] == sorted(v for v, _ in seen)  # never backwards
    assert app.signed is not None and app.signed.cache.encrypted
    assert app.signed.cache.state("last_seq") == seq  # resumed, not a snapshot
    assert not cipher.is_plain(path)
    assert set(_key_entries(memory_keyring)) == {account}
