"""Follow-ups on an in-process hub with a virtual clock: commands with op ids,
who may, the stored reminder (re-armed after a restart), the customer told when
solved, and a message left with nobody available reaching the agent who logs in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import followups as fp
from core.protocol import routing as rp
from core.protocol.codec import agent_server_decoder, customer_server_decoder
from core.protocol.models import Presence
from hub.composition import HubParts, compose
from hub.followups.followup_store import MailKind
from hub.routing.offers import VirtualClock
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.transport.peers import Peer

_agent = agent_server_decoder().decode
_customer = customer_server_decoder().decode
HOUR_MS = 3600_000
# 2026-01-05 10:00 Asia/Shanghai, a Monday: the center is open.
MONDAY_10 = 1_767_578_400_000


class RecordingPeer(Peer):
    def __init__(self, label: str) -> None:  # no socket
        self.closed = False
        self.label = label
        self.frames: list[str] = []
        self.stream_seq: int | None = None

    def send(self, frame: str) -> None:
        self.frames.append(frame)

    def decoded(self, decode: Any) -> list[Any]:
        return [decode(f) for f in self.frames]


def bodies(peer: RecordingPeer, kind: type) -> list[Any]:
    return [e.body for f in peer.decoded(_agent) if isinstance(f, ap.Events)
            for e in f.events if isinstance(e.body, kind)]


def answer(peer: RecordingPeer, frame: str) -> Any:
    return _agent(frame)


@dataclass
class Desk:
    parts: HubParts
    store: Store
    clock: VirtualClock
    lina: str
    wang: str
    boss: str
    customer: str
    conversation: str
    peers: dict[str, RecordingPeer]

    def command(self, agent_id: str, cmd: Any) -> Any:
        return _agent(self.parts.service.agent_command(agent_id, cmd))


def build(db: str, clock: VirtualClock) -> tuple[Store, HubParts]:
    engine = create_engine(db)
    migrate(engine)
    store = Store(engine)
    return store, compose(store, clock=clock)


@pytest.fixture
def desk(hub_db: str) -> Iterator[Desk]:
    clock = VirtualClock(MONDAY_10)
    store, parts = build(hub_db, clock)
    lina = store.create_agent("lina", "Lina", "h")
    wang = store.create_agent("wang", "Wang", "h")
    boss = store.create_agent("boss", "Boss", "h", role="supervisor")
    for agent_id in (lina, wang, boss):
        store.set_agent_queues(agent_id, ["chat"])
    customer = store.create_customer("Mei")
    conversation = store.create_conversation(customer, queue="chat").id
    store.assign(conversation, lina)
    parts.routing.load()
    peers = {name: RecordingPeer(name) for name in ("lina", "wang", "boss", "mei")}
    for name, agent_id in (("lina", lina), ("wang", wang), ("boss", boss)):
        parts.service.agent_joined(peers[name], agent_id, ap.Hello(v=1, token="t"))
    parts.service.customers.add(customer, peers["mei"])
    yield Desk(parts, store, clock, lina, wang, boss, customer, conversation, peers)
    parts.service.stopped()
    store.engine.dispose()


def create(desk: Desk, due_in_ms: int, op: str = "op-1", fid: str = "fu-1") -> Any:
    return desk.command(desk.lina, fp.CreateFollowUp(
        op=op, followup_id=fid, conversation_id=desk.conversation,
        kind=fp.FollowUpKind.INVESTIGATION, due_at=desk.clock.now_ms() + due_in_ms,
        note="check the refund"))


def test_create_is_one_unit_with_an_op_id_and_an_event(desk: Desk) -> None:
    ack = create(desk, 2 * HOUR_MS)
    assert isinstance(ack, ap.Ack) and ack.seq is not None
    again = create(desk, 2 * HOUR_MS)  # a retry: the first answer, nothing twice
    assert isinstance(again, ap.Ack) and again.seq == ack.seq
    changed = bodies(desk.peers["lina"], fp.FollowUpChanged)
    assert len(changed) == 1
    fu = changed[0].followup
    assert (fu.owner_id, fu.status, fu.kind, fu.source) == (
        desk.lina, fp.FollowUpStatus.OPEN, fp.FollowUpKind.INVESTIGATION, fp.FollowUpSource.CHAT)
    assert fu.remind_at == fu.due_at - 900_000  # the shipped 15-minute lead
    # It outlives the conversation's close.
    desk.command(desk.lina, ap.CloseConversation(op="close", conversation_id=desk.conversation))
    assert desk.parts.service.followups is not None
    assert desk.parts.service.followups.store.followup("fu-1") is not None


def test_only_the_conversations_agent_or_a_supervisor_may_create(desk: Desk) -> None:
    refused = desk.command(desk.wang, fp.CreateFollowUp(
        op="w1", followup_id="fu-w", conversation_id=desk.conversation,
        kind=fp.FollowUpKind.OTHER, due_at=desk.clock.now_ms() + HOUR_MS))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    ok = desk.command(desk.boss, fp.CreateFollowUp(
        op="b1", followup_id="fu-b", conversation_id=desk.conversation,
        kind=fp.FollowUpKind.OTHER, due_at=desk.clock.now_ms() + HOUR_MS))
    assert isinstance(ok, ap.Ack)
    past = create(desk, -2 * HOUR_MS, op="op-past", fid="fu-past")
    assert isinstance(past, ap.Error) and past.code == "invalid"


def test_only_owner_or_supervisor_may_change_it(desk: Desk) -> None:
    create(desk, 2 * HOUR_MS)
    refused = desk.command(desk.wang, fp.UpdateFollowUp(
        op="w1", followup_id="fu-1", status=fp.FollowUpStatus.SOLVED))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    # Taking an owned one is refused too.
    taken = desk.command(desk.wang, fp.UpdateFollowUp(op="w2", followup_id="fu-1",
                                                      owner_id=desk.wang))
    assert isinstance(taken, ap.Error) and taken.code == "forbidden"
    moved = desk.command(desk.boss, fp.UpdateFollowUp(op="b1", followup_id="fu-1",
                                                      owner_id=desk.wang))
    assert isinstance(moved, ap.Ack)
    # Both owners hear of it: the old one drops it, the new one lists it.
    assert bodies(desk.peers["lina"], fp.FollowUpChanged)[-1].followup.owner_id == desk.wang
    assert bodies(desk.peers["wang"], fp.FollowUpChanged)[-1].followup.owner_id == desk.wang


def test_reminder_before_due_once_and_again_after_a_new_due_time(desk: Desk) -> None:
    create(desk, HOUR_MS)
    desk.clock.advance(HOUR_MS / 1000 - 901)
    assert bodies(desk.peers["lina"], fp.FollowUpReminder) == []
    desk.clock.advance(2)
    reminders = bodies(desk.peers["lina"], fp.FollowUpReminder)
    assert [r.followup.id for r in reminders] == ["fu-1"]
    assert reminders[0].followup.reminded_at is not None
    desk.command(desk.lina, fp.UpdateFollowUp(
        op="due", followup_id="fu-1", due_at=desk.clock.now_ms() + HOUR_MS))
    desk.clock.advance(HOUR_MS / 1000)
    assert len(bodies(desk.peers["lina"], fp.FollowUpReminder)) == 2


def test_reminder_is_stored_and_armed_again_after_a_restart(desk: Desk, hub_db: str) -> None:
    create(desk, HOUR_MS)
    desk.parts.service.stopped()  # the hub goes down before the reminder
    clock = VirtualClock(desk.clock.now_ms() + 2 * HOUR_MS)  # back up after it was due
    store, parts = build(hub_db, clock)
    parts.routing.load()
    assert parts.service.followups is not None
    assert parts.service.followups.reminders.start() == 1  # what HubService.started() does
    peer = RecordingPeer("lina")
    parts.service.agent_joined(peer, desk.lina, ap.Hello(v=1, token="t"))
    listed = [f for f in peer.decoded(_agent) if isinstance(f, fp.FollowUps)]
    assert [f.id for f in listed[0].followups] == ["fu-1"]
    clock.advance(0.001)
    assert [r.followup.id for r in bodies(peer, fp.FollowUpReminder)] == ["fu-1"]
    parts.service.stopped()
    store.engine.dispose()


def test_solved_tells_the_customer_in_the_widget_when_online(desk: Desk) -> None:
    create(desk, HOUR_MS)
    ack = desk.command(desk.lina, fp.UpdateFollowUp(
        op="s1", followup_id="fu-1", status=fp.FollowUpStatus.SOLVED, note="refund sent"))
    assert isinstance(ack, ap.Ack)
    solved = [f for f in desk.peers["mei"].decoded(_customer) if isinstance(f, fp.FollowUpSolved)]
    assert [(s.followup_id, s.note) for s in solved] == [("fu-1", "refund sent")]
    # Solved: no reminder any more.
    desk.clock.advance(HOUR_MS / 1000)
    assert bodies(desk.peers["lina"], fp.FollowUpReminder) == []


def test_left_message_waits_for_an_agent_and_is_theirs(desk: Desk) -> None:
    service = desk.parts.service
    for name, agent_id in (("lina", desk.lina), ("wang", desk.wang), ("boss", desk.boss)):
        service.agents.remove(agent_id, desk.peers[name])  # the link is gone
        service.routing.agent_disconnected(agent_id)
        service.routing.set_presence(agent_id, Presence.OFFLINE, None)
    visitor = desk.store.create_customer("Visitor 1234")
    peer = RecordingPeer("visitor")
    assert service.left_messages is not None
    assert service.left_messages.unavailable(None) == fp.Unavailable.NO_AGENT
    service.customers.add(visitor, peer)
    bad = fp.LeaveMessage(id="l1", text="call me", email="not-an-address")
    service.customer_leave_message(peer, visitor, bad)
    error = peer.decoded(_customer)[-1]
    assert isinstance(error, cp.Error) and error.ref == "leave_message:email"
    service.customer_leave_message(peer, visitor, fp.LeaveMessage(
        id="l2", text="My order never came", phone="+86 138 0000 0000",
        callback_at=desk.clock.now_ms() + 3 * HOUR_MS))
    left = [f for f in peer.decoded(_customer) if isinstance(f, fp.MessageLeft)]
    assert len(left) == 1 and left[0].email is False  # no address: no mail
    # Lina logs in: the conversation is offered to her, and taking it makes her the owner.
    fresh = RecordingPeer("lina2")
    service.agent_joined(fresh, desk.lina, ap.Hello(v=1, token="t"))
    offer = bodies(fresh, rp.OfferMade)[-1]
    assert offer.conversation.id == left[0].conversation_id
    desk.command(desk.lina, rp.AcceptOffer(op="acc", offer_id=offer.offer_id))
    owned = bodies(fresh, fp.FollowUpChanged)[-1].followup
    assert (owned.id, owned.owner_id, owned.contact_phone, owned.source) == (
        left[0].followup_id, desk.lina, "+86 138 0000 0000", fp.FollowUpSource.MESSAGE)
    assigned = bodies(fresh, ap.ConversationAssigned)[-1]
    assert [m.text for m in assigned.messages] == ["My order never came"]
    # The second of the same frame answers as the first (no second conversation).
    service.customer_leave_message(peer, visitor, fp.LeaveMessage(
        id="l2", text="My order never came", phone="+86 138 0000 0000"))
    again = [f for f in peer.decoded(_customer) if isinstance(f, fp.MessageLeft)]
    assert len(again) == 2 and again[1].followup_id == left[0].followup_id


def test_closed_outside_business_hours(hub_db: str) -> None:
    clock = VirtualClock()  # 2026-01-01: a holiday in the shipped file
    store, parts = build(hub_db, clock)
    assert parts.service.left_messages is not None
    assert parts.service.left_messages.unavailable(None) == fp.Unavailable.CLOSED
    store.engine.dispose()


def test_left_messages_are_budgeted_per_customer(desk: Desk) -> None:
    service = desk.parts.service
    peer = RecordingPeer("visitor")
    visitor = desk.store.create_customer("V")
    for n in range(4):
        service.customer_leave_message(peer, visitor, fp.LeaveMessage(
            id=f"k{n}", text=f"message {n}", email="v@example.com"))
    frames = peer.decoded(_customer)
    refused = [f for f in frames if isinstance(f, cp.Error)]
    assert [f.ref for f in refused] == ["leave_message:rate"]
    assert MailKind.CONFIRM == "confirm"
    assert msgspec.json.decode(peer.frames[-1])["code"] == "rate_limited"
