"""Playing a call recording from the timeline: fetch, decode, play with seek.

``RecordingsClient`` asks the hub which recordings of a conversation this agent
may play (``GET /api/recordings``) and fetches one (``GET
/api/calls/{id}/recording``; the hub audits each fetch). ``RecordingPlayback``
holds the decoded audio (PyAV) and hands 20 ms frames to the desktop's audio
output (``AudioRouter.play_frames``, PortAudio's thread) from the current position:
both channels mixed, so the agent hears the customer and the agent together.
``seek``, ``pause`` and the position are plain attributes the GUI thread sets and
reads; the output thread only reads ``position`` and ``playing`` and advances one.

Thread: the GUI loop, except ``next_frame`` (the audio output's thread).
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import msgspec
import numpy as np

from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples
from core.protocol.recording import RecordingInfo

TIMEOUT_S = 60.0
_listing = msgspec.json.Decoder(list[RecordingInfo])


class RecordingFetchError(Exception):
    """``status``: the hub's HTTP status (0: the hub could not be reached)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(f"{status} {message}".strip())
        self.status = status


@dataclass(frozen=True)
class RecordingsClient:
    """Where the hub is and as whom (any thread; methods are async)."""

    hub_url: str
    token: str

    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.hub_url.rstrip("/") + path,
                                         headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            raise RecordingFetchError(exc.code, exc.reason) from None
        except (urllib.error.URLError, OSError) as exc:
            raise RecordingFetchError(0, str(getattr(exc, "reason", exc))) from None

    async def of_conversation(self, conversation_id: str) -> list[RecordingInfo]:
        query = urllib.parse.urlencode({"conversation_id": conversation_id})
        body = await asyncio.to_thread(self._get, f"/api/recordings?{query}")
        try:
            return _listing.decode(body)
        except msgspec.DecodeError as exc:
            raise RecordingFetchError(0, f"bad answer: {exc}") from None

    async def fetch(self, info: RecordingInfo, into: Path, download: bool = False) -> Path:
        """The recording's file, written to ``into`` (a file path)."""
        call = urllib.parse.quote(info.call_id, safe="")
        query = urllib.parse.urlencode({"agent": info.agent_id, **(
            {"download": "1"} if download else {})})
        data = await asyncio.to_thread(self._get, f"/api/calls/{call}/recording?{query}")
        await asyncio.to_thread(into.write_bytes, data)
        return into


class RecordingPlayback:
    """Decoded audio and a play position (in frames of 20 ms)."""

    def __init__(self, stereo: np.ndarray) -> None:
        # (channels, samples) float32 → one int16 mono frame sequence: both sides.
        mixed = stereo.mean(axis=0) if stereo.ndim == 2 else stereo
        pcm = np.clip(mixed * 32767, -32768, 32767).astype(np.int16)
        frames = -(-pcm.size // SAMPLES_PER_FRAME)
        padded = np.zeros(frames * SAMPLES_PER_FRAME, dtype=np.int16)
        padded[: pcm.size] = pcm
        self._frames = padded.reshape(-1, SAMPLES_PER_FRAME)
        self.position = 0  # the next frame to play
        self.playing = False

    @classmethod
    def from_file(cls, path: Path) -> RecordingPlayback:
        from core.call.recording_file import read_channels

        return cls(read_channels(path))

    @property
    def duration_s(self) -> float:
        return len(self._frames) * SAMPLES_PER_FRAME / SAMPLE_RATE

    @property
    def position_s(self) -> float:
        return self.position * SAMPLES_PER_FRAME / SAMPLE_RATE

    @property
    def finished(self) -> bool:
        return self.position >= len(self._frames)

    def seek(self, seconds: float) -> None:
        frame = int(seconds * SAMPLE_RATE / SAMPLES_PER_FRAME)
        self.position = max(0, min(frame, len(self._frames)))

    def next_frame(self) -> Samples | None:
        """The output's thread: the next frame, or None to stop (paused or at the end)."""
        if not self.playing or self.position >= len(self._frames):
            self.playing = False
            return None
        frame = self._frames[self.position]
        self.position += 1
        return frame
