"""Decoding a call recording into one 16 kHz mono signal per channel (PyAV).

A recording has two channels: channel 1 is the customer, channel 2 the agent
(the recorder writes them so). Ogg/Opus, WAV and whatever else FFmpeg reads are
accepted; anything that is not a two-channel audio file is refused with a
``RecordingError`` that says what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000  # what Whisper and Silero VAD take
Signal = npt.NDArray[np.float32]


class RecordingError(ValueError):
    """The file is not a readable two-channel recording (``code`` says why)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CallAudio:
    customer: Signal  # channel 1
    agent: Signal  # channel 2

    @property
    def duration_s(self) -> float:
        return max(len(self.customer), len(self.agent)) / SAMPLE_RATE


def decode(path: str | Path) -> CallAudio:
    """Both channels at 16 kHz, float32 in [-1, 1]."""
    import av  # FFmpeg's libraries load when the first recording is decoded

    try:
        container = av.open(str(path))
    except FileNotFoundError:
        raise RecordingError("not_found", f"no recording at {path}") from None
    except av.error.FFmpegError as exc:
        raise RecordingError("unreadable", f"not an audio file: {exc}") from None
    with container:
        if not container.streams.audio:
            raise RecordingError("no_audio", "the file has no audio stream")
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels
        if channels != 2:
            raise RecordingError(
                "not_two_channels",
                f"a call recording has two channels (customer, agent); this one has {channels}")
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SAMPLE_RATE)
        parts: list[npt.NDArray[Any]] = []
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    parts.append(out.to_ndarray())
            for out in resampler.resample(None):
                parts.append(out.to_ndarray())
        except av.error.FFmpegError as exc:
            raise RecordingError("unreadable", f"the audio could not be decoded: {exc}") from None
    if not parts:
        return CallAudio(np.zeros(0, np.float32), np.zeros(0, np.float32))
    both = np.concatenate(parts, axis=1).astype(np.float32, copy=False)
    return CallAudio(np.ascontiguousarray(both[0]), np.ascontiguousarray(both[1]))
