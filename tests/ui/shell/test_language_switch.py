"""The language changes in Settings without a restart: the window comes back in the
new language, signed in to the same hub, the conversation still there."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale

from core.protocol.models import Presence
from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import sign_in
from tests.ui.routing_helpers import accept_offer, routing_config


def menu_titles(app: DesktopApp) -> list[str]:
    assert app.signed is not None
    return [action.text() for action in app.signed.window.menuBar().actions()]


def test_switching_to_chinese_and_back_without_restart(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    previous_locale = QLocale()
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data", language="en"),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.translators = install_translators(qapp, "en")
    app.start()
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    try:
        sign_in(qtbot, app)
        assert app.signed is not None
        assert menu_titles(app)[0] == "&File"
        app.signed.window.choose_presence(Presence.AVAILABLE)
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("你好，在吗？"))
        accept_offer(qtbot, app.signed.window, customer.conversation_id)
        first_window = app.signed.window

        for language, file_menu in (("zh_TW", "檔案(&F)"), ("zh_CN", "文件(&F)"), ("en", "&File")):
            app._apply_preferences(replace(app.preferences, language=language))
            qtbot.waitUntil(lambda m=file_menu: app.signed is not None
                            and app.signed.window.isVisible() and menu_titles(app)[0] == m,
                            timeout=15_000)
            service = app.signed.service
            qtbot.waitUntil(lambda s=service: s.connection.state is ConnectionState.ONLINE,
                            timeout=15_000)
            assert app.signed.window is not first_window
            assert service.conversation(customer.conversation_id) is not None  # still there
        assert Settings(tmp_path / "settings.ini").preferences().language == "en"
        run(qtbot, qloop, customer.disconnect())
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        for translator in app.translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)
