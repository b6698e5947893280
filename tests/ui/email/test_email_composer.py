"""The email composer and view without a hub: validation shown next to the field,
size limits, templates, drafts that survive a restart, the program-file warning."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from core.cache.cache import Cache
from core.email.compose import Field
from core.email.settings import EmailSettings, ReplyTemplate
from core.protocol.agent import Event
from core.protocol.email import (
    MAX_ATTACHMENTS_BYTES,
    EmailAttachment,
    EmailFailure,
    EmailKind,
    EmailReceived,
    EmailStatus,
    EmailStatusChanged,
)
from core.protocol.models import Identity, IdentityKind
from core.session.agent_service import AgentService
from desktop.translations import install_translators
from tests.core.email_factories import email_assigned, inbound
from ui.email.view import EmailView
from ui.shell.service_bridge import ServiceBridge

SETTINGS = EmailSettings(
    signature="小张\n坐席客服", mailboxes=("support@shop.example",),
    templates=(ReplyTemplate("Greeting", "Dear {customer_name},"),
               ReplyTemplate("Thanks", "Thank you, {customer_name}! — {agent_name}")),
)


def service_at(path: Path | str) -> AgentService:
    service = AgentService(Cache(path))
    if not service.inbox():
        message, details = inbound("m1", attachments=[
            EmailAttachment("at1", "setup.exe", "application/octet-stream", 2048)])
        service.events_received([Event(seq=1, ts=0, body=email_assigned("e1", messages=[])),
                                 Event(seq=2, ts=0, body=EmailReceived(message, details))])
    return service


def test_validation_is_shown_next_to_the_field(qtbot: Any,
                                                qloop: asyncio.AbstractEventLoop) -> None:
    service = service_at(":memory:")
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    view.start(EmailKind.REPLY)
    composer = view.composer
    assert composer.to.text() == "wang.fang@mail.example"
    assert composer.text.toPlainText().startswith("Dear 王芳,\n\n-- \n小张\n坐席客服\n\n")
    composer.to.setText("wang.fang@mail.example, not-an-address")
    composer.subject.setText("Re: x\r\nBcc: victim@evil.example")
    assert composer.send() is None
    assert composer.errors[Field.TO].isVisibleTo(view)
    assert "not-an-address" in composer.errors[Field.TO].text()
    assert "Line breaks" in composer.errors[Field.SUBJECT].text()
    assert len(service.email.thread("e1")) == 1  # nothing was sent


def test_attachments_over_the_limit_are_refused(qtbot: Any, tmp_path: Path,
                                                 qloop: asyncio.AbstractEventLoop) -> None:
    service = service_at(":memory:")
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    view.start(EmailKind.REPLY)
    big = tmp_path / "video.mp4"
    with big.open("wb") as f:
        f.truncate(MAX_ATTACHMENTS_BYTES + 1)  # sparse: no 25 MB written
    view.composer.attach_files([str(big)])
    assert "video.mp4" in view.composer.errors[Field.FILES].text()
    assert view.composer.send() is None


def test_template_fills_in_the_customer(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = service_at(":memory:")
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    view.start(EmailKind.FORWARD)
    view.composer.agent_name = "小张"
    view.composer.template.activated.emit(2)
    assert view.composer.text.toPlainText().startswith("Thank you, 王芳! — 小张\n")


def test_draft_survives_a_restart(qtbot: Any, qapp: QApplication, tmp_path: Path,
                                  qloop: asyncio.AbstractEventLoop) -> None:
    path = tmp_path / "cache.sqlite3"
    service = service_at(path)
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    view.start(EmailKind.REPLY_ALL)
    view.composer.text.insertPlainText("半句话")  # as typed: textChanged starts the autosave
    qtbot.waitUntil(lambda: "半句话" in (service.email.draft("e1") or view).text, timeout=3000)
    # No orderly shutdown: the next start reads the same file.
    again = EmailView(ServiceBridge(service_at(path)), "e1", SETTINGS)
    qtbot.addWidget(again)
    again.show()
    assert again.composer.isVisible()
    assert "半句话" in again.composer.text.toPlainText()
    assert again.composer.kind is EmailKind.REPLY_ALL
    assert again.composer.cc.text() == "li.lei@mail.example"


def test_program_files_are_warned_about(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = service_at(":memory:")
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    [card] = view.cards()
    [button] = [b for b in card.findChildren(type(view.reply_button))
                if "setup.exe" in b.text()]
    assert button.property("danger") is True
    button.click()
    box = view.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert box.icon() is QMessageBox.Icon.Warning and "program file" in box.text()
    box.reject()


def test_failure_and_charset_marker_are_shown(qtbot: Any,
                                              qloop: asyncio.AbstractEventLoop) -> None:
    service = service_at(":memory:")
    message, details = inbound("m2", at=2_000_000_000_000, charset_problem=True)
    service.events_received([Event(seq=3, ts=0, body=EmailReceived(message, details))])
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    assert "could not be decoded" in " ".join(
        label.text() for label in view.cards()[-1].findChildren(QLabel))
    view.start(EmailKind.REPLY)
    view.composer.to.setText("wang.fang@mail.example")
    sent = view.composer.send()
    assert sent is not None
    card = next(c for c in view.cards() if c.details.message_id == sent)
    assert card.status.text() == "Sending…"
    service.events_received([Event(seq=4, ts=0, body=EmailStatusChanged(
        "e1", sent, EmailStatus.FAILED, EmailFailure.BOUNCE, "550 5.1.1 user unknown"))])
    assert card.status.text() == "Failed: bounced"
    assert card.status.toolTip() == "550 5.1.1 user unknown"


def test_a_mail_stopped_by_the_header_check_says_so_in_english_and_chinese(
        qapp: QApplication, qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = service_at(":memory:")
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.start(EmailKind.REPLY)
    view.composer.to.setText("wang.fang@mail.example")
    sent = view.composer.send()
    assert sent is not None
    card = next(c for c in view.cards() if c.details.message_id == sent)
    service.events_received([Event(seq=4, ts=0, body=EmailStatusChanged(
        "e1", sent, EmailStatus.FAILED, EmailFailure.UNSAFE_HEADERS, "In-Reply-To"))])
    assert card.status.text() == \
        "Failed: not sent, its In-Reply-To header did not pass the safety check"
    assert "Check the subject and the recipients" in card.status.toolTip()
    locale = QLocale()
    translators = install_translators(qapp, "zh_CN")
    try:
        card.refresh(card.details)
        assert card.status.text() == "失败：未发送，In-Reply-To 邮件头未通过安全检查"
        assert "请检查主题和收件人" in card.status.toolTip()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(locale)


def test_reply_before_the_details_arrive_goes_to_the_customer_s_address(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    # A mail known only as a message (its headers not fetched yet, e.g. offline).
    message, _details = inbound("m1")
    item = email_assigned("e1", messages=[message])
    item.customer.identities = [Identity(IdentityKind.EMAIL, "wang.fang@mail.example")]
    service = AgentService(Cache(":memory:"))
    service.events_received([Event(seq=1, ts=0, body=item)])
    view = EmailView(ServiceBridge(service), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    assert view.reply_button.isEnabled()
    view.start(EmailKind.REPLY)
    assert view.composer.to.text() == "wang.fang@mail.example"
