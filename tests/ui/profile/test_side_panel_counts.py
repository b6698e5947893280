"""The side panel's counts: "1 contact in 30 days" (plural forms, not "1 contacts"),
and "1 open" goes once the conversation is closed.

A real hub offers a new customer's chat to the desktop signed in as lina, who
accepts it and later closes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.protocol.models import Presence
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config


def test_side_panel_counts_in_words_and_forgets_a_closed_conversation(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app)
        assert app.signed is not None
        window, service = app.signed.window, app.signed.service
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        customer = SimCustomer(hub.customer_ws_url, name="Zhou Min")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Hello, one question"))
        accept_offer(qtbot, window, customer.conversation_id)
        stats = window.customer_panel.header.stats
        qtbot.waitUntil(lambda: "open" in stats.text(), timeout=10_000)
        assert stats.text().startswith("1 contact in 30 days"), stats.text()
        assert "1 open" in stats.text()

        conversation_id = customer.conversation_id
        assert conversation_id is not None
        service.close_conversation(conversation_id, "resolved")
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT status FROM conversations "
                                        "WHERE id=?", conversation_id) == ("closed",),
                        timeout=10_000)
        qtbot.waitUntil(lambda: "open" not in stats.text(), timeout=10_000)
        assert stats.text().startswith("1 contact in 30 days")
        run(qtbot, qloop, customer.disconnect())
