"""The desktop shows what the agent's role reads masked as masked, and Reveal where the
role allows it: the real desktop signed in to a real hub as a custom role that reads
contact points masked and may reveal sensitive attributes.

Screenshots (1366x768 and 1920x1080) are saved when ZUOXI_SCREENSHOTS names a folder.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QToolButton

from core.protocol import profile as pp
from core.protocol.models import Presence
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config
from ui.profile.masked_field import MaskedField
from ui.profile.profile_details import CopyLabel

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")
ROLES_FILE = """\
[roles.trainee]
like = "agent"
without = ["customers.contact"]
permissions = ["customers.sensitive"]
"""
ADDRESS, ID_NUMBER = "上海市浦东新区世纪大道100号", "310101199001011234"


def _cli(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


async def _edit(hub: HubProcess, customer_id: str) -> None:
    """A supervisor fills in the address and the ID number."""
    wang = await AgentProbe.logged_in(hub.url, "wang", accept_offers=False)
    try:
        await wang.send(pp.UpdateCustomer(op="wang-1", customer_id=customer_id, attributes={
            "address": ADDRESS, "id_number": ID_NUMBER}))
        ack = await wang.command_answer("wang-1", timeout=15)
        assert ack.op == "wang-1" and not hasattr(ack, "code"), ack
    finally:
        await wang.close()


def test_masked_values_show_masked_and_reveal_goes_to_the_hub(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_FILE)
    _cli("roles", "--db", str(hub.db_path), "load", str(roles))
    _cli("set-role", "--db", str(hub.db_path), "lina", "trainee")
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app)
        assert app.signed is not None
        window, service = app.signed.window, app.signed.service
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        customer = SimCustomer(hub.customer_ws_url, name="Mei Chen",
                               email="mei.chen@example.org", phone_number="138 1234 5678")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Where is my parcel?"))
        accept_offer(qtbot, window, customer.conversation_id)
        item = service.conversation(customer.conversation_id or "")
        assert item is not None
        run(qtbot, qloop, _edit(hub, item.customer_id))

        panel = window.customer_panel
        panel.tabs.setCurrentIndex(1)
        details = panel.details

        def field(key: str) -> MaskedField | None:
            found = details._editors.get(key)
            return found if isinstance(found, MaskedField) else None

        qtbot.waitUntil(lambda: (f := field("address")) is not None
                        and f.value.text() == "上海****", timeout=15_000)
        id_field = field("id_number")
        assert id_field is not None and id_field.value.text() == "****"
        assert id_field.reveal.isVisible() and id_field.reveal.text() == "Reveal"
        address_field = field("address")
        assert address_field is not None and not address_field.reveal.isVisible()
        values = {w.value for w in details.findChildren(CopyLabel)}
        assert {"+86 138****5678", "m***@example.org"} <= values
        # Masked contact points offer nothing that needs the value: no call, no removal.
        buttons = {b.objectName() for b in details.findChildren(QToolButton) if b.isVisible()}
        assert not buttons & {"DialIdentity", "RemoveIdentity"}
        assert details.kind.count() == 1  # only external ids can be added
        for size in ((1366, 768), (1920, 1080)):
            window.resize(*size)
            qtbot.wait(50)  # (a layout pass: the picture, not a proof of anything)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                window.grab().save(str(Path(SHOTS) / f"masked-{size[0]}x{size[1]}.png"))

        id_field.reveal.click()
        qtbot.waitUntil(lambda: id_field.value.text() == ID_NUMBER, timeout=15_000)
        assert not id_field.reveal.isVisible()
        row = hub_row(hub.db_path, "SELECT a.target, a.customer_id FROM audit_log a JOIN agents g "
                      "ON a.actor = 'agent:' || g.id WHERE g.username = 'lina' "
                      "AND a.action = 'field_revealed'")
        assert row == ("id_number", item.customer_id)
        # Shown, never stored: the cache still holds the mask.
        cached = service.customer_profile(item.customer_id)
        assert cached is not None and cached.attributes["id_number"] == "****"
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / "revealed-1920x1080.png"))
        run(qtbot, qloop, customer.disconnect())


def test_a_masked_field_opens_no_window_of_its_own(qapp: Any) -> None:
    """Built before the form takes it, the field's Reveal button once showed as a window
    of its own for a moment: the main window lost its activation and every window
    shortcut with it (Ctrl+Shift+P picked nothing)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    windows_shown: list[str] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
                windows_shown.append(type(obj).__name__)
            return False

    watch = Watch()
    qapp.installEventFilter(watch)
    try:
        field = MaskedField("id_number", revealable=True)
        host = QWidget()
        field.setParent(host)
        host.show()
    finally:
        qapp.removeEventFilter(watch)
    assert windows_shown == ["QWidget"]  # the host only
    assert field.reveal.isVisible()
    host.deleteLater()
