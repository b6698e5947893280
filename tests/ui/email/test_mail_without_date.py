"""A normal mail without a Date header is not flagged "malformed".

A customer's mail, sent with Python's smtplib (which adds no Date), goes through the
real hub's SMTP receiver and inbound pipeline; lina accepts it and opens the thread.
"""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from typing import Any

from core.protocol.email import EmailKind
from core.protocol.models import Channel
from desktop.app import DesktopApp
from hub.process import HubProcess
from tests.ui.email.test_email_flow import (  # noqa: F401 - fixtures
    MAILBOX,
    desktop,
    email_hub,
    smtp_server,
)
from tests.ui.routing_helpers import accept_offer
from tests.ui.shell.test_desktop_flow import signed_in
from ui.email.view import EmailView
from ui.widgets.plain_text import PlainLabel


def test_mail_without_date_is_not_malformed(
        qtbot: Any, qloop: asyncio.AbstractEventLoop,
        email_hub: tuple[HubProcess, int], desktop: DesktopApp) -> None:  # noqa: F811
    mail = EmailMessage()
    mail["From"] = "Tom Baker <tom@mail.example>"
    mail["To"] = MAILBOX
    mail["Subject"] = "Invoice 88 question"
    mail["Message-ID"] = "<invoice-88@mail.example>"
    mail.set_content("Hello, could you send invoice 88 again? Thanks, Tom")
    assert mail["Date"] is None
    with smtplib.SMTP("127.0.0.1", email_hub[1], timeout=10) as smtp:
        smtp.send_message(mail)

    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    service, window = desktop.signed.service, desktop.signed.window
    qtbot.waitUntil(lambda: any(o.channel is Channel.EMAIL for o in service.routing.offers()),
                    timeout=15_000)
    [offer] = [o for o in service.routing.offers() if o.channel is Channel.EMAIL]
    accept_offer(qtbot, window, offer.conversation_id)
    view = window.open_conversation(offer.conversation_id)
    assert isinstance(view, EmailView)
    qtbot.waitUntil(lambda: bool(view.cards()) and view.cards()[-1].details.header_message_id
                    == "<invoice-88@mail.example>", timeout=10_000)
    card = view.cards()[-1]
    assert "invoice 88 again" in card.details.text
    markers = [label.text() for label in card.findChildren(PlainLabel)
               if label.objectName() == "EmailMarker"]
    assert not any("malformed" in text for text in markers), markers
    assert not card.details.parse_problem
    # a reply quotes it with the time it arrived, not the start of 1970
    view.start(EmailKind.REPLY)
    quote = view.composer.text.toPlainText()
    assert "wrote:" in quote and "1970" not in quote
