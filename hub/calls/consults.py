"""Consulting a colleague on a widget call: the consult leg between two desktops.

The consulting agent's desktop holds the customer itself (``hold_call``) and
offers a second peer connection, the *consult leg*, to a colleague
(``consult_call``); the hub relays that offer and the answer between the two
desktops, never to or from a customer (leg ids are not call ids a customer can
name). What follows is decided by the consulting desktop:

- back to the customer: ``end_consult`` (the desktop resumes the customer);
- conference: the desktop resumes the customer and mixes the two legs on its own
  media thread; the hub sees a connected call and a connected leg;
- attended transfer (also "leave the conference"): ``complete_consult`` ends the
  leg and the consulting agent's leg of the call (recorded ``transferred``, after
  -call work), gives the conversation to the colleague and moves the customer's
  call there like a blind transfer, except that the colleague's desktop answers
  at once (``call_ringing`` names the leg it answered).

Only an agent with ``transfer`` may consult or complete (the gate, hub.access); the
colleague must be connected and allowed to take calls (``calls``). A leg rings as
long as a call does; it ends when either side ends it, or when either desktop
goes away. Runs on the hub's event loop; no method awaits.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.protocol import call as cl
from core.protocol.codec import ErrorCode
from hub.access import role_store
from hub.access.permissions import Permission
from hub.calls.hub_call import HubCallState
from hub.store.store import StoreError

if TYPE_CHECKING:
    from hub.calls.relay import CallRelay
    from hub.transport.peers import Peer


@dataclass
class ConsultLeg:
    leg_id: str
    call_id: str  # the customer's call it is about
    from_agent: str
    to_agent: str
    answered: bool = False
    timer: asyncio.TimerHandle | None = None


class CallConsults:
    def __init__(self, relay: CallRelay) -> None:
        self.relay = relay
        self.legs: dict[str, ConsultLeg] = {}

    def _may_take_calls(self, agent_id: str) -> bool:
        with self.relay.store.db.connect() as conn:
            return role_store.permits(conn, agent_id, Permission.CALLS)

    # ---- commands (from hub.calls.relay) --------------------------------------------

    def apply(self, peer: Peer, agent_id: str, cmd: cl.ConsultCommand) -> None:
        if isinstance(cmd, cl.ConsultCall):
            self._consult(agent_id, cmd)
        elif isinstance(cmd, cl.AnswerConsult):
            self._answer(peer, agent_id, cmd)
        elif isinstance(cmd, cl.EndConsult):
            leg = self._leg_of(agent_id, cmd.leg_id)
            if agent_id == leg.to_agent and not leg.answered:
                reason = cl.CallEndReason.DECLINED
            else:
                reason = cl.CallEndReason.HUNG_UP_BY_AGENT
            self._end(leg, reason)
        else:
            self._complete(agent_id, cmd)

    def _leg_of(self, agent_id: str, leg_id: str) -> ConsultLeg:
        leg = self.legs.get(leg_id)
        if leg is None or agent_id not in (leg.from_agent, leg.to_agent):
            raise StoreError(ErrorCode.NOT_FOUND, "no such consult leg of yours")
        return leg

    def _consult(self, agent_id: str, cmd: cl.ConsultCall) -> None:
        relay = self.relay
        call = relay.calls.get(cmd.call_id)
        if call is None or call.agent_id != agent_id or call.state != HubCallState.CONNECTED:
            raise StoreError(ErrorCode.NOT_FOUND, "no connected call of yours")
        if cmd.to_agent == agent_id or not relay.agents.connected(cmd.to_agent):
            raise StoreError(ErrorCode.NOT_FOUND, "that agent cannot take calls now")
        if not self._may_take_calls(cmd.to_agent):
            raise StoreError(ErrorCode.FORBIDDEN, "that agent's role does not take calls")
        if cmd.leg_id in self.legs or cmd.leg_id in relay.calls:
            raise StoreError(ErrorCode.CONFLICT, "that leg id is in use")
        if any(g.call_id == call.call_id for g in self.legs.values()):
            raise StoreError(ErrorCode.CONFLICT, "this call already has a consultation")
        leg = ConsultLeg(cmd.leg_id, call.call_id, agent_id, cmd.to_agent)
        self.legs[leg.leg_id] = leg
        store = relay.store
        leg.timer = relay.later(relay.ring_timeout_s, "consult ring timeout",
                                self._timed_out, leg.leg_id)
        relay.fanout.to_agent(cmd.to_agent, cl.ConsultRinging(
            leg_id=leg.leg_id, call_id=call.call_id, conversation_id=call.conversation_id,
            customer=store.customer(call.customer_id), from_agent_id=agent_id,
            from_agent_name=store.agent_info(agent_id).display_name, sdp=cmd.sdp,
            ring_timeout_s=relay.ring_timeout_s))

    def _answer(self, peer: Peer, agent_id: str, cmd: cl.AnswerConsult) -> None:
        leg = self.legs.get(cmd.leg_id)
        if leg is None or leg.to_agent != agent_id or leg.answered:
            raise StoreError(ErrorCode.NOT_FOUND, "no such consult leg ringing for you")
        leg.answered = True
        self._cancel_timer(leg)
        self.relay.fanout.to_agent(leg.from_agent, cl.ConsultAnswered(
            leg_id=leg.leg_id, call_id=leg.call_id, sdp=cmd.sdp))
        # The colleague's other desktops stop ringing.
        self.relay.fanout.to_agent(agent_id, cl.ConsultEnded(
            leg_id=leg.leg_id, call_id=leg.call_id,
            reason=cl.CallEndReason.ANSWERED_ELSEWHERE), skip=peer)

    def _complete(self, agent_id: str, cmd: cl.CompleteConsult) -> None:
        leg = self.legs.get(cmd.leg_id)
        if leg is None or leg.from_agent != agent_id or leg.call_id != cmd.call_id:
            raise StoreError(ErrorCode.NOT_FOUND, "no such consultation of yours")
        if not leg.answered:
            raise StoreError(ErrorCode.CONFLICT, "the colleague has not answered")
        if not self.relay.agents.connected(leg.to_agent):
            raise StoreError(ErrorCode.NOT_FOUND, "that agent cannot take calls now")
        # Checks first, so a refused transfer leaves the call and the leg as they were.
        self.relay.check_attended_transfer(agent_id, cmd.call_id)
        self._end(leg, cl.CallEndReason.TRANSFERRED)
        self.relay.attended_transfer(agent_id, cmd.call_id, leg.to_agent, leg.leg_id)

    # ---- the end --------------------------------------------------------------------

    def _cancel_timer(self, leg: ConsultLeg) -> None:
        if leg.timer is not None:
            leg.timer.cancel()
            leg.timer = None

    def _timed_out(self, leg_id: str) -> None:
        leg = self.legs.get(leg_id)
        if leg is not None and not leg.answered:
            leg.timer = None
            self._end(leg, cl.CallEndReason.NO_ANSWER)

    def _end(self, leg: ConsultLeg, reason: cl.CallEndReason) -> None:
        self._cancel_timer(leg)
        self.legs.pop(leg.leg_id, None)
        ended = cl.ConsultEnded(leg_id=leg.leg_id, call_id=leg.call_id, reason=reason)
        self.relay.fanout.to_agent(leg.from_agent, ended)
        self.relay.fanout.to_agent(leg.to_agent, ended)

    def is_leg(self, leg_id: str) -> bool:
        return leg_id in self.legs

    def agent_left(self, agent_id: str) -> None:
        """The last desktop of ``agent_id`` closed: its legs end, on either side."""
        for leg in [g for g in self.legs.values() if agent_id in (g.from_agent, g.to_agent)]:
            self._end(leg, cl.CallEndReason.AGENT_LEFT)

    def stop(self) -> None:
        for leg in self.legs.values():
            self._cancel_timer(leg)
