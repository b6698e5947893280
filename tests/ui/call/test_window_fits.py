"""The main window stays within a 1600 px screen through a call on a machine without
an audio device, and its minimum size fits 1280×720.

The whole desktop (its own media thread and device layer, which finds no device here)
takes a real call from a simulated customer through a real hub, inside a private
network namespace (aioice ignores loopback).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from core.call.audio_io import ToneSource
from core.protocol.models import Presence
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop
from tests.ui.shell.test_desktop_flow import signed_in
from ui.shell.main_window import MainWindow

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs
SCREEN_W = 1600
STATUS_BAR_MIN_W = 640  # connection, agent name and presence control, texts elided


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def call_desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, call_hub: HubProcess,
                 tmp_path: Path) -> Iterator[DesktopApp]:
    with running_desktop(qapp, qtbot, call_hub.url, tmp_path) as app:
        yield app


async def _until(predicate: Callable[[], object], timeout: float = 10) -> None:
    async def poll() -> None:
        while not predicate():  # noqa: ASYNC110 - set by the phone's frames
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)


def inside(window: MainWindow, widget: QWidget) -> bool:
    """The widget is drawn wholly inside the window."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def check_fits(qtbot: Any, window: MainWindow, moment: str) -> None:
    qtbot.wait(0)  # layouts settle on posted events
    hint = window.minimumSizeHint()
    assert window.width() <= SCREEN_W, f"{moment}: window {window.width()} px wide"
    assert window.minimumWidth() <= 1280 and hint.width() <= 1280, (
        f"{moment}: minimum width {max(window.minimumWidth(), hint.width())}")
    assert hint.height() <= 720, f"{moment}: minimum height {hint.height()}"
    # long status texts elide: what the status bar says never sets the window's width
    bar = window.status_bar.minimumSizeHint().width()
    assert bar <= STATUS_BAR_MIN_W, f"{moment}: the status bar needs {bar} px"
    for widget in (window.status_bar.presence_control, window.customer_panel):
        assert inside(window, widget), f"{moment}: {widget.objectName()} cut off"


def test_window_stays_within_the_screen_through_a_silent_call(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, call_hub: HubProcess,
    call_desktop: DesktopApp,
) -> None:
    signed_in(qtbot, call_desktop)
    signed = call_desktop.signed
    assert signed is not None
    window, service = signed.window, signed.service
    window.resize(SCREEN_W - 6, 1000 - 60)  # maximised on a 1600×1000 screen
    check_fits(qtbot, window, "after sign-in")
    # no audio device here: the desktop says so once its call machinery is attached
    # (after the first paint and the catch-up, on a worker thread)
    qtbot.waitUntil(window.status_bar.notice.isVisible, timeout=15_000)

    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    phone = customer.phone_with(ToneSource(440))
    run(qtbot, qloop, phone.call())
    qtbot.waitUntil(window.call_toast.isVisible, timeout=15_000)
    check_fits(qtbot, window, "ringing")
    window.answer_call_or_offer()
    run(qtbot, qloop, asyncio.wait_for(phone.answered.wait(), 15))
    panel = window.call_panel
    qtbot.waitUntil(lambda: panel.isVisible() and "MOS" in panel.quality.text(), timeout=15_000)
    check_fits(qtbot, window, "in the call")

    desk = window.call_desk
    assert desk is not None
    # The demo hotline records on demand: Record, from the Call menu's shortcut path.
    assert panel.record_button.isVisible()
    desk.toggle_recording()
    qtbot.waitUntil(lambda: "recording" in panel.state.text(), timeout=10_000)
    run(qtbot, qloop, _until(lambda: phone.recorded))  # the widget was told
    assert panel.record_button.text() == "Stop &recording"
    check_fits(qtbot, window, "recording")
    for size in ((1366, 768), (1920, 1080)):
        window.resize(*size)
        qtbot.wait(50)
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / f"call_recording_{size[0]}x{size[1]}.png"))
    window.resize(SCREEN_W - 6, 1000 - 60)
    call_id = panel.call_id
    assert call_id is not None and call_desktop.calls is not None
    recorder = call_desktop.calls.media.recorder(call_id)
    # A second recorded after the announcement (1.4 s) has played.
    qtbot.waitUntil(lambda: recorder is not None and recorder.queued >= 50, timeout=10_000)
    desk.hang_up()
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible(),
                    timeout=10_000)
    qtbot.waitUntil(lambda: service.presence() is Presence.AFTER_CALL_WORK, timeout=10_000)
    check_fits(qtbot, window, "after-call work")
    dialog = desk.wrap_up
    assert dialog is not None
    dialog.save()
    check_fits(qtbot, window, "after the wrap-up")
    # The recording went from the desktop's outbox to the hub.
    qtbot.waitUntil(lambda: bool(hub_rows(call_hub.db_path, "SELECT channels FROM "
                                          "call_recordings WHERE call_id = :c", c=call_id)),
                    timeout=20_000)
    run(qtbot, qloop, customer.disconnect())
