"""The simulated customer's phone: places and answers calls with aiortc.

It plays a tone or a WAV file (any ``AudioSource``) and records what it hears
(``RecordingSink``). It answers the agent's hold/resume offers by itself and, on
a blind transfer, opens a fresh peer connection and offers again with the same
call id, as the widget does. Media runs on the simulator's own loop.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

import msgspec

from core.call.audio_io import AudioSource, RecordingSink
from core.call.media_session import MediaSession
from core.protocol import call as cl

log = logging.getLogger(__name__)

Send = Callable[[msgspec.Struct], Awaitable[None]]


class SimPhone:
    def __init__(
        self,
        send: Send,
        source: AudioSource,
        recording: RecordingSink | None = None,
        ice_servers: list[str] | None = None,
        auto_answer: bool = True,
    ) -> None:
        self._send = send
        self.source = source
        self.recording = recording or RecordingSink()
        self.ice_servers = list(ice_servers or [])
        self.auto_answer = auto_answer
        self.call_id: str | None = None
        self.session: MediaSession | None = None
        self.agent_name: str | None = None
        self.answered = asyncio.Event()
        self.ended: cl.CallEndReason | None = None
        self.ringing = False
        self.held = False
        self.dtmf_received: list[str] = []
        self.offers: list[cl.CallOfferNotice] = []
        self.queued = 0  # call_queued notices heard
        self.sdps: list[str] = []  # every SDP sent or received, for checks
        self.transfers = 0
        self.recorded = False  # the widget would say "this call is recorded"

    def _new_session(self) -> MediaSession:
        return MediaSession(self.source, self.recording, self.ice_servers)

    async def call(self, call_id: str | None = None) -> str:
        """Place a call; returns its id (answered later: see ``answered``)."""
        self.call_id = call_id or f"sim-{uuid.uuid4().hex[:12]}"
        self.ended = None
        self.answered.clear()
        self.session = self._new_session()
        offer = await self.session.create_offer()
        self.sdps.append(offer)
        await self._send(cl.CustomerCallStart(call_id=self.call_id, sdp=offer))
        return self.call_id

    async def answer_offer(self, offer: cl.CallOfferNotice) -> None:
        """Answer an agent's offer (a call-back, or hold/resume on our call)."""
        self.sdps.append(offer.sdp)
        if offer.purpose == cl.OfferPurpose.CALL:
            self.call_id = offer.call_id
            self.ended = None
            self.agent_name = offer.agent_name
            self.session = self._new_session()
        if self.session is None or offer.call_id != self.call_id:
            return
        answer = await self.session.accept_offer(offer.sdp)
        self.sdps.append(answer)
        self.held = self.session.on_hold
        await self._send(cl.CustomerCallAnswer(call_id=offer.call_id, sdp=answer))
        if offer.purpose == cl.OfferPurpose.CALL:
            self.answered.set()

    async def hang_up(self) -> None:
        if self.call_id is not None and self.ended is None:
            await self._send(cl.CustomerCallHangup(call_id=self.call_id))
            self.ended = cl.CallEndReason.HUNG_UP_BY_CUSTOMER
        await self._close_media()

    async def send_dtmf(self, digits: str) -> None:
        assert self.call_id is not None
        await self._send(cl.CustomerCallDtmf(call_id=self.call_id, digits=digits))

    async def set_muted(self, muted: bool) -> None:
        assert self.call_id is not None
        if self.session is not None:
            self.session.set_muted(muted)
        await self._send(cl.CustomerCallMute(call_id=self.call_id, muted=muted))

    async def _close_media(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()

    async def on_frame(self, frame: cl.CustomerServerFrame) -> None:
        """Feed the hub's call frames (called by ``SimCustomer``)."""
        if frame.call_id != self.call_id and not isinstance(frame, cl.CallOfferNotice):
            return
        if isinstance(frame, cl.CallQueuedNotice):
            self.queued += 1  # "all agents are busy, please hold"
        elif isinstance(frame, cl.CallRingingNotice):
            self.ringing = True
        elif isinstance(frame, cl.CallAnsweredNotice):
            self.ringing = False
            self.agent_name = frame.agent_name
            self.recorded = frame.recorded
            self.sdps.append(frame.sdp)
            if self.session is not None:
                await self.session.accept_answer(frame.sdp)
            self.answered.set()
        elif isinstance(frame, cl.CallOfferNotice):
            self.offers.append(frame)
            if frame.purpose != cl.OfferPurpose.CALL or self.auto_answer:
                await self.answer_offer(frame)
        elif isinstance(frame, cl.CallTransferNotice):
            # The call moves: a fresh peer connection, the same call id.
            self.transfers += 1
            self.answered.clear()
            await self._close_media()
            await self.call(frame.call_id)
        elif isinstance(frame, cl.CallDtmfNotice):
            self.dtmf_received.extend(frame.digits)
        elif isinstance(frame, cl.CallRecordingNotice):
            self.recorded = frame.recording
        elif isinstance(frame, cl.CallEndedNotice):
            self.ended = frame.reason
            self.ringing = False
            await self._close_media()

    async def close(self) -> None:
        await self._close_media()
