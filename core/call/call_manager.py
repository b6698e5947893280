"""Call signalling state on the desktop: one ``Call`` per call id, as Enums.

Runs on the caller's asyncio loop (the GUI thread under qasync); media work is
awaited from ``MediaEngine`` (media thread). Frames to the hub go out through
``send``; frames from the hub come in through ``handle_frame``. Media notices
from the media thread are marshalled onto this loop with ``call_soon_threadsafe``.

Call-waiting: a call may ring while another is active; answering it (or resuming
another) first puts the active call on hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import msgspec

from core.call.call_recording import RecordingControl
from core.call.call_state import (
    FINAL,
    NEXT_STATES,
    Call,
    CallError,
    CallFailure,
    CallState,
    DialBlock,
    DialRefusedError,
)
from core.call.media_state import MediaState
from core.call.media_thread import MediaEngine, MediaNotice
from core.call.quality import QualityMeter
from core.call.widget_consult import WidgetConsults
from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.models import Customer
from core.protocol.sip_calls import SipCallLinked
from core.session.hooks import Hook
from core.sip.events import RegistrationState
from core.supervision.call_listening import CallListener
from core.tasks import BackgroundTasks

if TYPE_CHECKING:
    from core.call.sip_line import SipLine
    from core.sip.consultation import Consultation

log = logging.getLogger(__name__)

__all__ = ["Call", "CallError", "CallFailure", "CallManager", "CallState", "DialBlock",
           "DialRefusedError"]

QUALITY_INTERVAL_S = 2.0


class CallManager:
    """Use from one asyncio loop (the GUI thread's)."""

    def __init__(self, send: Callable[[msgspec.Struct], object], media: MediaEngine) -> None:
        self._send = send
        self.media = media
        self.calls: dict[str, Call] = {}
        self.dispositions: list[cl.Disposition] = []
        self._ops = (f"call-{uuid.uuid4().hex[:8]}-{n}" for n in itertools.count())
        self._pending_ops: dict[str, str] = {}
        self._quality_tasks: dict[str, asyncio.Task[None]] = {}
        self._connected: set[str] = set()  # calls whose media has connected
        self._tasks = BackgroundTasks("calls", logger=log)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.call_did_ring: Hook[[Call]] = Hook("call_did_ring")
        self.call_did_change: Hook[[Call]] = Hook("call_did_change")
        self.call_did_end: Hook[[Call]] = Hook("call_did_end")
        self.quality_did_update: Hook[[Call, cl.CallQuality]] = Hook("quality_did_update")
        self.dtmf_did_arrive: Hook[[Call, str]] = Hook("dtmf_did_arrive")
        # A telephone call's consultation (attended transfer, conference): the latest
        # snapshot per call id, and each change (the line's, on this loop).
        self.consultations: dict[str, Consultation] = {}
        self.consultation_did_change: Hook[[Call, Consultation]] = Hook(
            "consultation_did_change")
        # Customers of this agent's open conversations who are in the widget now
        # (click-to-call needs them online); the hook gets (customer id, online).
        self.online_customers: set[str] = set()
        self.customer_online_did_change: Hook[[str, bool]] = Hook("customer_online_did_change")
        # This desktop listening to other agents' calls (supervisors; the hub says
        # ``forbidden`` to anyone else).
        self.listener = CallListener(send, media)
        # Recording per the queue's policy (call_recording.py).
        self.recording = RecordingControl(media, send, self._op)
        media.notify = self._media_notice_from_thread
        # The SIP phone when a telephony account is enabled (core/call/sip_line):
        # calls with ``sip_number`` set go to it instead of the hub.
        self.sip: SipLine | None = None
        # The line came or went, or its registration changed (the dial pad's state).
        self.telephone_did_change: Hook[[]] = Hook("telephone_did_change")
        # Widget calls consulting a colleague through the hub (widget_consult.py);
        # consult legs this desktop answered (an attended transfer's end answers at once).
        self.consults = WidgetConsults(self)
        self._answered_legs: set[str] = set()

    # ---- helpers -----------------------------------------------------------------

    def _bind_loop(self) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()

    def send(self, frame: msgspec.Struct) -> None:
        """A frame to the hub (live signalling, as the manager's own)."""
        self._send(frame)

    def _op(self, call_id: str) -> str:
        op = next(self._ops)
        self._pending_ops[op] = call_id
        return op

    def call(self, call_id: str) -> Call:
        found = self.calls.get(call_id)
        if found is None:
            raise CallError(f"no call {call_id}")
        return found

    def active_call(self) -> Call | None:
        return next((c for c in self.calls.values() if c.state == CallState.ACTIVE), None)

    def _set_state(self, call: Call, state: CallState) -> None:
        if state == call.state:
            return
        if state not in FINAL and state not in NEXT_STATES[call.state]:
            raise CallError(f"call {call.call_id}: {call.state.name} -> {state.name} not allowed")
        call.state = state
        if state == CallState.ACTIVE and call.call_id not in self._connected:
            # The media connected for the first time (a SIP line sets answered_at
            # itself, at the answer, before its media connects).
            self._connected.add(call.call_id)
            if call.answered_at is None:
                call.answered_at = time.time()
            self._start_quality(call)
            self._spawn(self.recording.call_connected(call))
        self.call_did_change.emit(call)

    def set_state(self, call: Call, state: CallState) -> None:
        """Move ``call`` on (a call source such as the SIP line)."""
        self._set_state(call, state)

    async def finish(self, call: Call, reason: cl.CallEndReason) -> None:
        """End ``call`` here (its source already ended it)."""
        await self._finish(call, reason)

    def _line(self, call: Call) -> SipLine | None:
        """The SIP line of a SIP call (None: a widget call, through the hub)."""
        if call.sip_number is None:
            return None
        if self.sip is None:
            raise CallError("the SIP phone is not running")
        return self.sip

    async def _finish(
        self,
        call: Call,
        reason: cl.CallEndReason,
        failure: CallFailure | None = None,
    ) -> None:
        if not call.live:
            return
        call.end_reason = reason
        call.failure = failure
        call.ended_at = time.time()
        call.state = CallState.FAILED if failure else CallState.ENDED
        task = self._quality_tasks.pop(call.call_id, None)
        if task is not None:
            task.cancel()
        consultation = self.consultations.pop(call.call_id, None)
        if consultation is not None and consultation.active and call.sip_number is None:
            self.consults.customer_call_ended(call, consultation)
        self._connected.discard(call.call_id)
        with contextlib.suppress(Exception):
            await self.media.close(call.call_id)
        self._spawn(self.recording.call_ended(call))
        self.call_did_change.emit(call)
        self.call_did_end.emit(call)

    async def _hold_others(self, keep: str) -> None:
        for other in list(self.calls.values()):
            # A colleague's consultation is not held (nobody would resume it there).
            if other.call_id != keep and other.state == CallState.ACTIVE \
                    and other.consult_for is None:
                await self.hold(other.call_id)

    # ---- actions (GUI thread) -------------------------------------------------------

    async def answer(self, call_id: str) -> None:
        self._bind_loop()
        call = self.call(call_id)
        if call.state != CallState.RINGING_IN or (call.offer is None and call.sip_number is None):
            raise CallError(f"call {call_id} is not ringing")
        await self._hold_others(call_id)
        self._set_state(call, CallState.CONNECTING)
        if (line := self._line(call)) is not None:
            try:
                await line.answer(call)
            except Exception:
                log.exception("cannot answer SIP call %s", call_id)
                line.hang_up(call)
                await self._finish(call, cl.CallEndReason.FAILED, CallFailure.NEGOTIATION)
            return
        assert call.offer is not None
        try:
            answer = await self.media.accept_offer(call_id, call.offer)
        except Exception:
            log.exception("cannot answer call %s", call_id)
            self._send(self._hang_up_frame(call))
            await self._finish(call, cl.CallEndReason.FAILED, CallFailure.NEGOTIATION)
            return
        if call.consult_for is not None:
            self._answered_legs.add(call_id)
            self._send(cl.AnswerConsult(op=self._op(call_id), leg_id=call_id, sdp=answer))
            return
        self._send(cl.AnswerCall(op=self._op(call_id), call_id=call_id, sdp=answer))

    def _hang_up_frame(self, call: Call) -> msgspec.Struct:
        """Hang up (or decline) a widget call or a colleague's consult leg."""
        if call.consult_for is not None:
            return cl.EndConsult(op=self._op(call.call_id), leg_id=call.call_id)
        return cl.HangupCall(op=self._op(call.call_id), call_id=call.call_id)

    def decline(self, call_id: str, reason: cl.DeclineReason = cl.DeclineReason.REJECTED) -> None:
        self._bind_loop()
        call = self.call(call_id)
        if call.state != CallState.RINGING_IN:
            raise CallError(f"call {call_id} is not ringing")
        if (line := self._line(call)) is not None:
            line.decline(call, 486 if reason == cl.DeclineReason.BUSY else 603)
        elif call.consult_for is not None:
            self._send(self._hang_up_frame(call))
        else:
            self._send(cl.DeclineCall(op=self._op(call_id), call_id=call_id, reason=reason))
        call.end_reason = cl.CallEndReason.DECLINED
        call.ended_at = time.time()
        call.state = CallState.ENDED
        self.call_did_change.emit(call)
        self.call_did_end.emit(call)

    async def hang_up(self, call_id: str) -> None:
        self._bind_loop()
        call = self.call(call_id)
        if not call.live:
            return
        if call.sip_number is not None:
            if self.sip is not None:  # else the phone stopped: the call is gone already
                self.sip.hang_up(call)
        else:
            self._send(self._hang_up_frame(call))
        await self._finish(call, cl.CallEndReason.HUNG_UP_BY_AGENT)

    async def hold(self, call_id: str) -> None:
        call = self.call(call_id)
        if call.state != CallState.ACTIVE:
            raise CallError(f"call {call_id} is not active")
        if call.consult_for is not None:
            raise CallError("a colleague's consultation is not put on hold")
        if (line := self._line(call)) is not None:
            await line.hold(call, True)
            self._set_state(call, CallState.HELD)
            return
        offer = await self.media.hold(call_id)
        self._set_state(call, CallState.HELD)
        self._send(cl.HoldCall(op=self._op(call_id), call_id=call_id, sdp=offer))

    async def resume(self, call_id: str) -> None:
        call = self.call(call_id)
        if call.state != CallState.HELD:
            raise CallError(f"call {call_id} is not on hold")
        await self._hold_others(call_id)
        if (line := self._line(call)) is not None:
            await line.hold(call, False)
            self._set_state(call, CallState.ACTIVE)
            return
        offer = await self.media.resume(call_id)
        self._set_state(call, CallState.ACTIVE)
        self._send(cl.ResumeCall(op=self._op(call_id), call_id=call_id, sdp=offer))

    def set_muted(self, call_id: str, muted: bool) -> None:
        call = self.call(call_id)
        call.muted = muted
        self.media.set_muted(call_id, muted)
        self.call_did_change.emit(call)

    def send_dtmf(self, call_id: str, digits: str) -> None:
        call = self.call(call_id)
        if call.state not in (CallState.ACTIVE, CallState.HELD):
            raise CallError(f"call {call_id} is not connected")
        if (line := self._line(call)) is not None:
            line.send_dtmf(call, digits)
            return
        if not digits or any(d not in cl.DTMF_ALPHABET for d in digits):
            raise CallError(f"DTMF digits must be among {cl.DTMF_ALPHABET}")
        self._send(cl.SendDtmf(op=self._op(call_id), call_id=call_id, digits=digits))

    def transfer(
        self, call_id: str, to_agent: str | None = None, to_queue: str | None = None
    ) -> None:
        call = self.call(call_id)
        if call.sip_number is not None:
            raise CallError("a telephone call is transferred to a number")
        if (to_agent is None) == (to_queue is None):
            raise CallError("transfer to exactly one agent or one queue")
        if call.state not in (CallState.ACTIVE, CallState.HELD):
            raise CallError(f"call {call_id} is not connected")
        self._send(
            cl.TransferCall(
                op=self._op(call_id), call_id=call_id, to_agent=to_agent, to_queue=to_queue
            )
        )

    def transfer_to_number(self, call_id: str, target: str) -> None:
        """Blind transfer of a telephone (SIP) call by REFER to a number or address."""
        call = self.call(call_id)
        line = self._line(call)
        if line is None:
            raise CallError("a web call is transferred to an agent or a queue")
        if call.state not in (CallState.ACTIVE, CallState.HELD):
            raise CallError(f"call {call_id} is not connected")
        line.transfer(call, target)

    # ---- consulting (telephone calls: attended transfer and conference) ------------

    async def consult(self, call_id: str, target: str, name: str = "") -> None:
        """Put the call on hold and call ``target``: for a telephone call a colleague's
        extension or a number, for a widget call a colleague's agent id (``name``
        for the panel) through the hub. Follow it with ``consultation_did_change``."""
        call = self.call(call_id)
        if call.consult_for is not None:
            raise CallError("a consultation cannot consult in turn")
        if call.state not in (CallState.ACTIVE, CallState.HELD):
            raise CallError(f"call {call_id} is not connected")
        if (line := self._line(call)) is None:
            await self.consults.consult(call, target, name or target)
            return
        await line.consult(call, target)

    async def complete_transfer(self, call_id: str) -> None:
        """Hand the customer to the consulted party (REFER with Replaces, or the hub)."""
        call = self.call(call_id)
        if (line := self._line(call)) is None:
            await self.consults.complete_transfer(call_id)
            return
        await line.complete_transfer(call)

    async def conference(self, call_id: str) -> None:
        """The customer, the agent and the consulted party together."""
        call = self.call(call_id)
        if (line := self._line(call)) is None:
            await self.consults.conference(call_id)
            return
        await line.conference(call)

    async def back_to_customer(self, call_id: str) -> None:
        """End the consult leg (or cancel it while it rings) and resume the customer."""
        call = self.call(call_id)
        if (line := self._line(call)) is None:
            await self.consults.back_to_customer(call_id)
            return
        await line.back_to_customer(call)

    def telephone_state(self) -> RegistrationState | None:
        """The SIP phone's registration; None without a phone."""
        return self.sip.registration.state if self.sip is not None else None

    def dial_block(self) -> DialBlock | None:
        """Why no new outbound call may be placed now (None: it may): a call that
        rings in is answered or declined first, and one outbound call is dialled at
        a time (the call in progress would be held for it, a ringing one go on
        ringing unseen)."""
        live = [c for c in self.calls.values() if c.live]
        if any(c.state == CallState.RINGING_IN for c in live):
            return DialBlock.RINGING_IN
        if any(c.state == CallState.DIALING for c in live):
            return DialBlock.DIALING
        return None

    async def dial(self, number: str) -> str:
        """Call ``number`` through the PBX (a call in progress is held first); the
        desktop id of the new call. ``CallError`` without a registered phone,
        ``DialRefusedError`` while a call rings in or another is being dialled."""
        self._bind_loop()
        line = self.sip
        if line is None:
            raise CallError("no telephone account is switched on")
        if line.registration.state is not RegistrationState.REGISTERED:
            raise CallError("the telephone is not registered at the PBX")
        if (block := self.dial_block()) is not None:
            raise DialRefusedError(block)
        await self._hold_others(keep="")
        return await line.dial(number)

    async def start_call(self, conversation_id: str, customer: Customer | None = None) -> str:
        """Call the customer of ``conversation_id`` (online in the widget);
        ``DialRefusedError`` while a call rings in or another is being dialled."""
        self._bind_loop()
        if (block := self.dial_block()) is not None:
            raise DialRefusedError(block)
        call_id = f"call-{uuid.uuid4().hex}"
        call = Call(call_id, conversation_id, cl.CallDirection.OUTBOUND, CallState.DIALING,
                    customer=customer)
        self.calls[call_id] = call
        await self._hold_others(call_id)
        self.call_did_change.emit(call)
        try:
            offer = await self.media.create_offer(call_id)
        except Exception:
            log.exception("cannot make an offer")
            await self._finish(call, cl.CallEndReason.FAILED, CallFailure.NEGOTIATION)
            return call_id
        self._send(
            cl.StartCall(
                op=self._op(call_id), call_id=call_id, conversation_id=conversation_id, sdp=offer
            )
        )
        return call_id

    def wrap_up(self, call_id: str, disposition: str, note: str = "") -> None:
        known = {d.code for d in self.dispositions}
        if known and disposition not in known:
            raise CallError(f"unknown disposition {disposition!r}")
        self._send(
            cl.WrapUpCall(op=self._op(call_id), call_id=call_id, disposition=disposition,
                          note=note)
        )

    # ---- frames from the hub ------------------------------------------------------

    def handle_frame(self, frame: object) -> bool:
        """Feed a frame from the hub; True when it was a call frame (consumed)."""
        self._bind_loop()
        if self.consults.handle_frame(frame):
            return True
        if isinstance(frame, cl.ConsultRinging):
            self._consult_ringing(frame)
            return True
        if isinstance(frame, cl.ConsultEnded):
            leg = self.calls.get(frame.leg_id)
            if leg is not None and leg.consult_for is not None:
                self._spawn(self._finish(leg, frame.reason))
            return True
        if isinstance(frame, cl.CallConfig):
            self.dispositions = list(frame.dispositions)
            self.media.ice_servers = list(frame.ice_servers)
            # A new connection: the hub tells who is online again right after.
            for customer_id in list(self.online_customers):
                self._customer_online(customer_id, False)
            return True
        if isinstance(frame, cl.CallRinging):
            self._ringing(frame)
            return True
        if isinstance(frame, SipCallLinked):
            if self.sip is not None:
                self.sip.linked(frame)
            return True
        if isinstance(frame, cl.CustomerOnline):
            self._customer_online(frame.customer_id, frame.online)
            return True
        if self.listener.handle_frame(frame):
            return True
        if isinstance(frame, cl.ListenRequested | cl.ListenModeChanged | cl.ListenEnded):
            self._listen_frame(frame)
            return True
        if isinstance(frame, ap.Ack | ap.Error):
            if frame.op is None or frame.op not in self._pending_ops:
                return False
            call_id = self._pending_ops.pop(frame.op)
            if isinstance(frame, ap.Error):
                self._spawn(self._refused(call_id, frame))
            return True
        if not isinstance(frame, cl.CallAccepted | cl.CallDtmf | cl.CallMuted | cl.CallEnded):
            return False
        call = self.calls.get(frame.call_id)
        if call is None:
            return True  # a late frame for a call this desktop no longer has
        if isinstance(frame, cl.CallAccepted):
            self._spawn(self._accepted(call, frame))
        elif isinstance(frame, cl.CallDtmf):
            call.dtmf_received.extend(frame.digits)
            self.dtmf_did_arrive.emit(call, frame.digits)
        elif isinstance(frame, cl.CallMuted):
            call.remote_muted = frame.muted
            self.call_did_change.emit(call)
        elif isinstance(frame, cl.CallEnded):
            self._spawn(self._finish(call, frame.reason))
        return True

    # ---- a supervisor listening to this agent's call -------------------------------

    def _listen_frame(
        self, frame: cl.ListenRequested | cl.ListenModeChanged | cl.ListenEnded
    ) -> None:
        call = self.calls.get(frame.call_id)
        if isinstance(frame, cl.ListenRequested):
            if call is not None and call.live and call.state != CallState.RINGING_IN:
                self._spawn(self._open_listen_leg(call, frame))
            return  # another desktop of this agent carries the call
        if call is None or call.listen_leg != frame.leg_id:
            return
        if isinstance(frame, cl.ListenModeChanged):
            call.listen_mode = frame.mode
            self.media.set_listen_mode(frame.leg_id, frame.mode)
        else:
            call.listened_by = call.listen_leg = call.listen_mode = None
            self._spawn(self.media.close_listen_leg(frame.leg_id))
        self.call_did_change.emit(call)

    async def _open_listen_leg(self, call: Call, frame: cl.ListenRequested) -> None:
        try:
            answer = await self.media.open_listen_leg(call.call_id, frame.leg_id, frame.sdp,
                                                      frame.mode)
        except Exception:
            log.exception("cannot answer a listening leg of call %s", call.call_id)
            self._send(cl.StopListening(op=self._op(call.call_id), leg_id=frame.leg_id))
            return
        call.listened_by = frame.supervisor_name
        call.listen_leg = frame.leg_id
        call.listen_mode = frame.mode
        self._send(cl.AnswerListen(op=self._op(call.call_id), leg_id=frame.leg_id, sdp=answer))
        self.call_did_change.emit(call)

    def is_online(self, customer_id: str) -> bool:
        """Is the customer in the widget (as far as the hub has told)?"""
        return customer_id in self.online_customers

    def _customer_online(self, customer_id: str, online: bool) -> None:
        if online == (customer_id in self.online_customers):
            return
        if online:
            self.online_customers.add(customer_id)
        else:
            self.online_customers.discard(customer_id)
        self.customer_online_did_change.emit(customer_id, online)

    def _ringing(self, frame: cl.CallRinging) -> None:
        call = Call(
            frame.call_id,
            frame.conversation.id,
            cl.CallDirection.INBOUND,
            CallState.RINGING_IN,
            customer=frame.customer,
            transferred_from=frame.transferred_from,
            offer=frame.sdp,
        )
        self.calls[frame.call_id] = call
        self.recording.set_policy(call.call_id, frame.recording)
        self.media.prepare()  # loads during the ring, not after the answer click
        if frame.consult_leg is not None and frame.consult_leg in self._answered_legs:
            # An attended transfer to this agent, who took the consultation here.
            self._answered_legs.discard(frame.consult_leg)
            self.call_did_change.emit(call)
            self._spawn(self.answer(call.call_id))
            return
        self.call_did_ring.emit(call)

    def _consult_ringing(self, frame: cl.ConsultRinging) -> None:
        """A colleague consults this agent about a widget call: it rings like a call."""
        call = Call(frame.leg_id, frame.conversation_id, cl.CallDirection.INBOUND,
                    CallState.RINGING_IN, customer=frame.customer, offer=frame.sdp,
                    consult_for=frame.call_id, consult_from=frame.from_agent_name)
        self.calls[frame.leg_id] = call
        self.media.prepare()
        self.call_did_ring.emit(call)

    async def _accepted(self, call: Call, frame: cl.CallAccepted) -> None:
        if frame.purpose == cl.OfferPurpose.CALL:
            self.recording.set_policy(call.call_id, frame.recording)
        try:
            await self.media.accept_answer(call.call_id, frame.sdp)
        except Exception:
            log.exception("cannot apply the answer for %s", call.call_id)
            self._send(cl.HangupCall(op=self._op(call.call_id), call_id=call.call_id))
            await self._finish(call, cl.CallEndReason.FAILED, CallFailure.NEGOTIATION)
            return
        if call.state == CallState.DIALING:
            self._set_state(call, CallState.CONNECTING)

    async def _refused(self, call_id: str, error: ap.Error) -> None:
        call = self.calls.get(call_id)
        if call is None or not call.live:
            return
        log.warning("hub refused a command of call %s: %s %s", call_id, error.code, error.message)
        if call.state in (CallState.CONNECTING, CallState.DIALING):
            await self._finish(call, cl.CallEndReason.FAILED, CallFailure.REFUSED)

    # ---- media notices -----------------------------------------------------------

    def _media_notice_from_thread(self, notice: MediaNotice) -> None:
        """Runs on the media thread: hop to this manager's loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._media_notice, notice)

    def _media_notice(self, notice: MediaNotice) -> None:
        if self.listener.media_notice(notice) or self.consults.media_notice(notice):
            return
        call = self.calls.get(notice.call_id)
        if call is None:
            self._agent_leg_notice(notice)
            return
        if not call.live:
            return
        if notice.state == MediaState.CONNECTED and call.state == CallState.CONNECTING:
            self._set_state(call, CallState.ACTIVE)
        elif notice.state == MediaState.FAILED:
            if call.sip_number is not None:
                if self.sip is not None:
                    self.sip.hang_up(call)
            else:
                self._send(self._hang_up_frame(call))
            self._spawn(self._finish(call, cl.CallEndReason.FAILED, CallFailure.MEDIA))

    def _agent_leg_notice(self, notice: MediaNotice) -> None:
        """A listening leg this engine answered lost its media: drop it."""
        if notice.state != MediaState.FAILED:
            return
        call = next((c for c in self.calls.values() if c.listen_leg == notice.call_id), None)
        if call is None:
            return
        self._send(cl.StopListening(op=self._op(call.call_id), leg_id=notice.call_id))
        call.listened_by = call.listen_leg = call.listen_mode = None
        self._spawn(self.media.close_listen_leg(notice.call_id))
        self.call_did_change.emit(call)

    # ---- quality -----------------------------------------------------------------

    def _start_quality(self, call: Call) -> None:
        if call.call_id not in self._quality_tasks:
            self._quality_tasks[call.call_id] = self._tasks.spawn(self._measure(call))

    async def _measure(self, call: Call) -> None:
        meter = QualityMeter(await self.media.codec(call.call_id) or "audio/opus")
        while call.live:
            await asyncio.sleep(QUALITY_INTERVAL_S)
            if call.state != CallState.ACTIVE:
                continue
            try:
                sample = await self.media.stats(call.call_id)
            except Exception:
                return
            quality = meter.update(sample)
            call.quality = quality
            if call.sip_number is None and call.consult_for is None:
                # the hub keeps it with a widget call's record
                self._send(cl.ReportQuality(call_id=call.call_id, quality=quality))
            self.quality_did_update.emit(call, quality)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.spawn(coro)

    async def close(self) -> None:
        """Hang up every live call and stop measuring (at exit)."""
        await self.listener.close()
        await self.consults.close()
        for call in list(self.calls.values()):
            if call.live and call.state != CallState.RINGING_IN:
                await self.hang_up(call.call_id)
        for task in self._quality_tasks.values():
            task.cancel()
        self._quality_tasks.clear()

