"""Receive jitter buffer and frame queue: delay stays bounded whatever arrives."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pytest

from core.call.audio_frames import SAMPLES_PER_FRAME, FrameQueue, as_frame, silence
from core.call.jitter_buffer import LowDelayJitterBuffer


@dataclass
class Packet:
    sequence_number: int
    timestamp: int
    _data: bytes = b""


def _packet(seq: int) -> Packet:
    return Packet(seq % 65536, seq * 960, str(seq).encode())


def test_in_order_packets_play_in_order_after_the_prefetch() -> None:
    buf = LowDelayJitterBuffer(prefetch=4)
    played = [f for s in range(20) if (f := buf.add(_packet(s))[1]) is not None]
    assert [f.data for f in played] == [str(s).encode() for s in range(16)]


def test_a_lost_packet_is_skipped_without_stalling_or_adding_delay() -> None:
    buf = LowDelayJitterBuffer(prefetch=4)
    played: list[bytes] = []
    for s in range(40):
        if s == 10:
            continue  # lost
        frame = buf.add(_packet(s))[1]
        if frame is not None:
            played.append(frame.data)
    assert b"10" not in played and buf.lost == 1
    # Still only the prefetch behind the newest packet: no delay was added.
    assert played[-1] == b"35"


def test_a_burst_after_a_stall_passes_through_without_being_kept() -> None:
    buf = LowDelayJitterBuffer(prefetch=4, slack=2)
    for s in range(10):
        buf.add(_packet(s))
    # 30 packets arrive at once (a stall upstream): each releases a frame, so the
    # buffer holds no more than before (the sink's FrameQueue drops the excess).
    for s in range(10, 40):
        assert buf.add(_packet(s))[1] is not None
        assert len(buf._packets) == buf.prefetch


def test_holes_ahead_never_hold_more_than_the_cap() -> None:
    buf = LowDelayJitterBuffer(prefetch=4, slack=2)
    buf.add(_packet(0))
    for s in range(2, 40, 2):  # every other packet missing
        buf.add(_packet(s))
        assert len(buf._packets) <= buf.max_depth
    assert buf.lost > 0


def test_late_and_duplicate_packets_are_dropped() -> None:
    buf = LowDelayJitterBuffer(prefetch=2)
    for s in range(10):
        buf.add(_packet(s))
    assert buf.add(_packet(1)) == (False, None)
    assert buf.dropped_late == 1


def test_reordered_packets_with_jitter_keep_delay_flat_over_sequence_wrap() -> None:
    rng = random.Random(3)
    buf = LowDelayJitterBuffer(prefetch=4)
    arrivals = sorted(
        ((s * 20 + max(0.0, rng.gauss(30, 30)), s) for s in range(65000, 68000)
         if rng.random() > 0.03),
    )
    depth = []
    for _, s in arrivals:
        buf.add(_packet(s))
        depth.append(len(buf._packets))
    assert max(depth) <= buf.max_depth
    assert np.mean(depth[-500:]) <= np.mean(depth[:500]) + 1


def test_frame_queue_drops_oldest_and_gives_silence_when_empty() -> None:
    queue = FrameQueue(max_frames=3)
    frames = [np.full(SAMPLES_PER_FRAME, i, dtype=np.int16) for i in range(5)]
    for f in frames:
        queue.put(f)
    assert queue.dropped == 2 and len(queue) == 3
    assert [int(queue.get()[0]) for _ in range(3)] == [2, 3, 4]
    assert not queue.get().any() and queue.underruns == 1


def test_frame_queue_trims_a_standing_delay_slowly() -> None:
    queue = FrameQueue(max_frames=3)
    for _ in range(3):
        queue.put(silence())  # a burst filled it; then producer and reader keep pace
    depths = []
    for _ in range(60):
        queue.put(silence())
        queue.get()
        depths.append(len(queue))
    assert depths[0] == 2 and depths[-1] == 0 and queue.trimmed == 2
    assert queue.underruns == 0


def test_frames_must_be_960_mono_samples() -> None:
    with pytest.raises(ValueError, match="960"):
        as_frame(np.zeros(100))
    assert as_frame(np.zeros(SAMPLES_PER_FRAME, dtype=np.float32)).dtype == np.int16
    assert silence().shape == (SAMPLES_PER_FRAME,)


def test_adaptive_depth_starts_shallow_deepens_on_a_late_packet_and_shrinks_when_calm() -> None:
    buf = LowDelayJitterBuffer(prefetch=4, min_prefetch=2, calm_packets=50)
    played: list[bytes] = []

    def feed(seq: int) -> None:
        frame = buf.add(_packet(seq))[1]
        if frame is not None:
            played.append(frame.data)

    for s in range(10):
        feed(s)
    assert played[-1] == b"7"  # two frames behind the newest: 40 ms
    # Packet 10 is late: 11, 12, 13 arrive first, so 10 is given up as lost ...
    for s in (11, 12, 13):
        feed(s)
    assert buf.lost == 1 and buf.prefetch == 2
    # ... then it arrives after all: it was late, so the buffer holds one frame more.
    feed(10)
    assert buf.dropped_late == 1 and buf.prefetch == 3 and buf.deepened == 1
    for s in range(14, 30):
        feed(s)
    assert played[-1] == b"26"  # three frames behind the newest now
    # Calm for calm_packets packets: one frame shallower, and the delay really drops.
    for s in range(30, 30 + 50):
        feed(s)
    assert buf.prefetch == 2 and buf.shallowed == 1
    feed(80)
    assert played[-1] == b"78"  # two frames behind again
    # Never below the minimum, never above the maximum.
    for s in range(81, 400):
        feed(s)
    assert buf.prefetch == 2


def test_fixed_depth_when_no_minimum_is_given() -> None:
    buf = LowDelayJitterBuffer(prefetch=4)
    assert buf.prefetch == 4 and buf.min_prefetch == 4
