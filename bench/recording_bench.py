"""Call recording: what it costs the agent's machine.

* ``encoder_cpu_pct`` — the encoder thread's CPU per recorded call, as a share of
  one core: 60 s of two-channel tones (customer 440 Hz, agent 880 Hz) encoded to
  Opus in Ogg at 48 kbit/s, timed with the thread's CPU clock; one sample per run.
* ``media_thread_us`` — what the media thread pays per 20 ms frame for recording
  (``customer_frame`` + ``outgoing``: a copy into a FrameQueue and a put_nowait),
  every frame of every run.
* ``bytes_per_s`` — the file's size per second of call.

In-process; no hub needed.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.stats import summary
from core.call.audio_io import ToneSource
from core.call.media_thread import SWITCH_INTERVAL_S
from core.call.recorder import CallRecorder, FrameWriter
from core.call.recording_file import OggOpusWriter

SECONDS = 60


class _TimedWriter:
    """The real writer; counts the encoder thread's CPU time."""

    def __init__(self, path: Path, cpu: list[float]) -> None:
        self.inner = OggOpusWriter(path)
        self.cpu = cpu
        self.began = time.thread_time()

    def write(self, customer: Any, agent: Any) -> None:
        self.inner.write(customer, agent)

    def close(self) -> None:
        self.inner.close()
        self.cpu.append(time.thread_time() - self.began)


def run(runs: int = 5) -> dict[str, Any]:
    import av  # noqa: F401 - loaded before a call, as aiortc has it in the engine

    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as the media thread sets it
    cpu_pct: list[float] = []
    per_frame_us: list[float] = []
    sizes: list[float] = []
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-recording-") as tmp:
        for n in range(runs):
            cpu: list[float] = []

            def writer(path: Path, cpu: list[float] = cpu) -> FrameWriter:
                return _TimedWriter(path, cpu)

            path = Path(tmp) / f"call{n}.ogg"
            recorder = CallRecorder(path, writer, queue_frames=SECONDS * 50 + 1)
            recorder.start()
            customer, agent = ToneSource(440.0), ToneSource(880.0)
            frames = [(customer.read_frame(), agent.read_frame()) for _ in range(SECONDS * 50)]
            for heard, said in frames:
                began = time.perf_counter()
                recorder.customer_frame(heard)
                recorder.outgoing(said)
                per_frame_us.append((time.perf_counter() - began) * 1e6)
            result = recorder.finish().result(timeout=120)
            assert result.frames == SECONDS * 50 and threading.active_count() >= 1
            cpu_pct.append(100 * cpu[0] / SECONDS)
            sizes.append(path.stat().st_size / SECONDS)
    return {
        "encoder_cpu_pct": summary(cpu_pct, "% of a core"),
        "media_thread_us": summary(per_frame_us, "µs per 20 ms frame"),
        "bytes_per_s": summary(sizes, "bytes per second of call"),
    }
