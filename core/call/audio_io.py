"""Where call audio comes from and goes to: the small interface devices implement.

Frames are 48 kHz mono int16, 20 ms (``audio_frames``). The media thread *pulls*
one frame from the source every 20 ms and *pushes* each decoded frame into the
sink; both calls happen on the media thread and must not block. A device
implementation (core/call/audio_devices.py) keeps its own small buffer between
its hardware callback and these calls, dropping old audio rather than growing.

``latency_ms`` is the buffering the device was actually granted (0 for the
non-device implementations here); mouth-to-ear estimates add it to the pipeline.
"""

from __future__ import annotations

import threading
import wave
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples, as_frame, silence


@runtime_checkable
class AudioSource(Protocol):
    """Microphone side. ``read_frame`` is called on the media thread every 20 ms."""

    @property
    def latency_ms(self) -> float:
        """Buffering in the device path (read only: a plain attribute will do)."""
        ...

    def start(self) -> None: ...

    def read_frame(self) -> Samples:
        """The next 960 samples; silence when nothing is available. Never blocks."""
        ...

    def stop(self) -> None: ...


@runtime_checkable
class AudioSink(Protocol):
    """Speaker side. ``write_frame`` is called on the media thread per decoded frame."""

    @property
    def latency_ms(self) -> float:
        """Buffering in the device path (read only: a plain attribute will do)."""
        ...

    def start(self) -> None: ...

    def write_frame(self, samples: Samples) -> None:
        """Take 960 samples. Never blocks; drops old audio when behind."""
        ...

    def stop(self) -> None: ...


class NullSource:
    """No microphone: silence."""

    latency_ms = 0.0

    def start(self) -> None:
        pass

    def read_frame(self) -> Samples:
        return silence()

    def stop(self) -> None:
        pass


class NullSink:
    """No speaker: audio is discarded (the call still works)."""

    latency_ms = 0.0

    def start(self) -> None:
        pass

    def write_frame(self, samples: Samples) -> None:
        pass

    def stop(self) -> None:
        pass


class ToneSource:
    """A continuous sine tone (tests, demos, hold tone). Phase-continuous."""

    latency_ms = 0.0

    def __init__(self, frequency_hz: float, amplitude: float = 0.3) -> None:
        if not 0 < frequency_hz < SAMPLE_RATE / 2:
            raise ValueError(f"frequency must be between 0 and {SAMPLE_RATE // 2} Hz")
        self.frequency_hz = frequency_hz
        self.amplitude = amplitude
        self._n = 0

    def start(self) -> None:
        pass

    def read_frame(self) -> Samples:
        t = (np.arange(SAMPLES_PER_FRAME) + self._n) / SAMPLE_RATE
        self._n += SAMPLES_PER_FRAME
        wave_ = np.sin(2 * np.pi * self.frequency_hz * t) * self.amplitude * 32767
        return wave_.astype(np.int16)

    def stop(self) -> None:
        pass


class WavSource:
    """Plays a WAV file (16-bit PCM, mono or stereo, 48 kHz), looping by default."""

    latency_ms = 0.0

    def __init__(self, path: str | Path, loop: bool = True) -> None:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2:
                raise ValueError(f"{path}: only 16-bit PCM WAV files are supported")
            if wav.getframerate() != SAMPLE_RATE:
                raise ValueError(
                    f"{path}: sample rate {wav.getframerate()} Hz, need {SAMPLE_RATE} Hz"
                )
            channels = wav.getnchannels()
            data = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
        if channels > 1:
            data = data.reshape(-1, channels).mean(axis=1).astype(np.int16)
        if data.size == 0:
            raise ValueError(f"{path}: the file holds no audio")
        self._data = data
        self._pos = 0
        self.loop = loop

    def start(self) -> None:
        pass

    def read_frame(self) -> Samples:
        out = silence()
        filled = 0
        while filled < SAMPLES_PER_FRAME:
            if self._pos >= self._data.size:
                if not self.loop:
                    break
                self._pos = 0
            take = min(SAMPLES_PER_FRAME - filled, self._data.size - self._pos)
            out[filled : filled + take] = self._data[self._pos : self._pos + take]
            filled += take
            self._pos += take
        return out

    def stop(self) -> None:
        pass


class RecordingSink:
    """Keeps what it hears (bounded, newest kept) for analysis or a WAV file.

    Thread-safe: the media thread writes, any thread may read ``samples()``.
    """

    latency_ms = 0.0

    def __init__(self, max_seconds: float = 600.0) -> None:
        self._max_frames = max(1, int(max_seconds * 1000 / 20))
        self._frames: list[Samples] = []
        self._lock = threading.Lock()
        self.frames_written = 0

    def start(self) -> None:
        pass

    def write_frame(self, samples: Samples) -> None:
        frame = as_frame(samples)
        with self._lock:
            self._frames.append(frame)
            self.frames_written += 1
            if len(self._frames) > self._max_frames:
                del self._frames[: len(self._frames) - self._max_frames]

    def stop(self) -> None:
        pass

    def samples(self, last_seconds: float | None = None) -> Samples:
        """All kept audio (or the newest ``last_seconds``) as one array."""
        with self._lock:
            frames = list(self._frames)
        if last_seconds is not None:
            frames = frames[-max(1, int(last_seconds * 50)) :]
        if not frames:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(frames)

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()

    def save_wav(self, path: str | Path) -> None:
        data = self.samples()
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(data.tobytes())
