"""An offer shows what the customer wrote: the first message of a chat, the subject
of an email, as plain text (markup in it is shown, never rendered).

Real hubs: one routes a simulated customer's chat, one receives a mail over SMTP.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.protocol.models import Channel, Presence
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.email.test_email_flow import (  # noqa: F401 - fixtures
    MAILBOX,
    desktop,
    email_hub,
    smtp_server,
)
from tests.ui.routing_helpers import hub_row, routing_config, wait_offer
from tests.ui.shell.test_desktop_flow import signed_in


def test_a_chat_offer_shows_the_first_message(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app)
        assert app.signed is not None
        window = app.signed.window
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        customer = SimCustomer(hub.customer_ws_url, name="王芳")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("我的订单\n还没发货 <b>急</b>"))
        wait_offer(qtbot, window, customer.conversation_id)
        preview = window.offer_toast.preview
        assert preview.isVisibleTo(window.offer_toast)
        assert preview.text() == "“我的订单 还没发货 <b>急</b>”"
        assert preview.textFormat() is Qt.TextFormat.PlainText
        run(qtbot, qloop, customer.disconnect())


def test_an_email_offer_shows_its_subject(
        qtbot: Any, qloop: asyncio.AbstractEventLoop,
        email_hub: tuple[HubProcess, int], desktop: DesktopApp) -> None:  # noqa: F811
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    service, window = desktop.signed.service, desktop.signed.window
    mail = EmailMessage()
    mail["From"] = "Tom Baker <tom@mail.example>"
    mail["To"] = MAILBOX
    mail["Subject"] = "Invoice 88 charged twice"
    mail["Message-ID"] = "<invoice-88b@mail.example>"
    mail.set_content("Hello, my card was charged twice for invoice 88.")
    with smtplib.SMTP("127.0.0.1", email_hub[1], timeout=10) as smtp:
        smtp.send_message(mail)
    qtbot.waitUntil(lambda: any(o.channel is Channel.EMAIL for o in service.routing.offers()),
                    timeout=15_000)
    [offer] = [o for o in service.routing.offers() if o.channel is Channel.EMAIL]
    wait_offer(qtbot, window, offer.conversation_id)
    assert window.offer_toast.preview.text() == "Subject: Invoice 88 charged twice"
