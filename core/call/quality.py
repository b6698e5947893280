"""Call quality from peer-connection statistics, and an E-model MOS estimate.

``QualityMeter`` turns cumulative counters (``StatsSample``, read every few seconds)
into interval figures: RTT, interarrival jitter, packet loss. ``mos`` follows the
ITU-T G.107 E-model, simplified the usual way for VoIP monitoring:

    R = 93.2 - Id - Ie_eff
    Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)    (d: one-way mouth-to-ear delay, ms)
    Ie_eff = Ie + (95 - Ie) * Ppl / (Ppl + Bpl)      (random loss, BurstR = 1)
    MOS = 1 + 0.035 R + 7e-6 R (R - 60) (100 - R)    (clipped to 1..4.5)

The one-way delay is estimated as half the RTT plus the jitter buffer (aiortc's
fixed 80 ms) plus twice the measured jitter, plus one frame of packetisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.protocol.call import CallQuality

JITTER_BUFFER_MS = 80.0
FRAME_MS = 20.0

# (Ie, Bpl) per codec: G.113 Appendix I for G.711 with PLC; Opus values from
# published E-model fits for wideband Opus at VoIP bit rates.
CODEC_IMPAIRMENT: dict[str, tuple[float, float]] = {
    "audio/pcmu": (0.0, 25.1),
    "audio/opus": (0.0, 20.0),
}
WARN_BELOW_MOS = 3.6


@dataclass
class StatsSample:
    """Cumulative counters at one moment (from ``MediaSession.stats``)."""

    at: float
    packets_received: int = 0
    packets_lost: int = 0
    jitter_units: int = 0  # RTP timestamp units, as RTCP reports it
    clock_rate: int = 48_000
    rtt_s: float | None = None


def r_factor(one_way_delay_ms: float, loss_pct: float, codec: str = "audio/opus") -> float:
    ie, bpl = CODEC_IMPAIRMENT.get(codec.lower(), CODEC_IMPAIRMENT["audio/opus"])
    d = max(0.0, one_way_delay_ms)
    delay_impairment = 0.024 * d + (0.11 * (d - 177.3) if d > 177.3 else 0.0)
    ppl = min(100.0, max(0.0, loss_pct))
    ie_eff = ie + (95.0 - ie) * ppl / (ppl + bpl)
    return 93.2 - delay_impairment - ie_eff


def mos_from_r(r: float) -> float:
    if r <= 0:
        return 1.0
    if r >= 100:
        return 4.5
    return max(1.0, min(4.5, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)))


def estimate_mos(
    rtt_ms: float, jitter_ms: float, loss_pct: float, codec: str = "audio/opus"
) -> float:
    one_way = rtt_ms / 2 + JITTER_BUFFER_MS + 2 * jitter_ms + FRAME_MS
    return round(mos_from_r(r_factor(one_way, loss_pct, codec)), 2)


class QualityMeter:
    """Interval quality from successive cumulative samples."""

    def __init__(self, codec: str = "audio/opus") -> None:
        self.codec = codec
        self._last: StatsSample | None = None
        self.latest: CallQuality | None = None
        self.worst: CallQuality | None = None

    def update(self, sample: StatsSample) -> CallQuality:
        last = self._last
        self._last = sample
        if last is None:
            received, lost = sample.packets_received, sample.packets_lost
        else:
            received = sample.packets_received - last.packets_received
            lost = sample.packets_lost - last.packets_lost
        received, lost = max(0, received), max(0, lost)
        loss_pct = 100.0 * lost / (received + lost) if received + lost else 0.0
        jitter_ms = 1000.0 * sample.jitter_units / max(1, sample.clock_rate)
        rtt_ms = 1000.0 * sample.rtt_s if sample.rtt_s is not None else 0.0
        quality = CallQuality(
            rtt_ms=round(rtt_ms, 1),
            jitter_ms=round(jitter_ms, 1),
            loss_pct=round(loss_pct, 2),
            mos=estimate_mos(rtt_ms, jitter_ms, loss_pct, self.codec),
        )
        self.latest = quality
        if self.worst is None or quality.mos < self.worst.mos:
            self.worst = quality
        return quality

    @staticmethod
    def is_poor(quality: CallQuality) -> bool:
        return quality.mos < WARN_BELOW_MOS
