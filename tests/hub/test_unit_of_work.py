"""A command is one unit of work: its state change, events and op id commit
together, and its frames go out only after the commit.

A failure injected after the command's events are written rolls everything back:
no state change, no event, no op id, no frame. The retry of the same op then
applies exactly once, and a second retry is answered from the recorded op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import coaching as cop
from core.protocol import routing as rp
from core.protocol.codec import agent_server_decoder
from core.protocol.models import Channel, MessageAuthor, Presence
from hub.composition import HubParts, compose
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.transport.peers import Peer

_decode = agent_server_decoder().decode


class RecordingPeer(Peer):
    """A connection that keeps every frame it is sent (no socket)."""

    def __init__(self, label: str) -> None:  # no socket
        self.closed = False
        self.label = label
        self.frames: list[str] = []
        self.stream_seq: int | None = None

    def send(self, frame: str) -> None:
        self.frames.append(frame)


@dataclass
class Desk:
    parts: HubParts
    store: Store
    lina: str
    wang: str
    conversation: str
    lina_peer: RecordingPeer
    wang_peer: RecordingPeer
    customer_peer: RecordingPeer


@pytest.fixture
def desk(hub_db: str) -> Iterator[Desk]:
    engine = create_engine(hub_db)
    migrate(engine)
    store = Store(engine)
    parts = compose(store, clock=VirtualClock())
    lina = store.create_agent("lina", "Lina", "h")
    wang = store.create_agent("wang", "Wang", "h")
    for agent_id in (lina, wang):
        store.set_agent_queues(agent_id, ["chat"])
    customer = store.create_customer("Mei")
    conversation = store.create_conversation(customer, queue="chat").id
    store.assign(conversation, lina)
    parts.routing.load()
    peers = RecordingPeer("lina"), RecordingPeer("wang"), RecordingPeer("mei")
    parts.service.agent_joined(peers[0], lina, ap.Hello(v=1, token="t"))
    parts.service.agent_joined(peers[1], wang, ap.Hello(v=1, token="t"))
    parts.service.customers.add(customer, peers[2])
    yield Desk(parts, store, lina, wang, conversation, *peers)
    parts.service.stopped()
    engine.dispose()


def fail_once_after(real: Callable[..., Any]) -> Callable[..., Any]:
    """``real``, but its first call raises after it did its work."""
    calls = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls.append(result)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return result

    return wrapped


def counts(desk: Desk) -> dict[str, int]:
    """Rows that a command adds: events, ops, messages, offers."""
    with desk.store.engine.connect() as conn:
        def count(table: sa.Table) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

        return {
            "events": count(t.agent_events),
            "ops": count(t.ops),
            "messages": count(t.messages),
            "offers": count(t.offers),
        }


def frames_sent(desk: Desk) -> list[int]:
    return [len(p.frames) for p in (desk.lina_peer, desk.wang_peer, desk.customer_peer)]


def acked_seq(answer: str) -> int | None:
    frame = _decode(answer)
    assert isinstance(frame, ap.Ack), frame
    return frame.seq


def events_of(peer: RecordingPeer, body: type[msgspec.Struct]) -> list[ap.Event]:
    out = []
    for text in peer.frames:
        frame = _decode(text)
        if isinstance(frame, ap.Events):
            out += [e for e in frame.events if isinstance(e.body, body)]
    return out


def events_after(peer: RecordingPeer, first_frame: int) -> list[ap.Event]:
    out: list[ap.Event] = []
    for text in peer.frames[first_frame:]:
        frame = _decode(text)
        if isinstance(frame, ap.Events):
            out += frame.events
    return out


def test_a_transfer_that_fails_after_its_events_leaves_nothing_and_its_retry_applies_once(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, routing = desk.store, desk.parts.routing
    before, sent = counts(desk), frames_sent(desk)
    head = store.head_seq(desk.lina)
    cmd = rp.Transfer(op="op-transfer", conversation_id=desk.conversation, to_agent=desk.wang)
    monkeypatch.setattr(store, "record_op", fail_once_after(store.record_op))

    with pytest.raises(RuntimeError):
        desk.parts.service.agent_command(desk.lina, cmd)

    assert counts(desk) == before
    assert store.head_seq(desk.lina) == head
    assert store.op_result(desk.lina, "op-transfer") is None
    assert store.conversation(desk.conversation).agent_id == desk.lina  # type: ignore[union-attr]
    assert store.open_offers() == []
    assert frames_sent(desk) == sent  # nobody heard of it
    # The router in memory again matches the store: still Lina's, nothing waiting.
    assert desk.conversation not in routing.router.waiting
    assert routing.agent(desk.lina).load[Channel.CHAT] == 1

    seq = acked_seq(desk.parts.service.agent_command(desk.lina, cmd))

    after = counts(desk)
    assert after["ops"] == before["ops"] + 1
    assert after["offers"] == before["offers"] + 1
    assert after["messages"] == before["messages"] + 1  # the transfer line, once
    unassigned = events_of(desk.lina_peer, ap.ConversationUnassigned)
    assert [e.seq for e in unassigned] == [seq]
    assert [o.agent_id for o in store.open_offers()] == [desk.wang]
    assert len(events_of(desk.wang_peer, rp.OfferMade)) == 1

    again = desk.parts.service.agent_command(desk.lina, cmd)
    assert acked_seq(again) == seq
    assert counts(desk) == after


def test_a_presence_change_that_fails_after_its_events_leaves_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, routing = desk.store, desk.parts.routing
    before, sent = counts(desk), frames_sent(desk)
    head = store.head_seq(desk.lina)
    cmd = ap.SetPresence(op="op-away", presence=Presence.AWAY, reason=rp.AwayReason.BREAK)
    monkeypatch.setattr(store, "record_op", fail_once_after(store.record_op))

    with pytest.raises(RuntimeError):
        desk.parts.service.agent_command(desk.lina, cmd)

    assert counts(desk) == before
    assert store.agent_row(desk.lina).presence == Presence.AVAILABLE.value
    assert routing.agent(desk.lina).presence == Presence.AVAILABLE
    assert frames_sent(desk) == sent

    seq = acked_seq(desk.parts.service.agent_command(desk.lina, cmd))

    assert store.agent_row(desk.lina).presence == Presence.AWAY.value
    assert counts(desk)["ops"] == before["ops"] + 1
    assert len(events_of(desk.lina_peer, ap.PresenceChanged)) == 1
    # Every event of the change went out once, in order, and the ack names the last.
    assert [e.seq for e in events_after(desk.lina_peer, sent[0])] == list(range(head + 1, seq + 1))


def test_a_chat_message_that_fails_after_its_event_leaves_nothing_and_its_retry_sends_once(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = desk.store
    before, sent = counts(desk), frames_sent(desk)
    cmd = ap.SendMessage(op="op-hello", conversation_id=desk.conversation,
                         message_id="m-hello", text="您好，有什么可以帮您？")
    # The message, its event and the op id are written by then; the first reply's
    # service-level mark is the command's last write.
    monkeypatch.setattr(store, "mark_first_reply", fail_once_after(store.mark_first_reply))

    with pytest.raises(RuntimeError):
        desk.parts.service.agent_command(desk.lina, cmd)

    assert counts(desk) == before
    assert store.op_result(desk.lina, "op-hello") is None
    assert store.messages_of(desk.conversation) == []
    assert store.conversation_row(desk.conversation).first_reply_at is None  # type: ignore[union-attr]
    assert frames_sent(desk) == sent  # the customer saw nothing

    seq = acked_seq(desk.parts.service.agent_command(desk.lina, cmd))
    acked_seq(desk.parts.service.agent_command(desk.lina, cmd))  # a duplicate

    messages = store.messages_of(desk.conversation)
    assert [(m.id, m.author) for m in messages] == [("m-hello", MessageAuthor.AGENT)]
    assert counts(desk)["ops"] == before["ops"] + 1
    added = events_of(desk.lina_peer, ap.MessageAdded)
    assert [e.seq for e in added] == [seq]
    to_customer = [f for f in desk.customer_peer.frames[sent[2]:] if "m-hello" in f]
    assert len(to_customer) == 1


def test_a_monitors_copy_is_in_the_unit_of_the_event_it_copies(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A supervisor watches Lina's chat. Lina's message and the supervisor's copy
    of it are one unit: when writing the copy fails, Lina's message is not stored
    either (before, it was, and the supervisor never saw it); the retry stores
    both, once."""
    store, service = desk.store, desk.parts.service
    sam = store.create_agent("sam", "Sam", "h", role="supervisor")
    sam_peer = RecordingPeer("sam")
    service.agent_joined(sam_peer, sam, ap.Hello(v=1, token="t"))
    service.agent_command(sam, cop.MonitorConversation(op="op-watch",
                                                       conversation_id=desk.conversation))
    before, sent = counts(desk), frames_sent(desk)
    coaching_store = service.coaching.store
    monkeypatch.setattr(coaching_store, "mirror", fail_once_after(coaching_store.mirror))
    cmd = ap.SendMessage(op="op-hi", conversation_id=desk.conversation,
                         message_id="m-hi", text="Hello Mei")

    with pytest.raises(RuntimeError):
        service.agent_command(desk.lina, cmd)

    assert counts(desk) == before
    assert store.messages_of(desk.conversation) == []
    assert frames_sent(desk) == sent
    assert events_of(sam_peer, ap.MessageAdded) == []

    seq = acked_seq(service.agent_command(desk.lina, cmd))
    assert [e.seq for e in events_of(desk.lina_peer, ap.MessageAdded)] == [seq]
    copies = events_of(sam_peer, ap.MessageAdded)
    assert [c.body.message.id for c in copies] == ["m-hi"]  # type: ignore[attr-defined]


def test_an_offer_timeout_that_fails_after_its_writes_leaves_store_router_and_desk_agreeing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timer is a unit of work too. The offer timeout's writes roll back with the
    failure; the router, rebuilt from the store, ends the overdue offer once and offers
    the conversation again, and every event stored reached the agent, in order."""
    store, routing = desk.store, desk.parts.routing
    clock = routing.clock
    assert isinstance(clock, VirtualClock)
    cmd = rp.Transfer(op="op-transfer", conversation_id=desk.conversation, to_agent=desk.wang)
    acked_seq(desk.parts.service.agent_command(desk.lina, cmd))
    [offer] = store.open_offers()
    assert offer.agent_id == desk.wang
    wang_frames, wang_head = len(desk.wang_peer.frames), store.head_seq(desk.wang)
    monkeypatch.setattr(store, "end_open_offer", fail_once_after(store.end_open_offer))

    # The timeout fires and fails after its writes; the loop goes on.
    clock.advance(routing.settings.offer_timeout_s[Channel.CHAT] + 1)

    withdrawn = events_of(desk.wang_peer, rp.OfferWithdrawn)
    assert [e.body.offer_id for e in withdrawn] == [offer.id]  # type: ignore[attr-defined]
    live = [e.seq for e in events_after(desk.wang_peer, wang_frames)]
    assert live == list(range(wang_head + 1, store.head_seq(desk.wang) + 1))
    # Store and router agree on what is open: the conversation offered again.
    [again] = store.open_offers()
    assert again.id != offer.id and again.conversation_id == desk.conversation
    assert routing.agent(again.agent_id).offer_id == again.id
