"""A hub with the email channel (its outgoing mail to a local SMTP server), as in the
email tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller

from hub.process import HubProcess
from tests.ui.email.test_email_flow import MAILBOX, Inbox, free_port


@pytest.fixture
def mail_hub(make_hub: Callable[..., HubProcess]) -> Iterator[tuple[HubProcess, int]]:
    """(hub, the port its SMTP receiver listens on)."""
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    receiver = free_port()
    hub = make_hub("--email-mailbox", MAILBOX, "--smtp-host", "127.0.0.1",
                   "--smtp-port", str(controller.port), "--smtp-security", "plain",
                   "--smtp-receiver-port", str(receiver))
    yield hub, receiver
    controller.stop()
