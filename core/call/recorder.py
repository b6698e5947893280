"""Recording a call on the agent's engine without ever delaying its audio.

Both sides of the call already pass through the media session as decoded 48 kHz
frames, so the recording is made there (docs/telephony.md, "Recording"):

```
 decoder (customer) ── customer_frame ─▶ FrameQueue(4) ─┐
 outgoing track ───── outgoing(frame) ──────────────────┴─▶ (customer, agent) pair
                                                              │ put_nowait
                                               bounded queue (QUEUE_FRAMES) ─▶ encoder
                                               thread: Opus in Ogg (recording_file)
```

- The outgoing track paces the recording (one pair per 20 ms it sends); the
  customer's frames come on the decoder's clock and cross in a small
  ``FrameQueue`` that drops old audio, as the supervisor's mix does.
- The media thread only ever calls ``put_nowait`` on a bounded queue: when the
  encoder or the disk falls behind by more than ``QUEUE_FRAMES`` (5 s), pairs are
  dropped and counted (``dropped``), the call's audio is never held up. A write
  error (a full disk) ends the file there; the call goes on.
- ``announce``: the customer first hears ``Announcement`` (three short 1400 Hz
  beeps), mixed into what the agent sends; recording starts when it has played.
- Stopping and starting again (on demand) continues the same file; the stopped
  span is not in it.

Thread rules: ``customer_frame``, ``outgoing``, ``start``, ``stop`` and ``finish``
run on the media thread; the encoder thread only reads the queue.
"""

from __future__ import annotations

import concurrent.futures
import enum
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, FrameQueue, Samples

log = logging.getLogger(__name__)

QUEUE_FRAMES = 250  # 5 s of audio between the media thread and the encoder
CROSSING_FRAMES = 4  # the customer's frames waiting for the outgoing clock (80 ms)
ANNOUNCEMENT_HZ = 1400.0  # the usual recording-warning tone (ITU-T P.74's 1400 Hz)
_STOP = None


class FrameWriter(Protocol):
    """Where pairs of frames go (``OggOpusWriter``; tests give slow or failing ones)."""

    def write(self, customer: Samples, agent: Samples) -> None: ...

    def close(self) -> None: ...


WriterFactory = Callable[[Path], FrameWriter]


class RecorderState(enum.Enum):
    IDLE = "idle"  # not started, or stopped (on demand)
    ANNOUNCING = "announcing"  # the customer hears the announcement first
    RECORDING = "recording"
    FINISHED = "finished"


@dataclass(frozen=True)
class RecordingResult:
    """A finished recording file (``path`` is None when nothing was recorded)."""

    path: Path | None
    frames: int  # pairs written (20 ms each)
    dropped: int  # pairs the encoder could not take in time
    error: str | None = None  # the write error that ended the file early

    @property
    def duration_s(self) -> float:
        return self.frames * SAMPLES_PER_FRAME / SAMPLE_RATE


class Announcement:
    """Three 200 ms beeps at 1400 Hz with 200 ms gaps, then 200 ms of quiet (1.4 s),
    generated here: nothing to ship or download."""

    BEEP_MS, GAP_MS, BEEPS = 200, 200, 3

    def __init__(self, amplitude: float = 0.25) -> None:
        beep = SAMPLE_RATE * self.BEEP_MS // 1000
        gap = SAMPLE_RATE * self.GAP_MS // 1000
        t = np.arange(beep) / SAMPLE_RATE
        tone = np.sin(2 * np.pi * ANNOUNCEMENT_HZ * t) * amplitude * 32767
        ramp = 240  # 5 ms fades: no clicks
        tone[:ramp] *= np.linspace(0, 1, ramp)
        tone[-ramp:] *= np.linspace(1, 0, ramp)
        one = np.concatenate([tone, np.zeros(gap)])
        whole = np.concatenate([np.tile(one, self.BEEPS), np.zeros(gap)]).astype(np.int16)
        padded = np.zeros(-(-whole.size // SAMPLES_PER_FRAME) * SAMPLES_PER_FRAME, np.int16)
        padded[: whole.size] = whole
        self.frames = list(padded.reshape(-1, SAMPLES_PER_FRAME))

    @property
    def duration_s(self) -> float:
        return len(self.frames) * SAMPLES_PER_FRAME / SAMPLE_RATE


def _mix(a: Samples, b: Samples) -> Samples:
    total = a.astype(np.int32) + b
    return np.clip(total, -32768, 32767).astype(np.int16)


class CallRecorder:
    """One call's recording. See the module docstring for the threads."""

    def __init__(self, path: Path, writer_factory: WriterFactory | None = None,
                 queue_frames: int = QUEUE_FRAMES) -> None:
        self.path = path
        self._writer_factory = writer_factory or _ogg_writer
        self._queue: queue.Queue[tuple[Samples, Samples] | None] = queue.Queue(queue_frames)
        self._customer = FrameQueue(CROSSING_FRAMES)
        self.state = RecorderState.IDLE
        self._announcement: list[Samples] = []
        self._thread: threading.Thread | None = None
        self.result: concurrent.futures.Future[RecordingResult] = concurrent.futures.Future()
        self.dropped = 0
        self.queued = 0
        self.announced = 0  # announcement frames sent to the customer
        self.written = 0  # pairs the encoder wrote (its thread counts)
        self.slowest_put_s = 0.0  # the longest a media-thread call here took

    # ---- the media thread ----------------------------------------------------------

    def start(self, announce: bool = False) -> None:
        """Start (or continue) recording; with ``announce`` the customer hears the
        announcement first."""
        if self.state in (RecorderState.FINISHED, RecorderState.RECORDING,
                          RecorderState.ANNOUNCING):
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._encode, name="zuoxi-recorder",
                                            daemon=True)
            self._thread.start()
        self._customer.clear()
        if announce:
            self._announcement = list(Announcement().frames)
            self.state = RecorderState.ANNOUNCING
        else:
            self.state = RecorderState.RECORDING

    def stop(self) -> None:
        """Stop recording (on demand); ``start`` continues the same file."""
        if self.state in (RecorderState.RECORDING, RecorderState.ANNOUNCING):
            self._announcement = []
            self.state = RecorderState.IDLE

    @property
    def active(self) -> bool:
        return self.state in (RecorderState.RECORDING, RecorderState.ANNOUNCING)

    def customer_frame(self, heard: Samples) -> None:
        """A decoded frame from the customer (the session's receive loop)."""
        if self.state is RecorderState.RECORDING:
            self._customer.put(heard)

    def outgoing(self, frame: Samples) -> Samples:
        """The agent's frame about to be sent; returns what the customer gets (the
        announcement mixed in while it plays)."""
        if self.state is RecorderState.ANNOUNCING:
            beep = self._announcement.pop(0)
            self.announced += 1
            if not self._announcement:
                self.state = RecorderState.RECORDING
            return _mix(frame, beep)
        if self.state is RecorderState.RECORDING:
            began = time.perf_counter()
            try:
                self._queue.put_nowait((self._customer.get(), frame))
                self.queued += 1
            except queue.Full:
                self.dropped += 1
            self.slowest_put_s = max(self.slowest_put_s, time.perf_counter() - began)
        return frame

    def finish(self) -> concurrent.futures.Future[RecordingResult]:
        """No more audio: the encoder closes the file; ``result`` says what was made.
        Never waits on the encoder (the stop mark waits for room on a thread of its
        own when the queue is full)."""
        if self.state is RecorderState.FINISHED:
            return self.result
        self.state = RecorderState.FINISHED
        if self._thread is None:
            self.result.set_result(RecordingResult(None, 0, self.dropped))
            return self.result
        try:
            self._queue.put_nowait(_STOP)
        except queue.Full:
            threading.Thread(target=self._queue.put, args=(_STOP,), daemon=True).start()
        return self.result

    # ---- the encoder thread ----------------------------------------------------------

    def _encode(self) -> None:
        writer: FrameWriter | None = None
        error: str | None = None
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            if error is not None:
                continue  # the file ended at the error; keep draining
            try:
                if writer is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    writer = self._writer_factory(self.path)
                writer.write(*item)
                self.written += 1
            except Exception as exc:  # a full disk, a vanished folder: the call goes on
                log.warning("recording %s stopped: %s", self.path.name, exc)
                error = str(exc) or type(exc).__name__
        if writer is not None:
            try:
                writer.close()
            except Exception as exc:
                error = error or str(exc) or type(exc).__name__
        path = self.path if writer is not None and self.written else None
        if path is None and self.path.exists() and not self.written:
            self.path.unlink(missing_ok=True)
        self.result.set_result(RecordingResult(path, self.written, self.dropped, error))


def _ogg_writer(path: Path) -> FrameWriter:
    from core.call.recording_file import OggOpusWriter

    return OggOpusWriter(path)
