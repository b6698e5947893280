"""The hub's side of SIP calls the desktops report (hub/calls/sip_calls.py): each
report is one unit of work; the number finds the customer; the call is in the
timeline, counts for presence and capacity while it lasts and leads to after-call
work; agents report only their own calls."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import msgspec
import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.protocol.codec import (
    ProtocolError,
    agent_client_decoder,
    agent_server_decoder,
    encode_text,
)
from core.protocol.models import Channel, IdentityKind, MessageAuthor, Presence
from hub.composition import HubParts, compose
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from tests.hub.test_unit_of_work import RecordingPeer, fail_once_after

_decode = agent_server_decoder().decode
KNOWN = "+8613800138000"


@dataclass
class Line:
    parts: HubParts
    store: Store
    lina: str
    wang: str
    known: str
    lina_peer: RecordingPeer
    wang_peer: RecordingPeer

    def report(self, agent_id: str, cmd: sp.SipCallReport) -> ap.Ack | ap.Error:
        frame = _decode(self.parts.service.agent_command(agent_id, cmd))
        assert isinstance(frame, ap.Ack | ap.Error), frame
        return frame


@pytest.fixture
def line(hub_db: str) -> Iterator[Line]:
    engine = create_engine(hub_db)
    migrate(engine)
    store = Store(engine)
    parts = compose(store, clock=VirtualClock())
    lina = store.create_agent("lina", "Lina", "h")
    wang = store.create_agent("wang", "Wang", "h")
    for agent_id in (lina, wang):
        store.set_agent_queues(agent_id, ["voice", "chat"])
    known = store.create_customer("Zhang Wei", [(IdentityKind.PHONE, KNOWN)])
    parts.routing.load()
    peers = RecordingPeer("lina"), RecordingPeer("wang")
    parts.service.agent_joined(peers[0], lina, ap.Hello(v=1, token="t"))
    parts.service.agent_joined(peers[1], wang, ap.Hello(v=1, token="t"))
    yield Line(parts, store, lina, wang, known, *peers)
    parts.service.stopped()
    engine.dispose()


def now() -> int:
    return int(time.time() * 1000)


def linked(peer: RecordingPeer) -> list[sp.SipCallLinked]:
    return [f for f in map(_decode, peer.frames) if isinstance(f, sp.SipCallLinked)]


def events_of(peer: RecordingPeer, body: type[msgspec.Struct]) -> list[ap.Event]:
    out: list[ap.Event] = []
    for frame in map(_decode, peer.frames):
        if isinstance(frame, ap.Events):
            out += [e for e in frame.events if isinstance(e.body, body)]
    return out


def started(call_id: str, number: str = "138 0013 8000", **kw: object) -> sp.SipCallStarted:
    return sp.SipCallStarted(op=f"{call_id}-start", call_id=call_id,
                             direction=cl.CallDirection.INBOUND, number=number.replace(" ", ""),
                             started_at=now(), **kw)  # type: ignore[arg-type]


def test_the_frames_round_trip_and_bad_ones_are_refused() -> None:
    decoder = agent_client_decoder()
    cmd = started("sip-1", name="张伟")
    assert decoder.decode(encode_text(cmd)) == cmd
    ended = sp.SipCallEnded(op="o", call_id="sip-1", ended_at=5,
                            reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER)
    assert decoder.decode(encode_text(ended)) == ended
    for bad in (
        b'{"type":"sip_call_started","op":"o","call_id":"a@b","direction":"inbound",'
        b'"number":"1","started_at":1}',  # a raw SIP Call-ID is not an id
        b'{"type":"sip_call_started","op":"o","call_id":"a","direction":"inbound",'
        b'"number":"<script>","started_at":1}',
        b'{"type":"sip_call_started","op":"o","call_id":"a","direction":"inbound",'
        b'"number":"1","started_at":1,"agent_id":"wang"}',  # no agent field to forge
        b'{"type":"sip_call_ended","op":"o","call_id":"a","ended_at":-1,"reason":"declined"}',
    ):
        with pytest.raises(ProtocolError):
            decoder.decode(bad)
    assert isinstance(agent_server_decoder().decode(encode_text(sp.SipCallLinked(
        call_id="sip-1", conversation=_conv(), customer=_customer(), known=True))),
        sp.SipCallLinked)


def _customer() -> object:
    from core.protocol.models import Customer
    return Customer(id="c1", name="Mei")


def _conv() -> object:
    from core.protocol.models import Conversation, ConversationStatus
    return Conversation(id="v1", customer_id="c1", channel=Channel.VOICE,
                        status=ConversationStatus.OPEN, created_at=1)


def test_a_known_number_pops_the_customer_and_the_call_is_counted_recorded_and_wrapped(
    line: Line,
) -> None:
    routing, store = line.parts.routing, line.store
    assert routing.agent(line.lina).presence == Presence.AVAILABLE
    ring = started("sip-a")
    ring.started_at -= 70_000
    assert isinstance(line.report(line.lina, ring), ap.Ack)

    pop = linked(line.lina_peer)
    assert [(p.call_id, p.customer.id, p.known) for p in pop] == [("sip-a", line.known, True)]
    conv = store.conversation(pop[0].conversation.id)
    assert conv is not None and conv.channel == Channel.VOICE and conv.agent_id == line.lina
    assigned = events_of(line.lina_peer, ap.ConversationAssigned)
    assert [e.body.conversation.id for e in assigned] == [conv.id]  # type: ignore[attr-defined]
    # Ringing counts: voice is full and blocks chat, so Lina is busy.
    assert routing.agent(line.lina).load[Channel.VOICE] == 1
    assert routing.agent(line.lina).presence == Presence.BUSY
    assert linked(line.wang_peer) == []

    answered_at = now() - 65_000
    assert isinstance(line.report(line.lina, sp.SipCallAnswered(
        op="a-ans", call_id="sip-a", answered_at=answered_at)), ap.Ack)
    ended = line.report(line.lina, sp.SipCallEnded(
        op="a-end", call_id="sip-a", ended_at=answered_at + 65_000,
        reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER))
    assert isinstance(ended, ap.Ack) and ended.seq is not None

    records = line.parts.calls.records.of_conversation(conv.id)
    assert [(r.call_id, r.agent_id, r.duration_s, r.end_reason) for r in records] == [
        ("sip-a", line.lina, 65.0, cl.CallEndReason.HUNG_UP_BY_CUSTOMER)]
    lines = [e.body.message for e in events_of(line.lina_peer, ap.MessageAdded)]  # type: ignore[attr-defined]
    assert [(m.author, m.text) for m in lines] == [
        (MessageAuthor.SYSTEM, "Inbound call, 1:05 · ended by the customer")]
    assert [e.body.record.call_id for e in events_of(  # type: ignore[attr-defined]
        line.lina_peer, cl.CallRecorded)] == ["sip-a"]
    assert routing.agent(line.lina).presence == Presence.AFTER_CALL_WORK
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.sip_calls)).scalar() == 0
        segment = conn.execute(sa.select(t.contact_segments)
                               .where(t.contact_segments.c.conversation_id == conv.id)).one()
    assert (segment.channel, segment.agent_id, segment.answered_at) == (
        "voice", line.lina, answered_at)
    # The wrap-up of the call works as for a widget call.
    wrap = line.parts.calls.agent_command(
        line.lina_peer, line.lina, cl.WrapUpCall(op="w", call_id="sip-a",
                                                 disposition=line.parts.calls.dispositions[0].code))
    assert isinstance(_decode(wrap), ap.Ack)


def test_an_unknown_number_makes_a_customer_who_owns_it_and_the_next_call_finds_them(
    line: Line,
) -> None:
    assert isinstance(line.report(line.wang, started("sip-u1", "+86 139 1234 5678",
                                                      name="Li Na")), ap.Ack)
    first = linked(line.wang_peer)[-1]
    assert first.known is False and first.customer.name == "Li Na"
    assert line.store.customer_by_identity(IdentityKind.PHONE, "+8613912345678") == \
        first.customer.id
    line.report(line.wang, sp.SipCallEnded(op="u1-end", call_id="sip-u1", ended_at=now(),
                                           reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER))
    # Not answered: no after-call work; the same voice conversation takes the next call.
    assert line.parts.routing.agent(line.wang).presence != Presence.AFTER_CALL_WORK
    assert isinstance(line.report(line.wang, started("sip-u2", "013912345678")), ap.Ack)
    second = linked(line.wang_peer)[-1]
    assert (second.customer.id, second.known) == (first.customer.id, True)
    assert second.conversation.id == first.conversation.id


def ended(call_id: str) -> sp.SipCallEnded:
    return sp.SipCallEnded(op=f"{call_id}-end", call_id=call_id, ended_at=now(),
                           reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER)


def customer_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.customers)).scalar_one())


def test_two_calls_from_one_extension_are_one_customer(line: Line) -> None:
    before = customer_count(line.store)
    assert isinstance(line.report(line.lina, started("sip-x1", "2000", name="Front desk")),
                      ap.Ack)
    first = linked(line.lina_peer)[-1]
    assert first.known is False and first.customer.name == "Front desk"
    assert [(i.kind, i.value) for i in first.customer.identities] == [
        (IdentityKind.EXTERNAL, "pbx:2000")]
    assert isinstance(line.report(line.lina, ended("sip-x1")), ap.Ack)
    # The next call from 2000, to another agent, finds the same customer.
    assert isinstance(line.report(line.wang, started("sip-x2", "2000")), ap.Ack)
    second = linked(line.wang_peer)[-1]
    assert (second.customer.id, second.known) == (first.customer.id, True)
    # Another extension is another customer; a phone number is still a phone.
    assert isinstance(line.report(line.lina, started("sip-x3", "2001")), ap.Ack)
    third = linked(line.lina_peer)[-1]
    assert third.customer.id != first.customer.id
    assert customer_count(line.store) == before + 2
    assert line.store.customer_by_identity(IdentityKind.PHONE, "2000") is None


def test_withheld_calls_make_no_customer_each_but_share_the_anonymous_caller(
    line: Line,
) -> None:
    before = customer_count(line.store)
    assert isinstance(line.report(line.lina, started("sip-w1", "")), ap.Ack)
    first = linked(line.lina_peer)[-1]
    assert first.known is False and first.customer.id != line.known
    assert first.customer.name == "anonymous"
    assert isinstance(line.report(line.lina, ended("sip-w1")), ap.Ack)
    assert isinstance(line.report(line.wang, started("sip-w2", "")), ap.Ack)
    second = linked(line.wang_peer)[-1]
    # The same "anonymous" customer, never "known": the screen pop must not present
    # a history of strangers' calls as this caller's.
    assert (second.customer.id, second.known) == (first.customer.id, False)
    assert second.conversation.id != first.conversation.id  # Wang's own conversation
    assert customer_count(line.store) == before + 1
    # Both calls are on the timeline of that customer.
    assert isinstance(line.report(line.wang, ended("sip-w2")), ap.Ack)
    conversations = {r.conversation_id for conv in (first.conversation.id,
                                                    second.conversation.id)
                     for r in line.parts.calls.records.of_conversation(conv)}
    assert conversations == {first.conversation.id, second.conversation.id}
    for conv_id in conversations:
        conv = line.store.conversation(conv_id)
        assert conv is not None and conv.customer_id == first.customer.id


def test_agents_report_only_their_own_calls(line: Line) -> None:
    line.report(line.lina, started("sip-l"))
    before = len(line.wang_peer.frames), len(line.lina_peer.frames)
    for forged in (
        started("sip-l"),  # the same call id as Lina's
        sp.SipCallAnswered(op="f1", call_id="sip-l", answered_at=now()),
        sp.SipCallEnded(op="f2", call_id="sip-l", ended_at=now(),
                        reason=cl.CallEndReason.HUNG_UP_BY_AGENT),
    ):
        refused = line.report(line.wang, forged)
        assert isinstance(refused, ap.Error) and refused.code == "forbidden", refused
    assert len(line.lina_peer.frames) == before[1]  # Lina heard of none of it
    assert line.parts.routing.agent(line.wang).load.get(Channel.VOICE, 0) == 0
    with line.store.engine.connect() as conn:
        row = conn.execute(sa.select(t.sip_calls)).one()
    assert (row.call_id, row.agent_id, row.answered_at) == ("sip-l", line.lina, None)
    # And a finished call stays Lina's.
    line.report(line.lina, sp.SipCallEnded(op="l-end", call_id="sip-l", ended_at=now(),
                                           reason=cl.CallEndReason.DECLINED))
    again = line.report(line.wang, started("sip-l"))
    assert isinstance(again, ap.Error) and again.code == "forbidden"


def test_reports_out_of_order_or_from_the_future_are_refused(line: Line) -> None:
    future = started("sip-f")
    future.started_at = now() + 3_600_000
    assert line.report(line.lina, future).code == "invalid"  # type: ignore[union-attr]
    assert line.report(line.lina, sp.SipCallAnswered(
        op="x", call_id="sip-none", answered_at=now())).code == "not_found"  # type: ignore[union-attr]
    line.report(line.lina, started("sip-o"))
    early = sp.SipCallEnded(op="o-end", call_id="sip-o", ended_at=1,
                            reason=cl.CallEndReason.HUNG_UP_BY_AGENT)
    assert line.report(line.lina, early).code == "invalid"  # type: ignore[union-attr]


def test_a_report_is_one_unit_of_work_and_its_retry_applies_once(
    line: Line, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = line.store
    sent = len(line.lina_peer.frames)
    cmd = started("sip-r")
    monkeypatch.setattr(store, "record_op", fail_once_after(store.record_op))
    with pytest.raises(RuntimeError):
        line.parts.service.agent_command(line.lina, cmd)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.sip_calls)).scalar() == 0
    assert len(line.lina_peer.frames) == sent  # nobody heard of it
    assert line.parts.routing.agent(line.lina).load.get(Channel.VOICE, 0) == 0

    first = line.report(line.lina, cmd)
    again = line.report(line.lina, cmd)  # the outbox sends it again after a drop
    assert isinstance(first, ap.Ack) and isinstance(again, ap.Ack) and first.seq == again.seq
    assert len(linked(line.lina_peer)) == 1
    assert line.parts.routing.agent(line.lina).load[Channel.VOICE] == 1


def test_the_link_carries_the_voice_queues_recording_policy_and_the_record_its_quality(
        line: Line) -> None:
    # The demo routing file: the voice queue records on demand, with the announcement.
    assert isinstance(line.report(line.lina, started("sip-q")), ap.Ack)
    [link] = linked(line.lina_peer)
    assert link.recording == cl.RecordingPolicy(cl.RecordingMode.ON_DEMAND, announce=True)
    t0 = now()
    assert isinstance(line.report(line.lina, sp.SipCallAnswered(
        op="q-a", call_id="sip-q", answered_at=t0)), ap.Ack)
    worst = cl.CallQuality(rtt_ms=40.0, jitter_ms=3.0, loss_pct=1.5, mos=3.9)
    assert isinstance(line.report(line.lina, sp.SipCallEnded(
        op="q-e", call_id="sip-q", ended_at=t0 + 5_000,
        reason=cl.CallEndReason.HUNG_UP_BY_AGENT, quality=worst)), ap.Ack)
    [recorded] = events_of(line.lina_peer, cl.CallRecorded)
    assert isinstance(recorded.body, cl.CallRecorded)
    assert recorded.body.record.quality == worst
    # The system line in the conversation names it, as for a widget call.
    texts = [m.text for m in line.store.messages_of(recorded.body.record.conversation_id)]
    assert any("MOS 3.9" in text for text in texts), texts
