"""Listening to a call on the real desktop, as 王伟, against a real hub.

李娜's call engine (real aiortc, a tone) has a customer's call; 王伟's desktop
monitors the conversation from the Supervise menu, then coaches, barges and stops
from its actions (shortcuts on the Ctrl+/ sheet). 李娜's engine sees each step.
Runs in a private network namespace (aioice ignores loopback); 王伟's desktop has
no audio device here, so the audio itself is checked by
tests/integration/test_call_listening.py.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.call.audio_io import ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.protocol import call as cl
from core.supervision.call_listening import ListenState
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from ui.shell.shortcut_sheet import shortcut_rows
from ui.supervision.monitor_menu import MonitorPicker

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")
SHOTS_LANG = os.environ.get("ZUOXI_SCREENSHOTS_LANG", "en")
EN = SHOTS_LANG == "en"


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def test_supervisor_listens_coaches_and_barges_from_the_supervise_menu(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, call_hub: HubProcess,
        media_thread: MediaThread, tmp_path: Path) -> None:
    translators = install_translators(qapp, SHOTS_LANG) if not EN else []

    async def call_up() -> tuple[CallAgent, SimCustomer, str]:
        lina = await CallAgent.logged_in(call_hub.url, media_thread)
        customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
        await customer.connect()
        call_id = await customer.phone_with(ToneSource(440)).call()
        await lina.wait_ringing()
        await lina.manager.answer(call_id)
        await lina.wait_state(call_id, CallState.ACTIVE)
        return lina, customer, call_id

    lina, customer, call_id = run(qtbot, qloop, call_up())
    call = lina.manager.calls[call_id]

    with running_desktop(qapp, qtbot, call_hub.url, tmp_path) as app:
        sign_in(qtbot, app, "wang")
        assert app.signed is not None
        window = app.signed.window
        if SHOTS:
            window.resize(1920, 1080)
        supervise = window.supervise
        qtbot.waitUntil(lambda: supervise.call_listening is not None, timeout=15_000)
        controls = supervise.call_listening
        assert controls is not None
        keys = {r.text: r.keys for r in shortcut_rows(window)}
        if EN:
            assert keys["Listen to the call (nobody hears you)"] == "Alt+Shift+L"
            assert keys["Coach on the call (only the agent hears you)"] == "Alt+Shift+C"
            assert keys["Barge into the call (three-way)"] == "Alt+Shift+J"
        assert not controls.actions["stop_listening"].isEnabled()

        # The phone conversation is in the live list: monitor it.
        supervise.actions["monitor"].trigger()
        picker = supervise.dialog
        assert isinstance(picker, MonitorPicker)
        qtbot.waitUntil(lambda: picker.rows.count() >= 1 and picker.rows.item(0).data(
            Qt.ItemDataRole.UserRole) == call.conversation_id, timeout=10_000)
        qtbot.keyClick(picker.rows, Qt.Key.Key_Return)
        dock = supervise.dock
        assert dock is not None and dock.conversation_id == call.conversation_id

        # Coach: 李娜's engine answers the leg; only she will hear 王伟.
        controls.actions["coach"].trigger()
        qtbot.waitUntil(lambda: call.listened_by == "王伟", timeout=15_000)
        assert call.listen_mode is cl.ListenMode.COACH
        qtbot.waitUntil(lambda: any(g.state is ListenState.LISTENING
                                    for g in controls.listener.legs.values()), timeout=15_000)
        assert not EN or "coaching" in controls.line.text()
        assert controls.actions["stop_listening"].isEnabled()
        assert not controls.buttons["coach"].isEnabled()  # the mode in use
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / f"screenshot-call-coaching-{SHOTS_LANG}.png"))

        # Barge: a three-way call.
        controls.actions["barge_call"].trigger()
        qtbot.waitUntil(lambda: call.listen_mode is cl.ListenMode.BARGE, timeout=10_000)
        qtbot.waitUntil(lambda: not EN or "three-way" in controls.line.text(), timeout=10_000)

        # Stop: the leg is gone on both desktops, the call goes on.
        controls.actions["stop_listening"].trigger()
        qtbot.waitUntil(lambda: call.listened_by is None, timeout=10_000)
        qtbot.waitUntil(lambda: not controls.actions["stop_listening"].isEnabled(),
                        timeout=10_000)
        assert call.state is CallState.ACTIVE

    run(qtbot, qloop, customer.disconnect())
    run(qtbot, qloop, lina.close())
    for translator in translators:
        qapp.removeTranslator(translator)
