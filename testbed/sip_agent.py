"""The agent's SIP phone for tests and benchmarks: ``SipCalls`` with a tone as the
microphone, a recording per call, and the SIP events in a queue to wait on."""

from __future__ import annotations

import asyncio
import ssl
import time
from typing import Any, TypeVar

import numpy as np

from core.call.audio_frames import Samples, silence
from core.call.audio_io import AudioSource, RecordingSink, ToneSource
from core.call.media_session import MediaSession
from core.call.sip_media import SipCalls
from core.sip.events import RegistrationDidChange, RegistrationState, SipEvent
from core.sip.registrator import Account

E = TypeVar("E")


class SipAgent:
    def __init__(self, account: Account, url: str, tone_hz: float = 1000.0,
                 ssl_context: ssl.SSLContext | None = None,
                 source: AudioSource | None = None, keepalive_s: float | None = 30.0) -> None:
        self.tone_hz = tone_hz
        self.source = source
        self.recordings: dict[str, RecordingSink] = {}
        self.events: asyncio.Queue[SipEvent] = asyncio.Queue()
        self.history: list[SipEvent] = []
        self.arrived_at: dict[int, float] = {}  # id(event) → when the phone reported it
        self.calls = SipCalls(account, url, self._media, on_event=self._event,
                              ssl_context=ssl_context, keepalive_s=keepalive_s)

    def _media(self, key: str) -> MediaSession:
        source = self.source or ToneSource(self.tone_hz)
        return MediaSession(source, LoudnessClockSink(), ice_servers=[])

    def recording(self, call_id: str) -> RecordingSink:
        """What the agent heard on this call (kept after the call ended)."""
        if call_id not in self.recordings:
            sink = self.calls.media[call_id].sink
            assert isinstance(sink, RecordingSink)
            self.recordings[call_id] = sink
        return self.recordings[call_id]

    def _event(self, event: SipEvent) -> None:
        self.history.append(event)
        self.arrived_at[id(event)] = time.monotonic()
        self.events.put_nowait(event)

    async def next(self, kind: type[E], timeout: float = 15, **fields: Any) -> E:
        """The next event of ``kind`` (with these field values); others are skipped."""
        async def find() -> E:
            while True:
                event = await self.events.get()
                if isinstance(event, kind) and all(getattr(event, k) == v
                                                   for k, v in fields.items()):
                    return event
        return await asyncio.wait_for(find(), timeout)

    async def registered(self, timeout: float = 10) -> RegistrationDidChange:
        return await self.next(RegistrationDidChange, timeout, state=RegistrationState.REGISTERED)

    def start(self) -> None:
        self.calls.phone.start()

    async def close(self) -> None:
        await self.calls.close()


class BurstSource:
    """Silence until ``arm()``; then a tone. ``onset_at`` is when the first tone
    frame was handed to the sender (time.monotonic), to measure one-way delay."""

    latency_ms = 0.0

    def __init__(self, frequency_hz: float) -> None:
        self._tone = ToneSource(frequency_hz, amplitude=0.5)
        self._armed = False
        self.onset_at: float | None = None

    def arm(self) -> None:
        self._armed = True

    def start(self) -> None:
        pass

    def read_frame(self) -> Samples:
        if not self._armed:
            return silence()
        if self.onset_at is None:
            self.onset_at = time.monotonic()
        return self._tone.read_frame()

    def stop(self) -> None:
        pass


class LoudnessClockSink(RecordingSink):
    """A recording that also notes when the first loud frame was written
    (time.monotonic), to measure one-way delay towards the agent."""

    def __init__(self, threshold_rms: float = 1000.0) -> None:
        super().__init__()
        self.threshold_rms = threshold_rms
        self.first_loud_at: float | None = None

    def write_frame(self, samples: Samples) -> None:
        if self.first_loud_at is None and samples.size and \
                float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) > self.threshold_rms:
            self.first_loud_at = time.monotonic()
        super().write_frame(samples)
