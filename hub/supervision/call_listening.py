"""Supervisors listening to calls: the signalling of the second leg, audited.

A supervisor's ``listen_call`` carries an offer made by the supervisor's engine;
the hub relays it to the desktop of the call's agent (never to the customer), and
that desktop's engine answers with a second peer connection carrying both sides
of the call (core/call/supervisor_mix.py mixes it). The hub only relays SDP, like
the call itself (hub/calls/relay.py, which hands these commands here). One leg per
call. The leg ends when either side stops it, the call ends or moves to another
agent, or either desktop goes away.

The call is a widget call of the relay's, or a SIP call (from the PBX) that the
agent's desktop reported as answered (hub/calls/sip_calls.py): the agent's engine
carries both kinds as media sessions, so the leg is made and mixed the same way
there. A SIP call's leg ends when its end is reported (a hang-up, or a transfer
by REFER, whose end is the transfer's).

Only supervisors and admins may listen or change the mode (anyone else gets
``forbidden``); listening, each change of mode and the end are audited. Like all
call signalling the leg is live, not an event: it does not survive a reconnect.
Runs on the hub's event loop; no method awaits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.protocol import call as cl
from core.protocol import coaching as cop
from hub.calls.hub_call import HubCall, HubCallState
from hub.calls.sip_calls import ConnectedSipCall
from hub.store.base import StoreError
from hub.supervision.coaching_store import CoachingStore
from hub.transport.fanout import FanOut

A = cop.SupervisionAction
# The answered SIP call in a conversation (None: none, or this hub hears of none).
SipCallIn = Callable[[str], ConnectedSipCall | None]


@dataclass
class ListenLeg:
    leg_id: str
    call_id: str
    conversation_id: str
    supervisor_id: str
    agent_id: str
    mode: cl.ListenMode
    answered: bool = False


class CallListening:
    def __init__(self, store: CoachingStore, fanout: FanOut,
                 calls: Callable[[], dict[str, HubCall]],
                 sip_call_in: SipCallIn | None = None) -> None:
        self.store = store
        self.fanout = fanout
        self._calls = calls  # the relay's live calls by id
        self._sip_call_in = sip_call_in
        self.legs: dict[str, ListenLeg] = {}

    # ---- commands (from hub.calls.relay) -------------------------------------------------

    def apply(self, agent_id: str, cmd: cl.ListenCommand) -> None:
        if isinstance(cmd, cl.AnswerListen):
            self._answered(agent_id, cmd)
            return
        if isinstance(cmd, cl.StopListening):
            self._stop(agent_id, cmd)
            return
        name = self.store.require_supervisor(agent_id)
        if isinstance(cmd, cl.ListenToCall):
            self._listen(agent_id, name, cmd)
        else:
            self._set_mode(agent_id, cmd)

    def _connected_call(self, conversation_id: str) -> tuple[str, str, str] | None:
        """(call id, agent id, source) of the conversation's connected call: a widget
        call's, else an answered SIP call's."""
        widget = next((c for c in self._calls().values()
                       if c.conversation_id == conversation_id
                       and c.state == HubCallState.CONNECTED and c.agent_id is not None), None)
        if widget is not None and widget.agent_id is not None:
            return widget.call_id, widget.agent_id, "widget"
        sip = self._sip_call_in(conversation_id) if self._sip_call_in is not None else None
        if sip is not None:
            return sip.call_id, sip.agent_id, "sip"
        return None

    def _listen(self, supervisor_id: str, name: str, cmd: cl.ListenToCall) -> None:
        found = self._connected_call(cmd.conversation_id)
        if found is None:
            raise StoreError("not_found", "no connected call in that conversation")
        call_id, agent_id, source = found
        if agent_id == supervisor_id:
            raise StoreError("conflict", "this is your own call")
        if cmd.leg_id in self.legs:
            raise StoreError("conflict", "that leg id is in use")
        if any(leg.call_id == call_id for leg in self.legs.values()):
            raise StoreError("conflict", "a supervisor already listens to this call")
        self.store.audit(supervisor_id, A.LISTEN_CALL, cmd.op,
                         conversation_id=cmd.conversation_id, target_agent_id=agent_id,
                         call_id=call_id, leg_id=cmd.leg_id, mode=cmd.mode.value,
                         source=source)
        self.legs[cmd.leg_id] = ListenLeg(cmd.leg_id, call_id, cmd.conversation_id,
                                          supervisor_id, agent_id, cmd.mode)
        self.fanout.to_agent(agent_id, cl.ListenRequested(
            call_id=call_id, leg_id=cmd.leg_id, sdp=cmd.sdp, mode=cmd.mode,
            supervisor_id=supervisor_id, supervisor_name=name))

    def _set_mode(self, supervisor_id: str, cmd: cl.SetListenMode) -> None:
        leg = self.legs.get(cmd.leg_id)
        if leg is None or leg.supervisor_id != supervisor_id:
            raise StoreError("not_found", "no such listening leg of yours")
        if leg.mode == cmd.mode:
            return
        self.store.audit(supervisor_id, A.LISTEN_MODE, cmd.op,
                         conversation_id=leg.conversation_id, target_agent_id=leg.agent_id,
                         call_id=leg.call_id, mode=cmd.mode.value)
        leg.mode = cmd.mode
        self.fanout.to_agent(leg.agent_id, cl.ListenModeChanged(
            call_id=leg.call_id, leg_id=leg.leg_id, mode=cmd.mode))

    def _answered(self, agent_id: str, cmd: cl.AnswerListen) -> None:
        leg = self.legs.get(cmd.leg_id)
        if leg is None or leg.agent_id != agent_id or leg.answered:
            raise StoreError("not_found", "no such listening leg waiting for your answer")
        leg.answered = True
        self.fanout.to_agent(leg.supervisor_id, cl.ListenAnswered(
            leg_id=leg.leg_id, call_id=leg.call_id, sdp=cmd.sdp))

    def _stop(self, agent_id: str, cmd: cl.StopListening) -> None:
        leg = self.legs.get(cmd.leg_id)
        if leg is None or agent_id not in (leg.supervisor_id, leg.agent_id):
            raise StoreError("not_found", "no such listening leg")
        reason = (cl.ListenEndReason.STOPPED if agent_id == leg.supervisor_id
                  else cl.ListenEndReason.FAILED)
        self._end(leg, reason, op=cmd.op)

    # ---- the end -------------------------------------------------------------------------

    def _end(self, leg: ListenLeg, reason: cl.ListenEndReason, op: str = "") -> None:
        self.legs.pop(leg.leg_id, None)
        # A leg the hub ended has no op of the supervisor's: "hub" stands for it.
        self.store.audit(leg.supervisor_id, A.STOP_LISTENING, op or "hub",
                         conversation_id=leg.conversation_id, target_agent_id=leg.agent_id,
                         reason=reason.value, call_id=leg.call_id, leg_id=leg.leg_id)
        ended = cl.ListenEnded(leg_id=leg.leg_id, call_id=leg.call_id, reason=reason)
        self.fanout.to_agent(leg.supervisor_id, ended)
        self.fanout.to_agent(leg.agent_id, ended)

    def call_left_agent(self, call_id: str) -> None:
        """The call ended, or its agent's leg did (a transfer): its legs end. The
        relay calls it for widget calls, the SIP call reports for SIP calls."""
        for leg in [g for g in self.legs.values() if g.call_id == call_id]:
            self._end(leg, cl.ListenEndReason.CALL_ENDED)

    def agent_left(self, agent_id: str) -> None:
        """The last desktop of ``agent_id`` closed: legs on either side of it end."""
        for leg in [g for g in self.legs.values() if agent_id in (g.supervisor_id, g.agent_id)]:
            self._end(leg, cl.ListenEndReason.LEFT)
