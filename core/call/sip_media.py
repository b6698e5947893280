"""SIP calls with audio: binds each call of a ``SipPhone`` to a ``MediaSession``.

The PBX's WebRTC gateway (rtpengine behind Kamailio) speaks DTLS-SRTP and ICE,
so the SDP is aiortc's own, offered and answered as for a widget call: an inbound
INVITE's offer is applied when the call is answered; an outbound call offers
first; hold/resume are re-INVITEs with a new offer; the PBX's re-INVITEs are
answered by the same session.

Consulting a colleague (``consult``) puts the customer on hold and places a second
call; ``core.sip.consultation.Consultation`` decides what happens next (complete
the transfer by REFER with Replaces, a three-way conference, back to the
customer) and this layer carries out its steps. The conference is mixed here, on
the media thread, with the same crossings as a supervisor barging in
(``supervisor_mix``): the customer's session keeps the agent's microphone and
speaker, the consult session reads and writes the mix instead of its own devices
(they are given back when the conference ends).

Thread: the media thread's loop (the phone must live on the same loop).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable

from core.call.conference_mix import Conference
from core.call.media_session import MediaSession
from core.sip.consultation import (
    Consultation,
    ConsultationError,
    EndMix,
    HangUp,
    Refer,
    Resume,
    StartMix,
    Step,
)
from core.sip.events import (
    CallDidAnswer,
    CallDidEnd,
    DtmfDidArrive,
    IncomingCall,
    OfferDidArrive,
    OfferWanted,
    ReofferDidComplete,
    ReofferDidFail,
    SipEvent,
)
from core.sip.phone import SipPhone
from core.sip.registrator import Account
from core.sip.user_agent import DTMF_DIGITS, CallError
from core.tasks import BackgroundTasks

__all__ = ["SipCalls"]

log = logging.getLogger(__name__)

MediaFactory = Callable[[str], MediaSession]


class SipCalls:
    """The desktop's SIP phone with media. ``on_event`` sees every SIP event after
    the media side has handled it."""

    def __init__(self, account: Account, url: str, make_media: MediaFactory,
                 on_event: Callable[[SipEvent], None] | None = None,
                 ssl_context: ssl.SSLContext | None = None,
                 keepalive_s: float | None = 30.0,
                 on_consultation: Callable[[Consultation], None] | None = None) -> None:
        self._make_media = make_media
        self._on_event = on_event
        self._on_consultation = on_consultation
        # By the customer's call id; kept after they finish (the panel shows the end).
        self.consultations: dict[str, Consultation] = {}
        self.conferences: dict[str, Conference] = {}
        self._reported: dict[str, tuple[object, ...]] = {}
        self.phone = SipPhone(account, url, on_event=self._handle, ssl_context=ssl_context,
                              keepalive_s=keepalive_s)
        self.media: dict[str, MediaSession] = {}
        self._offers: dict[str, str] = {}
        self._renegotiation: dict[str, asyncio.Future[str]] = {}
        self._answers: dict[str, asyncio.Future[str]] = {}
        self._tasks = BackgroundTasks("sip-calls", logger=log)

    # ---- events from the phone ----------------------------------------------------

    def _handle(self, event: SipEvent) -> None:
        if isinstance(event, IncomingCall):
            self._offers[event.call_id] = event.offer_sdp
        elif isinstance(event, CallDidAnswer):
            self._resolve(self._answers, event.call_id, event.answer_sdp)
        elif isinstance(event, ReofferDidComplete):
            if event.call_id in self._renegotiation:
                self._resolve(self._renegotiation, event.call_id, event.answer_sdp)
            else:  # the answer to the offer we put in our 200 (their offerless re-INVITE)
                self._tasks.spawn(self._apply_late_answer(event.call_id, event.answer_sdp))
        elif isinstance(event, OfferWanted):
            self._tasks.spawn(self._offer_in_answer(event.call_id))
        elif isinstance(event, ReofferDidFail):
            self._fail(self._renegotiation, event.call_id,
                       CallError(f"renegotiation refused ({event.status})"))
        elif isinstance(event, OfferDidArrive):
            self._tasks.spawn(self._answer_reoffer(event.call_id, event.offer_sdp))
        elif isinstance(event, CallDidEnd):
            self._offers.pop(event.call_id, None)
            for table in (self._answers, self._renegotiation):
                self._fail(table, event.call_id, CallError(f"call ended ({event.reason.value})"))
        # The consultations first: a conference gives the devices back before
        # either of its sessions closes.
        for consultation in list(self.consultations.values()):
            self._carry_out(consultation.handle(event))
            self._report(consultation)
        if isinstance(event, CallDidEnd):
            media = self.media.pop(event.call_id, None)
            if media is not None:
                self._tasks.spawn(media.close())
        if self._on_event is not None:
            self._on_event(event)

    @staticmethod
    def _resolve(table: dict[str, asyncio.Future[str]], call_id: str, value: str) -> None:
        future = table.pop(call_id, None)
        if future is not None and not future.done():
            future.set_result(value)

    @staticmethod
    def _fail(table: dict[str, asyncio.Future[str]], call_id: str, exc: Exception) -> None:
        future = table.pop(call_id, None)
        if future is not None and not future.done():
            future.set_exception(exc)

    async def _answer_reoffer(self, call_id: str, offer: str) -> None:
        media = self.media.get(call_id)
        if media is None:
            self.phone.command(lambda ua, now: ua.refuse_reoffer(call_id, now))
            return
        try:
            answer = await media.accept_offer(offer)
        except Exception:
            log.exception("cannot answer the re-INVITE of %s", call_id)
            self.phone.command(lambda ua, now: ua.refuse_reoffer(call_id, now))
            return
        self.phone.command(lambda ua, now: ua.answer_reoffer(call_id, answer, now))

    async def _offer_in_answer(self, call_id: str) -> None:
        media = self.media.get(call_id)
        if media is None:
            self.phone.command(lambda ua, now: ua.refuse_reoffer(call_id, now))
            return
        # the same direction as now: a refresh changes nothing
        offer = await (media.hold() if media.on_hold else media.resume())
        self.phone.command(lambda ua, now: ua.answer_reoffer(call_id, offer, now))

    async def _apply_late_answer(self, call_id: str, answer: str) -> None:
        media = self.media.get(call_id)
        if media is not None:
            await media.accept_answer(answer)

    # ---- commands -----------------------------------------------------------------

    async def answer(self, call_id: str) -> MediaSession:
        offer = self._offers.pop(call_id, None)
        if offer is None:
            raise CallError(f"no ringing call {call_id}")
        media = self._make_media(call_id)
        self.media[call_id] = media
        self._listen_for_digits(call_id, media)
        try:
            answer = await media.accept_offer(offer)
        except Exception:
            self.media.pop(call_id, None)
            await media.close()
            self.phone.command(lambda ua, now: ua.reject(call_id, now, 488))
            raise
        self.phone.command(lambda ua, now: ua.answer(call_id, answer, now))
        return media

    async def call(self, target: str) -> str:
        """Dial ``target``; returns the call id at once (the answer arrives as an event
        and is applied to the media by ``wait_answered``)."""
        media = self._make_media(target)
        offer = await media.create_offer()
        loop = asyncio.get_running_loop()
        call_id: str = self.phone.command(lambda ua, now: ua.call(target, offer, now))
        self.media[call_id] = media
        self._listen_for_digits(call_id, media)
        future: asyncio.Future[str] = loop.create_future()
        self._answers[call_id] = future
        self._tasks.spawn(self._apply_answer(call_id, future))
        return call_id

    async def _apply_answer(self, call_id: str, future: asyncio.Future[str]) -> None:
        try:
            answer = await future
        except CallError:
            return
        media = self.media.get(call_id)
        if media is not None:
            await media.accept_answer(answer)

    async def _renegotiate(self, call_id: str, hold: bool) -> None:
        media = self.media.get(call_id)
        if media is None:
            raise CallError(f"no call {call_id}")
        offer = await (media.hold() if hold else media.resume())
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._renegotiation[call_id] = future
        self.phone.command(lambda ua, now: ua.reoffer(call_id, offer, now))
        await media.accept_answer(await future)

    async def hold(self, call_id: str) -> None:
        await self._renegotiate(call_id, hold=True)

    async def resume(self, call_id: str) -> None:
        await self._renegotiate(call_id, hold=False)

    def hang_up(self, call_id: str) -> None:
        self.phone.command(lambda ua, now: ua.hang_up(call_id, now))

    def reject(self, call_id: str, status: int = 486) -> None:
        self._offers.pop(call_id, None)
        self.phone.command(lambda ua, now: ua.reject(call_id, now, status))

    def send_dtmf(self, call_id: str, digits: str) -> None:
        """In the RTP stream (RFC 4733) when the far side accepted telephone-event,
        else as SIP INFO."""
        wrong = [d for d in digits.upper() if d not in DTMF_DIGITS]
        if wrong:
            raise CallError(f"not DTMF digits: {''.join(wrong)!r}")
        media = self.media.get(call_id)
        if media is not None and media.send_dtmf(digits):
            return
        for digit in digits:
            self._send_digit(call_id, digit)

    def _listen_for_digits(self, call_id: str, media: MediaSession) -> None:
        def arrived(digit: str, duration_ms: int) -> None:
            if self._on_event is not None:
                self._on_event(DtmfDidArrive(call_id, digit, duration_ms))

        media.on_dtmf = arrived

    def _send_digit(self, call_id: str, digit: str) -> None:
        self.phone.command(lambda ua, now: ua.send_dtmf(call_id, digit, now))

    def transfer(self, call_id: str, target: str) -> None:
        self.phone.command(lambda ua, now: ua.refer(call_id, target, now))

    # ---- consulting a colleague: attended transfer and conference -------------------

    async def consult(self, call_id: str, target: str) -> str:
        """Put ``call_id`` (the customer) on hold and call ``target``; returns the
        consult call's id. Follow it in ``consultations[call_id]``."""
        if call_id not in self.media:
            raise CallError(f"no call {call_id}")
        current = self.consultations.get(call_id)
        if current is not None and current.active:
            raise CallError(f"call {call_id} is already consulting")
        held_here = not self.media[call_id].on_hold
        if held_here:
            await self.hold(call_id)
        try:
            consult_id = await self.call(target)
        except Exception:
            if held_here:  # nobody to consult: the customer is not left waiting
                self._tasks.spawn(self._resume_quietly(call_id))
            raise
        consultation = Consultation(call_id, consult_id, target)
        self.consultations[call_id] = consultation
        self._report(consultation)
        return consult_id

    def complete_transfer(self, call_id: str) -> None:
        """Hand the customer to the consulted party (REFER with Replaces)."""
        self._command(call_id, Consultation.complete_transfer)

    def conference(self, call_id: str) -> None:
        """All three together: the customer comes off hold, the agent mixes."""
        self._command(call_id, Consultation.conference)

    def back_to_customer(self, call_id: str) -> None:
        """End the consult leg (ringing or connected) and resume the customer."""
        self._command(call_id, Consultation.back_to_customer)

    def _command(self, call_id: str, command: Callable[[Consultation], list[Step]]) -> None:
        consultation = self.consultations.get(call_id)
        if consultation is None:
            raise CallError(f"call {call_id} is not consulting")
        try:
            steps = command(consultation)
        except ConsultationError as exc:
            raise CallError(str(exc)) from exc
        self._carry_out(steps)
        self._report(consultation)

    def _report(self, consultation: Consultation) -> None:
        """Tell the owner when a consultation or one of its legs changed."""
        seen = (consultation.state, consultation.customer, consultation.consult,
                consultation.transfer_failed)
        if self._reported.get(consultation.customer_call_id) == seen:
            return
        self._reported[consultation.customer_call_id] = seen
        if self._on_consultation is not None:
            self._on_consultation(consultation)

    def _carry_out(self, steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, HangUp):
                if step.call_id in self.phone.agent.calls:
                    self.hang_up(step.call_id)
            elif isinstance(step, Resume):
                self._tasks.spawn(self._resume_quietly(step.call_id))
            elif isinstance(step, Refer):
                self._refer_replacing(step.call_id, step.consult_call_id)
            elif isinstance(step, StartMix):
                customer_media = self.media.get(step.customer_call_id)
                consult_media = self.media.get(step.consult_call_id)
                if customer_media is not None and consult_media is not None:
                    self.conferences[step.customer_call_id] = Conference(
                        customer_media, consult_media)
            elif isinstance(step, EndMix):
                conference = self.conferences.pop(step.customer_call_id, None)
                if conference is not None:
                    conference.end()

    def _refer_replacing(self, call_id: str, consult_call_id: str) -> None:
        self.phone.command(lambda ua, now: ua.refer_replacing(call_id, consult_call_id, now))

    async def _resume_quietly(self, call_id: str) -> None:
        try:
            await self.resume(call_id)
        except CallError as exc:
            log.info("cannot take %s off hold: %s", call_id, exc)

    async def close(self) -> None:
        """Hang up every call, close the media, unregister and disconnect."""
        for call_id in list(self.phone.agent.calls):
            self.hang_up(call_id)
        for call_id in list(self.media):
            with_media = self.media.pop(call_id)
            await with_media.close()
        await self.phone.stop()
