"""An in-process hub core (store, service, email channel) on a real database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.composition import compose
from hub.email.channel import EmailChannel
from hub.email.config import EmailConfig, SmtpSettings
from hub.routing.offers import VirtualClock
from hub.service import HubService
from hub.store import schema
from hub.store.store import Store, create_engine


@dataclass
class EmailHub:
    store: Store
    service: HubService
    channel: EmailChannel
    agent_id: str


def open_email_hub(db: Path | str, smtp: SmtpSettings | None = None) -> EmailHub:
    engine = create_engine(db)
    schema.migrate(engine)
    store = Store(engine)
    # Routing timers run on a virtual clock: these tests drive the service directly.
    parts = compose(
        store, clock=VirtualClock(), email=EmailConfig(mailbox="support@example.com", smtp=smtp)
    )
    service, channel = parts.service, parts.email
    row = store.agent_by_username("lina")
    agent = str(row.id) if row is not None else store.create_agent("lina", "李娜", "h")
    return EmailHub(store, service, channel, agent)


@pytest.fixture
def email_hub(hub_db: str) -> EmailHub:
    return open_email_hub(hub_db)
