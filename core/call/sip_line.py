"""The desktop's SIP phone as a second source of calls for the ``CallManager``.

``SipLine`` runs ``SipCalls`` (core/call/sip_media.py) on the media thread, with
each call's ``MediaSession`` made by the ``MediaEngine`` under the call's desktop
id, so mute, quality, audio routing and the media notices work as for a widget
call. SIP events hop to the GUI loop, where a ringing SIP call becomes a ``Call``
in the manager (the same toast, panel, keys and call-waiting rules) and every
step is reported to the hub (``sip_call_started``/``answered``/``ended``) through
``report``, which queues it in the outbox. The hub answers ``sip_call_linked``:
the customer of the caller's number, for the screen pop.

Thread: the GUI thread's loop for every public method; ``SipCalls`` and its phone
live on the media thread and are only touched there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import hashlib
import logging
import ssl
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from core.call.call_state import Call, CallError, CallState
from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.session.hooks import Hook
from core.sip.consultation import Consultation, ConsultationState
from core.sip.events import (
    CallDidAnswer,
    CallDidEnd,
    DtmfDidArrive,
    EndReason,
    IncomingCall,
    RegistrationDidChange,
    RegistrationState,
    SipEvent,
    TransferDidProgress,
)
from core.sip.registrator import Account
from core.tasks import BackgroundTasks

if TYPE_CHECKING:
    from core.call.call_manager import CallManager
    from core.call.media_session import MediaSession
    from core.call.media_thread import MediaEngine
    from core.call.sip_media import SipCalls

__all__ = ["SipLine", "desktop_call_id", "end_reason"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Report = Callable[[sp.SipCallReport], None]
# DTMF by SIP INFO carries these (RFC 4733's alphabet).
SIP_DTMF = "0123456789*#ABCD"


def desktop_call_id(sip_call_id: str) -> str:
    """The id a SIP call has in the desktop and at the hub: a SIP Call-ID may hold
    characters (``@``) and lengths an id may not."""
    return "sip-" + hashlib.sha256(sip_call_id.encode()).hexdigest()[:40]


def end_reason(call: Call, reason: EndReason, transferred: bool) -> cl.CallEndReason:
    """A SIP end reason in the words of widget calls (records, reports, wrap-up)."""
    if transferred or reason in (EndReason.TRANSFERRED, EndReason.REPLACED):
        # REPLACED: someone's attended transfer to us put another call in its place.
        return cl.CallEndReason.TRANSFERRED
    inbound = call.direction == cl.CallDirection.INBOUND
    if reason == EndReason.LOCAL_HANGUP:
        return cl.CallEndReason.HUNG_UP_BY_AGENT
    if reason in (EndReason.REMOTE_HANGUP, EndReason.CANCELLED):
        return cl.CallEndReason.HUNG_UP_BY_CUSTOMER
    if reason in (EndReason.BUSY, EndReason.DECLINED, EndReason.REJECTED):
        return cl.CallEndReason.DECLINED
    if reason == EndReason.TIMEOUT:
        return cl.CallEndReason.NO_ANSWER
    if reason == EndReason.TRANSPORT_LOST:
        return cl.CallEndReason.AGENT_LEFT if inbound else cl.CallEndReason.FAILED
    return cl.CallEndReason.FAILED


class SipLine:
    """Use from the GUI thread's loop. ``start`` connects and registers."""

    def __init__(self, manager: CallManager, media: MediaEngine, account: Account, url: str,
                 report: Report, ssl_context: ssl.SSLContext | None = None,
                 keepalive_s: float | None = 30.0) -> None:
        self.manager = manager
        self.media = media
        self.account = account
        self.url = url
        self._report = report
        self._ssl = ssl_context
        self._keepalive_s = keepalive_s
        self._calls: SipCalls | None = None  # media thread only
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sip_ids: dict[str, str] = {}  # desktop id -> SIP Call-ID
        self._desktop_ids: dict[str, str] = {}  # SIP Call-ID -> desktop id (media thread too)
        self._next_key: str | None = None  # media thread: the key of the session dialled
        # Media thread: consult legs' sessions in the engine, by SIP id; the last made.
        self._legs: dict[str, str] = {}
        self._made_leg: str | None = None
        self._transferred: set[str] = set()
        self._tasks = BackgroundTasks("sip-line", logger=log)
        self.registration = RegistrationDidChange(RegistrationState.UNREGISTERED)
        self.registration_did_change: Hook[[RegistrationDidChange]] = Hook(
            "registration_did_change")
        manager.sip = self
        manager.call_did_end.connect(self._call_ended)
        manager.quality_did_update.connect(self._quality)
        self._worst: dict[str, cl.CallQuality] = {}  # desktop id -> worst measured
        manager.telephone_did_change.emit()

    # ---- lifecycle ----------------------------------------------------------------

    async def _on_media(self, coro: Coroutine[Any, Any, T]) -> T:
        future: concurrent.futures.Future[T] = self.media.thread.submit(coro)
        return await asyncio.wrap_future(future)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

        async def work() -> None:
            from core.call.sip_media import SipCalls

            self._calls = SipCalls(self.account, self.url, self._make_media,
                                   on_event=self._event_on_media_thread,
                                   ssl_context=self._ssl, keepalive_s=self._keepalive_s,
                                   on_consultation=self._consultation_on_media_thread)
            self._calls.phone.start()

        self.media.prepare()
        await self._on_media(work())

    async def stop(self) -> None:
        """Hang up the SIP calls, unregister, disconnect. The manager's SIP calls end
        here (and are reported), not when the phone's late events arrive."""

        async def work() -> None:
            if self._calls is not None:
                calls, self._calls = self._calls, None
                await calls.close()

        try:
            await self._on_media(work())
        except RuntimeError as exc:  # the media loop already stopped
            log.info("SIP phone stop: %s", exc)
        for call in list(self.manager.calls.values()):
            if call.live and call.call_id in self._sip_ids:
                await self.manager.finish(call, cl.CallEndReason.HUNG_UP_BY_AGENT)
        self.manager.call_did_end.disconnect(self._call_ended)
        self.manager.quality_did_update.disconnect(self._quality)
        if self.manager.sip is self:
            self.manager.sip = None
            self.manager.telephone_did_change.emit()

    def _make_media(self, key: str) -> MediaSession:
        """Media thread: the call's session, made by the engine under the desktop id."""
        desktop = self._next_key or self._desktop_ids.get(key)
        self._next_key = None
        if desktop is None:
            # A consultation's second leg (``key`` is the number dialled): no call of
            # the manager's, and a session of its own even for a number consulted
            # before.
            desktop = f"sip-leg-{uuid.uuid4().hex}"
            self._made_leg = desktop
        return self.media.session_on_thread(desktop)

    # ---- events (media thread → GUI loop) -----------------------------------------------

    def _event_on_media_thread(self, event: SipEvent) -> None:
        if isinstance(event, IncomingCall):
            self._desktop_ids[event.call_id] = desktop_call_id(event.call_id)
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if isinstance(event, CallDidEnd) and event.call_id in self._legs:
            # The manager closes its calls' sessions; a consult leg's is closed here,
            # which also stops the devices it opened.
            leg = self._legs.pop(event.call_id)
            loop.call_soon_threadsafe(lambda: self._tasks.spawn(self.media.close(leg)))
        loop.call_soon_threadsafe(self._event, event)

    def _event(self, event: SipEvent) -> None:
        if isinstance(event, RegistrationDidChange):
            self.registration = event
            self.registration_did_change.emit(event)
            self.manager.telephone_did_change.emit()
            return
        if isinstance(event, IncomingCall):
            self._ringing(event)
            return
        call_id = getattr(event, "call_id", None)
        desktop = self._desktop_ids.get(call_id) if isinstance(call_id, str) else None
        call = self.manager.calls.get(desktop) if desktop else None
        if call is None:
            return
        if isinstance(event, CallDidAnswer):  # our outbound call was answered
            call.answered_at = time.time()
            self._report(sp.SipCallAnswered(op=_op(), call_id=call.call_id,
                                            answered_at=_ms(call.answered_at)))
            if call.state == CallState.DIALING:
                self.manager.set_state(call, CallState.CONNECTING)
        elif isinstance(event, DtmfDidArrive):
            call.dtmf_received.append(event.digit)
            self.manager.dtmf_did_arrive.emit(call, event.digit)
        elif isinstance(event, TransferDidProgress):
            if event.final and 200 <= event.status < 300:
                self._transferred.add(call.call_id)
        elif isinstance(event, CallDidEnd):
            reason = end_reason(call, event.reason, call.call_id in self._transferred)
            self._transferred.discard(call.call_id)
            self._tasks.spawn(self.manager.finish(call, reason))

    def _consultation_on_media_thread(self, consultation: Consultation) -> None:
        # A copy: the media thread goes on changing its own.
        snapshot = dataclasses.replace(consultation)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._consultation, snapshot)

    def _consultation(self, consultation: Consultation) -> None:
        desktop = self._desktop_ids.get(consultation.customer_call_id)
        call = self.manager.calls.get(desktop) if desktop else None
        if call is None:
            return
        if consultation.state is ConsultationState.TRANSFERRED:
            self._transferred.add(call.call_id)  # its end is the transfer's
        if consultation.state in (ConsultationState.FINISHED, ConsultationState.TRANSFERRED):
            self.manager.consultations.pop(call.call_id, None)
        else:
            self.manager.consultations[call.call_id] = consultation
        self.manager.consultation_did_change.emit(call, consultation)

    def _ringing(self, event: IncomingCall) -> None:
        desktop = desktop_call_id(event.call_id)
        self._sip_ids[desktop] = event.call_id
        call = Call(desktop, "", cl.CallDirection.INBOUND, CallState.RINGING_IN,
                    sip_number=event.caller_number, sip_name=event.caller_name)
        self.manager.calls[desktop] = call
        self._report(sp.SipCallStarted(
            op=_op(), call_id=desktop, direction=cl.CallDirection.INBOUND,
            number=_number(event.caller_number), name=event.caller_name[:120],
            started_at=_ms(call.started_at)))
        if event.replaces is not None:
            # We are the target of an attended transfer: the call this one replaces
            # was answered already, so it is taken at once (no toast, no ringing).
            self._tasks.spawn(self._take_over(call))
            return
        self.manager.call_did_ring.emit(call)

    async def _take_over(self, call: Call) -> None:
        self.manager.set_state(call, CallState.CONNECTING)
        try:
            await self.answer(call)
        except Exception:
            log.exception("cannot take the replacing call %s", call.call_id)
            await self.manager.finish(call, cl.CallEndReason.FAILED)

    def linked(self, frame: sp.SipCallLinked) -> None:
        """The hub's answer to our report: whom the call is with (the screen pop)."""
        call = self.manager.calls.get(frame.call_id)
        if call is None or not call.live:
            return
        call.conversation_id = frame.conversation.id
        call.customer = frame.customer
        recording = self.manager.recording
        recording.set_policy(call.call_id, frame.recording)
        if call.state is CallState.ACTIVE and frame.recording.mode is cl.RecordingMode.ALWAYS:
            # Answered before the hub's answer came: recording starts now.
            self._tasks.spawn(recording.call_connected(call))
        self.manager.call_did_change.emit(call)

    def _call_ended(self, call: Call) -> None:
        """Every SIP call that ends, however it ended, is reported once."""
        if call.sip_number is None:
            return
        self._sip_ids.pop(call.call_id, None)
        reason = call.end_reason or cl.CallEndReason.FAILED
        self._report(sp.SipCallEnded(op=_op(), call_id=call.call_id,
                                     ended_at=_ms(call.ended_at or time.time()), reason=reason,
                                     quality=self._worst.pop(call.call_id, None)))

    def _quality(self, call: Call, quality: cl.CallQuality) -> None:
        """The hub keeps a call's worst quality with its record, as for widget calls."""
        if call.sip_number is None:
            return
        worst = self._worst.get(call.call_id)
        if worst is None or quality.mos < worst.mos:
            self._worst[call.call_id] = quality

    # ---- actions (from the call manager) -------------------------------------------------

    def _sip_id(self, call: Call) -> str:
        found = self._sip_ids.get(call.call_id)
        if found is None:
            raise CallError(f"no SIP call {call.call_id}")
        return found

    def _calls_on_thread(self) -> SipCalls:
        if self._calls is None:
            raise CallError("the SIP phone is not running")
        return self._calls

    async def answer(self, call: Call) -> None:
        sip_id = self._sip_id(call)

        async def work() -> None:
            await self._calls_on_thread().answer(sip_id)

        await self._on_media(work())
        call.answered_at = time.time()
        self._report(sp.SipCallAnswered(op=_op(), call_id=call.call_id,
                                        answered_at=_ms(call.answered_at)))

    def decline(self, call: Call, status: int = 603) -> None:
        sip_id = self._sip_id(call)
        self.media.thread.call_soon(lambda: self._calls_on_thread().reject(sip_id, status))

    def hang_up(self, call: Call) -> None:
        sip_id = self._sip_ids.get(call.call_id)
        if sip_id is not None:
            self.media.thread.call_soon(lambda: self._calls_on_thread().hang_up(sip_id))

    async def hold(self, call: Call, held: bool) -> None:
        sip_id = self._sip_id(call)

        async def work() -> None:
            calls = self._calls_on_thread()
            await (calls.hold(sip_id) if held else calls.resume(sip_id))

        await self._on_media(work())

    def send_dtmf(self, call: Call, digits: str) -> None:
        if not digits or any(d not in SIP_DTMF for d in digits):
            raise CallError(f"DTMF digits must be among {SIP_DTMF}")
        sip_id = self._sip_id(call)
        self.media.thread.call_soon(lambda: self._calls_on_thread().send_dtmf(sip_id, digits))

    def transfer(self, call: Call, target: str) -> None:
        target = target.strip()
        if not target or any(c.isspace() or c in "<>\"" for c in target):
            raise CallError("a transfer target is a number or a SIP address")
        sip_id = self._sip_id(call)
        self.media.thread.call_soon(lambda: self._calls_on_thread().transfer(sip_id, target))

    async def consult(self, call: Call, target: str) -> None:
        """Hold the customer and call ``target``; the consultation's changes arrive as
        ``manager.consultation_did_change``."""
        target = target.strip()
        if not target or any(c.isspace() or c in "<>\"" for c in target):
            raise CallError("consult a number or a SIP address")
        sip_id = self._sip_id(call)

        async def work() -> None:
            self._made_leg = None
            consult_id = await self._calls_on_thread().consult(sip_id, target)
            if self._made_leg is not None:
                self._legs[consult_id] = self._made_leg
                self._made_leg = None

        await self._on_media(work())

    async def complete_transfer(self, call: Call) -> None:
        sip_id = self._sip_id(call)

        async def work() -> None:
            self._calls_on_thread().complete_transfer(sip_id)

        await self._on_media(work())

    async def conference(self, call: Call) -> None:
        sip_id = self._sip_id(call)

        async def work() -> None:
            self._calls_on_thread().conference(sip_id)

        await self._on_media(work())

    async def back_to_customer(self, call: Call) -> None:
        sip_id = self._sip_id(call)

        async def work() -> None:
            self._calls_on_thread().back_to_customer(sip_id)

        await self._on_media(work())

    async def dial(self, number: str) -> str:
        """Call ``number`` through the PBX; the desktop id of the new call."""
        number = number.strip()
        if not number or any(c.isspace() or c in "<>\"" for c in number):
            raise CallError("dial a number or a SIP address")
        desktop = "sip-out-" + hashlib.sha256(f"{number}{time.time_ns()}".encode()).hexdigest()[:32]
        call = Call(desktop, "", cl.CallDirection.OUTBOUND, CallState.DIALING,
                    sip_number=number, sip_name="")
        self.manager.calls[desktop] = call
        self.manager.call_did_change.emit(call)

        async def work() -> str:
            self._next_key = desktop
            sip_id = await self._calls_on_thread().call(number)
            self._desktop_ids[sip_id] = desktop
            return sip_id

        try:
            sip_id = await self._on_media(work())
        except Exception:
            log.exception("cannot dial %s", number)
            await self.manager.finish(call, cl.CallEndReason.FAILED)
            return desktop
        self._sip_ids[desktop] = sip_id
        self._report(sp.SipCallStarted(
            op=_op(), call_id=desktop, direction=cl.CallDirection.OUTBOUND,
            number=_number(number), started_at=_ms(call.started_at)))
        return desktop


def _op() -> str:
    from core.sync.outbox import new_id

    return new_id()


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


def _number(raw: str) -> str:
    """What the report may carry: the digits (and + * #) of the number, else ""."""
    kept = "".join(c for c in raw if c.isdigit() or c in "+*#")
    return kept[:64]
