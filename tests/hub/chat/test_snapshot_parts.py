"""A snapshot of conversations with long histories: every conversation comes in the
first parts with its newest messages (the inbox is whole early), the older messages
follow in parts of their own, and a cache that applies the parts ends up exactly as
if it had applied each conversation whole (messages, unread count, waiting time)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.cache.cache import Cache
from core.protocol import agent as ap
from core.protocol.models import Message, MessageAuthor
from hub.auth import Authenticator
from hub.chat.conversation_store import SNAPSHOT_HEAD_MESSAGES
from hub.demo.seed import seed_agents
from hub.store import schema as t
from hub.store.base import SNAPSHOT_MESSAGES_PER_CONVERSATION, new_id, now_ms
from hub.store.store import Store, create_engine

# Per conversation: who wrote each message, oldest first ("c" customer, "a" agent).
SHAPES = {
    "long, 3 unanswered": "ca" * 150 + "ccc",
    "never answered": "c" * 40,
    "short": "cacac",
    "answered long ago": "ca" * 50 + "c" * 149,
    "answered last": "ca" * 120,
}


@pytest.fixture
def store(hub_db: str) -> Store:
    engine = create_engine(hub_db)
    t.migrate(engine)
    store = Store(engine)
    seed_agents(store, Authenticator(store))
    return store


def _conversations(store: Store, agent_id: str) -> dict[str, str]:
    base = now_ms() - 10_000_000
    ids = {}
    with store.engine.begin() as conn:
        for i, (name, shape) in enumerate(SHAPES.items()):
            customer_id, conv_id = new_id("c"), new_id("conv")
            conn.execute(t.customers.insert().values(id=customer_id, name=name,
                                                     created_at=base))
            conn.execute(t.conversations.insert().values(
                id=conv_id, customer_id=customer_id, channel="chat", status="open",
                queue_id="chat", agent_id=agent_id, created_at=base + i,
                last_message_at=base + (len(shape) - 1) * 1000))
            conn.execute(t.messages.insert(), [
                {"id": f"{conv_id}-{j:04d}", "conversation_id": conv_id,
                 "author": "customer" if who == "c" else "agent",
                 "agent_id": None if who == "c" else agent_id,
                 "text": f"{name} #{j}", "created_at": base + j * 1000,
                 "status": "delivered"}
                for j, who in enumerate(shape)
            ])
            ids[conv_id] = name
    return ids


def _whole(parts: list[ap.Snapshot]) -> ap.Snapshot:
    """The same state as one part, each conversation with all its messages."""
    items: dict[str, ap.ConversationAssigned] = {}
    older: dict[str, list[Message]] = {}
    for part in parts:
        for item in part.conversations:
            if part.older:
                older.setdefault(item.conversation.id, []).extend(item.messages)
            else:
                items[item.conversation.id] = item
    whole = []
    for conv_id, item in items.items():
        messages = sorted([*older.get(conv_id, []), *item.messages],
                          key=lambda m: (m.created_at, m.id))
        whole.append(ap.ConversationAssigned(conversation=item.conversation,
                                             customer=item.customer, messages=messages,
                                             history=item.history))
    return ap.Snapshot(seq=parts[0].seq, conversations=whole, presence=parts[0].presence)


def test_heads_first_then_older_messages_and_the_cache_ends_the_same(store: Store) -> None:
    agent = store.agent_by_username("lina")
    assert agent is not None
    names = _conversations(store, agent.id)

    parts = store.snapshot_parts(agent.id, max_conversations=2, max_messages=60)
    kinds = [p.older for p in parts]
    assert kinds == sorted(kinds), "every head part comes before the older messages"
    assert [p.last for p in parts] == [False] * (len(parts) - 1) + [True]
    assert [p.part for p in parts] == list(range(len(parts)))
    heads = [i for p in parts if not p.older for i in p.conversations]
    assert sorted(i.conversation.id for i in heads) == sorted(names), "the inbox is whole"
    assert any(p.older for p in parts)
    # older parts are cut to the message budget (a head is never cut: it is what the
    # unread count and waiting time come from)
    assert all(sum(len(i.messages) for i in p.conversations) <= 60 for p in parts if p.older)

    with store.engine.connect() as conn:
        hub_ids = {conv_id: [r.id for r in conn.execute(
            sa.select(t.messages.c.id).where(t.messages.c.conversation_id == conv_id)
            .order_by(t.messages.c.created_at.desc()).limit(SNAPSHOT_MESSAGES_PER_CONVERSATION))]
            for conv_id in names}
    for head in heads:
        got = [m.id for p in parts for i in p.conversations
               if i.conversation.id == head.conversation.id for m in i.messages]
        assert sorted(got) == sorted(hub_ids[head.conversation.id]), "each message once"
        authors = [m.author for m in head.messages]
        shape = SHAPES[names[head.conversation.id]]
        # the head starts at (or before) the last agent message, never after it
        if "a" in shape[-SNAPSHOT_MESSAGES_PER_CONVERSATION:]:
            assert MessageAuthor.AGENT in authors
        assert len(head.messages) >= min(SNAPSHOT_HEAD_MESSAGES, len(hub_ids[head.conversation.id]))

    split, whole = Cache(":memory:"), Cache(":memory:")
    for part in parts:
        split.apply_snapshot(part)
    whole.apply_snapshot(_whole(parts))
    assert split.inbox() == whole.inbox()
    unread = {names[i.conversation_id]: i.unread for i in split.inbox()}
    assert unread == {"long, 3 unanswered": 3, "never answered": 40, "short": 1,
                      "answered long ago": 149, "answered last": 0}
    for conv_id in names:
        assert split.messages(conv_id, 1000) == whole.messages(conv_id, 1000)
    assert split.snapshot_pending() is None and split.last_seq() == parts[0].seq


def test_a_crash_between_heads_and_older_messages_starts_the_snapshot_again(
        store: Store) -> None:
    agent = store.agent_by_username("lina")
    assert agent is not None
    names = _conversations(store, agent.id)
    parts = store.snapshot_parts(agent.id, max_conversations=2, max_messages=60)
    cache = Cache(":memory:")
    for part in parts:
        if part.older:
            break
        cache.apply_snapshot(part)
    assert cache.snapshot_pending() == parts[0].seq and cache.last_seq() is None
    assert len(cache.inbox()) == len(names)
    for part in store.snapshot_parts(agent.id, max_conversations=2, max_messages=60):
        cache.apply_snapshot(part)
    reference = Cache(":memory:")
    for part in parts:
        reference.apply_snapshot(part)
    assert cache.inbox() == reference.inbox()
    for conv_id in names:
        assert cache.messages(conv_id, 1000) == reference.messages(conv_id, 1000)
