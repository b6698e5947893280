"""Consulting a colleague about a widget call from the main window, with the keyboard,
against a real hub: the customer simulator's aiortc phone calls, 李娜 answers in the
window, Consult… (Ctrl+Shift+I) offers the colleagues, Enter calls Alex (a second
agent's call engine), the legs row follows each leg; Conference (Ctrl+Shift+Y) then
Complete transfer (Ctrl+Shift+X) leave the customer talking to Alex.

Runs in a private network namespace (aioice ignores loopback). 李娜's audio goes
through the desktop's device layer, which finds no device here (silence); Alex and
the customer play tones, so what each hears is checked."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.cache.cache import Cache
from core.call.analysis import tone_ratio
from core.call.audio_devices import AudioHost
from core.call.audio_io import RecordingSink, ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.preferences import AudioPreferences
from core.chat.preferences import SendKey
from core.protocol import call as cl
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from core.sip.consultation import ConsultationState, LegState
from desktop.call_audio import CallAudio
from hub.demo.simulator import SimCustomer
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.ui.conftest import run
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import apply_theme, load_theme

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a directory: save what the window looks like
CUSTOMER_HZ, COLLEAGUE_HZ = 440.0, 660.0


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def _hears(recording: RecordingSink, freq: float) -> bool:
    return tone_ratio(recording.samples(0.5), freq) >= 0.15


def _shortcut(qtbot: Any, window: MainWindow, key: Qt.Key) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)


def test_consult_conference_and_transfer_a_widget_call_from_the_keyboard(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, call_hub: HubProcess,
    media_thread: MediaThread,
) -> None:
    audio = CallAudio(AudioHost(), AudioPreferences())

    async def lina_up() -> CallAgent:
        agent = await CallAgent.logged_in(call_hub.url, media_thread)
        agent.engine.source_factory = audio.source_for  # the desktop's device layer
        return agent

    lina = run(qtbot, qloop, lina_up())
    theme = load_theme(ThemeName.LIGHT)
    apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
    window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme, SendKey.ENTER)
    qtbot.addWidget(window)
    window.attach_calls(lina.manager, audio)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()

    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = run(qtbot, qloop, phone.call())
    qtbot.waitUntil(window.call_toast.isVisible, timeout=10_000)
    qtbot.mouseClick(window.call_toast.answer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lina.manager.calls[call_id].state is CallState.ACTIVE,
                    timeout=15_000)
    alex = run(qtbot, qloop, CallAgent.logged_in(call_hub.url, media_thread, "alex",
                                                 tone_hz=COLLEAGUE_HZ, accept_offers=False))
    assert alex.probe.welcome is not None
    panel = window.call_panel
    # The colleagues come from the hub's routing config (here: given directly).
    panel.set_transfer_targets([(alex.probe.welcome.agent.id, "Alex")], [])
    qtbot.waitUntil(lambda: panel.call_id == call_id and panel.consult_button.isEnabled())
    assert panel.consult_button.isVisible()

    # Consult… offers the colleagues; Enter calls the first one.
    _shortcut(qtbot, window, Qt.Key.Key_I)
    qtbot.waitUntil(panel.consult_menu.isVisible)
    assert [a.text() for a in panel.consult_menu.actions()
            if a.isEnabled() and not a.isSeparator()] == ["Alex"]
    qtbot.keyClick(panel.consult_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: call_id in lina.manager.consultations, timeout=10_000)
    consultation = lina.manager.consultations[call_id]
    qtbot.waitUntil(lambda: panel.legs_row.isVisible()
                    and panel.consult_leg.text() == "Alex · ringing", timeout=10_000)
    assert panel.customer_leg.text() == "Customer · on hold"
    assert panel.back_button.text() == "Cancel consult"
    assert not panel.hold_button.isEnabled() and not panel.transfer_button.isEnabled()

    leg = run(qtbot, qloop, alex.wait_ringing())
    assert leg.consult_for == call_id
    run(qtbot, qloop, alex.manager.answer(leg.call_id))
    qtbot.waitUntil(lambda: panel.consult_leg.text() == "Alex · connected", timeout=15_000)
    assert panel.complete_button.isEnabled() and panel.conference_button.isEnabled()
    assert panel.state.text().startswith("Consulting — the customer is on hold")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(SHOTS) / "widget-consult-1366x768-en.png"))

    _shortcut(qtbot, window, Qt.Key.Key_Y)  # Conference
    qtbot.waitUntil(lambda: consultation.state is ConsultationState.CONFERENCE)
    qtbot.waitUntil(lambda: panel.customer_leg.text() == "Conference · Customer · connected",
                    timeout=10_000)
    assert not panel.conference_button.isEnabled() and panel.complete_button.isEnabled()
    # The customer hears Alex through 李娜's mix; Alex hears the customer.
    qtbot.waitUntil(lambda: _hears(phone.recording, COLLEAGUE_HZ), timeout=15_000)
    qtbot.waitUntil(lambda: _hears(alex.recordings[leg.call_id], CUSTOMER_HZ),
                    timeout=15_000)
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "widget-conference-1366x768-en.png"))

    _shortcut(qtbot, window, Qt.Key.Key_X)  # Complete transfer: 李娜 leaves
    qtbot.waitUntil(lambda: lina.manager.calls[call_id].state is CallState.ENDED,
                    timeout=10_000)
    assert lina.manager.calls[call_id].end_reason == cl.CallEndReason.TRANSFERRED
    assert consultation.consult is LegState.ENDED
    qtbot.waitUntil(lambda: not panel.isVisible())
    qtbot.waitUntil(lambda: (c := alex.manager.calls.get(call_id)) is not None
                    and c.state is CallState.ACTIVE, timeout=15_000)
    qtbot.waitUntil(lambda: _hears(phone.recording, COLLEAGUE_HZ)
                    and _hears(alex.recordings[call_id], CUSTOMER_HZ), timeout=15_000)
    desk = window.call_desk
    assert desk is not None
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible())

    run(qtbot, qloop, customer.disconnect())
    run(qtbot, qloop, alex.close())
    run(qtbot, qloop, lina.close())
    audio.shutdown()
