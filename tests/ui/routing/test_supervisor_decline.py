"""A supervisor who declines an email is not offered it again at once; "Pick next"
then takes it (no "conflict"); the offer and the waiting list show the same priority.

A real hub with a mailbox (a mail arrives over its SMTP receiver); the desktop is
signed in as the supervisor 王伟 (wang), the only agent of the email queue online.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.protocol.models import Channel, Presence
from core.protocol.routing import DeclineReason
from desktop.app import DesktopApp
from hub.process import HubProcess
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.email.test_email_flow import MAILBOX, email_hub, smtp_server  # noqa: F401
from tests.ui.routing_helpers import hub_row, wait_offer


@pytest.fixture
def wang_desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
                 email_hub: tuple[HubProcess, int],  # noqa: F811
                 tmp_path: Path) -> Iterator[DesktopApp]:
    with running_desktop(qapp, qtbot, email_hub[0].url, tmp_path) as app:
        sign_in(qtbot, app, "wang")
        yield app


def test_declined_email_waits_and_pick_next_takes_it(
        qtbot: Any, email_hub: tuple[HubProcess, int],  # noqa: F811
        wang_desktop: DesktopApp) -> None:
    hub, smtp_port = email_hub
    assert wang_desktop.signed is not None
    window, service = wang_desktop.signed.window, wang_desktop.signed.service
    window.choose_presence(Presence.AVAILABLE)
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                    "username='wang'") == ("available",), timeout=10_000)
    mail = EmailMessage()
    mail["From"] = "Tom Baker <tom@mail.example>"
    mail["To"] = MAILBOX
    mail["Subject"] = "Refund for order 4471"
    mail["Message-ID"] = "<refund-4471@mail.example>"
    mail.set_content("Please refund order 4471, it arrived broken.")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        smtp.send_message(mail)
    qtbot.waitUntil(lambda: any(o.channel is Channel.EMAIL for o in service.routing.offers()),
                    timeout=15_000)
    [offer] = [o for o in service.routing.offers() if o.channel is Channel.EMAIL]
    conversation_id = offer.conversation_id
    wait_offer(qtbot, window, conversation_id)
    toast = window.offer_toast
    assert toast.current is not None
    offered_priority = toast.current.priority

    toast.decline_current(DeclineReason.WRONG_QUEUE)
    # the queue view lists it as waiting once the hub has handled the decline (the
    # queue statistics follow the decline's own events, an offer included)
    view = window.queue_dock.view
    view.select_queue("email")
    qtbot.waitUntil(lambda: [w.conversation_id for w in view.waiting_shown()]
                    == [conversation_id], timeout=15_000)
    assert hub_row(hub.db_path, "SELECT COUNT(*) FROM offers WHERE conversation_id=? "
                   "AND status='open'", conversation_id) == (0,)
    assert not any(o.conversation_id == conversation_id for o in service.routing.offers())
    assert not toast.isVisible()
    # the same number in both places
    [waiting] = view.waiting_shown()
    assert waiting.priority == offered_priority

    # Pick next (Ctrl+Shift+P) takes it, without a "conflict"
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.current_panel() is not None
                    and window.current_panel().conversation_id == conversation_id,  # type: ignore[union-attr]
                    timeout=15_000)
    assert "conflict" not in window.status_bar.currentMessage()
    assert hub_row(hub.db_path, "SELECT a.username FROM conversations c JOIN agents a "
                   "ON a.id = c.agent_id WHERE c.id=?", conversation_id) == ("wang",)
