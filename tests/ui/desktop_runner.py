"""The whole desktop (``DesktopApp``) against a hub for GUI tests: started with a
fresh data folder and settings, quit and waited for at the end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings


def new_desktop(qapp: Any, hub_url: str, tmp_path: Path) -> DesktopApp:
    options = Options(hub_url=hub_url, data_dir=tmp_path / "data", language="en")
    app = DesktopApp(qapp, options, Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    return app


@contextmanager
def running_desktop(qapp: Any, qtbot: Any, hub_url: str, tmp_path: Path) -> Iterator[DesktopApp]:
    app = new_desktop(qapp, hub_url, tmp_path)
    try:
        yield app
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        if app.login is not None:
            app.login.deleteLater()


def sign_in(qtbot: Any, app: DesktopApp, username: str = "lina",
            password: str = "zuoxi-demo") -> None:
    """Sign in through the real dialog; returns once the window shows and routing is known."""
    dialog = app.login
    assert dialog is not None
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.signed is not None and app.signed.window.isVisible(),
                    timeout=15_000)
    assert app.signed is not None
    service = app.signed.service
    qtbot.waitUntil(lambda: service.connection.state is ConnectionState.ONLINE, timeout=15_000)
    qtbot.waitUntil(lambda: service.routing.config() is not None, timeout=15_000)

