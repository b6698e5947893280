"""E-model MOS and interval statistics from cumulative counters."""

from __future__ import annotations

from core.call.quality import QualityMeter, StatsSample, estimate_mos, mos_from_r, r_factor


def test_r_factor_and_mos_follow_g107_reference_points() -> None:
    # No delay, no loss: the E-model's default R of 93.2 (MOS about 4.41).
    assert r_factor(0.0, 0.0) == 93.2
    assert round(mos_from_r(93.2), 2) == 4.41
    assert mos_from_r(0) == 1.0 and mos_from_r(120) == 4.5
    # Past 177.3 ms one way the delay impairment steepens.
    assert r_factor(300, 0) < r_factor(170, 0) - (300 - 170) * 0.024


def test_mos_falls_with_loss_and_delay() -> None:
    clean = estimate_mos(rtt_ms=2, jitter_ms=1, loss_pct=0)
    lossy = estimate_mos(rtt_ms=2, jitter_ms=1, loss_pct=3)
    slow = estimate_mos(rtt_ms=600, jitter_ms=1, loss_pct=0)
    assert 4.3 <= clean <= 4.41
    assert lossy < clean and slow < clean
    # PCMU without FEC suffers loss differently from Opus.
    assert estimate_mos(2, 1, 5, "audio/PCMU") != estimate_mos(2, 1, 5, "audio/opus")


def test_meter_uses_intervals_not_totals() -> None:
    meter = QualityMeter()
    first = meter.update(StatsSample(at=0, packets_received=100, packets_lost=0,
                                     jitter_units=480, rtt_s=0.02))
    assert first.loss_pct == 0 and first.jitter_ms == 10.0 and first.rtt_ms == 20.0
    second = meter.update(StatsSample(at=2, packets_received=190, packets_lost=10,
                                      jitter_units=480, rtt_s=0.02))
    assert second.loss_pct == 10.0  # 10 lost of 100 in this interval
    assert meter.worst == second and QualityMeter.is_poor(second) == (second.mos < 3.6)
    # 8 kHz clock (PCMU): jitter units are eighths of a millisecond.
    pcmu = QualityMeter("audio/PCMU").update(StatsSample(at=0, jitter_units=80, clock_rate=8000))
    assert pcmu.jitter_ms == 10.0
