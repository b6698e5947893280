"""Easy mode at 200 % text on a 1366×768 screen: high contrast, larger click targets,
fewer panels, and nothing the agent works with cut off; remembered between starts.

The real desktop against a real hub, a chat open and a second one offered. With
``ZUOXI_SCREENSHOTS=DIR`` the window is saved as a PNG for looking at.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QWidget

from core.protocol.models import Presence
from core.session.preferences import ThemeName
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config, wait_offer
from ui.settings.settings_dialog import SettingsDialog
from ui.shell.main_window import MainWindow
from ui.widgets.theme import EASY_TARGET_PX, apply_theme, load_theme

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")


def inside(window: MainWindow, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def test_easy_mode_at_200_percent_fits_1366x768(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    dialog = SettingsDialog(settings.preferences())
    qtbot.addWidget(dialog)
    dialog.easy_mode.setChecked(True)
    assert dialog.font_scale.currentData() == 150  # turning it on makes text larger
    dialog.font_scale.setCurrentIndex(dialog.font_scale.findData(200))
    settings.save_preferences(dialog.preferences())

    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data", language="en"),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    assert (app.theme.name, app.theme.scale, app.theme.easy) == (ThemeName.CONTRAST, 2.0, True)
    apply_theme(qapp, app.theme)
    app.start()
    customers: list[SimCustomer] = []
    try:
        sign_in(qtbot, app)
        assert app.signed is not None
        window = app.signed.window
        assert window.easy_mode and not window.side_panels.isVisible()
        assert not window.queue_dock.isVisible()
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        first = SimCustomer(hub.customer_ws_url, name="王芳")
        second = SimCustomer(hub.customer_ws_url, name="Tom Baker")
        customers += [first, second]
        run(qtbot, qloop, first.connect())
        run(qtbot, qloop, first.send("你好，我的订单三天了还没发货，能帮我查一下吗？"))
        accept_offer(qtbot, window, first.conversation_id)
        panel = window.current_panel()
        assert panel is not None
        panel.composer.setPlainText("您好，我来帮您查一下。")
        panel.send()
        run(qtbot, qloop, second.connect())
        run(qtbot, qloop, second.send("Hi, I was charged twice for order 4471."))
        wait_offer(qtbot, window, second.conversation_id)

        window.resize(1366, 768)
        qtbot.waitUntil(lambda: (window.width(), window.height()) == (1366, 768),
                        timeout=5_000)
        qtbot.wait(600)  # the toast follows the resize on its next tick
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, f"minimum {hint}"
        for widget in (window.status_bar.presence_control, window.offer_toast, window.inbox,
                       panel, panel.composer):
            assert widget.isVisible() and inside(window, widget), (
                f"{type(widget).__name__} cut off")
        # larger click targets: every visible button of the offer and the chat
        for button in (*window.offer_toast.findChildren(QAbstractButton),
                       *panel.findChildren(QAbstractButton)):
            if button.isVisible():
                assert button.height() >= EASY_TARGET_PX * 2 - 8, (
                    f"{button.text() or button.objectName()}: {button.height()} px")
                assert inside(window, button), f"{button.text()} cut off"
        assert window.inbox.sizeHintForRow(0) == 136  # rows grow with the text
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(SHOTS) / "easy-mode-200-1366x768.png"))
        for customer in customers:
            run(qtbot, qloop, customer.disconnect())
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        apply_theme(qapp, load_theme(ThemeName.LIGHT))
