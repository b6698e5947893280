"""A receive jitter buffer for audio whose delay cannot grow.

Why aiortc calls end up 300-600 ms late: its audio ``JitterBuffer`` (capacity 16,
prefetch 4) stops emitting at the first missing packet and waits until 16 newer
packets have arrived before it gives up on it; from then on it still emits only
one frame per arriving packet, so those 16 packets (320 ms) stay buffered for the
rest of the call. Every further loss burst can only keep it there. Measured here:
3 % loss with 30 ms jitter took a call from 89 ms to about 300 ms one way.

This buffer keeps aiortc's interface (``add(packet) -> (pli_flag, frame)``) and its
prefetch (4 frames, 80 ms) but:

- a missing packet is declared lost as soon as ``prefetch`` newer packets are
  waiting (the decoder then simply gets the next frame);
- when more than ``prefetch + slack`` frames are waiting (a burst after a stall)
  the oldest are dropped, so delay returns to the target instead of staying;
- a packet older than what was already played is dropped.

Adaptive depth (``min_prefetch``): on a clean network two frames are enough, and
every frame held is 20 ms of mouth-to-ear delay. The buffer starts at
``min_prefetch``; each packet that arrives after its slot was given up as lost (it
was late, not lost) deepens it by one frame, up to ``prefetch``; after
``calm_packets`` packets (10 s) with no late arrival it gets one frame shallower
again, dropping one waiting frame so the delay really shrinks.

Audio only: one RTP packet per frame (Opus and PCMU at 20 ms).
"""

from __future__ import annotations

from typing import Any, Protocol

from core.call import compat_aiortc

SEQ_MOD = 1 << 16


class _Packet(Protocol):
    sequence_number: int
    timestamp: int


class _Frame:
    """What aiortc's receiver expects back (``data`` and ``timestamp``)."""

    __slots__ = ("data", "timestamp")

    def __init__(self, data: bytes, timestamp: int) -> None:
        self.data = data
        self.timestamp = timestamp


class LowDelayJitterBuffer:
    def __init__(self, prefetch: int = 4, slack: int = 2, min_prefetch: int | None = None,
                 calm_packets: int = 500) -> None:
        if min_prefetch is not None and not 1 <= min_prefetch <= prefetch:
            raise ValueError("min_prefetch must be between 1 and prefetch")
        self.max_prefetch = prefetch
        self.min_prefetch = prefetch if min_prefetch is None else min_prefetch
        self.slack = slack
        self.calm_packets = calm_packets
        self.prefetch = self.min_prefetch
        self._packets: dict[int, Any] = {}
        self._next: int | None = None  # the sequence number to play next
        self._calm = 0  # packets since the last late arrival
        self.lost = 0
        self.dropped_late = 0
        self.dropped_old = 0
        self.deepened = 0
        self.shallowed = 0

    @property
    def max_depth(self) -> int:
        return self.prefetch + self.slack

    @property
    def capacity(self) -> int:
        return self.max_depth

    def _ahead(self, seq: int) -> int:
        assert self._next is not None
        return (seq - self._next) % SEQ_MOD

    def add(self, packet: _Packet) -> tuple[bool, _Frame | None]:
        seq = packet.sequence_number
        if self._next is None:
            self._next = seq
        ahead = self._ahead(seq)
        if ahead >= SEQ_MOD // 2:  # older than what was already played
            self.dropped_late += 1
            self._calm = 0
            if self.prefetch < self.max_prefetch:  # it was late, not lost: hold more
                self.prefetch += 1
                self.deepened += 1
            return False, None
        self._calm += 1
        if self._calm >= self.calm_packets and self.prefetch > self.min_prefetch:
            self._calm = 0
            self.prefetch -= 1
            self.shallowed += 1
            if self._packets:
                self._skip(count_as_lost=False)  # one frame less delay, at once
        self._packets[seq] = packet
        # Too much waiting (a burst after a stall): drop the oldest.
        while len(self._packets) > self.max_depth:
            self._skip(count_as_lost=False)
        return False, self._pop_ready()

    def _skip(self, count_as_lost: bool) -> None:
        assert self._next is not None
        if self._packets.pop(self._next, None) is None:
            if count_as_lost:
                self.lost += 1
        elif not count_as_lost:
            self.dropped_old += 1
        self._next = (self._next + 1) % SEQ_MOD

    def _pop_ready(self) -> _Frame | None:
        assert self._next is not None
        if len(self._packets) <= self.prefetch:  # keep ``prefetch`` frames behind it
            return None
        while self._next not in self._packets:
            # Enough newer packets are here: the missing one is lost.
            self._skip(count_as_lost=True)
        packet = self._packets.pop(self._next)
        self._next = (self._next + 1) % SEQ_MOD
        return _Frame(compat_aiortc.packet_payload(packet), packet.timestamp)

    def remove(self, count: int) -> None:
        """aiortc's interface: forget ``count`` positions."""
        for _ in range(count):
            if self._next is None or not self._packets:
                return
            self._skip(count_as_lost=False)


def install(receiver: object, prefetch: int = 4,
            min_prefetch: int | None = 2) -> LowDelayJitterBuffer:
    """Put a low-delay buffer into an aiortc audio ``RTCRtpReceiver`` (before media flows).

    Adaptive between ``min_prefetch`` and ``prefetch`` frames (None: fixed ``prefetch``).
    """
    buffer = LowDelayJitterBuffer(prefetch, min_prefetch=min_prefetch)
    compat_aiortc.replace_jitter_buffer(receiver, buffer)
    return buffer
