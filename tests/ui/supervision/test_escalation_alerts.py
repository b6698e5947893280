"""A supervisor's desktop against a real hub: an escalating customer message shows up
live in the escalations dock and as a desktop notification."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import auto_accept_hub

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs


def test_the_supervisor_sees_an_escalation_live(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "wang")  # the demo's supervisor
        assert app.signed is not None and app.signed.notifier is not None
        window, notifier = app.signed.window, app.signed.notifier
        dock = window.escalation_dock
        assert not dock.isVisible() and dock.alert_list.count() == 0

        customer = SimCustomer(hub.customer_ws_url, name="<b>周杰</b>")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("你好，想问一下保修"))
        run(qtbot, qloop, customer.send("充电宝鼓包了还在发烫，我要投诉！"))
        qtbot.waitUntil(lambda: dock.alert_list.count() == 1, timeout=15_000)
        assert dock.isVisible()
        text = dock.alert_list.item(0).text()
        assert text.startswith("Escalation: <b>周杰</b> · complaint, safety")  # plain text
        assert "充电宝鼓包了" in text
        qtbot.waitUntil(lambda: any(n.title == "Escalation: <b>周杰</b>"
                                    for n in notifier.shown), timeout=5_000)
        assert [n.text for n in notifier.shown if n.title.startswith("Escalation")] == [
            "complaint, safety"]
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / "screenshot-escalation.png"))
        run(qtbot, qloop, customer.disconnect())
