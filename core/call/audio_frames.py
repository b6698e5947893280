"""The one audio format inside the call engine: 48 kHz mono int16, 20 ms frames.

``FrameQueue`` sits between whoever produces frames and whoever consumes them at
the device's pace. It is bounded and drops the *oldest* audio when the consumer
falls behind, so delay can never grow (a remote track in aiortc queues without
bound; a slow sink fed straight from it drifts to half a second and more). When
nothing has arrived the consumer gets silence, never a wait.

Two clocks of the same nominal rate (a sound card's and the network's, or the
media thread's) leave a queue at whatever depth a burst once filled it to: a
standing delay of up to ``max_frames``. So when more than one frame has been
waiting at every read for half a second, the queue drops one old frame (20 ms of
audio, once per 0.5 s at most) until it is back to one.
"""

from __future__ import annotations

import collections
import threading

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 48_000
FRAME_MS = 20
SAMPLES_PER_FRAME = SAMPLE_RATE * FRAME_MS // 1000  # 960
# Reads with more than one frame waiting before one is trimmed (0.5 s).
TRIM_AFTER_READS = 25

Samples = npt.NDArray[np.int16]


def silence() -> Samples:
    """A new silent frame."""
    return np.zeros(SAMPLES_PER_FRAME, dtype=np.int16)


def as_frame(samples: npt.ArrayLike) -> Samples:
    """Check and convert one frame's samples (exactly 960 mono int16 samples)."""
    arr = np.asarray(samples)
    if arr.ndim != 1 or arr.shape[0] != SAMPLES_PER_FRAME:
        raise ValueError(f"a frame is {SAMPLES_PER_FRAME} mono samples, got shape {arr.shape}")
    if arr.dtype != np.int16:
        arr = np.clip(arr, -32768, 32767).astype(np.int16)
    return arr


def level_dbfs(samples: Samples) -> float:
    """RMS level of a frame in dBFS (-120 for digital silence)."""
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    if rms < 1e-9:
        return -120.0
    return 20.0 * float(np.log10(rms / 32768.0))


class FrameQueue:
    """Bounded, thread-safe frame FIFO that drops old audio when full.

    ``max_frames`` bounds the delay it can add (default 3 frames = 60 ms).
    Any thread may call any method.
    """

    def __init__(self, max_frames: int = 3) -> None:
        if max_frames < 1:
            raise ValueError("max_frames must be at least 1")
        self._frames: collections.deque[Samples] = collections.deque(maxlen=max_frames)
        self._lock = threading.Lock()
        self.dropped = 0
        self.underruns = 0
        self.trimmed = 0
        self._standing = 0

    @property
    def max_frames(self) -> int:
        maxlen = self._frames.maxlen
        assert maxlen is not None
        return maxlen

    def put(self, samples: Samples) -> None:
        with self._lock:
            if len(self._frames) == self._frames.maxlen:
                self.dropped += 1  # deque(maxlen) discards the oldest on append
            self._frames.append(samples)

    def get(self) -> Samples:
        """The oldest queued frame, or silence when none is queued."""
        with self._lock:
            self._standing = self._standing + 1 if len(self._frames) > 1 else 0
            if self._standing >= TRIM_AFTER_READS:
                self._frames.popleft()
                self.trimmed += 1
                self._standing = 0
            if self._frames:
                return self._frames.popleft()
            self.underruns += 1
        return silence()

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._frames)
