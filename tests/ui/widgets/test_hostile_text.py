"""Text from customers, mails, agents and the hub is shown as text, never as HTML.

A visitor named ``<img src="/dev/zero">`` once crashed every desktop the offer rang
on: Qt read the "image" until memory ran out. These tests feed a hostile corpus
through every view that shows outside text (the widgets alone, then the whole
desktop against a real hub: a widget visitor over the real websocket, a mail over
real SMTP) and scan every widget with Qt's own rule for what it renders as HTML.
Before the fix the scan found the offer toast's customer label, the email card's
To/Cc line and invitation, the chat title, the screen pop and the call toast and
panel labels, and item-view tooltips.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from core.protocol.email import EmailAddress, EmailDetails, EmailDirection, EmailStatus
from core.protocol.models import Channel, Presence
from core.records import CustomerProfile, ScreenPop
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.hostile_text import BIG_IMAGE_PX, big_image, corpus, scan, shown
from tests.ui.routing_helpers import accept_offer, hub_row, wait_offer
from ui.call.call_panel import CallPanel
from ui.call.call_toast import CallToast
from ui.email.card import EmailCard
from ui.email.view import EmailView
from ui.profile.screen_pop import ScreenPopToast
from ui.routing.offer_toast import OfferCard, OfferToast
from ui.widgets.plain_text import PlainLabel, plain_as_rich

PASSWORD = "zuoxi-demo"
MAILBOX = "support@zuoxi.test"


@pytest.fixture
def hostile(tmp_path: Path) -> list[str]:
    return corpus(big_image(tmp_path))


def test_the_scan_finds_an_html_label_and_qt_really_loads_its_image(
        qtbot: Any, tmp_path: Path) -> None:
    image = big_image(tmp_path)
    payload = f'<img src="{image}">'
    auto = QLabel(payload)  # Qt's default mode: what the review found
    plain = PlainLabel(payload)
    for label in (auto, plain):
        qtbot.addWidget(label)
    # Qt read the file into the label (here a big image; /dev/zero never ends).
    assert auto.sizeHint().height() >= BIG_IMAGE_PX
    assert plain.sizeHint().height() < 100
    assert [f.where for f in scan([auto, plain])] == ["label"]
    tip = QWidget()
    qtbot.addWidget(tip)
    tip.setToolTip(payload)
    assert [f.where for f in scan([tip])] == ["tooltip"]
    tip.setToolTip(plain_as_rich(payload))
    assert scan([tip]) == []


def hostile_profile(name: str) -> CustomerProfile:
    return CustomerProfile(id="cu-h", name=name, identities=(), language=None,
                           tier="high_value", tags=(name[:50],), recent=())


def test_every_view_shows_the_hostile_corpus_as_text(qtbot: Any, hostile: list[str]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1366, 768)
    offer, call, panel, pop = OfferToast(host), CallToast(host), CallPanel(), ScreenPopToast(host)
    qtbot.addWidget(panel)
    views: list[QWidget] = [offer, call, panel, pop]
    for text in hostile:
        profile = hostile_profile(text)
        offer.set_offers([OfferCard(
            offer_id="o1", conversation_id="c1", customer_id="cu-h", customer_name=text,
            channel=Channel.CHAT, queue_name=text, priority=1, offered_at=0,
            expires_at=60_000, note=text, note_by=text)], profile)
        call.show_call("call-1", text, profile, transferred_from=text)
        panel.show_call("call-1", text, text, answered_at=None, muted=False, held=False,
                        connected=True)
        pop.show_pop(ScreenPop(customer_id="cu-h", conversation_id="c1"), profile)
        address = EmailAddress(address="x@example.com", name=text)
        card = EmailCard(EmailDetails(
            message_id="m1", conversation_id="c1", direction=EmailDirection.INBOUND,
            status=EmailStatus.RECEIVED, header_message_id="<m1@example.com>", subject=text,
            from_=address, to=[address], cc=[address], text=text, calendar_summary=text,
            failure_detail=text))
        qtbot.addWidget(card)
        card.set_expanded(True)
        every = [w for v in [*views, card] for w in [v, *v.findChildren(QWidget)]]
        assert [str(f) for f in scan(every)] == [], text[:40]
        if not text.startswith("\u202e"):  # controls are blanked, the rest is shown
            assert shown(text.lstrip("&"), every) or shown(text[:20], every), text[:40]
        card.deleteLater()


# ---- the whole desktop against a real hub ---------------------------------------------


class Outbox:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    from tests.ui.email.test_email_flow import free_port

    port = free_port()
    controller = Controller(Outbox(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def hostile_mail(text: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f'"{text[:200]}" <mallory@example.net>'
    mail["To"] = f'"{text[:200]}" <{MAILBOX}>'
    mail["Cc"] = f'"{text[:200]}" <boss@example.net>'
    mail["Subject"] = text[:200]
    mail["Message-ID"] = "<hostile-1@example.net>"
    mail.set_content(text)
    mail.add_attachment(
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
         f"UID:h1@example.net\r\nSUMMARY:{text[:200]}\r\nDTSTART:20270101T100000Z\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n"), subtype="calendar", filename="invite.ics")
    return mail


def test_hostile_visitor_and_mail_in_the_whole_desktop(
        qapp: QApplication, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], smtp_port: int, tmp_path: Path) -> None:
    from tests.ui.email.test_email_flow import free_port

    image = big_image(tmp_path)
    name = f'Emma<img src="{image}"><b>Walker</b>'
    words = f'<img src="{image}"> \u202eevil <a href="file:///etc/passwd">pay here</a>'
    receiver = free_port()
    hub = make_hub("--email-mailbox", MAILBOX, "--smtp-host", "127.0.0.1",
                   "--smtp-port", str(smtp_port), "--smtp-security", "plain",
                   "--smtp-receiver-port", str(receiver))
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "lina", PASSWORD)
        assert app.signed is not None
        window, service = app.signed.window, app.signed.service
        window.resize(1366, 768)
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents "
                                        "WHERE username=?", "lina") == ("available",),
                        timeout=10_000)

        visitor = SimCustomer(hub.customer_ws_url, name=name)
        run(qtbot, qloop, visitor.connect())
        run(qtbot, qloop, visitor.send(words))
        qtbot.waitUntil(lambda: visitor.conversation_id is not None, timeout=10_000)
        wait_offer(qtbot, window, visitor.conversation_id)
        assert shown("Emma<img"), "the offer shows the visitor's name as typed"
        assert [str(f) for f in scan()] == []  # the offer rings: the review's crash
        accept_offer(qtbot, window, visitor.conversation_id)
        qtbot.waitUntil(lambda: shown(name), timeout=10_000)
        assert [str(f) for f in scan()] == []

        with smtplib.SMTP("127.0.0.1", receiver, timeout=10) as smtp:
            smtp.send_message(hostile_mail(name))
        qtbot.waitUntil(lambda: any(o.channel is Channel.EMAIL
                                    for o in service.routing.offers()), timeout=15_000)
        [offer] = [o for o in service.routing.offers() if o.channel is Channel.EMAIL]
        accept_offer(qtbot, window, offer.conversation_id)
        view = window.open_conversation(offer.conversation_id)
        assert isinstance(view, EmailView)
        qtbot.waitUntil(lambda: bool(view.cards())
                        and view.cards()[-1].details.calendar_summary is not None,
                        timeout=10_000)
        card = view.cards()[-1]
        card.set_expanded(True)
        qtbot.waitUntil(lambda: any("Invitation" in w.text() and "<img" in w.text()
                                    for w in card.findChildren(QLabel)), timeout=5_000)
        assert [str(f) for f in scan()] == []
        run(qtbot, qloop, visitor.disconnect())


def test_no_view_makes_a_label_in_qt_default_mode() -> None:
    """Labels come from ``PlainLabel``; a rich one sets its format where it is made."""
    import ast

    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in [*root.joinpath("ui").rglob("*.py"), *root.joinpath("desktop").rglob("*.py")]:
        if path.name == "plain_text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "QLabel":
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and any(
                    getattr(b, "id", None) == "QLabel" for b in node.bases):
                offenders.append(f"{path.relative_to(root)}:{node.lineno} (subclass)")
    assert offenders == []
