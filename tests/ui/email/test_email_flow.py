"""The desktop against a real hub with the email channel: a customer's mail arrives
through the hub's SMTP receiver, the agent replies with an attachment, and the reply
reaches the SMTP server this test runs, threaded and with its attachment; the view
shows it sent."""

from __future__ import annotations

import asyncio
import email
import email.policy
import smtplib
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from core.protocol.email import EmailKind, EmailStatus
from core.protocol.models import Channel
from desktop.app import DesktopApp
from hub.process import HubProcess
from tests.ui.desktop_runner import running_desktop
from tests.ui.routing_helpers import accept_offer
from tests.ui.shell.test_desktop_flow import signed_in
from ui.email.view import EmailView

MAILBOX = "support@shop.example"
CUSTOMER = "wang.fang@mail.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """aiosmtpd handler: keeps every message the hub submits."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def email_hub(make_hub: Callable[..., HubProcess],
              smtp_server: tuple[Inbox, int]) -> tuple[HubProcess, int]:
    receiver = free_port()
    hub = make_hub("--email-mailbox", MAILBOX, "--smtp-host", "127.0.0.1",
                   "--smtp-port", str(smtp_server[1]), "--smtp-security", "plain",
                   "--smtp-backoff", "0.2", "--smtp-receiver-port", str(receiver))
    return hub, receiver


@pytest.fixture
def desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
            email_hub: tuple[HubProcess, int], tmp_path: Path) -> Iterator[DesktopApp]:
    with running_desktop(qapp, qtbot, email_hub[0].url, tmp_path) as app:
        yield app


def customer_writes(port: int) -> str:
    mail = EmailMessage()
    mail["From"] = f"王芳 <{CUSTOMER}>"
    mail["To"] = MAILBOX
    mail["Subject"] = "订单 1234 还没有到"
    mail["Message-ID"] = "<order-1234@mail.example>"
    mail.set_content("您好，我的订单 1234 还没有到，请帮忙查一下。")
    mail.add_alternative('<p>您好，我的订单 <b>1234</b> 还没有到。</p>'
                         '<img src="http://127.0.0.1:9/track.png">', subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(mail)
    return "<order-1234@mail.example>"


def test_reply_with_attachment_is_sent(qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                       email_hub: tuple[HubProcess, int],
                                       smtp_server: tuple[Inbox, int], desktop: DesktopApp,
                                       tmp_path: Path) -> None:
    signed_in(qtbot, desktop)
    signed = desktop.signed
    assert signed is not None
    header_id = customer_writes(email_hub[1])
    service = signed.service
    # The mail is offered like any conversation (routing); the agent accepts it.
    qtbot.waitUntil(lambda: any(o.channel is Channel.EMAIL for o in service.routing.offers()),
                    timeout=15_000)
    [offer] = [o for o in service.routing.offers() if o.channel is Channel.EMAIL]
    accept_offer(qtbot, signed.window, offer.conversation_id)
    [item] = [i for i in service.inbox() if i.channel is Channel.EMAIL]
    view = signed.window.open_conversation(item.conversation_id)
    assert isinstance(view, EmailView)
    # The details (HTML, headers) come from the hub on opening.
    qtbot.waitUntil(lambda: bool(view.cards())
                    and view.cards()[-1].details.header_message_id == header_id, timeout=10_000)
    assert "订单 1234 还没有到" in view.subtitle.text()

    view.start(EmailKind.REPLY)
    composer = view.composer
    assert composer.isVisible() and composer.to.text() == CUSTOMER
    assert composer.subject.text() == "Re: 订单 1234 还没有到"
    invoice = tmp_path / "发票-1234.pdf"
    invoice.write_bytes(b"%PDF-1.4 invoice 1234\n" * 100)
    composer.attach_files([str(invoice)])
    quoted = composer.text.toPlainText()
    composer.text.setPlainText("王芳您好，订单已经发出，发票在附件里。\n\n" + quoted)
    message_id = composer.send()
    assert message_id is not None and composer.isHidden()

    inbox = smtp_server[0]
    qtbot.waitUntil(lambda: len(inbox.received()) == 1, timeout=20_000)
    [sent] = inbox.received()
    assert sent["To"] and CUSTOMER in str(sent["To"])
    assert sent["In-Reply-To"] == header_id
    assert header_id in str(sent["References"])
    files = [(p.get_filename(), p.get_content()) for p in sent.iter_attachments()]
    assert files == [("发票-1234.pdf", invoice.read_bytes())]
    assert "订单已经发出" in sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    def shown_sent() -> bool:
        card = next((c for c in view.cards() if c.details.message_id == message_id), None)
        return card is not None and card.details.status is EmailStatus.SENT \
            and card.status.text() == "Sent"

    qtbot.waitUntil(shown_sent, timeout=15_000)
    assert service.email.draft(item.conversation_id) is None
