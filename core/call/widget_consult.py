"""Consulting a colleague on a widget call, on the consulting agent's desktop.

The customer's call is held (``hold_call``); a second session of the same engine,
the *consult leg*, offers to the colleague's desktop through the hub
(``consult_call``, hub/calls/consults.py). The leg is not a ``Call`` of the
manager: it is one of the customer call's legs, as a SIP consult call is.

What happens next is decided by the same sans-I/O ``Consultation`` as for
telephone calls (core/sip/consultation.py), fed with the leg's progress: the hub's
ack (the colleague's desktop rings), ``call_consult_answered`` (connected),
``call_consult_ended`` (ended), and the customer call's end. Its steps mean here:

- ``Refer``: ``complete_consult`` — the hub moves the customer's call to the
  colleague (this desktop's leg ends ``transferred``; the colleague's desktop
  answers it at once);
- ``Resume``: the customer's call is resumed (``resume_call``);
- ``HangUp`` of the leg: ``end_consult`` and its session closes; of the customer
  after a transfer: nothing (the hub ended our leg of the call);
- ``StartMix``/``EndMix``: the engine's three-way mix (core/call/conference_mix.py).

Runs on the call manager's loop (the GUI thread); media work is awaited from the
``MediaEngine``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from core.call.call_state import Call, CallError, CallState
from core.call.media_state import MediaState
from core.protocol import agent as ap
from core.protocol import call as cl
from core.sip.consultation import (
    Consultation,
    ConsultationError,
    EndMix,
    HangUp,
    LegState,
    Refer,
    Resume,
    StartMix,
    Step,
)
from core.sip.events import (
    CallDidAnswer,
    CallDidEnd,
    CallDidProgress,
    EndReason,
    SipEvent,
    TransferDidProgress,
)
from core.tasks import BackgroundTasks

if TYPE_CHECKING:
    from core.call.call_manager import CallManager
    from core.call.media_thread import MediaNotice

log = logging.getLogger(__name__)

__all__ = ["WidgetConsults"]

ACK_TIMEOUT_S = 10.0
# The hub's refusal as the status a consultation keeps for a failed transfer.
_STATUS = {"forbidden": 403, "not_found": 404, "conflict": 409}


class WidgetConsults:
    """Use from the call manager's loop."""

    def __init__(self, manager: CallManager) -> None:
        self.manager = manager
        self._legs: dict[str, str] = {}  # leg id -> the customer's call id
        self._ended_by_hub: set[str] = set()  # legs the hub ended (no end_consult then)
        self._ops = (f"consult-{uuid.uuid4().hex[:8]}-{n}" for n in itertools.count())
        self._acks: dict[str, asyncio.Future[ap.Ack | ap.Error]] = {}
        self._unawaited: set[str] = set()  # ops whose answer nobody waits for
        self._tasks = BackgroundTasks("consults", logger=log)

    def _consultation(self, call_id: str) -> Consultation:
        found = self.manager.consultations.get(call_id)
        if found is None or not found.active:
            raise CallError(f"call {call_id} is not consulting")
        return found

    async def _command(self, frame: Any) -> ap.Ack | ap.Error:
        """Send a consult command and wait for the hub's ack or error."""
        future: asyncio.Future[ap.Ack | ap.Error] = asyncio.get_running_loop().create_future()
        self._acks[frame.op] = future
        self.manager.send(frame)
        try:
            return await asyncio.wait_for(future, ACK_TIMEOUT_S)
        except TimeoutError:
            return ap.Error(code="unavailable", message="the hub did not answer", op=frame.op)
        finally:
            self._acks.pop(frame.op, None)

    # ---- the agent's commands --------------------------------------------------------

    async def consult(self, call: Call, to_agent: str, name: str) -> str:
        """Hold the customer and ring ``to_agent``'s desktops; the leg's id.
        ``CallError`` when the hub refuses (the customer is resumed)."""
        current = self.manager.consultations.get(call.call_id)
        if current is not None and current.active:
            raise CallError(f"call {call.call_id} is already consulting")
        if call.state not in (CallState.ACTIVE, CallState.HELD):
            raise CallError(f"call {call.call_id} is not connected")
        held_here = call.state == CallState.ACTIVE
        if held_here:
            await self.manager.hold(call.call_id)
        leg_id = f"consult-{uuid.uuid4().hex}"
        media = self.manager.media
        try:
            offer = await media.create_offer(leg_id)
        except Exception as exc:
            await self._close_leg(leg_id)
            if held_here:
                await self._resume(call.call_id)
            raise CallError(f"cannot call {name}: {exc}") from exc
        consultation = Consultation(call.call_id, leg_id, name)
        self._legs[leg_id] = call.call_id
        self.manager.consultations[call.call_id] = consultation
        self._report(consultation)
        answer = await self._command(cl.ConsultCall(
            op=next(self._ops), call_id=call.call_id, leg_id=leg_id, to_agent=to_agent,
            sdp=offer))
        if isinstance(answer, ap.Error):
            await self._handle(consultation, CallDidEnd(leg_id, EndReason.REJECTED,
                                                        _STATUS.get(answer.code, 500)))
            if consultation.can_go_back:
                await self._carry_out(consultation.back_to_customer())
                self._report(consultation)
            raise CallError(f"the hub refused to consult {name}: {answer.message}")
        await self._handle(consultation, CallDidProgress(leg_id, 180))
        return leg_id

    async def complete_transfer(self, call_id: str) -> None:
        await self._run(call_id, Consultation.complete_transfer)

    async def conference(self, call_id: str) -> None:
        await self._run(call_id, Consultation.conference)

    async def back_to_customer(self, call_id: str) -> None:
        await self._run(call_id, Consultation.back_to_customer)

    async def _run(self, call_id: str,
                   command: Callable[[Consultation], list[Step]]) -> None:
        consultation = self._consultation(call_id)
        try:
            steps = command(consultation)
        except ConsultationError as exc:
            raise CallError(str(exc)) from exc
        self._report(consultation)
        await self._carry_out(steps)
        self._report(consultation)

    # ---- from the hub, the media thread and the manager --------------------------------

    def handle_frame(self, frame: object) -> bool:
        """True when the frame was one of ours (consumed)."""
        if isinstance(frame, ap.Ack | ap.Error):
            if frame.op in self._unawaited:
                self._unawaited.discard(frame.op)
                if isinstance(frame, ap.Error):
                    log.info("end_consult: %s %s", frame.code, frame.message)
                return True
            future = self._acks.get(frame.op or "")
            if future is None:
                return False
            if not future.done():
                future.set_result(frame)
            return True
        if isinstance(frame, cl.ConsultAnswered | cl.ConsultEnded):
            call_id = self._legs.get(frame.leg_id)
            if call_id is None:
                return False  # the colleague's side: a Call of the manager
            consultation = self.manager.consultations.get(call_id)
            if consultation is None:
                return True
            if isinstance(frame, cl.ConsultAnswered):
                self._spawn(self._answered(consultation, frame))
                return True
            self._ended_by_hub.add(frame.leg_id)
            if frame.reason != cl.CallEndReason.TRANSFERRED:  # else the transfer's own end
                self._spawn(self._handle(consultation, CallDidEnd(
                    frame.leg_id, EndReason.REMOTE_HANGUP)))
            return True
        return False

    def media_notice(self, notice: MediaNotice) -> bool:
        """A notice of one of our legs (on this loop)."""
        call_id = self._legs.get(notice.call_id)
        if call_id is None:
            return False
        consultation = self.manager.consultations.get(call_id)
        if notice.state == MediaState.FAILED and consultation is not None:
            self._end_consult(notice.call_id)
            self._spawn(self._handle(consultation, CallDidEnd(
                notice.call_id, EndReason.TRANSPORT_LOST)))
        return True

    def customer_call_ended(self, call: Call, consultation: Consultation) -> None:
        """The customer's call ended here (the manager's ``_finish``). Without a
        transfer the leg ends too: on this desktop it is no call of its own."""
        if call.end_reason == cl.CallEndReason.TRANSFERRED:
            self._spawn(self._handle(consultation, TransferDidProgress(call.call_id, 200, True)))
            return

        async def ended() -> None:
            await self._handle(consultation, CallDidEnd(call.call_id, EndReason.REMOTE_HANGUP))
            leg_id = consultation.consult_call_id
            if leg_id in self._legs:
                await self._carry_out([HangUp(leg_id)])

        self._spawn(ended())

    async def _answered(self, consultation: Consultation, frame: cl.ConsultAnswered) -> None:
        try:
            await self.manager.media.accept_answer(frame.leg_id, frame.sdp)
        except Exception:
            log.exception("cannot apply the answer of consult leg %s", frame.leg_id)
            self._end_consult(frame.leg_id)
            await self._handle(consultation, CallDidEnd(frame.leg_id, EndReason.REJECTED))
            return
        await self._handle(consultation, CallDidAnswer(frame.leg_id, frame.sdp))

    async def _handle(self, consultation: Consultation, event: SipEvent) -> None:
        steps = consultation.handle(event)
        self._report(consultation)
        await self._carry_out(steps)
        leg_id = consultation.consult_call_id
        if consultation.consult == LegState.ENDED and leg_id in self._legs:
            await self._close_leg(leg_id)
        self._report(consultation)

    # ---- the steps --------------------------------------------------------------------

    async def _carry_out(self, steps: list[Step]) -> None:
        media = self.manager.media
        for step in steps:
            if isinstance(step, HangUp):
                if step.call_id in self._legs:
                    if step.call_id not in self._ended_by_hub:
                        self._end_consult(step.call_id)
                    await self._close_leg(step.call_id)
                # The customer's call after a transfer: the hub ended our leg of it.
            elif isinstance(step, Resume):
                await self._resume(step.call_id)
            elif isinstance(step, Refer):
                answer = await self._command(cl.CompleteConsult(
                    op=next(self._ops), call_id=step.call_id, leg_id=step.consult_call_id))
                consultation = self.manager.consultations.get(step.call_id)
                if isinstance(answer, ap.Error) and consultation is not None:
                    log.warning("the hub refused the transfer of %s: %s %s", step.call_id,
                                answer.code, answer.message)
                    consultation.handle(TransferDidProgress(
                        step.call_id, _STATUS.get(answer.code, 500), True))
            elif isinstance(step, StartMix):
                try:
                    await media.start_conference(step.customer_call_id, step.consult_call_id)
                except Exception:
                    log.exception("cannot mix the conference of %s", step.customer_call_id)
            elif isinstance(step, EndMix):
                await media.end_conference(step.customer_call_id)

    def _end_consult(self, leg_id: str) -> None:
        op = next(self._ops)
        self._unawaited.add(op)
        self.manager.send(cl.EndConsult(op=op, leg_id=leg_id))

    async def _resume(self, call_id: str) -> None:
        call = self.manager.calls.get(call_id)
        if call is None or call.state != CallState.HELD:
            return
        try:
            await self.manager.resume(call_id)
        except Exception:
            log.exception("cannot take %s off hold", call_id)

    async def _close_leg(self, leg_id: str) -> None:
        self._legs.pop(leg_id, None)
        self._ended_by_hub.discard(leg_id)
        try:
            await self.manager.media.close(leg_id)
        except Exception:
            log.exception("cannot close consult leg %s", leg_id)

    def _report(self, consultation: Consultation) -> None:
        call = self.manager.calls.get(consultation.customer_call_id)
        if call is not None:
            self.manager.consultation_did_change.emit(call, consultation)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.spawn(coro)

    async def close(self) -> None:
        for leg_id in list(self._legs):
            self._end_consult(leg_id)
            await self._close_leg(leg_id)
