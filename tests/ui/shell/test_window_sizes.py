"""The desktop at 1280×720, 1366×768 and 1920×1080, in English and Chinese: the window
keeps the size of the screen (never wider), the presence control, the side panel, the
queue dock and a ringing offer are wholly visible, and the queue dock is not crushed.

The real desktop against a real hub, with a chat open and a second one offered. With
``ZUOXI_SCREENSHOTS=DIR`` every size is also saved as a PNG (for looking at, and for
the docs).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect
from PySide6.QtWidgets import QWidget

from core.protocol.models import Presence
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config, wait_offer
from ui.shell.main_window import MainWindow

SIZES = ((1280, 720), (1366, 768), (1920, 1080))
SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")
QUEUE_DOCK_MIN = 200  # narrower than this the queue names and counts are cut


def inside(window: MainWindow, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_screen_size_shows_the_whole_window(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path, language: str) -> None:
    previous_locale = QLocale()
    translators = install_translators(qapp, language)
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data",
                                   language=language),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    customers: list[SimCustomer] = []
    try:
        sign_in(qtbot, app)
        assert app.signed is not None
        window = app.signed.window
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
        window.queue_dock.show()
        stats = window.queue_dock.view
        qtbot.waitUntil(lambda: "1" in stats.summary.text(), timeout=10_000)  # 1 waiting

        for width, height in SIZES:
            window.resize(width, height)
            qtbot.waitUntil(lambda w=width, h=height: window.width() == w
                            and window.height() == h, timeout=5_000)
            qtbot.wait(600)  # the toast follows the resize on its next tick
            where = f"{width}×{height} {language}"
            hint = window.minimumSizeHint()
            assert hint.width() <= 1280 and hint.height() <= 720, f"{where}: minimum {hint}"
            for widget in (window.status_bar.presence_control, window.customer_panel,
                           window.offer_toast, window.queue_dock, window.inbox):
                assert widget.isVisible() and inside(window, widget), (
                    f"{where}: {type(widget).__name__} cut off")
            assert window.queue_dock.width() >= QUEUE_DOCK_MIN, (
                f"{where}: queue dock {window.queue_dock.width()} px")
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                window.grab().save(str(Path(SHOTS) / f"window-{width}x{height}-{language}.png"))
        for customer in customers:
            run(qtbot, qloop, customer.disconnect())
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)

