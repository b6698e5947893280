"""One call's media: the only module that touches aiortc.

A snake_case wrapper around one ``RTCPeerConnection`` with one audio transceiver.
Everything here runs on the media thread's event loop (``media_thread``).

- ICE servers come from configuration; an empty list means none (aiortc would
  otherwise ask a public STUN server and stall for seconds).
- Offers and answers are returned only after ICE gathering finished (aiortc
  never trickles), so one SDP carries every candidate.
- Opus is preferred, PCMU is the fallback.
- Hold is a renegotiation (direction ``inactive``); while the negotiated direction
  forbids sending, no RTP is sent at all, and what arrives while we may not
  receive is not played. Mute sends silence.
- The receiver's jitter buffer is replaced by one whose delay cannot grow after
  packet loss (``jitter_buffer`` says why aiortc's does).
- DTMF goes in the RTP stream (RFC 4733) when both sides list telephone-event
  (``telephone_event`` holds the negotiation and the packets; ``send_dtmf`` says
  whether it could, so the caller can fall back to signalling).
- The outgoing track paces itself on the clock (one 20 ms frame per 20 ms, resynced
  after a stall instead of bursting); the incoming track is drained as fast as it
  decodes into the sink, which drops old audio, so delay cannot build up.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fractions
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

import av
import numpy as np
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError

from core.call import compat_aiortc, jitter_buffer, telephone_event
from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples, silence
from core.call.audio_io import AudioSink, AudioSource
from core.call.media_state import MediaError, MediaState
from core.call.quality import StatsSample
from core.call.recorder import CallRecorder
from core.tasks import BackgroundTasks

log = logging.getLogger(__name__)

PREFERRED_CODECS = ("audio/opus", "audio/PCMU")
# After a stall longer than this the sender restarts its clock instead of
# sending the missed frames in a burst.
RESYNC_AFTER_S = 0.1
_TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
PacketSend = Callable[[bytes], Coroutine[Any, Any, None]]


class SourceTrack(MediaStreamTrack):
    """Outgoing audio: pulls one frame from ``pull`` every 20 ms of wall time."""

    kind = "audio"

    def __init__(self, pull: Callable[[], Samples], cadence: collections.deque[float]) -> None:
        super().__init__()
        self._pull = pull
        self._start: float | None = None
        self._pts = 0
        self._cadence = cadence

    async def recv(self) -> av.AudioFrame:
        now = time.monotonic()
        if self._start is None:
            self._start = now
        else:
            wait = self._start + self._pts / SAMPLE_RATE - now
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -RESYNC_AFTER_S:
                self._start = now - self._pts / SAMPLE_RATE
        self._cadence.append(time.monotonic())
        samples = self._pull()
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        frame.time_base = _TIME_BASE
        self._pts += SAMPLES_PER_FRAME
        return frame


def _ice_servers(urls: list[str]) -> list[RTCIceServer]:
    return [RTCIceServer(urls=url) for url in urls]


def _prefer_codecs(transceiver: RTCRtpTransceiver) -> None:
    codecs = RTCRtpSender.getCapabilities("audio").codecs
    ranked = [c for name in PREFERRED_CODECS for c in codecs if c.mimeType.lower() == name.lower()]
    transceiver.setCodecPreferences(ranked)


class MediaSession:
    """The audio of one call. Use from the media thread's loop only."""

    def __init__(
        self,
        source: AudioSource,
        sink: AudioSink,
        ice_servers: list[str] | None = None,
        on_state: Callable[[MediaState], None] | None = None,
    ) -> None:
        compat_aiortc.fast_audio_level()
        self.source = source
        self.sink = sink
        self._pc = RTCPeerConnection(RTCConfiguration(iceServers=_ice_servers(ice_servers or [])))
        self._on_state = on_state
        self.state = MediaState.NEW
        self.muted = False
        self.cadence: collections.deque[float] = collections.deque(maxlen=3000)
        self._track = SourceTrack(self._next_frame, self.cadence)
        # A last step for every outgoing frame, after mute: a supervisor barging in
        # is heard by the customer even while the agent is muted (supervisor_mix).
        self.outgoing: Callable[[Samples], Samples] | None = None
        # The call's recording (recorder.py): sees both sides, adds the announcement.
        self.recorder: CallRecorder | None = None
        self._transceiver: RTCRtpTransceiver | None = None
        self.jitter: jitter_buffer.LowDelayJitterBuffer | None = None
        self._may_send = True
        self._may_receive = True
        self._receivers: list[asyncio.Task[None]] = []
        self._tasks = BackgroundTasks("media", logger=log)
        self.frames_received = 0
        self.codec: str | None = None
        # RFC 4733: what we and they put in the SDP, the sender once negotiated.
        self._local_sdp = self._remote_sdp = ""
        self.events_out: telephone_event.EventSender | None = None
        self.events_in = telephone_event.EventReceiver(self._digit_arrived)
        self.on_dtmf: Callable[[str, int], None] | None = None  # digit, duration (ms)
        self._events_hooked = False
        self._pc.on("connectionstatechange", self._connection_changed)
        self._pc.on("track", self._track_arrived)

    # ---- negotiation --------------------------------------------------------------

    async def create_offer(self) -> str:
        """A complete offer for a new call (we call out)."""
        self._transceiver = self._pc.addTransceiver(self._track, direction="sendrecv")
        _prefer_codecs(self._transceiver)
        self.jitter = jitter_buffer.install(self._transceiver.receiver)
        compat_aiortc.encode_in_place(self._transceiver.sender)
        compat_aiortc.decode_in_place(self._transceiver.receiver)
        return await self._offer()

    async def accept_offer(self, sdp: str) -> str:
        """Apply the remote offer (a new call or a renegotiation); returns the answer."""
        self._remote_sdp = sdp
        try:
            await self._pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
            if self._transceiver is None:
                audio = [t for t in self._pc.getTransceivers() if t.kind == "audio"]
                if not audio:
                    raise MediaError("the offer has no audio")
                self._transceiver = audio[0]
                self._transceiver.sender.replaceTrack(self._track)
                self._transceiver.direction = "sendrecv"
                _prefer_codecs(self._transceiver)
                self.jitter = jitter_buffer.install(self._transceiver.receiver)
                compat_aiortc.encode_in_place(self._transceiver.sender)
                compat_aiortc.decode_in_place(self._transceiver.receiver)
            await self._pc.setLocalDescription(await self._pc.createAnswer())
        except MediaError:
            raise
        except Exception as exc:
            raise MediaError(f"cannot accept the offer: {exc}") from exc
        self._local_sdp = telephone_event.answer_with_events(
            self._pc.localDescription.sdp, sdp, self._clock_rate())
        self._apply_direction()
        return self._local_sdp

    async def accept_answer(self, sdp: str) -> None:
        try:
            await self._pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
        except Exception as exc:
            raise MediaError(f"cannot accept the answer: {exc}") from exc
        self._remote_sdp = sdp
        self._apply_direction()

    async def hold(self) -> str:
        """A new offer that puts the call on hold (no media either way)."""
        return await self._renegotiate("inactive")

    async def resume(self) -> str:
        return await self._renegotiate("sendrecv")

    async def _renegotiate(self, direction: str) -> str:
        if self._transceiver is None:
            raise MediaError("no call to renegotiate")
        self._transceiver.direction = direction
        return await self._offer()

    async def _offer(self) -> str:
        try:
            # setLocalDescription returns once ICE gathering is complete.
            await self._pc.setLocalDescription(await self._pc.createOffer())
        except Exception as exc:
            raise MediaError(f"cannot create an offer: {exc}") from exc
        self._local_sdp = telephone_event.offer_with_events(self._pc.localDescription.sdp)
        return self._local_sdp

    def _apply_direction(self) -> None:
        """Send and play only what the negotiated direction allows."""
        assert self._transceiver is not None
        current = self._transceiver.currentDirection or self._transceiver.direction
        self._may_send = current in ("sendrecv", "sendonly")
        self._may_receive = current in ("sendrecv", "recvonly")
        self._transceiver.sender.replaceTrack(self._track if self._may_send else None)
        codecs = getattr(self._transceiver, "_codecs", None)
        if codecs:
            self.codec = str(codecs[0].mimeType)
        self._negotiate_events()

    def _clock_rate(self) -> int:
        codecs = getattr(self._transceiver, "_codecs", None)
        return int(codecs[0].clockRate) if codecs else SAMPLE_RATE

    def _negotiate_events(self) -> None:
        """Send events only at the audio codec's clock, with the type they listed."""
        assert self._transceiver is not None
        clock = self._clock_rate()
        theirs = telephone_event.event_payload_types(self._remote_sdp)
        ours = telephone_event.event_payload_types(self._local_sdp)
        self.events_in.payload_types = {pt: c for c, pt in (ours | theirs).items()}
        pt = theirs.get(clock)
        if pt is None:
            self.events_out = None
        elif self.events_out is None or (self.events_out.payload_type, self.events_out.clock_rate) \
                != (pt, clock):
            self.events_out = telephone_event.EventSender(pt, clock)
        dtls = self._transceiver.sender.transport
        if not self._events_hooked and dtls is not None:
            self._events_hooked = True
            compat_aiortc.rewrite_rtp_send(dtls, self._outgoing_packet)
            compat_aiortc.filter_rtp_receive(dtls, self.events_in.packet)

    def _outgoing_packet(self, packet: bytes) -> bytes:
        sender = self.events_out
        return packet if sender is None else sender.rewrite(packet)

    def send_dtmf(self, digits: str) -> bool:
        """Queue digits as RFC 4733 events; False (nothing queued) when the other
        side did not accept telephone-event or we may not send now."""
        if self.events_out is None or not self._may_send:
            return False
        self.events_out.queue(digits)
        return True

    def _digit_arrived(self, digit: str, duration_ms: int) -> None:
        if self.on_dtmf is not None and self._may_receive:
            self.on_dtmf(digit, duration_ms)

    @property
    def on_hold(self) -> bool:
        """True while the negotiated direction stops our audio both ways."""
        return not self._may_send and not self._may_receive

    # ---- media --------------------------------------------------------------------

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def _next_frame(self) -> Samples:
        frame = self.source.read_frame()
        if self.muted:
            frame = silence()
        if self.outgoing is not None:
            frame = self.outgoing(frame)
        return frame if self.recorder is None else self.recorder.outgoing(frame)

    def _track_arrived(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            self._receivers.append(self._tasks.spawn(self._receive(track)))

    async def _receive(self, track: MediaStreamTrack) -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        pending = np.zeros(0, dtype=np.int16)
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not isinstance(frame, av.AudioFrame):
                continue
            parts = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
            pending = np.concatenate([pending, *parts]) if parts else pending
            while pending.size >= SAMPLES_PER_FRAME:
                chunk, pending = pending[:SAMPLES_PER_FRAME], pending[SAMPLES_PER_FRAME:]
                self.frames_received += 1
                heard = chunk if self._may_receive else silence()
                if self.recorder is not None:
                    self.recorder.customer_frame(heard)
                self.sink.write_frame(heard)

    def _connection_changed(self) -> None:
        mapping = {
            "connecting": MediaState.CONNECTING,
            "connected": MediaState.CONNECTED,
            "failed": MediaState.FAILED,
            "closed": MediaState.CLOSED,
        }
        state = mapping.get(self._pc.connectionState)
        if state is None or state == self.state:
            return
        self.state = state
        if self._on_state is not None:
            self._on_state(state)

    # ---- statistics and the end ---------------------------------------------------

    async def stats(self) -> StatsSample:
        """Cumulative counters from the peer connection's statistics."""
        report = await self._pc.getStats()
        sample = StatsSample(at=time.monotonic())
        for item in report.values():
            kind = getattr(item, "type", "")
            if kind == "inbound-rtp":
                sample.packets_received += int(item.packetsReceived)
                sample.packets_lost += max(0, int(item.packetsLost))
                sample.jitter_units = max(sample.jitter_units, int(item.jitter))
            elif kind == "remote-inbound-rtp" and item.roundTripTime is not None:
                sample.rtt_s = float(item.roundTripTime)
        sample.clock_rate = 8000 if (self.codec or "").lower() == "audio/pcmu" else SAMPLE_RATE
        return sample

    def wrap_transport_send(self, wrap: Callable[[PacketSend], PacketSend]) -> None:
        """Wrap the ICE transport's packet send (impairment benchmarks inject
        delay and loss here). Call once media flows."""
        assert self._transceiver is not None, "no transport before negotiation"
        compat_aiortc.wrap_ice_send(self._transceiver.sender.transport.transport, wrap)

    async def close(self) -> None:
        for task in self._receivers:
            task.cancel()
        for task in self._receivers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._receivers.clear()
        with contextlib.suppress(Exception):
            await self._pc.close()
        self.state = MediaState.CLOSED
