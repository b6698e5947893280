"""Calling a number from the window: Ctrl+Alt+D, the number typed as people write it,
Enter; the desktop's SIP phone sends the INVITE through Kamailio + rtpengine to the
far phone (sipp checks the request is for the dialled number and answers), the call
shows in the call panel with the customer the hub found by the E.164 number, is hung
up from the keyboard and lands in the hub's record as an outbound call on that
customer's timeline.

Inside a network namespace the test creates (PBX, far phone, hub, agent engine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

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
from testbed.call_agent import CallAgent
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.integration.test_sip_hub import _known_customer
from tests.integration.test_sip_phone import CALLER, USERS, FarEnd, far, pbx
from tests.support.netns import netns
from tests.ui.conftest import run
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import apply_theme, load_theme

__all__ = ["far", "netns", "pbx"]  # fixtures

pytestmark = pytest.mark.serial  # a PBX, real-time audio and timers on shared cores

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def test_a_number_dialled_from_the_keyboard_rings_the_far_phone_and_shows_in_the_panel(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, netns: NetNamespace,
    make_hub: Callable[..., HubProcess], media_thread: MediaThread, pbx: Pbx, far: FarEnd,
) -> None:
    hub = make_hub()
    known = run(qtbot, qloop, _known_customer(hub))  # owns CALLER's number
    audio = CallAudio(AudioHost(), AudioPreferences())
    agent = run(qtbot, qloop, CallAgent.logged_in(hub.url, media_thread, username="alex"))
    agent.engine.source_factory = audio.source_for
    theme = load_theme(ThemeName.LIGHT)
    apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
    window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme, SendKey.ENTER)
    qtbot.addWidget(window)
    desk = window.attach_calls(agent.manager, audio)
    assert desk is not None
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)

    line = SipLine(agent.manager, agent.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
    run(qtbot, qloop, line.start())
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL_ALT)  # Call a number…
    qtbot.waitUntil(lambda: desk.dial_dialog is not None and desk.dial_dialog.isVisible(),
                    timeout=5_000)
    dialog = desk.dial_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.number.hasFocus, timeout=5_000)
    # Open before the phone registered: the dialog follows the line's registration.
    qtbot.waitUntil(lambda: line.registration.state is RegistrationState.REGISTERED,
                    timeout=10_000)
    assert not dialog.call_button.isEnabled()  # nothing typed yet
    qtbot.waitUntil(lambda: not dialog.reason.isVisible(), timeout=5_000)

    far.run("dialled", sipp_scenarios.callee(far.phone, dialled=CALLER), dial=False)
    qtbot.keyClicks(dialog.number, "+86 138-0013-8000")  # as people write it
    assert dialog.number.text() == CALLER and dialog.call_button.isEnabled()
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.dial_dialog is None, timeout=5_000)

    qtbot.waitUntil(lambda: len(agent.manager.calls) == 1, timeout=5_000)
    call = next(iter(agent.manager.calls.values()))
    assert call.direction is cl.CallDirection.OUTBOUND and call.sip_number == CALLER
    panel = window.call_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.call_id == call.call_id,
                    timeout=5_000)
    # The far phone answers; the hub found the customer by the E.164 number.
    qtbot.waitUntil(lambda: call.state is CallState.ACTIVE, timeout=15_000)
    qtbot.waitUntil(lambda: call.customer is not None, timeout=10_000)
    assert call.customer is not None and call.customer.id == known
    qtbot.waitUntil(lambda: call.customer is not None and call.customer.name
                    in panel.caller.text(), timeout=5_000)
    assert panel.state.text().startswith("In call")
    assert desk.recent_numbers.numbers() == [CALLER]

    window.activateWindow()  # the dialog had it; shortcuts reach the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)  # hang up: BYE to the far phone
    qtbot.waitUntil(lambda: not call.live, timeout=10_000)
    run(qtbot, qloop, far.finished("dialled"), timeout_ms=35_000)  # it saw the number
    recorded = run(qtbot, qloop, agent.probe.wait_body(
        cl.CallRecorded, lambda b: b.record.call_id == call.call_id, timeout=10))
    assert recorded.record.direction is cl.CallDirection.OUTBOUND
    assert recorded.record.end_reason is cl.CallEndReason.HUNG_UP_BY_AGENT
    assert recorded.record.conversation_id == call.conversation_id
    assert f"invite for INVITE sip:{CALLER}@" in far.sipp.logged("dialled")
    run(qtbot, qloop, line.stop())
    run(qtbot, qloop, agent.close())
    audio.shutdown()
