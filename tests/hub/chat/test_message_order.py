"""Messages of one conversation keep the order they were stored in, even when
several are stored within the same millisecond (ids are random, so a tie on the
time would show them in either order)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.protocol.models import MessageAuthor
from hub.auth import Authenticator
from hub.demo.seed import seed_agents
from hub.selfservice.records import BotRecords
from hub.store import schema as t
from hub.store.store import Store, create_engine


@pytest.fixture
def store(hub_db: str) -> Store:
    engine = create_engine(hub_db)
    t.migrate(engine)
    store = Store(engine)
    seed_agents(store, Authenticator(store))
    return store


def test_messages_stored_in_one_millisecond_keep_their_order(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = 1_800_000_000_000
    for module in ("hub.chat.conversation_store", "hub.routing.routing_store",
                   "hub.selfservice.records"):
        monkeypatch.setattr(f"{module}.now_ms", lambda: frozen)
    customer_id = store.create_customer("Wang Fang")
    conv = store.create_conversation(customer_id, created_at=frozen)
    written = []
    for i in range(5):
        msg, _ = store.add_customer_message(conv.id, customer_id, f"k{i}", f"q{i}", "Wang Fang")
        written.append(msg.id)
        written.append(BotRecords(store.db).add_message(
            conv.id, MessageAuthor.BOT, f"a{i}").id)
    written.append(store.add_system_message(conv.id, "bot.handoff:asked").id)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.messages.c.id, t.messages.c.created_at)
                            .where(t.messages.c.conversation_id == conv.id)
                            .order_by(t.messages.c.created_at, t.messages.c.id)).all()
    assert [r.id for r in rows] == written
    assert [r.created_at for r in rows] == list(range(frozen, frozen + len(written)))


def test_a_message_after_an_older_one_keeps_its_own_time(store: Store) -> None:
    customer_id = store.create_customer("Tom")
    conv = store.create_conversation(customer_id)
    first, _ = store.add_customer_message(conv.id, customer_id, "k1", "hello", "Tom")
    with store.engine.begin() as conn:  # the first message is an hour old
        conn.execute(t.messages.update().where(t.messages.c.id == first.id)
                     .values(created_at=first.created_at - 3_600_000))
    second, _ = store.add_customer_message(conv.id, customer_id, "k2", "still there?", "Tom")
    assert second.created_at >= first.created_at  # now, not the old time + 1
