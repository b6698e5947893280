"""The hub's side of listening to calls, without sockets: who may, where the
offer and the answer go, what is audited, and when a leg ends."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from core.protocol import call as cl
from hub.calls.hub_call import HubCall, HubCallState
from hub.store.base import StoreError
from hub.supervision.call_listening import CallListening

SUPERVISORS = {"wang": "王伟"}


class Store:
    def __init__(self) -> None:
        self.audited: list[tuple[str, str, str | None, str | None, dict[str, Any]]] = []

    def require_supervisor(self, agent_id: str) -> str:
        if agent_id not in SUPERVISORS:
            raise StoreError("forbidden", "only supervisors and admins may do this")
        return SUPERVISORS[agent_id]

    def audit(self, actor_id: str, action: Any, op: str, *, conversation_id: str | None = None,
              target_agent_id: str | None = None, reason: str = "", **detail: Any) -> None:
        self.audited.append((actor_id, action.value, conversation_id, target_agent_id,
                             {"reason": reason, **detail}))


class FanOut:
    def __init__(self) -> None:
        self.sent: list[tuple[str, msgspec.Struct]] = []

    def to_agent(self, agent_id: str, frame: msgspec.Struct, skip: object = None) -> None:
        self.sent.append((agent_id, frame))

    def frames(self, agent_id: str) -> list[msgspec.Struct]:
        return [f for a, f in self.sent if a == agent_id]


@pytest.fixture
def parts() -> tuple[CallListening, Store, FanOut, dict[str, HubCall]]:
    calls = {"call-1": HubCall("call-1", "cust-1", "conv-1", cl.CallDirection.INBOUND,
                               HubCallState.CONNECTED, offer="v=0", agent_id="lina")}
    store, fanout = Store(), FanOut()
    listening = CallListening(store, fanout, lambda: calls)  # type: ignore[arg-type]
    return listening, store, fanout, calls


def _listen(op: str = "op-1", leg: str = "leg-1", conv: str = "conv-1",
            mode: cl.ListenMode = cl.ListenMode.COACH) -> cl.ListenToCall:
    return cl.ListenToCall(op=op, conversation_id=conv, leg_id=leg, sdp="v=0 offer", mode=mode)


def test_the_offer_goes_to_the_call_s_agent_and_the_answer_back(parts: Any) -> None:
    listening, store, fanout, _calls = parts
    listening.apply("wang", _listen())
    [asked] = fanout.frames("lina")
    assert asked == cl.ListenRequested(call_id="call-1", leg_id="leg-1", sdp="v=0 offer",
                                       mode=cl.ListenMode.COACH, supervisor_id="wang",
                                       supervisor_name="王伟")
    assert store.audited[0][:4] == ("wang", "listen_call", "conv-1", "lina")
    with pytest.raises(StoreError) as wrong:  # only the call's agent answers
        listening.apply("alex", cl.AnswerListen(op="op-2", leg_id="leg-1", sdp="v=0 answer"))
    assert wrong.value.code == "not_found"
    listening.apply("lina", cl.AnswerListen(op="op-3", leg_id="leg-1", sdp="v=0 answer"))
    assert fanout.frames("wang") == [cl.ListenAnswered(leg_id="leg-1", call_id="call-1",
                                                       sdp="v=0 answer")]
    assert not fanout.frames("cust-1")  # the customer is never part of it


def test_agents_are_forbidden_and_nothing_is_relayed_or_audited(parts: Any) -> None:
    listening, store, fanout, _calls = parts
    for cmd in (_listen(), cl.SetListenMode(op="op-2", leg_id="leg-1",
                                            mode=cl.ListenMode.BARGE)):
        with pytest.raises(StoreError) as refused:
            listening.apply("alex", cmd)
        assert refused.value.code == "forbidden"
    assert fanout.sent == [] and store.audited == [] and listening.legs == {}


@pytest.mark.parametrize(("conv", "state", "code"), [
    ("conv-2", HubCallState.CONNECTED, "not_found"),  # no call there
    ("conv-1", HubCallState.RINGING, "not_found"),  # not connected yet
])
def test_only_a_connected_call_can_be_listened_to(parts: Any, conv: str,
                                                  state: HubCallState, code: str) -> None:
    listening, _store, fanout, calls = parts
    calls["call-1"].state = state
    with pytest.raises(StoreError) as refused:
        listening.apply("wang", _listen(conv=conv))
    assert refused.value.code == code and fanout.sent == []


def test_one_leg_per_call_and_not_one_s_own_call(parts: Any) -> None:
    listening, _store, _fanout, calls = parts
    listening.apply("wang", _listen())
    with pytest.raises(StoreError) as second:
        listening.apply("wang", _listen(op="op-2", leg="leg-2"))
    assert second.value.code == "conflict"
    calls["call-1"].agent_id = "wang"
    listening.legs.clear()
    with pytest.raises(StoreError) as own:
        listening.apply("wang", _listen(op="op-3", leg="leg-3"))
    assert own.value.code == "conflict"


def test_barge_is_audited_and_told_to_the_agent(parts: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    listening, store, fanout, _calls = parts
    listening.apply("wang", _listen())
    listening.apply("wang", cl.SetListenMode(op="op-2", leg_id="leg-1",
                                             mode=cl.ListenMode.BARGE))
    assert fanout.frames("lina")[-1] == cl.ListenModeChanged(call_id="call-1", leg_id="leg-1",
                                                              mode=cl.ListenMode.BARGE)
    assert store.audited[-1][1] == "listen_mode" and store.audited[-1][4]["mode"] == "barge"
    monkeypatch.setitem(SUPERVISORS, "zhou", "周")
    with pytest.raises(StoreError) as not_yours:  # another supervisor's leg
        listening.apply("zhou", cl.SetListenMode(op="op-3", leg_id="leg-1",
                                                 mode=cl.ListenMode.LISTEN))
    assert not_yours.value.code == "not_found"


def test_the_leg_ends_with_the_call_or_a_departure(parts: Any) -> None:
    listening, store, fanout, _calls = parts
    listening.apply("wang", _listen())
    listening.call_left_agent("call-1")
    ended = cl.ListenEnded(leg_id="leg-1", call_id="call-1",
                           reason=cl.ListenEndReason.CALL_ENDED)
    assert fanout.frames("wang")[-1] == ended and fanout.frames("lina")[-1] == ended
    assert store.audited[-1][1] == "stop_listening" and listening.legs == {}

    listening.apply("wang", _listen(op="op-2", leg="leg-2"))
    listening.agent_left("wang")  # the supervisor's desktop went away
    assert fanout.frames("lina")[-1] == cl.ListenEnded(
        leg_id="leg-2", call_id="call-1", reason=cl.ListenEndReason.LEFT)
    assert listening.legs == {}


def test_either_side_may_stop_the_leg(parts: Any) -> None:
    listening, _store, fanout, _calls = parts
    listening.apply("wang", _listen())
    listening.apply("lina", cl.StopListening(op="op-2", leg_id="leg-1"))  # her engine failed
    assert fanout.frames("wang")[-1] == cl.ListenEnded(
        leg_id="leg-1", call_id="call-1", reason=cl.ListenEndReason.FAILED)
    with pytest.raises(StoreError):
        listening.apply("wang", cl.StopListening(op="op-3", leg_id="leg-1"))
