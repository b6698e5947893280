"""Consulting from the window on a telephone call: the call panel's Consult…,
Conference, Back to customer and Complete transfer drive the desktop's SIP line
(``CallManager`` → ``SipLine`` → ``SipCalls``) against Kamailio + rtpengine and two
sipp far phones, the customer (440 Hz) and the colleague at 3000 (660 Hz); the
agent's engine sends 1000 Hz. Each far phone's recorder says what its party hears.

Inside a network namespace the test creates (PBX, far phones, hub, agent engine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.cache.cache import Cache
from core.call.audio_devices import AudioHost
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.preferences import AudioPreferences
from core.call.sip_line import SipLine
from core.chat.preferences import SendKey
from core.protocol import call as cl
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from core.sip.events import RegistrationState
from core.sip.registrator import Account
from desktop.call_audio import CallAudio
from testbed import sipp_scenarios
from testbed.agent_probe import eventually
from testbed.call_agent import CallAgent
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from testbed.sipp import Sipp
from tests.conftest import HubProcess
from tests.integration.test_sip_consult import (
    AGENT_HZ,
    COLLEAGUE,
    COLLEAGUE_HZ,
    CUSTOMER_HZ,
    TRANSFEREE_PORT,
    USERS,
    Phone,
    _hears,
    _phone_hears,
    _tell_customer_phone_the_new_call_is_up,
    pbx,
    phones,
)
from tests.support.netns import netns
from tests.ui.conftest import run
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import apply_theme, load_theme

__all__ = ["netns", "pbx", "phones"]  # fixtures

pytestmark = pytest.mark.serial  # a PBX, real-time audio and timers on shared cores

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SAMPLE_RATE = 48_000


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


class Desk:
    """The window with its call desk, the agent's engine and its SIP line."""

    def __init__(self, qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess,
                 media_thread: MediaThread, pbx: Pbx) -> None:
        self.qtbot, self.qloop = qtbot, qloop
        self.agent = run(qtbot, qloop, CallAgent.logged_in(
            hub.url, media_thread, username="alex", tone_hz=AGENT_HZ))
        theme = load_theme(ThemeName.LIGHT)
        apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
        self.window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme,
                                 SendKey.ENTER)
        self.audio = CallAudio(AudioHost(), AudioPreferences())
        self.desk = self.window.attach_calls(self.agent.manager, self.audio)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow, timeout=5_000)
        self.line = SipLine(self.agent.manager, self.agent.engine,
                            Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                            pbx.config.wss_url, self.agent.send, ssl_context=pbx.ssl_context())
        run(qtbot, qloop, self.line.start())
        qtbot.waitUntil(lambda: self.line.registration.state is RegistrationState.REGISTERED,
                        timeout=10_000)

    def keys(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.window, key, CTRL_SHIFT)

    def agent_hears(self, call_id: str, *tones: float) -> None:
        heard = self.agent.recordings[call_id]
        self.qtbot.waitUntil(lambda: _hears(heard.samples(0.5), SAMPLE_RATE, *tones),
                             timeout=10_000)

    def answer(self, customer: Phone, pbx: Pbx, *, transferee: bool) -> str:
        customer.sipp.start("customer", sipp_scenarios.caller(
            customer.phone, "1001", hangup="agent", reinvites=1 if transferee else 2,
            transferee=transferee), remote=f"{pbx.config.address}:{pbx.config.sip_port}")
        toast = self.window.call_toast
        self.qtbot.waitUntil(toast.isVisible, timeout=15_000)
        call_id = toast.call_id
        assert call_id is not None
        self.keys(Qt.Key.Key_A)
        call = self.agent.manager.calls[call_id]
        self.qtbot.waitUntil(lambda: call.state is CallState.ACTIVE, timeout=15_000)
        self.agent_hears(call_id, CUSTOMER_HZ)
        return call_id

    def consult(self, colleague: Phone, calls: int) -> None:
        """Consult… (Ctrl+Shift+I), the colleague's extension, Enter."""
        panel = self.window.call_panel
        assert panel.consult_button.isVisible() and panel.consult_button.isEnabled()
        colleague.sipp.start("colleague", sipp_scenarios.callee(colleague.phone), calls=calls)
        self.keys(Qt.Key.Key_I)
        assert panel.consult_row.isVisible() and panel.consult_target.hasFocus()
        self.qtbot.keyClicks(panel.consult_target, COLLEAGUE)
        self.qtbot.keyClick(panel.consult_target, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: panel.legs_row.isVisible(), timeout=5_000)
        self.qtbot.waitUntil(lambda: panel.conference_button.isEnabled(), timeout=15_000)
        assert panel.customer_leg.text() == "Customer · on hold"
        assert panel.consult_leg.text() == f"{COLLEAGUE} · connected"
        assert panel.complete_button.isEnabled() and not panel.consult_button.isEnabled()

    def close(self) -> None:
        run(self.qtbot, self.qloop, self.line.stop())
        run(self.qtbot, self.qloop, self.agent.close())
        self.audio.shutdown()


def test_consult_then_conference_then_back_to_the_customer_from_the_panel(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, netns: NetNamespace,
    make_hub: Callable[..., HubProcess], media_thread: MediaThread, pbx: Pbx,
    phones: tuple[Phone, Phone],
) -> None:
    customer, colleague = phones
    desk = Desk(qtbot, qloop, make_hub(), media_thread, pbx)
    panel = desk.window.call_panel
    call_id = desk.answer(customer, pbx, transferee=False)
    desk.consult(colleague, calls=1)
    manager = desk.agent.manager
    consultation = manager.consultations[call_id]
    # The consult leg's session: the agent hears the colleague on it.
    leg = next(i for i in desk.agent.recordings if i != call_id)
    desk.agent_hears(leg, COLLEAGUE_HZ)
    assert consultation.customer_call_id != call_id  # the SIP id, not the desktop's
    # The status line says what the agent is doing, not "In call".
    qtbot.waitUntil(lambda: panel.state.text().startswith(
        "Consulting — the customer is on hold"), timeout=10_000)

    desk.keys(Qt.Key.Key_Y)  # Conference
    qtbot.waitUntil(lambda: panel.customer_leg.text().startswith("Conference"),
                    timeout=10_000)
    qtbot.waitUntil(lambda: panel.state.text().startswith(
        "Conference — all three of you talk"), timeout=10_000)
    assert not panel.conference_button.isEnabled() and panel.back_button.isEnabled()
    # Everyone hears the other two: the agent through the customer's session's speaker.
    desk.agent_hears(call_id, CUSTOMER_HZ, COLLEAGUE_HZ)
    customer.recorder.clear()
    colleague.recorder.clear()
    run(qtbot, qloop, _phone_hears(customer, AGENT_HZ, COLLEAGUE_HZ), timeout_ms=15_000)
    run(qtbot, qloop, _phone_hears(colleague, AGENT_HZ, CUSTOMER_HZ), timeout_ms=15_000)

    desk.keys(Qt.Key.Key_B)  # Back to customer: the colleague's leg ends
    qtbot.waitUntil(lambda: not panel.legs_row.isVisible(), timeout=10_000)
    assert call_id not in manager.consultations
    qtbot.waitUntil(lambda: panel.state.text().startswith("In call"), timeout=10_000)
    assert panel.consult_button.isEnabled()  # another consultation may start
    desk.agent.recordings[call_id].clear()
    desk.agent_hears(call_id, CUSTOMER_HZ)
    run(qtbot, qloop, colleague.finished("colleague"), timeout_ms=45_000)
    # The ended leg's session is closed and gone from the engine (its devices stopped).
    qtbot.waitUntil(lambda: desk.agent.engine.session(leg) is None, timeout=5_000)

    desk.keys(Qt.Key.Key_E)  # hang up
    run(qtbot, qloop, customer.finished("customer"), timeout_ms=45_000)
    recorded = run(qtbot, qloop, desk.agent.probe.wait_body(
        cl.CallRecorded, lambda b: b.record.call_id == call_id, timeout=10))
    assert recorded.record.end_reason is cl.CallEndReason.HUNG_UP_BY_AGENT
    desk.close()


def test_consult_then_complete_the_attended_transfer_from_the_panel(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, netns: NetNamespace,
    make_hub: Callable[..., HubProcess], media_thread: MediaThread, pbx: Pbx,
    phones: tuple[Phone, Phone], tmp_path: Path,
) -> None:
    customer, colleague = phones
    desk = Desk(qtbot, qloop, make_hub(), media_thread, pbx)
    panel = desk.window.call_panel
    call_id = desk.answer(customer, pbx, transferee=True)
    desk.consult(colleague, calls=2)

    desk.keys(Qt.Key.Key_X)  # Complete transfer: REFER with Replaces to the customer
    qtbot.waitUntil(lambda: panel.consult_leg.text() == f"Transferring to {COLLEAGUE}…",
                    timeout=10_000)
    logged = run(qtbot, qloop, eventually(
        lambda: "refer-to " in customer.sipp.logged("customer")
        and customer.sipp.logged("customer"), 10))
    refer_to = logged.split("refer-to ", 1)[1].split()[0]
    target, _, query = refer_to.partition("?Replaces=")
    assert target == f"sip:{COLLEAGUE}@{pbx.config.domain}"
    replaces = unquote(query)
    transferee = Sipp(tmp_path, netns.address_b, TRANSFEREE_PORT, media_port=6200)
    transferee.start("transferred", sipp_scenarios.transferred_call(
        customer.phone, COLLEAGUE, replaces, talk_ms=3000),
        remote=f"{pbx.config.address}:{pbx.config.sip_port}")
    try:
        qtbot.waitUntil(lambda: "replacing call answered" in transferee.logged("transferred"),
                        timeout=15_000)
        _tell_customer_phone_the_new_call_is_up(customer, pbx)
        # The transfer's final NOTIFY ends the agent's legs: the panel empties, the
        # hub records the call as transferred, wrap-up opens.
        recorded = run(qtbot, qloop, desk.agent.probe.wait_body(
            cl.CallRecorded, lambda b: b.record.call_id == call_id, timeout=20))
        assert recorded.record.end_reason is cl.CallEndReason.TRANSFERRED
        qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5_000)
        assert call_id not in desk.agent.manager.consultations
        run(qtbot, qloop, customer.finished("customer"), timeout_ms=45_000)
        # The customer now talks to the colleague, without the agent.
        customer.recorder.clear()
        run(qtbot, qloop, _phone_hears(customer, COLLEAGUE_HZ, ratio=0.5), timeout_ms=15_000)
        assert transferee.wait(30) == 0, transferee.errors("transferred")[-3000:]
        run(qtbot, qloop, colleague.finished("colleague"), timeout_ms=45_000)
        assert f"invite replaces={replaces}." in colleague.sipp.logged("colleague")
    finally:
        transferee.stop()
    desk.close()
