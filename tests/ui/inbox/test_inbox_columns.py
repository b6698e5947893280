"""The inbox's right column (countdown or wait, unread badge) is visible from the start:
no row is wider than the list, so there is no horizontal scrollbar to hide it.

A real hub (chats assigned at once) gives lina two conversations; the desktop is
quit and started again, showing its inbox from the cache as the day begins.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.protocol.models import Presence
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import new_desktop, sign_in
from tests.ui.routing_helpers import auto_accept_hub, hub_row


def quit_desktop(qtbot: Any, app: DesktopApp) -> None:
    finished: list[int] = []
    app.finished.connect(finished.append)
    app.quit()
    qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
    if app.login is not None:
        app.login.deleteLater()


def test_inbox_right_column_is_visible_at_start(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = auto_accept_hub(make_hub, tmp_path)
    app = new_desktop(qapp, hub.url, tmp_path)
    sign_in(qtbot, app)
    assert app.signed is not None
    app.signed.window.choose_presence(Presence.AVAILABLE)
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                    "username='lina'") == ("available",), timeout=10_000)
    customers = [SimCustomer(hub.customer_ws_url, name=name) for name in ("王芳", "Tom Baker")]
    for customer in customers:
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Is anyone there? My order has not arrived."))
    service = app.signed.service
    qtbot.waitUntil(lambda: len(service.inbox()) == 2, timeout=15_000)
    quit_desktop(qtbot, app)

    again = new_desktop(qapp, hub.url, tmp_path)
    try:
        qtbot.waitUntil(lambda: (again.login is not None and again.login.isVisible())
                        or (again.signed is not None and again.signed.window.isVisible()),
                        timeout=15_000)
        if again.login is not None and again.login.isVisible():
            sign_in(qtbot, again)
        assert again.signed is not None
        inbox = again.signed.window.inbox
        qtbot.waitUntil(lambda: inbox.inbox_model.rowCount() == 2, timeout=10_000)
        qtbot.waitUntil(lambda: inbox.viewport().width() > 0 and inbox.isVisible())
        qtbot.wait(0)  # the list lays its rows out on a posted event
        assert not inbox.horizontalScrollBar().isVisible()
        for row in range(2):
            rect = inbox.visualRect(inbox.inbox_model.index(row))
            # the row spans the list: the right column painted at its right edge is in view
            assert rect.width() >= inbox.viewport().width() - 2, (rect, inbox.viewport().width())
            assert rect.left() >= 0 and rect.right() <= inbox.viewport().width(), (
                f"row {row}: {rect} in a viewport {inbox.viewport().width()} px wide")
        for customer in customers:
            run(qtbot, qloop, customer.disconnect())
    finally:
        quit_desktop(qtbot, again)
