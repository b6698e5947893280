"""The call recorder: two channels in one Opus file, the announcement first, and a
slow or full disk never holds up the media thread's frames."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_frames import SAMPLES_PER_FRAME, Samples
from core.call.audio_io import ToneSource
from core.call.recorder import ANNOUNCEMENT_HZ, Announcement, CallRecorder, RecorderState
from core.call.recording_file import read_channels
from core.protocol.recording import ogg_opus_info


def _feed(recorder: CallRecorder, frames: int, customer: ToneSource, agent: ToneSource
          ) -> list[Samples]:
    """What the customer would get, frame by frame (as the media session calls it)."""
    sent = []
    for _ in range(frames):
        recorder.customer_frame(customer.read_frame())
        sent.append(recorder.outgoing(agent.read_frame()))
    return sent


def test_both_sides_in_two_channels_of_one_opus_file(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.ogg")
    recorder.start()
    _feed(recorder, 150, ToneSource(440.0), ToneSource(880.0))  # 3 s
    result = recorder.finish().result(timeout=10)
    assert result.path == tmp_path / "call.ogg" and result.frames == 150
    assert result.dropped == 0 and result.error is None
    data = result.path.read_bytes()
    info = ogg_opus_info(data[:4096], data[-65536:])
    assert info.channels == 2 and info.duration_s == pytest.approx(3.0, abs=0.05)
    channels = read_channels(result.path)
    assert channels.shape[0] == 2
    customer = (channels[0, 4800:] * 32767).astype(np.int16)
    agent = (channels[1, 4800:] * 32767).astype(np.int16)
    assert tone_ratio(customer, 440.0) > 0.9 and tone_ratio(customer, 880.0) < 0.01
    assert tone_ratio(agent, 880.0) > 0.9 and tone_ratio(agent, 440.0) < 0.01
    # Opus at 48 kbit/s with Ogg framing: about 9 KB a second of call (WAV: 192 KB).
    assert len(data) < 3 * 12_000


def test_the_customer_hears_the_announcement_before_recording_starts(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.ogg")
    recorder.start(announce=True)
    announcement = len(Announcement().frames)
    sent = _feed(recorder, announcement, ToneSource(440.0), ToneSource(880.0))
    assert recorder.state is RecorderState.RECORDING and recorder.queued == 0
    beeps = np.concatenate(sent[:10])  # the first beep, mixed with the agent's voice
    assert tone_ratio(beeps, ANNOUNCEMENT_HZ) > 0.3
    _feed(recorder, 50, ToneSource(440.0), ToneSource(880.0))
    result = recorder.finish().result(timeout=10)
    assert result.frames == 50  # the announcement itself is not in the recording


def test_stop_and_start_again_continue_the_same_file(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.ogg")
    customer, agent = ToneSource(440.0), ToneSource(880.0)
    recorder.start()
    _feed(recorder, 20, customer, agent)
    recorder.stop()
    _feed(recorder, 30, customer, agent)  # not recorded
    recorder.start()
    _feed(recorder, 25, customer, agent)
    assert recorder.finish().result(timeout=10).frames == 45


class StalledWriter:
    """A disk that stops answering until released (an NFS hang, a dying drive)."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.frames = 0

    def write(self, customer: Samples, agent: Samples) -> None:
        self.release.wait()
        self.frames += 1

    def close(self) -> None:
        pass


class FullDiskWriter:
    def __init__(self, after: int) -> None:
        self.after = after
        self.frames = 0

    def write(self, customer: Samples, agent: Samples) -> None:
        if self.frames >= self.after:
            raise OSError(28, "No space left on device")
        self.frames += 1

    def close(self) -> None:
        pass


@pytest.mark.serial
def test_a_stalled_disk_never_delays_a_frame(tmp_path: Path) -> None:
    release = threading.Event()
    writer = StalledWriter(release)
    recorder = CallRecorder(tmp_path / "call.ogg", lambda _path: writer, queue_frames=50)
    recorder.start()
    customer, agent = ToneSource(440.0), ToneSource(880.0)
    took = []
    for _ in range(500):  # 10 s of call while the disk answers nothing
        began = time.perf_counter()
        recorder.customer_frame(customer.read_frame())
        frame = recorder.outgoing(agent.read_frame())
        took.append(time.perf_counter() - began)
        assert frame.shape == (SAMPLES_PER_FRAME,)
    # Every frame went straight through while the disk answered nothing: 10 s of
    # frames took a small fraction of a second in all (2 shared cores: one frame may
    # wait for the GIL now and then, so the bound is on the whole and the 99th
    # percentile, not the single slowest).
    ordered = sorted(took)
    assert sum(took) < 0.5, f"500 frames took {sum(took):.3f} s"
    assert ordered[494] < 0.005, f"99th percentile {ordered[494] * 1000:.2f} ms"
    assert recorder.slowest_put_s < 0.02
    assert recorder.dropped >= 500 - 50 - 1 and writer.frames == 0
    release.set()
    result = recorder.finish().result(timeout=10)
    assert result.frames == recorder.queued and result.dropped == recorder.dropped


def test_a_full_disk_ends_the_file_and_the_call_goes_on(tmp_path: Path) -> None:
    writer = FullDiskWriter(after=20)
    recorder = CallRecorder(tmp_path / "call.ogg", lambda _path: writer)
    recorder.start()
    sent = _feed(recorder, 100, ToneSource(440.0), ToneSource(880.0))
    assert len(sent) == 100
    result = recorder.finish().result(timeout=10)
    assert result.frames == 20 and result.error is not None and "No space" in result.error


def test_nothing_recorded_gives_no_file(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.ogg")
    result = recorder.finish().result(timeout=1)
    assert result.path is None and result.frames == 0
