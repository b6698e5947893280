"""The demo mailbox on the desktop: the seeded email conversations, the agent's
signature and templates changed in Settings and used by an open composer at once,
and a reply that goes to the hub's demo sink and shows "Sent"."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from core.protocol.email import EmailDirection, EmailKind, EmailStatus
from core.protocol.models import Channel
from desktop.app import DesktopApp
from desktop.embedded_hub import DEMO_MAILBOX
from desktop.settings import Settings
from hub.email.demo_sink import kept_mail
from hub.process import HubProcess
from tests.ui.desktop_runner import running_desktop
from tests.ui.shell.test_desktop_flow import signed_in
from ui.email.view import EmailView
from ui.settings.settings_dialog import SettingsDialog


@pytest.fixture
def demo_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> tuple[HubProcess, Path]:
    sink = tmp_path / "demo-sent-mail"
    # The same flags the desktop's embedded hub runs with.
    hub = make_hub("--email-mailbox", DEMO_MAILBOX, "--smtp-receiver-port", "0",
                   "--email-demo-sink", str(sink))
    return hub, sink


@pytest.fixture
def desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
            demo_hub: tuple[HubProcess, Path], tmp_path: Path) -> Iterator[DesktopApp]:
    with running_desktop(qapp, qtbot, demo_hub[0].url, tmp_path) as app:
        yield app


def _ok(dialog: SettingsDialog) -> Any:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(QDialogButtonBox.StandardButton.Ok)


def test_demo_mail_settings_and_a_reply_to_the_sink(
        qtbot: Any, desktop: DesktopApp, demo_hub: tuple[HubProcess, Path],
        tmp_path: Path) -> None:
    signed_in(qtbot, desktop)
    signed = desktop.signed
    assert signed is not None
    service = signed.service
    window = signed.window

    def email_items() -> list[Any]:
        return [i for i in service.inbox() if i.channel is Channel.EMAIL]

    qtbot.waitUntil(lambda: len(email_items()) == 3, timeout=15_000)
    names = {i.customer_name for i in email_items()}
    assert {"Daniel Hughes", "Olivia Walker"} <= names
    [thread] = [i for i in email_items() if i.customer_name == "Daniel Hughes"]
    view = window.open_conversation(thread.conversation_id)
    assert isinstance(view, EmailView)
    # The details (senders, HTML) come from the hub on opening.
    qtbot.waitUntil(lambda: len(view.cards()) == 3
                    and all(c.details.from_ is not None for c in view.cards()), timeout=10_000)
    # The seeded reply went through the outbox to the demo sink.
    qtbot.waitUntil(lambda: view.cards()[1].details.status is EmailStatus.SENT
                    and view.cards()[1].status.text() == "Sent", timeout=15_000)
    assert [c.details.direction for c in view.cards()] == [
        EmailDirection.INBOUND, EmailDirection.OUTBOUND, EmailDirection.INBOUND]
    if os.environ.get("ZUOXI_SCREENSHOTS"):
        window.resize(1400, 860)
        qtbot.wait(300)
        window.grab().save(os.path.join(os.environ["ZUOXI_SCREENSHOTS"],
                                        "screenshot-email-thread.png"))
        [html_mail] = [i for i in email_items() if i.customer_name == "Olivia Walker"]
        other = window.open_conversation(html_mail.conversation_id)
        assert isinstance(other, EmailView)
        qtbot.waitUntil(lambda: len(other.cards()) == 1, timeout=10_000)
        qtbot.wait(300)
        window.grab().save(os.path.join(os.environ["ZUOXI_SCREENSHOTS"],
                                        "screenshot-email-html.png"))
        window.open_conversation(thread.conversation_id)

    view.start(EmailKind.REPLY)  # an open composer, before the settings change
    composer = view.composer
    assert composer.isVisible()
    assert "daniel.hughes@example.com" in composer.to.text()

    desktop._open_settings()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.email_page is not None
    page = dialog.email_page
    dialog.pages.setCurrentWidget(page)
    assert page.templates.count() == 3  # the defaults of a new installation
    page.signature.setPlainText("李娜 · Zuoxi customer care")
    page.templates.setFocus()
    page.templates.setCurrentRow(2)
    qtbot.keyClick(page.templates, Qt.Key.Key_Delete)  # "Need more details"
    assert page.templates.count() == 2
    qtbot.keyClick(page.templates, Qt.Key.Key_Insert)
    assert page.templates.count() == 3 and page.templates.currentRow() == 2
    assert page.template_name.selectedText() == "New template"  # ready to be typed over
    page.template_name.clear()
    qtbot.keyClicks(page.template_name, "Courier time")
    page.template_text.setPlainText("Hi {customer_name}, the courier comes after 2 pm. "
                                    "— {agent_name}")
    page.templates.setCurrentRow(0)
    assert page.template_name.text() == "Greeting"
    page.mailboxes.setText("support@zuoxi.localhost, not an address")
    assert not _ok(dialog).isEnabled() and page.mailbox_error.isVisible()
    assert "not an address" in page.mailbox_error.text()
    page.mailboxes.setText("support@zuoxi.localhost, Service@Zuoxi.localhost")
    assert _ok(dialog).isEnabled() and page.mailbox_error.isHidden()
    if os.environ.get("ZUOXI_SCREENSHOTS"):
        dialog.grab().save(os.path.join(os.environ["ZUOXI_SCREENSHOTS"], "settings-email.png"))
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)

    saved = Settings(tmp_path / "settings.ini").email_settings()
    assert saved.signature == "李娜 · Zuoxi customer care"
    assert [t.name for t in saved.templates] == ["Greeting", "Order shipped", "Courier time"]
    assert saved.mailboxes == ("support@zuoxi.localhost", "service@zuoxi.localhost")

    # The open composer has the new templates without a restart.
    choices = [composer.template.itemText(i) for i in range(composer.template.count())]
    assert choices[1:] == ["Greeting", "Order shipped", "Courier time"]
    composer.template.setCurrentIndex(3)
    composer.template.activated.emit(3)  # what choosing it with mouse or keys does
    text = composer.text.toPlainText()
    assert text.startswith("Hi Daniel Hughes, the courier comes after 2 pm. — 李娜")
    # A reply started now carries the new signature.
    composer.discard()
    view.start(EmailKind.REPLY)
    assert "-- \n李娜 · Zuoxi customer care" in composer.text.toPlainText()
    composer.text.setPlainText("Hi Daniel,\n\nyes, after 2 pm is fine.\n\n"
                               + composer.text.toPlainText())
    message_id = composer.send()
    assert message_id is not None, [e.text() for e in composer.errors.values()]

    sink = demo_hub[1]
    qtbot.waitUntil(lambda: len(kept_mail(sink)) == 2, timeout=20_000)
    sent = email.message_from_bytes(kept_mail(sink)[1], policy=email.policy.default)
    assert sent.get_content_type() == "multipart/alternative"
    html = sent.get_body(("html",))
    assert html is not None and "<blockquote" in html.get_content()

    def shown_sent() -> bool:
        card = next((c for c in view.cards() if c.details.message_id == message_id), None)
        return card is not None and card.status.text() == "Sent"

    qtbot.waitUntil(shown_sent, timeout=15_000)
