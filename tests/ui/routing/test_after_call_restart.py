"""After-call work ends after a restart: quit during the wrap-up countdown, the hub
restarts (as the local hub does with the desktop), start again — the countdown ends
on time and offers come again, without touching the presence by hand.

The whole desktop takes a real call through a real hub inside a private network
namespace (aioice ignores loopback); the hub is stopped and started again on the
same database.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.call.audio_io import ToneSource
from core.protocol.models import Channel, Presence
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.netns import NetNamespace
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.ui.conftest import run
from tests.ui.desktop_runner import new_desktop, sign_in
from tests.ui.routing_helpers import hub_row, routing_config, wait_offer

AFTER_CALL_S = 6


def quit_desktop(qtbot: Any, app: DesktopApp) -> None:
    finished: list[int] = []
    app.finished.connect(finished.append)
    app.quit()
    qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
    if app.login is not None:
        app.login.deleteLater()


def lina_presence(hub: HubProcess) -> tuple[Any, ...] | None:
    return hub_row(hub.db_path, "SELECT presence, presence_ends_at FROM agents "
                   "WHERE username='lina'")


@pytest.fixture
def short_wrap_up_hub(netns: NetNamespace,  # noqa: F811
                      make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    path = routing_config(tmp_path / "routing")
    text, count = re.subn(r"(?m)^after_call_work_s = \d+", f"after_call_work_s = {AFTER_CALL_S}",
                          path.read_text(encoding="utf-8"))
    assert count == 1
    path.write_text(text, encoding="utf-8")
    return make_hub("--routing-config", str(path))


def test_after_call_work_ends_after_a_restart(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        short_wrap_up_hub: HubProcess, tmp_path: Path) -> None:
    hub = short_wrap_up_hub
    app = new_desktop(qapp, hub.url, tmp_path)
    sign_in(qtbot, app)
    assert app.signed is not None
    window, service = app.signed.window, app.signed.service
    window.choose_presence(Presence.AVAILABLE)
    qtbot.waitUntil(lambda: (lina_presence(hub) or ("",))[0] == "available", timeout=10_000)
    caller = SimCustomer(hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, caller.connect())
    phone = caller.phone_with(ToneSource(440))
    run(qtbot, qloop, phone.call())
    qtbot.waitUntil(window.call_toast.isVisible, timeout=15_000)
    window.answer_call_or_offer()
    run(qtbot, qloop, asyncio.wait_for(phone.answered.wait(), 15))
    panel = window.call_panel
    qtbot.waitUntil(lambda: panel.isVisible() and "MOS" in panel.quality.text(), timeout=15_000)
    desk = window.call_desk
    assert desk is not None
    desk.hang_up()
    qtbot.waitUntil(lambda: service.presence() is Presence.AFTER_CALL_WORK, timeout=10_000)
    # the wrap-up form is filled in and the call's conversation closed; the countdown
    # goes on (closing it starts after-call work anew)
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible(),
                    timeout=10_000)
    assert desk.wrap_up is not None
    desk.wrap_up.save()
    [voice] = [i for i in service.inbox() if i.channel is Channel.VOICE]
    service.close_conversation(voice.conversation_id, "resolved")
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT status FROM conversations WHERE id=?",
                                    voice.conversation_id) == ("closed",), timeout=10_000)
    qtbot.waitUntil(lambda: service.presence() is Presence.AFTER_CALL_WORK, timeout=10_000)
    run(qtbot, qloop, caller.disconnect())

    # quit in the middle of the countdown; the hub goes down and comes back
    quit_desktop(qtbot, app)
    hub.stop()
    row = lina_presence(hub)
    assert row is not None and row[0] == "after_call_work"
    hub.start()

    again = new_desktop(qapp, hub.url, tmp_path)
    try:
        qtbot.waitUntil(lambda: (again.login is not None and again.login.isVisible())
                        or (again.signed is not None and again.signed.window.isVisible()),
                        timeout=15_000)
        if again.login is not None and again.login.isVisible():
            sign_in(qtbot, again)
        assert again.signed is not None
        window = again.signed.window
        control = window.status_bar.presence_control
        # the countdown ends on time, on the hub and on screen
        qtbot.waitUntil(lambda: (lina_presence(hub) or ("",))[0] == "available",
                        timeout=(AFTER_CALL_S + 10) * 1000)
        qtbot.waitUntil(lambda: control.presence is Presence.AVAILABLE, timeout=10_000)
        assert "Wrap-up" not in control.state_text()
        # and work is offered again
        customer = SimCustomer(hub.customer_ws_url, name="Tom Baker")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Hello?"))
        wait_offer(qtbot, window, customer.conversation_id)
        run(qtbot, qloop, customer.disconnect())
    finally:
        quit_desktop(qtbot, again)
