"""A customer's message in one of the agent's other conversations is notified (once,
with the conversation as its key); one in the conversation being looked at is not.
The real desktop against a real hub; the offers are notified as well."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.protocol.models import Presence
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.notifications import NoticeKind
from desktop.settings import Settings
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import qloop, run  # noqa: F401 - the Qt-driven loop fixture
from tests.ui.desktop_runner import sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config


def test_messages_elsewhere_are_notified_and_offers_too(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,  # noqa: F811
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data", language="en"),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    first = SimCustomer(hub.customer_ws_url, name="王芳")
    second = SimCustomer(hub.customer_ws_url, name="Tom Baker")
    try:
        sign_in(qtbot, app)
        assert app.signed is not None and app.signed.notifier is not None
        window, notifier = app.signed.window, app.signed.notifier
        window.activateWindow()
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        run(qtbot, qloop, first.connect())
        run(qtbot, qloop, first.send("你好"))
        accept_offer(qtbot, window, first.conversation_id)
        run(qtbot, qloop, second.connect())
        run(qtbot, qloop, second.send("Hello?"))
        accept_offer(qtbot, window, second.conversation_id)
        offers = [n for n in notifier.shown if n.kind is NoticeKind.OFFER]
        assert [n.text for n in offers] == ["王芳", "Tom Baker"]
        assert all(n.key for n in offers)  # the offer id, for its Accept button

        # the agent looks at Tom Baker's chat; 王芳 writes in the other one
        window.open_conversation(second.conversation_id)
        before = len(notifier.shown)
        run(qtbot, qloop, first.send("还在吗？订单 4471"))
        qtbot.waitUntil(lambda: len(notifier.shown) > before, timeout=10_000)
        notice = notifier.shown[-1]
        assert (notice.kind, notice.key) == (NoticeKind.MESSAGE, first.conversation_id)
        assert notice.title == "New message from 王芳" and notice.text == "还在吗？订单 4471"

        # a message in the chat being looked at (window active) is not notified
        qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
        count = len(notifier.shown)
        signed = app.signed
        announced: list[str] = []
        signed.bridge.message_changed.connect(
            lambda conversation_id, _m: announced.append(conversation_id))
        run(qtbot, qloop, second.send("Order 4471, charged twice"))
        # barrier: the bridge announced it, and the desktop's look at it has run
        qtbot.waitUntil(lambda: second.conversation_id in announced
                        and not signed.changed_messages, timeout=10_000)
        assert any(m.text == "Order 4471, charged twice"
                   for m in signed.service.messages(second.conversation_id, limit=10))
        assert len(notifier.shown) == count
        for customer in (first, second):
            run(qtbot, qloop, customer.disconnect())
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
