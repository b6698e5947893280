"""The call UI against a real hub: a simulated customer calls, the toast rings with
the caller, Answer connects (the panel shows the call and its live quality), Hang up
ends it and the wrap-up form saves a disposition on the hub's call record.

Runs in a private network namespace (aioice ignores loopback); the agent's audio goes
through the desktop's device layer, which finds no device here (silence)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.cache.cache import Cache
from core.call.audio_devices import AudioHost
from core.call.audio_io import ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.preferences import AudioPreferences
from core.chat.preferences import SendKey
from core.protocol import call as cl
from core.protocol.models import Channel, Presence
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from desktop.app import DesktopApp
from desktop.call_audio import CallAudio
from hub.demo.simulator import SimCustomer
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop
from tests.ui.routing_helpers import accept_offer
from tests.ui.shell.test_desktop_flow import desktop, signed_in  # noqa: F401 - fixture
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import apply_theme, load_theme

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def qtbot_app(qtbot: Any) -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def test_ringing_toast_answer_hang_up_and_wrap_up(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, call_hub: HubProcess,
    media_thread: MediaThread,
) -> None:
    audio = CallAudio(AudioHost(), AudioPreferences())

    async def agent_up() -> CallAgent:
        agent = await CallAgent.logged_in(call_hub.url, media_thread)
        agent.engine.source_factory = audio.source_for  # the desktop's device layer
        return agent

    agent = run(qtbot, qloop, agent_up())
    theme = load_theme(ThemeName.LIGHT)
    apply_theme(qtbot_app(qtbot), theme)
    window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme, SendKey.ENTER)
    desk = window.attach_calls(agent.manager, audio)
    window.show()
    qtbot.waitUntil(lambda: bool(agent.manager.dispositions), timeout=10_000)

    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    phone = customer.phone_with(ToneSource(440))
    call_id = run(qtbot, qloop, phone.call())

    # ringing: the toast names the caller; no device here, so no ringtone stream
    toast = window.call_toast
    qtbot.waitUntil(toast.isVisible, timeout=10_000)
    assert toast.call_id == call_id
    assert "王芳" in toast.title.text()
    assert toast.kind.text() == "Incoming call"
    assert not window.call_panel.isVisible()

    qtbot.mouseClick(toast.answer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.manager.calls[call_id].state is CallState.ACTIVE,
                    timeout=15_000)
    run(qtbot, qloop, asyncio.wait_for(phone.answered.wait(), 10))
    panel = window.call_panel
    assert not toast.isVisible()
    qtbot.waitUntil(lambda: panel.isVisible() and panel.call_id == call_id, timeout=5_000)
    assert "王芳" in panel.caller.text() and panel.state.text().startswith("In call")
    assert panel.hang_up_button.isEnabled() and panel.mute_button.isEnabled()
    # live quality arrives from the peer connection's statistics
    qtbot.waitUntil(lambda: "MOS" in panel.quality.text(), timeout=10_000)
    if os.environ.get("ZUOXI_SCREENSHOTS"):
        window.resize(1280, 800)
        qtbot.wait(1200)  # the timer ticks
        window.grab().save(str(ROOT / "docs" / "screenshot-call.png"))

    # mute from the panel reaches the call manager
    qtbot.mouseClick(panel.mute_button, Qt.MouseButton.LeftButton)
    assert agent.manager.calls[call_id].muted

    qtbot.mouseClick(panel.hang_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible(),
                    timeout=10_000)
    assert not panel.isVisible()
    dialog = desk.wrap_up
    assert dialog is not None and dialog.call_id == call_id
    codes = [dialog.disposition.itemData(i) for i in range(dialog.disposition.count())]
    assert "resolved" in codes  # the hub's list
    # saving without an outcome is refused with a clear word
    dialog.save()
    assert dialog.isVisible() and dialog.error.text() == "Choose an outcome first."
    dialog.disposition.setCurrentIndex(codes.index("resolved"))
    dialog.note.setPlainText("客户满意，已退款")
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    def saved() -> bool:
        return any(b.record.call_id == call_id and b.record.disposition == "resolved"
                   and b.record.note == "客户满意，已退款"
                   for b in agent.probe.bodies(cl.CallRecorded))

    qtbot.waitUntil(saved, timeout=10_000)
    run(qtbot, qloop, customer.disconnect())
    run(qtbot, qloop, agent.close())
    audio.shutdown()


def test_click_to_call_follows_the_customer_in_the_widget_and_transfer_lists_the_hub_s_targets(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess, desktop: DesktopApp,  # noqa: F811
) -> None:
    signed_in(qtbot, desktop)
    signed = desktop.signed
    assert signed is not None
    window = signed.window
    customer = SimCustomer(hub.customer_ws_url, name="在线的客户")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("方便的话请给我打电话"))
    accept_offer(qtbot, window, customer.conversation_id)
    conversation_id = customer.conversation_id
    assert conversation_id is not None
    window.open_conversation(conversation_id)
    button = window.customer_panel.call_button

    # The hub says the customer is in the widget: Call is enabled.
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=15_000)
    assert "Ctrl+Shift+C" in button.toolTip()
    # The customer closes the widget: Call is disabled and says why.
    run(qtbot, qloop, customer.disconnect())
    qtbot.waitUntil(lambda: not button.isEnabled(), timeout=10_000)
    assert button.isVisible() and "not online in the web widget" in button.toolTip()
    if os.environ.get("ZUOXI_SCREENSHOTS"):
        window.grab().save("/tmp/calls-polish-offline-call.png")
    # The shortcut explains instead of calling.
    window.call_current_customer()
    assert "not online" in window.notice_bar.label.text()
    # Back in the widget: enabled again.
    run(qtbot, qloop, customer.connect())
    qtbot.waitUntil(button.isEnabled, timeout=10_000)

    # The call panel's transfer menu: colleagues and voice queues from the hub.
    menu = window.call_panel.transfer_menu
    qtbot.waitUntil(lambda: any(a.text() == "Hotline" for a in menu.actions()), timeout=10_000)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert "Hotline" in texts  # the voice queue
    assert "Web chat" not in texts and "李娜" not in texts  # no chat queue, not herself
    config = signed.service.routing.config()
    assert config is not None
    colleagues = [a.display_name for a in config.agents if a.display_name != "李娜"]
    assert colleagues and all(name in texts for name in colleagues)
    run(qtbot, qloop, customer.disconnect())


@pytest.fixture
def call_desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, call_hub: HubProcess,
                 tmp_path: Path) -> Iterator[DesktopApp]:
    """The whole desktop (its own media thread and device layer) on the namespace's hub."""
    with running_desktop(qapp, qtbot, call_hub.url, tmp_path) as app:
        yield app


def test_the_desktop_takes_a_routed_call_from_ring_to_after_call_work(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, call_hub: HubProcess,
    call_desktop: DesktopApp,
) -> None:
    """No test engine in between: the desktop's own service, call manager and media thread."""
    signed_in(qtbot, call_desktop)
    signed = call_desktop.signed
    assert signed is not None
    window, service = signed.window, signed.service
    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    phone = customer.phone_with(ToneSource(440))
    call_id = run(qtbot, qloop, phone.call())

    # The router's voice offer rings as a call: the call toast, not the offer toast.
    toast = window.call_toast
    qtbot.waitUntil(toast.isVisible, timeout=15_000)
    assert toast.call_id == call_id and "王芳" in toast.title.text()
    assert not window.routing.offer_toast.isVisible()
    window.answer_call_or_offer()  # what Ctrl+Shift+A does
    run(qtbot, qloop, asyncio.wait_for(phone.answered.wait(), 15))
    panel = window.call_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.call_id == call_id, timeout=10_000)
    # Answering accepted the offer: the voice conversation is the agent's now.
    qtbot.waitUntil(lambda: any(i.channel is Channel.VOICE for i in service.inbox()),
                    timeout=10_000)
    [item] = [i for i in service.inbox() if i.channel is Channel.VOICE]
    window.open_conversation(item.conversation_id)
    qtbot.waitUntil(lambda: "MOS" in panel.quality.text(), timeout=15_000)
    if os.environ.get("ZUOXI_SCREENSHOTS"):
        window.resize(1280, 800)
        qtbot.wait(1200)  # the timer ticks
        window.grab().save(str(ROOT / "docs" / "screenshot-call.png"))

    desk = window.call_desk
    assert desk is not None
    desk.hang_up()
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible(),
                    timeout=10_000)
    run(qtbot, qloop, customer.wait_for(lambda: phone.ended is not None, timeout=10))
    assert phone.ended == cl.CallEndReason.HUNG_UP_BY_AGENT
    # The hub starts after-call work when an answered call ends.
    qtbot.waitUntil(lambda: service.presence() is Presence.AFTER_CALL_WORK, timeout=10_000)
    dialog = desk.wrap_up
    assert dialog is not None
    codes = [dialog.disposition.itemData(i) for i in range(dialog.disposition.count())]
    dialog.disposition.setCurrentIndex(codes.index("resolved"))
    dialog.note.setPlainText("已处理")
    dialog.save()
    assert not dialog.isVisible()
    run(qtbot, qloop, customer.disconnect())
