"""What a returning widget missed of conversations closed while it was away
(hub/widget/resume.py): the messages after the one it last showed, then the close;
never a conversation of someone else, an open one, or one closed too long ago."""

from __future__ import annotations

import uuid

import pytest

from core.protocol import customer as cp
from core.protocol.models import ClosedBy, Conversation
from hub.auth import Authenticator
from hub.demo.seed import seed_agents
from hub.store import schema as t
from hub.store.store import Store, create_engine, now_ms
from hub.widget.resume import RESUME_MAX_MESSAGES, RESUME_WINDOW_MS, resumed_for

pytestmark = pytest.mark.postgresql


@pytest.fixture
def store(hub_db: str) -> Store:
    engine = create_engine(hub_db)
    t.migrate(engine)
    store = Store(engine)
    seed_agents(store, Authenticator(store))
    return store


def _agent(store: Store) -> str:
    row = store.agent_by_username("lina")
    assert row is not None
    return str(row.id)


def _chat(store: Store, customer_id: str, agent_id: str) -> Conversation:
    conv = store.create_conversation(customer_id)
    store.assign(conv.id, agent_id)
    return conv


def _line(store: Store, conv: Conversation, text: str) -> str:
    msg, _ = store.add_customer_message(conv.id, conv.customer_id, uuid.uuid4().hex, text, "C")
    return msg.id


def _reply(store: Store, conv: Conversation, agent_id: str, text: str) -> str:
    msg, _ = store.add_agent_message(uuid.uuid4().hex, agent_id, conv.id, uuid.uuid4().hex, text)
    return msg.id


def _seen(*pairs: tuple[str, str]) -> list[cp.Seen]:
    return [cp.Seen(conversation_id=c, message_id=m) for c, m in pairs]


def test_a_conversation_closed_since_brings_what_follows_the_last_shown_and_its_close(
        store: Store) -> None:
    lina = _agent(store)
    customer = store.create_customer("Wang Fang")
    conv = _chat(store, customer, lina)
    _line(store, conv, "where is my parcel?")
    first = _reply(store, conv, lina, "let me look")
    second = _reply(store, conv, lina, "it arrives tomorrow")
    third = _reply(store, conv, lina, "anything else?")
    store.close_conversation(conv.id, ClosedBy.AGENT, agent_id=lina)

    resumed = resumed_for(store, {customer}, _seen((conv.id, first)), now_ms())
    assert [(r.conversation_id, r.closed_by) for r in resumed] == [(conv.id, ClosedBy.AGENT)]
    assert [m.id for m in resumed[0].messages] == [second, third]
    closed = store.conversation(conv.id)
    assert closed is not None and resumed[0].closed_at == closed.closed_at

    # Shown to the end, the close is still told (once: the widget then forgets it).
    resumed = resumed_for(store, {customer}, _seen((conv.id, third)), now_ms())
    assert [(r.conversation_id, r.messages) for r in resumed] == [(conv.id, [])]


def test_open_foreign_unknown_and_old_conversations_are_not_resumed(store: Store) -> None:
    lina = _agent(store)
    mine = store.create_customer("Mine")
    other = store.create_customer("Someone else")
    still_open = _chat(store, mine, lina)
    open_line = _line(store, still_open, "hello")
    _reply(store, still_open, lina, "hi")
    theirs = _chat(store, other, lina)
    their_line = _line(store, theirs, "my secret order 42")
    _reply(store, theirs, lina, "your order 42 ships today")
    store.close_conversation(theirs.id, ClosedBy.AGENT, agent_id=lina)
    named_wrong = _chat(store, other, lina)
    store.close_conversation(named_wrong.id, ClosedBy.CUSTOMER)
    seen = _seen((still_open.id, open_line), (theirs.id, their_line),
                 (named_wrong.id, open_line), ("conv_nope", "m_nope"))
    # An open conversation comes in the welcome's own history; another customer's
    # is never told, whatever the widget names.
    assert resumed_for(store, {mine}, seen, now_ms()) == []

    # A message id that is not the conversation's own: left out, not guessed.
    mine_closed = _chat(store, mine, lina)
    _line(store, mine_closed, "one more thing")
    _reply(store, mine_closed, lina, "sure")
    store.close_conversation(mine_closed.id, ClosedBy.AGENT, agent_id=lina)
    assert resumed_for(store, {mine}, _seen((mine_closed.id, their_line)), now_ms()) == []

    # Closed longer ago than the window: not resumed.
    later = now_ms() + RESUME_WINDOW_MS + 1000
    assert resumed_for(store, {mine}, _seen((mine_closed.id, open_line)), later) == []


def test_at_most_the_newest_messages_in_all_and_every_close(store: Store) -> None:
    lina = _agent(store)
    customer = store.create_customer("Chatty")
    older = _chat(store, customer, lina)
    older_seen = _line(store, older, "first chat")
    for i in range(5):
        _reply(store, older, lina, f"older {i}")
    store.close_conversation(older.id, ClosedBy.AGENT, agent_id=lina)
    newer = _chat(store, customer, lina)
    newer_seen = _line(store, newer, "second chat")
    replies = [_reply(store, newer, lina, f"newer {i}") for i in range(RESUME_MAX_MESSAGES - 2)]
    store.close_conversation(newer.id, ClosedBy.SYSTEM)

    resumed = resumed_for(store, {customer},
                          _seen((newer.id, newer_seen), (older.id, older_seen)), now_ms())
    assert [r.conversation_id for r in resumed] == [older.id, newer.id]  # oldest close first
    assert [m.text for m in resumed[0].messages] == ["older 3", "older 4"]
    assert [m.id for m in resumed[1].messages] == replies
    assert sum(len(r.messages) for r in resumed) == RESUME_MAX_MESSAGES
    assert resumed[1].closed_by == ClosedBy.SYSTEM
