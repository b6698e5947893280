"""A hub remembered from an earlier ``--hub`` that no longer answers: the sign-in
dialog says where the server comes from, offers the local demo hub and Quit, and
Escape quits.

The desktop starts as ``zuoxi`` without flags does after ``--hub
http://127.0.0.1:1``: ``choose_hub`` reads the remembered address from the settings.
"Use the local demo hub" starts the real local hub (a ``hub serve`` child process),
signs in as the demo agent and prints the widget's address.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.main import build_parser, choose_hub
from desktop.settings import Settings

DEAD_HUB = "http://127.0.0.1:1"


def remembered_start(qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                     ) -> tuple[DesktopApp, Settings]:
    settings = Settings(tmp_path / "settings.ini")
    first = build_parser().parse_args(["--hub", DEAD_HUB])
    choose_hub(first, DEAD_HUB, settings, settings.preferences().hub_url)  # remembered
    plain = build_parser().parse_args([])
    hub_url, remembered = choose_hub(plain, None, settings, settings.preferences().hub_url)
    assert (hub_url, remembered) == (DEAD_HUB, True)
    assert DEAD_HUB in capsys.readouterr().out  # the console says which hub and why
    app = DesktopApp(qapp, Options(hub_url=hub_url, data_dir=tmp_path / "data", language="en",
                                   hub_remembered=remembered),
                     settings, CredentialStore())
    app.start()
    return app, settings


def quit_app(qtbot: Any, app: DesktopApp) -> None:
    finished: list[int] = []
    app.finished.connect(finished.append)
    app.quit()
    qtbot.waitUntil(lambda: bool(finished), timeout=20_000)


def test_escape_quits_the_sign_in_for_a_remembered_dead_hub(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    app, _settings = remembered_start(qapp, tmp_path, capsys)
    finished: list[int] = []
    app.finished.connect(finished.append)
    dialog = app.login
    assert dialog is not None and dialog.isVisible()
    assert dialog.server.text() == DEAD_HUB
    assert "remembered" in dialog.notice.text()
    assert dialog.demo.isVisible() and dialog.cancel.text() == "Quit"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
    assert not dialog.isVisible()
    dialog.deleteLater()


def test_the_quit_button_quits(qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
                               tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app, _settings = remembered_start(qapp, tmp_path, capsys)
    finished: list[int] = []
    app.finished.connect(finished.append)
    dialog = app.login
    assert dialog is not None
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
    dialog.deleteLater()


def test_back_to_the_local_demo_hub_from_a_remembered_dead_hub(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], memory_keyring: Any) -> None:
    app, settings = remembered_start(qapp, tmp_path, capsys)
    try:
        dialog = app.login
        assert dialog is not None
        qtbot.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)
        # the local hub starts, the demo agent is signed in, the widget's address printed
        qtbot.waitUntil(lambda: app.signed is not None and app.signed.window.isVisible(),
                        timeout=30_000)
        assert app.signed is not None
        service = app.signed.service
        qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE,
                        timeout=30_000)
        assert not dialog.isVisible()
        assert app.widget_url.startswith("http://127.0.0.1:")
        assert f"customers chat at {app.widget_url}" in capsys.readouterr().out
        assert app.signed.window.status_bar.widget_link.isVisible()
        # the demo hub's database lies plain beside it: its cache is not encrypted, and
        # no key was asked of the keyring before the window
        assert not app.signed.cache.encrypted
        assert not [k for k in memory_keyring.store if k[1].startswith("cache-key")]
        # forgotten: the next plain start is the local demo again
        assert settings.hub_url == ""
        plain = build_parser().parse_args([])
        assert choose_hub(plain, None, settings, settings.preferences().hub_url) == (None, False)
    finally:
        quit_app(qtbot, app)
        if app.login is not None:
            app.login.deleteLater()
