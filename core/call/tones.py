"""Generated sounds the desktop plays itself: ringtone, call-waiting beep, DTMF, clips.

Each is a frame generator (``next_frame() -> Samples | None``; None = finished)
that ``AudioHost.open_generator`` plays on a device from PortAudio's thread, so
ringing never depends on the GUI or the media loop being free.
"""

from __future__ import annotations

import numpy as np

from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples, silence

# ITU-T Q.23 keypad frequencies (row, column).
DTMF_FREQUENCIES: dict[str, tuple[int, int]] = {
    "1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "A": (697, 1633),
    "4": (770, 1209), "5": (770, 1336), "6": (770, 1477), "B": (770, 1633),
    "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "C": (852, 1633),
    "*": (941, 1209), "0": (941, 1336), "#": (941, 1477), "D": (941, 1633),
}
DTMF_TONE_MS = 120
DTMF_GAP_MS = 60


def _tone(frequencies: tuple[float, ...], samples: int, amplitude: float,
          start: int = 0) -> Samples:
    t = (np.arange(samples) + start) / SAMPLE_RATE
    wave = sum(np.sin(2 * np.pi * f * t) for f in frequencies) / len(frequencies)
    return (np.asarray(wave) * amplitude * 32767).astype(np.int16)


def _frames(samples: Samples) -> list[Samples]:
    """Cut into 20 ms frames, the last one padded with silence."""
    padded = np.zeros(-(-samples.size // SAMPLES_PER_FRAME) * SAMPLES_PER_FRAME, np.int16)
    padded[: samples.size] = samples
    return list(padded.reshape(-1, SAMPLES_PER_FRAME))


class RingTone:
    """Endless ring cadence. Normal: 440+480 Hz, 2 s on / 4 s off (the North American
    ring; neutral enough everywhere). Soft (call waiting): one short quiet 440 Hz beep
    every 4 s, so the caller already on the line is not drowned out."""

    def __init__(self, soft: bool = False, volume: float = 1.0) -> None:
        self.soft = soft
        freqs: tuple[float, ...]
        if soft:
            on_ms, period_ms, amplitude, freqs = 300, 4000, 0.12, (440.0,)
        else:
            on_ms, period_ms, amplitude, freqs = 2000, 6000, 0.35, (440.0, 480.0)
        on = _tone(freqs, SAMPLE_RATE * on_ms // 1000, amplitude * max(0.0, min(volume, 1.0)))
        ramp = min(240, on.size // 2)  # 5 ms fades: no clicks at the edges
        envelope = np.ones(on.size)
        envelope[:ramp] = np.linspace(0, 1, ramp)
        envelope[-ramp:] = np.linspace(1, 0, ramp)
        period = np.zeros(SAMPLE_RATE * period_ms // 1000, dtype=np.int16)
        period[: on.size] = (on * envelope).astype(np.int16)
        self._frames = _frames(period)
        self._i = 0

    def next_frame(self) -> Samples:
        frame = self._frames[self._i % len(self._frames)]
        self._i += 1
        return frame


class DtmfTone:
    """The keypad sound of some digits, played once (the agent hears what was sent)."""

    def __init__(self, digits: str, volume: float = 0.3) -> None:
        parts: list[Samples] = []
        for digit in digits.upper():
            pair = DTMF_FREQUENCIES.get(digit)
            if pair is None:
                raise ValueError(f"not a DTMF digit: {digit!r}")
            parts.append(_tone(pair, SAMPLE_RATE * DTMF_TONE_MS // 1000, volume))
            parts.append(np.zeros(SAMPLE_RATE * DTMF_GAP_MS // 1000, dtype=np.int16))
        self._clip = Clip(np.concatenate(parts) if parts else silence())

    def next_frame(self) -> Samples | None:
        return self._clip.next_frame()


class Clip:
    """Any recorded samples, played once ("test my audio")."""

    def __init__(self, samples: Samples) -> None:
        self._frames = _frames(samples)
        self._i = 0

    @property
    def duration_s(self) -> float:
        return len(self._frames) * SAMPLES_PER_FRAME / SAMPLE_RATE

    def next_frame(self) -> Samples | None:
        if self._i >= len(self._frames):
            return None
        self._i += 1
        return self._frames[self._i - 1]


def dominant_frequency(samples: Samples) -> float:
    """The strongest frequency in some audio (Hz), 0 for silence."""
    if samples.size == 0 or not samples.any():
        return 0.0
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(samples.size)))
    return float(np.argmax(spectrum) * SAMPLE_RATE / samples.size)


# Notification sounds, one per kind: short, distinct, never mistaken for the ring.
ALERT_NOTES: dict[str, tuple[tuple[float, int], ...]] = {
    "offer": ((660.0, 140), (880.0, 180)),  # rising: something to take
    "message": ((880.0, 110),),  # one short blip
    "email": ((523.0, 110), (0.0, 60), (523.0, 110)),  # two soft knocks
    "followup": ((784.0, 120), (587.0, 180)),  # falling: something due
}


def alert_tone(kind: str, amplitude: float = 0.35) -> Clip:
    """The notification sound of ``kind`` (a key of ALERT_NOTES), 10 ms fades."""
    parts = []
    fade = SAMPLE_RATE // 100
    for frequency, ms in ALERT_NOTES[kind]:
        samples = SAMPLE_RATE * ms // 1000
        if frequency <= 0:
            parts.append(np.zeros(samples, np.int16))
            continue
        note = _tone((frequency,), samples, amplitude).astype(np.float32)
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        note[:fade] *= ramp
        note[-fade:] *= ramp[::-1]
        parts.append(note.astype(np.int16))
    return Clip(np.concatenate(parts))
