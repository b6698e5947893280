"""Call signalling relay: rings agents, relays SDP/DTMF/hold, records the call.

The hub never touches media. A call that has no agent yet goes through the router
like every other conversation (hub/routing): the router's voice offer *is* the
ringing desktop, so skills, capacity, presence, longest-idle selection and
not-responding apply to calls too. A call in a conversation that already has its
agent (a chat, a call-back) or a blind transfer to one agent rings that agent
directly. A decline or no answer rings the next agent, never one who already
declined or missed this call. When no agent is free the call waits in the router's
queue and the caller hears "please hold" (``call_queued``); the router rings the
first agent who becomes free. It ends with ``no_agent`` after the longest queue
wait or when every agent who could take it has declined or missed it. Blind
transfer asks the widget for a fresh offer (the customer does not redial) and
rings the target with it. An answered call that ends puts its agent in after-call
work. Consulting a colleague first (attended transfer, conference) is in
hub/calls/consults.py; its completion moves the call here like a blind transfer.

Runs on the hub's event loop; no method awaits (like ``HubService``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import routing as rp
from core.protocol.codec import ErrorCode, encode_text
from core.protocol.customer import Error as CustomerError
from core.protocol.models import Channel, Presence
from hub.calls.consults import CallConsults
from hub.calls.hub_call import HubCall, HubCallState
from hub.calls.online import CustomerOnlineNotifier
from hub.calls.records import CallRecords
from hub.routing.actions import RoutingActions
from hub.routing.engine import RoutingEngine
from hub.store.base import new_id
from hub.store.store import Store, StoreError, now_ms
from hub.transport.fanout import FanOut
from hub.transport.peers import Peer, PeerRegistry
from hub.unit_of_work import UnitRunner, run_in_unit

if TYPE_CHECKING:
    from hub.supervision.call_listening import CallListening

log = logging.getLogger(__name__)


class CallRelay:
    def __init__(
        self,
        store: Store,
        fanout: FanOut,
        agents: PeerRegistry,
        customers: PeerRegistry,
        routing: RoutingEngine,
        routing_actions: RoutingActions,
        dispositions: list[cl.Disposition],
        ring_timeout_s: float = 20.0,
        ice_servers: Iterable[str] = (),
        queue_timeout_s: float = 120.0,
        unit: UnitRunner | None = None,
    ) -> None:
        self.store = store
        # Each ring and queue timeout runs as one unit of work (hub.unit_of_work).
        self.unit = unit
        self.fanout = fanout
        self.agents = agents
        self.customers = customers
        self.routing = routing
        self.routing_actions = routing_actions
        self.records = CallRecords(store)
        self.dispositions = dispositions
        self.ring_timeout_s = ring_timeout_s
        self.ice_servers = list(ice_servers)
        self.queue_timeout_s = queue_timeout_s
        self.calls: dict[str, HubCall] = {}
        # (customer id, the id the customer knows the call by) -> the call's id.
        self._refs: dict[tuple[str, str], str] = {}
        self.online = CustomerOnlineNotifier(store, agents, customers)
        # Calls waiting on the router for an agent, by conversation.
        self._routed: dict[str, HubCall] = {}
        # Supervisors listening to calls (hub/supervision/call_listening); None: not offered.
        self.listening: CallListening | None = None
        # Agents consulting colleagues about their calls (the consult legs).
        self.consults = CallConsults(self)

    # ---- helpers ---------------------------------------------------------------------

    def config_frame(self) -> str:
        return encode_text(
            cl.CallConfig(
                dispositions=self.dispositions,
                ice_servers=self.ice_servers,
                ring_timeout_s=self.ring_timeout_s,
            )
        )

    def recording_policy(self, conversation_id: str) -> cl.RecordingPolicy:
        """The recording policy of the conversation's queue (never when it has none)."""
        conv = self.store.conversation(conversation_id)
        queue = self.routing.settings.queue(conv.queue) if conv and conv.queue else None
        return queue.recording if queue is not None else cl.NO_RECORDING

    def _announced(self, call: HubCall) -> bool:
        """The widget says "this call is recorded" from the answer on."""
        policy = self.recording_policy(call.conversation_id)
        return policy.mode == cl.RecordingMode.ALWAYS and policy.announce

    def _agent_call(self, agent_id: str, call_id: str, states: set[HubCallState]) -> HubCall:
        call = self.calls.get(call_id)
        if call is None or call.agent_id != agent_id or call.state not in states:
            raise StoreError(ErrorCode.NOT_FOUND, "no such call of yours in that state")
        return call

    def later(self, delay_s: float, what: str, work: Callable[..., None],
              *args: object) -> asyncio.TimerHandle:
        """``work(*args)`` after ``delay_s``, as one unit of work."""
        return asyncio.get_running_loop().call_later(
            delay_s, run_in_unit, self.unit, what, functools.partial(work, *args))

    def _cancel_timer(self, call: HubCall) -> None:
        if call.timer is not None:
            call.timer.cancel()
            call.timer = None

    def _cancel_queue_timer(self, call: HubCall) -> None:
        if call.queue_timer is not None:
            call.queue_timer.cancel()
            call.queue_timer = None

    # ---- ringing ---------------------------------------------------------------------

    def _ring_next(self, call: HubCall) -> None:
        """Ring the next agent for ``call``, or end it when nobody is left."""
        store = self.store
        conv = store.conversation(call.conversation_id)
        target = call.transfer_to_agent
        call.transfer_to_agent = None
        if (
            target is None
            and conv is not None
            and conv.agent_id is not None
            and conv.agent_id not in call.tried
            and self.agents.connected(conv.agent_id)
        ):
            target = conv.agent_id
        if target is None:
            if conv is not None and conv.agent_id is not None:
                self._release(conv.id, conv.agent_id, conv.channel)
            call.agent_id = None
            call.state = HubCallState.RINGING
            self._routed[call.conversation_id] = call
            # The router offers it (offer_made below rings that desktop) or not.
            if not self.routing.route(call.conversation_id,
                                              never=frozenset(call.tried)):
                self._wait_or_end(call.call_id)
            return
        if conv is not None and conv.agent_id != target:
            if conv.agent_id is not None:
                self._release(conv.id, conv.agent_id, conv.channel)
            self.fanout.publish(target, store.assign(conv.id, target))
            if call.consult_leg is not None:
                # The colleague took it on the consult leg: it counts on their voice
                # capacity now (released again if their desktop does not answer).
                self.routing_actions.taken(target, conv.channel)
        self._ring(call, target, timer=True)

    def _release(self, conversation_id: str, agent_id: str, channel: Channel) -> None:
        released = self.store.unassign(conversation_id, ap.UnassignReason.TRANSFERRED)
        if released is not None:
            self.fanout.publish(*released)
            self.routing_actions.released(agent_id, channel)

    def _ring(self, call: HubCall, target: str, timer: bool) -> None:
        """Ring ``target``'s desktops; the relay's own timer unless the router's offer times it."""
        store = self.store
        conv = store.conversation(call.conversation_id)
        assert conv is not None
        call.agent_id = target
        call.state = HubCallState.RINGING
        self.fanout.to_agent(
            target,
            cl.CallRinging(
                call_id=call.call_id,
                conversation=conv,
                customer=store.customer(call.customer_id),
                sdp=call.offer,
                ring_timeout_s=self.ring_timeout_s,
                transferred_from=call.transferred_from,
                recording=self.recording_policy(call.conversation_id),
                consult_leg=call.consult_leg,
            ),
        )
        call.consult_leg = None  # said once: another agent rung next just rings
        self.fanout.to_customer(call.customer_id, cl.CallRingingNotice(call_id=call.ref))
        if timer:
            call.timer = self.later(self.ring_timeout_s, "call ring timeout",
                                    self._ring_timed_out, call.call_id, target)

    # ---- the router's voice offers (hub.routing.engine.OfferWatcher) -------------------

    def offer_made(self, conversation_id: str, agent_id: str, offer_id: str) -> None:
        call = self._routed.get(conversation_id)
        if call is None or call.state != HubCallState.RINGING or call.agent_id is not None:
            return
        call.offer_id = offer_id
        self._ring(call, agent_id, timer=False)

    def offer_ended(self, conversation_id: str, agent_id: str, offer_id: str,
                    reason: rp.WithdrawReason) -> None:
        call = self._routed.get(conversation_id)
        if call is None or call.offer_id != offer_id:
            return
        call.offer_id = None
        call.agent_id = None
        call.tried.add(agent_id)
        end = (cl.CallEndReason.DECLINED if reason == rp.WithdrawReason.DECLINED
               else cl.CallEndReason.NO_ANSWER)
        self.fanout.to_agent(agent_id, cl.CallEnded(call_id=call.call_id, reason=end))
        # The router re-offers it right after this notice; see whether anyone took it.
        asyncio.get_running_loop().call_soon(self._wait_or_end, call.call_id)

    def _wait_or_end(self, call_id: str) -> None:
        """Nobody rings for the call: hold in the queue, or end when nobody is left."""
        call = self.calls.get(call_id)
        if call is None or call.state != HubCallState.RINGING or call.agent_id is not None:
            return
        if call.queue_expired or not self._anyone_left(call):
            self._end(call, cl.CallEndReason.NO_AGENT)
            return
        if call.queue_timer is None:
            call.queue_timer = self.later(self.queue_timeout_s, "call queue timeout",
                                          self._queue_timed_out, call.call_id)
        self.fanout.to_customer(call.customer_id, cl.CallQueuedNotice(
            call_id=call.ref, max_wait_s=self.queue_timeout_s))

    def _anyone_left(self, call: HubCall) -> bool:
        """Is a connected agent of the call's queue, who has not declined or missed
        it, there to take it once free (busy, away or in after-call work)?"""
        item = self.routing.router.waiting.get(call.conversation_id)
        if item is None:
            return False
        return any(
            agent.connected and agent.presence != Presence.OFFLINE
            and agent.id not in call.tried and agent.has_skill(item.queue)
            for agent in self.routing.router.agents_of(item.queue.id)
        )

    def _queue_timed_out(self, call_id: str) -> None:
        call = self.calls.get(call_id)
        if call is None:
            return
        call.queue_timer = None
        if call.state != HubCallState.RINGING:
            return
        call.queue_expired = True
        if call.agent_id is None:  # else the desktop ringing now is its last chance
            self._end(call, cl.CallEndReason.NO_AGENT)

    def _ring_timed_out(self, call_id: str, agent_id: str) -> None:
        call = self.calls.get(call_id)
        if call is None or call.state != HubCallState.RINGING or call.agent_id != agent_id:
            return
        call.timer = None
        self._leave_ringing(call, cl.CallEndReason.NO_ANSWER)

    def _leave_ringing(self, call: HubCall, reason: cl.CallEndReason) -> None:
        """The ringing agent declined, missed or left: try the next one."""
        assert call.agent_id is not None
        if call.offer_id is not None:  # the router's offer: it picks the next agent
            self.routing.decline(call.agent_id, call.offer_id,
                                         rp.DeclineReason.OTHER)
            return
        self._cancel_timer(call)
        self.fanout.to_agent(call.agent_id, cl.CallEnded(call_id=call.call_id, reason=reason))
        call.tried.add(call.agent_id)
        self._ring_next(call)

    # ---- the end ---------------------------------------------------------------------

    def _end(self, call: HubCall, reason: cl.CallEndReason, notify_agent: bool = True,
             notify_customer: bool = True) -> None:
        self._cancel_timer(call)
        self._cancel_queue_timer(call)
        self.calls.pop(call.call_id, None)
        if self.listening is not None:
            self.listening.call_left_agent(call.call_id)
        self._refs.pop((call.customer_id, call.ref), None)
        if self._routed.get(call.conversation_id) is call:
            del self._routed[call.conversation_id]
            call.offer_id = None
            self.routing.withdraw(call.conversation_id)  # ends a ringing offer
        if notify_customer:
            self.fanout.to_customer(call.customer_id, cl.CallEndedNotice(call_id=call.ref,
                                                                   reason=reason))
        if call.agent_id is not None and notify_agent:
            self.fanout.to_agent(call.agent_id, cl.CallEnded(call_id=call.call_id, reason=reason))
        self._record(call, reason)
        self._after_call(call, reason)

    def _after_call(self, call: HubCall, reason: cl.CallEndReason) -> None:
        """An answered call (or leg) ended: its agent starts after-call work."""
        if (call.answered_at is not None and call.agent_id is not None
                and reason != cl.CallEndReason.AGENT_LEFT):
            self.routing.start_after_call_work(call.agent_id)

    def _record(self, call: HubCall, reason: cl.CallEndReason) -> None:
        ended = now_ms()
        record = cl.CallRecord(
            call_id=call.call_id,
            conversation_id=call.conversation_id,
            direction=call.direction,
            started_at=call.started_at,
            ended_at=ended,
            end_reason=reason,
            agent_id=call.agent_id if call.answered_at is not None else None,
            answered_at=call.answered_at,
            duration_s=(ended - call.answered_at) / 1000 if call.answered_at else 0.0,
            quality=call.worst,
        )
        if record.agent_id is None and call.agent_id is not None:
            record.agent_id = call.agent_id  # an unanswered call still shows to its agent
        events = self.records.save(record)
        if record.agent_id:
            self.fanout.publish(record.agent_id, *events)

    # ---- customer frames -------------------------------------------------------------

    def customer_frame(self, peer: Peer, customer_id: str, frame: cl.CustomerClientFrame) -> None:
        # A customer's call ids are looked up among their own calls only: another
        # customer's call with the same id is neither touched nor revealed.
        internal = self._refs.get((customer_id, frame.call_id))
        call = self.calls.get(internal) if internal is not None else None
        if isinstance(frame, cl.CustomerCallStart):
            self._customer_start(peer, customer_id, call, frame)
            return
        if call is None:
            self._customer_error(peer, frame.call_id, ErrorCode.NOT_FOUND, "no such call")
            return
        if isinstance(frame, cl.CustomerCallAnswer):
            self._customer_answer(peer, call, frame)
        elif isinstance(frame, cl.CustomerCallHangup):
            self._end(call, cl.CallEndReason.HUNG_UP_BY_CUSTOMER, notify_customer=False)
        elif isinstance(frame, cl.CustomerCallMute):
            if call.agent_id is not None:
                self.fanout.to_agent(
                    call.agent_id, cl.CallMuted(call_id=call.call_id, muted=frame.muted))
        elif call.state == HubCallState.CONNECTED and call.agent_id is not None:
            self.fanout.to_agent(
                call.agent_id, cl.CallDtmf(call_id=call.call_id, digits=frame.digits))
        else:
            self._customer_error(
                peer, call.ref, ErrorCode.CONFLICT, "the call is not connected"
            )

    def _customer_error(self, peer: Peer, call_id: str, code: ErrorCode, message: str) -> None:
        peer.send(encode_text(CustomerError(code=code, message=message, ref=call_id)))

    def _customer_start(
        self, peer: Peer, customer_id: str, call: HubCall | None, frame: cl.CustomerCallStart
    ) -> None:
        if call is not None and call.state == HubCallState.TRANSFERRING:
            call.offer = frame.sdp
            call.tried = set(call.tried)
            self._ring_next(call)
            return
        if (customer_id, frame.call_id) in self._refs:
            self._customer_error(peer, frame.call_id, ErrorCode.CONFLICT, "call id already in use")
            return
        # Another customer's call may have this id: the call gets one of the hub's
        # own, and this customer keeps theirs (finding 16: ids could be probed).
        call_id = frame.call_id if frame.call_id not in self.calls \
            and not self.consults.is_leg(frame.call_id) else new_id("call")
        if any(c.customer_id == customer_id for c in self.calls.values()):
            self._customer_error(peer, frame.call_id, ErrorCode.CONFLICT,
                                 "you are already in a call")
            return
        store = self.store
        # An open chat takes the call (voice in the same conversation); else the
        # customer's open voice conversation continues; else a new one.
        conv = store.open_conversation_of(customer_id)
        if conv is None:
            voice_id = self.records.open_voice_conversation(customer_id)
            conv = store.conversation(voice_id) if voice_id else None
        if conv is None:
            conv = store.create_conversation(customer_id, channel=Channel.VOICE, queue="voice")
        call = HubCall(call_id, customer_id, conv.id, cl.CallDirection.INBOUND,
                       HubCallState.RINGING, offer=frame.sdp, customer_ref=frame.call_id)
        self.calls[call.call_id] = call
        self._refs[(customer_id, call.ref)] = call.call_id
        self._ring_next(call)

    def _customer_answer(self, peer: Peer, call: HubCall, frame: cl.CustomerCallAnswer) -> None:
        purpose = call.pending_purpose
        if purpose is None or call.agent_id is None:
            self._customer_error(peer, call.ref, ErrorCode.CONFLICT, "no offer to answer")
            return
        call.pending_purpose = None
        policy = cl.NO_RECORDING
        if purpose == cl.OfferPurpose.CALL:
            call.state = HubCallState.CONNECTED
            call.answered_at = now_ms()
            policy = self.recording_policy(call.conversation_id)
        self.fanout.to_agent(call.agent_id, cl.CallAccepted(call_id=call.call_id, sdp=frame.sdp,
                                                      purpose=purpose, recording=policy))

    def customer_left(self, customer_id: str) -> None:
        """A widget connection of the customer closed (maybe their last)."""
        self.online.customer_gone(customer_id)
        if self.customers.connected(customer_id):
            return
        for call in [c for c in self.calls.values() if c.customer_id == customer_id]:
            self._end(call, cl.CallEndReason.CUSTOMER_LEFT, notify_customer=False)

    # ---- agent frames ----------------------------------------------------------------

    def agent_command(self, peer: Peer, agent_id: str, cmd: cl.AgentCommand) -> str:
        """Apply one call command; returns the ack or error frame."""
        try:
            self._apply(peer, agent_id, cmd)
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=cmd.op))
        return encode_text(ap.Ack(op=cmd.op))

    def _apply(self, peer: Peer, agent_id: str, cmd: cl.AgentCommand) -> None:
        S = HubCallState  # noqa: N806
        if isinstance(cmd, cl.AnswerCall):
            call = self._agent_call(agent_id, cmd.call_id, {S.RINGING})
            self._cancel_timer(call)
            self._cancel_queue_timer(call)
            if call.offer_id is not None:  # the router's offer: the conversation is theirs
                offer_id, call.offer_id = call.offer_id, None
                self._routed.pop(call.conversation_id, None)
                self.routing.accept(agent_id, offer_id)
            call.state = S.CONNECTED
            call.answered_at = now_ms()
            name = self.store.agent_info(agent_id).display_name
            self.fanout.to_customer(call.customer_id, cl.CallAnsweredNotice(
                call_id=call.ref, sdp=cmd.sdp, agent_name=name, recorded=self._announced(call)))
            self.fanout.to_agent(agent_id, cl.CallEnded(call_id=call.call_id,
                                                  reason=cl.CallEndReason.ANSWERED_ELSEWHERE),
                           skip=peer)
        elif isinstance(cmd, cl.DeclineCall):
            call = self._agent_call(agent_id, cmd.call_id, {S.RINGING})
            self._leave_ringing(call, cl.CallEndReason.DECLINED)
        elif isinstance(cmd, cl.HangupCall):
            call = self._agent_call(agent_id, cmd.call_id, {S.CONNECTED, S.DIALING, S.RINGING})
            self._end(call, cl.CallEndReason.HUNG_UP_BY_AGENT, notify_agent=False)
        elif isinstance(cmd, cl.HoldCall | cl.ResumeCall):
            call = self._agent_call(agent_id, cmd.call_id, {S.CONNECTED})
            held = isinstance(cmd, cl.HoldCall)
            purpose = cl.OfferPurpose.HOLD if held else cl.OfferPurpose.RESUME
            call.pending_purpose = purpose
            self.fanout.to_customer(call.customer_id, cl.CallOfferNotice(
                call_id=call.ref, sdp=cmd.sdp, purpose=purpose))
        elif isinstance(cmd, cl.SendDtmf):
            call = self._agent_call(agent_id, cmd.call_id, {S.CONNECTED})
            self.fanout.to_customer(call.customer_id, cl.CallDtmfNotice(call_id=call.ref,
                                                                  digits=cmd.digits))
        elif isinstance(cmd, cl.TransferCall):
            self._transfer(agent_id, cmd)
        elif isinstance(cmd, cl.StartCall):
            self._start_outbound(agent_id, cmd)
        elif isinstance(cmd, cl.SetCallRecording):
            call = self._agent_call(agent_id, cmd.call_id, {S.CONNECTED})
            policy = self.recording_policy(call.conversation_id)
            if policy.mode != cl.RecordingMode.ON_DEMAND:
                raise StoreError(ErrorCode.CONFLICT,
                                 f"this call's queue records {policy.mode.value}, not on demand")
            if policy.announce:
                self.fanout.to_customer(call.customer_id, cl.CallRecordingNotice(
                    call_id=call.ref, recording=cmd.recording))
        elif isinstance(cmd, cl.ConsultCommand):
            self.consults.apply(peer, agent_id, cmd)
        elif isinstance(cmd, cl.ListenCommand):
            if self.listening is None:
                raise StoreError(ErrorCode.CONFLICT, "this hub has no listening to calls")
            self.listening.apply(agent_id, cmd)
        else:
            known = {d.code for d in self.dispositions}
            if cmd.disposition not in known:
                raise StoreError(ErrorCode.INVALID, f"unknown disposition {cmd.disposition!r}")
            events = self.records.wrap_up(agent_id, cmd.call_id, cmd.disposition, cmd.note)
            self.fanout.publish(agent_id, *events)

    def _transfer(self, agent_id: str, cmd: cl.TransferCall) -> None:
        call = self._agent_call(agent_id, cmd.call_id, {HubCallState.CONNECTED})
        if (cmd.to_agent is None) == (cmd.to_queue is None):
            raise StoreError(ErrorCode.INVALID, "transfer to exactly one agent or one queue")
        if cmd.to_agent is not None and (
            cmd.to_agent == agent_id or not self.agents.connected(cmd.to_agent)
        ):
            raise StoreError(ErrorCode.NOT_FOUND, "that agent cannot take calls now")
        self._hand_on(call, agent_id, cmd.to_agent, cmd.to_queue)

    def check_attended_transfer(self, agent_id: str, call_id: str) -> None:
        """Raises unless ``call_id`` is ``agent_id``'s connected call."""
        self._agent_call(agent_id, call_id, {HubCallState.CONNECTED})

    def attended_transfer(self, agent_id: str, call_id: str, to_agent: str,
                          consult_leg: str) -> None:
        """The end of an attended transfer (hub/calls/consults.py): the call moves to
        the colleague of ``consult_leg``, whose desktop answers it at once."""
        call = self._agent_call(agent_id, call_id, {HubCallState.CONNECTED})
        self._hand_on(call, agent_id, to_agent, None)
        call.consult_leg = consult_leg

    def _hand_on(self, call: HubCall, agent_id: str, to_agent: str | None,
                 to_queue: str | None) -> None:
        # The first leg ends here and is recorded; the call continues.
        if self.listening is not None:
            self.listening.call_left_agent(call.call_id)
        self.fanout.to_agent(agent_id, cl.CallEnded(call_id=call.call_id,
                                              reason=cl.CallEndReason.TRANSFERRED))
        self._record(call, cl.CallEndReason.TRANSFERRED)
        self._after_call(call, cl.CallEndReason.TRANSFERRED)
        conv = self.store.conversation(call.conversation_id)
        if conv is not None and to_queue is not None:
            self.records.set_queue(conv.id, to_queue)
        call.transferred_from = agent_id
        call.transfer_to_agent = to_agent
        call.tried = {agent_id}
        call.answered_at = None
        call.worst = None
        call.started_at = now_ms()
        call.queue_expired = False
        call.state = HubCallState.TRANSFERRING
        self.fanout.to_customer(call.customer_id, cl.CallTransferNotice(call_id=call.ref))

    def _start_outbound(self, agent_id: str, cmd: cl.StartCall) -> None:
        conv = self.store.conversation(cmd.conversation_id)
        if conv is None or conv.agent_id != agent_id:
            raise StoreError(ErrorCode.NOT_FOUND, "no such conversation of yours")
        if not self.customers.connected(conv.customer_id):
            raise StoreError(ErrorCode.CONFLICT, "the customer is not online in the widget")
        if cmd.call_id in self.calls or any(
            c.customer_id == conv.customer_id for c in self.calls.values()
        ):
            raise StoreError(ErrorCode.CONFLICT, "the customer is already in a call")
        call = HubCall(cmd.call_id, conv.customer_id, conv.id, cl.CallDirection.OUTBOUND,
                       HubCallState.DIALING, offer=cmd.sdp, agent_id=agent_id,
                       pending_purpose=cl.OfferPurpose.CALL)
        self.calls[call.call_id] = call
        self._refs[(call.customer_id, call.ref)] = call.call_id
        name = self.store.agent_info(agent_id).display_name
        policy = self.recording_policy(conv.id)
        self.fanout.to_customer(call.customer_id, cl.CallOfferNotice(
            call_id=call.ref, sdp=cmd.sdp, purpose=cl.OfferPurpose.CALL, agent_name=name,
            recorded=policy.mode == cl.RecordingMode.ALWAYS and policy.announce))

    def agent_quality(self, agent_id: str, frame: cl.ReportQuality) -> None:
        call = self.calls.get(frame.call_id)
        if call is None or call.agent_id != agent_id:
            return  # live data: ignore rather than answer
        if call.worst is None or frame.quality.mos < call.worst.mos:
            call.worst = frame.quality

    def agent_left(self, agent_id: str) -> None:
        """The agent's last desktop connection closed."""
        if self.agents.connected(agent_id):
            return
        if self.listening is not None:
            self.listening.agent_left(agent_id)
        self.consults.agent_left(agent_id)
        for call in [c for c in self.calls.values() if c.agent_id == agent_id]:
            if call.state == HubCallState.RINGING:
                self._leave_ringing(call, cl.CallEndReason.AGENT_LEFT)
            elif call.state != HubCallState.TRANSFERRING:
                self._end(call, cl.CallEndReason.AGENT_LEFT, notify_agent=False)

    def stop(self) -> None:
        self.consults.stop()
        for call in self.calls.values():
            self._cancel_timer(call)
            self._cancel_queue_timer(call)
