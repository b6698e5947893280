"""Listening to a SIP call at the hub (hub/supervision/call_listening.py with the
SIP call reports of hub/calls/sip_calls.py), on the composed hub and a real store
(SQLite and PostgreSQL), without sockets: the answered call the agent's desktop
reported is found by its conversation, the offer goes to that agent's desktop,
only supervisors may, everything is audited, and the leg ends with the call's
reported end (a hang-up or a transfer)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import msgspec
import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.protocol.codec import agent_server_decoder
from core.protocol.models import IdentityKind
from hub.composition import HubParts, compose
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from tests.hub.test_unit_of_work import RecordingPeer

_decode = agent_server_decoder().decode


@dataclass
class Center:
    parts: HubParts
    store: Store
    ids: dict[str, str]
    peers: dict[str, RecordingPeer]

    def command(self, who: str, cmd: ap.Command | cl.ListenCommand) -> ap.Ack | ap.Error:
        """As the endpoint does: call signalling to the relay, other commands to the
        service (each a unit of work)."""
        if isinstance(cmd, cl.ListenCommand):
            text = self.parts.calls.agent_command(self.peers[who], self.ids[who], cmd)
        else:
            text = self.parts.service.agent_command(self.ids[who], cmd)
        frame = _decode(text)
        assert isinstance(frame, ap.Ack | ap.Error), frame
        return frame

    def frames(self, who: str, kind: type[msgspec.Struct]) -> list[msgspec.Struct]:
        return [f for f in map(_decode, self.peers[who].frames) if isinstance(f, kind)]

    def audit(self) -> list[tuple[str, str, str | None, dict[str, object]]]:
        names = {v: k for k, v in self.ids.items()}
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(t.supervision_audit)
                                .order_by(t.supervision_audit.c.id)).all()
        return [(names[r.actor_id], r.action, names.get(r.target_agent_id or ""),
                 json.loads(r.detail) | ({"reason": r.reason} if r.reason else {}))
                for r in rows]


@pytest.fixture
def center(hub_db: str) -> Iterator[Center]:
    engine = create_engine(hub_db)
    migrate(engine)
    store = Store(engine)
    parts = compose(store, clock=VirtualClock())
    ids = {"lina": store.create_agent("lina", "李娜", "h"),
           "alex": store.create_agent("alex", "Alex", "h"),
           "wang": store.create_agent("wang", "王伟", "h", role="supervisor")}
    for agent_id in ids.values():
        store.set_agent_queues(agent_id, ["voice", "chat"])
    store.create_customer("Zhang Wei", [(IdentityKind.PHONE, "+8613800138000")])
    parts.routing.load()
    peers = {name: RecordingPeer(name) for name in ids}
    for name, peer in peers.items():
        parts.service.agent_joined(peer, ids[name], ap.Hello(v=1, token="t"))
    yield Center(parts, store, ids, peers)
    parts.service.stopped()
    engine.dispose()


def _now() -> int:
    return int(time.time() * 1000)


def _listen(conversation_id: str, leg_id: str = "leg-1",
            mode: cl.ListenMode = cl.ListenMode.COACH) -> cl.ListenToCall:
    return cl.ListenToCall(op=f"{leg_id}-listen", conversation_id=conversation_id,
                           leg_id=leg_id, sdp="v=0 offer", mode=mode)


def _pbx_call(center: Center, call_id: str, *, answer: bool = True) -> str:
    """Lina's desktop reports a call from the PBX; its conversation id."""
    started = center.command("lina", sp.SipCallStarted(
        op=f"{call_id}-start", call_id=call_id, direction=cl.CallDirection.INBOUND,
        number="+8613800138000", started_at=_now()))
    assert isinstance(started, ap.Ack), started
    [linked] = [f for f in center.frames("lina", sp.SipCallLinked)
                if isinstance(f, sp.SipCallLinked) and f.call_id == call_id]
    assert isinstance(linked, sp.SipCallLinked)
    if answer:
        answered = center.command("lina", sp.SipCallAnswered(
            op=f"{call_id}-answer", call_id=call_id, answered_at=_now()))
        assert isinstance(answered, ap.Ack), answered
    return linked.conversation.id


def test_a_supervisor_listens_to_an_answered_pbx_call_and_the_leg_ends_with_it(
        center: Center) -> None:
    conversation_id = _pbx_call(center, "sip-call-1", answer=False)
    # Ringing is not connected: nothing to listen to yet.
    refused = center.command("wang", _listen(conversation_id))
    assert isinstance(refused, ap.Error) and refused.code == "not_found", refused
    center.command("lina", sp.SipCallAnswered(op="answer", call_id="sip-call-1",
                                              answered_at=_now()))

    assert isinstance(center.command("wang", _listen(conversation_id)), ap.Ack)
    [asked] = center.frames("lina", cl.ListenRequested)
    assert asked == cl.ListenRequested(
        call_id="sip-call-1", leg_id="leg-1", sdp="v=0 offer", mode=cl.ListenMode.COACH,
        supervisor_id=center.ids["wang"], supervisor_name="王伟")
    assert not center.frames("alex", cl.ListenRequested)
    # One listener per call.
    again = center.command("wang", _listen(conversation_id, leg_id="leg-2"))
    assert isinstance(again, ap.Error) and again.code == "conflict"

    # The agent's engine answers; the answer goes to the supervisor only.
    assert isinstance(center.command("lina", cl.AnswerListen(
        op="answer-leg", leg_id="leg-1", sdp="v=0 answer")), ap.Ack)
    assert center.frames("wang", cl.ListenAnswered) == [
        cl.ListenAnswered(leg_id="leg-1", call_id="sip-call-1", sdp="v=0 answer")]
    assert isinstance(center.command("wang", cl.SetListenMode(
        op="barge", leg_id="leg-1", mode=cl.ListenMode.BARGE)), ap.Ack)
    assert center.frames("lina", cl.ListenModeChanged) == [
        cl.ListenModeChanged(call_id="sip-call-1", leg_id="leg-1", mode=cl.ListenMode.BARGE)]

    # The call ends (here by a transfer through the PBX): the leg ends for both.
    ended = center.command("lina", sp.SipCallEnded(
        op="end", call_id="sip-call-1", ended_at=_now(),
        reason=cl.CallEndReason.TRANSFERRED))
    assert isinstance(ended, ap.Ack), ended
    gone = cl.ListenEnded(leg_id="leg-1", call_id="sip-call-1",
                          reason=cl.ListenEndReason.CALL_ENDED)
    assert center.frames("wang", cl.ListenEnded) == [gone]
    assert center.frames("lina", cl.ListenEnded) == [gone]
    assert center.parts.calls.listening is not None
    assert center.parts.calls.listening.legs == {}

    audit = center.audit()
    assert [a[:3] for a in audit] == [("wang", "listen_call", "lina"),
                                     ("wang", "listen_mode", "lina"),
                                     ("wang", "stop_listening", "lina")]
    assert audit[0][3]["source"] == "sip" and audit[0][3]["call_id"] == "sip-call-1"
    assert audit[1][3]["mode"] == "barge"
    assert audit[2][3]["reason"] == "call_ended"


def test_an_agent_may_not_listen_to_a_colleague_s_pbx_call(center: Center) -> None:
    conversation_id = _pbx_call(center, "sip-call-2")
    refused = center.command("alex", _listen(conversation_id))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden", refused
    assert not center.frames("lina", cl.ListenRequested)
    assert center.audit() == []


def test_a_call_that_ended_cannot_be_listened_to(center: Center) -> None:
    conversation_id = _pbx_call(center, "sip-call-3")
    center.command("lina", sp.SipCallEnded(op="end", call_id="sip-call-3", ended_at=_now(),
                                           reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER))
    refused = center.command("wang", _listen(conversation_id))
    assert isinstance(refused, ap.Error) and refused.code == "not_found", refused
    assert not center.frames("lina", cl.ListenRequested)
