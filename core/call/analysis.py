"""Audio checks for tests, the simulator and benchmarks (numpy only).

``tone_ratio`` says how much of a signal's energy sits at one frequency;
``dominant_frequency`` finds the strongest one; ``delay_by_clicks`` measures the
delay between a reference click train and its recording by cross-correlation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples

SILENCE_RMS = 30.0  # int16 units: well under -60 dBFS


def rms(samples: Samples) -> float:
    if samples.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


def dominant_frequency(samples: Samples, rate: int = SAMPLE_RATE) -> float:
    """The strongest frequency in Hz (0.0 for silence or no samples)."""
    if samples.size == 0 or rms(samples) < SILENCE_RMS:
        return 0.0
    windowed = samples.astype(np.float64) * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(windowed))
    spectrum[0] = 0.0
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[int(spectrum.argmax())])


def tone_ratio(samples: Samples, frequency_hz: float, rate: int = SAMPLE_RATE,
               band_hz: float = 15.0) -> float:
    """Share (0..1) of the signal's energy within ``band_hz`` of ``frequency_hz``."""
    if samples.size == 0 or rms(samples) < SILENCE_RMS:
        return 0.0
    windowed = samples.astype(np.float64) * np.hanning(samples.size)
    power = np.abs(np.fft.rfft(windowed)) ** 2
    freqs = np.fft.rfftfreq(samples.size, 1 / rate)
    band = np.abs(freqs - frequency_hz) <= band_hz
    total = float(power[1:].sum())
    return float(power[band].sum()) / total if total > 0 else 0.0


def has_tone(samples: Samples, frequency_hz: float, min_ratio: float = 0.5) -> bool:
    return tone_ratio(samples, frequency_hz) >= min_ratio


def click_train(seconds: float, period_s: float = 0.5, click_ms: float = 2.0,
                rate: int = SAMPLE_RATE) -> npt.NDArray[np.int16]:
    """Short band-limited clicks every ``period_s`` (a good cross-correlation target)."""
    total = int(seconds * rate)
    out = np.zeros(total, dtype=np.float64)
    n = int(click_ms / 1000 * rate)
    burst = np.sin(2 * np.pi * 2000 * np.arange(n) / rate) * np.hanning(n)
    for start in range(0, total - n, int(period_s * rate)):
        out[start : start + n] = burst
    return (out * 0.8 * 32767).astype(np.int16)


def delay_by_clicks(reference: Samples, recording: Samples, max_delay_s: float = 1.0,
                    rate: int = SAMPLE_RATE) -> float:
    """Delay (seconds) of ``recording`` behind ``reference`` by cross-correlation.

    Both must start at the same instant (the recording's first sample written
    when the reference's first sample was sent).
    """
    max_lag = int(max_delay_s * rate)
    n = min(reference.size, recording.size - max_lag)
    if n <= SAMPLES_PER_FRAME:
        raise ValueError("recording too short to measure a delay")
    ref = reference[:n].astype(np.float64)
    rec = recording[: n + max_lag].astype(np.float64)
    size = 1 << int(np.ceil(np.log2(ref.size + rec.size)))
    corr = np.fft.irfft(np.fft.rfft(rec, size) * np.conj(np.fft.rfft(ref, size)), size)
    lag = int(np.argmax(corr[: max_lag + 1]))
    return lag / rate
