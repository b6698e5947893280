"""A telephone call in the window: sipp calls through Kamailio + rtpengine, the
desktop's SIP phone rings on the same toast as a widget call, the hub links the
caller's number to the customer (the toast names them and the screen pop shows
them), and the call is answered, held, resumed and hung up from the keyboard,
then wrapped up on the hub's record.

Inside a network namespace the test creates (PBX, far phone, hub, agent engine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

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


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def test_a_pbx_call_rings_pops_the_customer_and_is_handled_from_the_keyboard(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, netns: NetNamespace,
    make_hub: Callable[..., HubProcess], media_thread: MediaThread, pbx: Pbx, far: FarEnd,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hub = make_hub()
    known = run(qtbot, qloop, _known_customer(hub))
    audio = CallAudio(AudioHost(), AudioPreferences())
    agent = run(qtbot, qloop, CallAgent.logged_in(hub.url, media_thread, username="alex"))
    agent.engine.source_factory = audio.source_for  # the desktop's device layer
    theme = load_theme(ThemeName.LIGHT)
    from PySide6.QtWidgets import QApplication

    apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
    window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme, SendKey.ENTER)
    popped: list[str] = []
    monkeypatch.setattr(window, "show_customer", popped.append)  # the screen pop
    desk = window.attach_calls(agent.manager, audio)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    line = SipLine(agent.manager, agent.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
    run(qtbot, qloop, line.start())
    qtbot.waitUntil(lambda: line.registration.state is RegistrationState.REGISTERED,
                    timeout=10_000)

    far.run("desk", sipp_scenarios.caller(far.phone, "1001", hangup="agent", reinvites=2),
            dial=True)
    toast = window.call_toast
    qtbot.waitUntil(toast.isVisible, timeout=15_000)
    call = agent.manager.calls[toast.call_id]  # type: ignore[index]
    assert call.sip_number == CALLER and toast.kind.text() == "Incoming call"
    # The hub's answer names the customer of the number while it still rings.
    qtbot.waitUntil(lambda: call.customer is not None, timeout=10_000)
    assert call.customer is not None and call.customer.id == known
    qtbot.waitUntil(lambda: popped == [known], timeout=5_000)
    assert call.customer.name in toast.title.text()

    qtbot.keyClick(window, Qt.Key.Key_A, CTRL_SHIFT)  # answer
    qtbot.waitUntil(lambda: call.state is CallState.ACTIVE, timeout=15_000)
    panel = window.call_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.call_id == call.call_id,
                    timeout=5_000)
    assert call.customer.name in panel.caller.text()
    assert panel.state.text().startswith("In call")

    qtbot.keyClick(window, Qt.Key.Key_H, CTRL_SHIFT)  # hold: a re-INVITE to the far end
    qtbot.waitUntil(lambda: call.state is CallState.HELD, timeout=10_000)
    assert panel.state.text().startswith("On hold")
    qtbot.keyClick(window, Qt.Key.Key_H, CTRL_SHIFT)  # resume
    qtbot.waitUntil(lambda: call.state is CallState.ACTIVE, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)  # mute
    assert call.muted

    qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)  # hang up
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible(),
                    timeout=10_000)
    run(qtbot, qloop, far.finished("desk"), timeout_ms=35_000)
    recorded = run(qtbot, qloop, agent.probe.wait_body(
        cl.CallRecorded, lambda b: b.record.call_id == call.call_id, timeout=10))
    assert recorded.record.end_reason is cl.CallEndReason.HUNG_UP_BY_AGENT
    dialog = desk.wrap_up
    assert dialog is not None and dialog.call_id == call.call_id
    codes = [dialog.disposition.itemData(i) for i in range(dialog.disposition.count())]
    dialog.disposition.setCurrentIndex(codes.index("resolved"))
    dialog.save()
    run(qtbot, qloop, agent.probe.wait_body(
        cl.CallRecorded, lambda b: b.record.call_id == call.call_id
        and b.record.disposition == "resolved", timeout=10))
    run(qtbot, qloop, line.stop())
    run(qtbot, qloop, agent.close())
    audio.shutdown()
