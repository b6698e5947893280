"""Demo data: the seeded GB18030 mail comes from the seeded customer who owns its
address, under that customer's own name (not "王芳" beside a customer called 徐敏).

The hub runs with the flags of the desktop's embedded hub, which seed the demo mail.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from core.protocol.models import Channel
from desktop.app import DesktopApp
from hub.process import HubProcess
from tests.ui.email.test_email_demo import demo_hub, desktop  # noqa: F401 - fixtures
from tests.ui.shell.test_desktop_flow import signed_in
from ui.email.view import EmailView


def test_demo_mail_sender_is_the_customer_it_belongs_to(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, desktop: DesktopApp,  # noqa: F811
        demo_hub: tuple[HubProcess, Path]) -> None:  # noqa: F811
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    service, window = desktop.signed.service, desktop.signed.window
    qtbot.waitUntil(lambda: sum(i.channel is Channel.EMAIL for i in service.inbox()) == 3,
                    timeout=15_000)
    checked = 0
    for item in [i for i in service.inbox() if i.channel is Channel.EMAIL]:
        view = window.open_conversation(item.conversation_id)
        assert isinstance(view, EmailView)
        qtbot.waitUntil(lambda v=view: bool(v.cards()) and all(
            c.details.from_ is not None for c in v.cards()), timeout=10_000)
        for card in view.cards():
            sender = card.details.from_
            if card.details.direction.value == "inbound" and sender is not None:
                assert sender.name == item.customer_name, (sender, item.customer_name)
                checked += 1
    assert checked >= 4  # the thread's two mails, the GB18030 mail, the HTML mail
