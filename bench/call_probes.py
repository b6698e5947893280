"""Audio probes for the calls bench: click sources and sinks that remember when each
frame was sent or arrived, paced device clocks as the desktop opens them, and the
click-by-click delay measurement (cross-correlation with the click's waveform)."""

from __future__ import annotations

import threading
import time

import numpy as np

from core.call.analysis import click_train, rms
from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, FrameQueue, Samples

CLICK_PERIOD_S = 1.0
FRAME_S = SAMPLES_PER_FRAME / SAMPLE_RATE


class ClickSource:
    """A click per second; remembers when each frame was pulled (sent)."""

    latency_ms = 0.0

    def __init__(self) -> None:
        self._train = click_train(CLICK_PERIOD_S, CLICK_PERIOD_S)
        self._n = 0
        self.sent_at: list[float] = []

    def start(self) -> None:
        pass

    def read_frame(self) -> Samples:
        self.sent_at.append(time.monotonic())
        start = (self._n * SAMPLES_PER_FRAME) % self._train.size
        self._n += 1
        return self._train[start : start + SAMPLES_PER_FRAME].copy()

    def stop(self) -> None:
        pass


class TimedSink:
    """Keeps each frame with the instant it arrived."""

    latency_ms = 0.0

    def __init__(self) -> None:
        self.frames: list[Samples] = []
        self.at: list[float] = []
        self.first_sound_at: float | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        pass

    def write_frame(self, samples: Samples) -> None:
        now = time.monotonic()
        with self._lock:
            self.frames.append(samples)
            self.at.append(now)
            if self.first_sound_at is None and rms(samples) > 300:
                self.first_sound_at = now

    def stop(self) -> None:
        pass


class PacedCapture:
    """A microphone as the desktop opens it (core/call/audio_devices.py): 20 ms
    blocks from a device clock thread into a 3-frame ``FrameQueue`` that the media
    thread reads. ``sent_at[i]``: when block i's first sample was captured."""

    latency_ms = 0.0

    def __init__(self) -> None:
        self._clicks = ClickSource()
        self.queue = FrameQueue(3)
        self.sent_at: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        due = time.monotonic() + FRAME_S
        while not self._stop.is_set():
            time.sleep(max(0.0, due - time.monotonic()))
            frame = self._clicks.read_frame()
            self.sent_at.append(due - FRAME_S)
            self.queue.put(frame)
            due += FRAME_S

    def start(self) -> None:
        self._thread.start()

    def read_frame(self) -> Samples:
        return self.queue.get()

    def stop(self) -> None:
        self._stop.set()


class PacedPlayback:
    """A speaker as the desktop opens it: the media thread fills a 3-frame
    ``FrameQueue``; a device clock thread takes one frame per 20 ms and "plays" it
    (recorded in ``played`` with the instant it starts)."""

    latency_ms = 0.0

    def __init__(self) -> None:
        self.queue = FrameQueue(3)
        self.played = TimedSink()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            time.sleep(max(0.0, due - time.monotonic()))
            self.played.write_frame(self.queue.get())
            due += FRAME_S

    def start(self) -> None:
        self._thread.start()

    def write_frame(self, samples: Samples) -> None:
        self.queue.put(samples)

    def stop(self) -> None:
        self._stop.set()


def click_delays(source: ClickSource | PacedCapture, sink: TimedSink) -> list[tuple[float, float]]:
    """(arrival time, one-way delay in ms) of each click found in the sink's audio."""
    with sink._lock:
        frames, at = list(sink.frames), list(sink.at)
    if not frames:
        return []
    audio = np.concatenate(frames).astype(np.float64)
    template = click_train(0.01, 1.0).astype(np.float64)
    template = template[np.abs(template) > 0]
    corr = np.correlate(audio, template, mode="valid")
    threshold = 0.3 * float(np.dot(template, template))
    period = int(CLICK_PERIOD_S * SAMPLE_RATE)
    sent_clicks = [t for i, t in enumerate(source.sent_at) if (i * SAMPLES_PER_FRAME) % period == 0]
    out: list[tuple[float, float]] = []
    i = 0
    while i < corr.size:
        if corr[i] < threshold:
            i += 1
            continue
        window = corr[i : i + SAMPLES_PER_FRAME]
        peak = i + int(np.argmax(window))
        frame, offset = divmod(peak, SAMPLES_PER_FRAME)
        arrived = at[frame] + offset / SAMPLE_RATE  # as if played from arrival
        sent = [t for t in sent_clicks if t < arrived]
        if sent:
            out.append((arrived, (arrived - sent[-1]) * 1000))
        i = peak + period // 2
    return out
