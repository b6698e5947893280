"""The call's microphone and speaker as seen by the media session: fixed objects
whose device can change mid-call (the agent picks another one, or the one in use is
unplugged) without the media session noticing. No device = silence / discard.

Threads: ``read_frame``/``write_frame`` on the media thread; ``switch`` and
``set_volume`` on any thread (single reference swaps).
"""

from __future__ import annotations

from collections.abc import Callable

from core.call.audio_devices import AudioDevice, CaptureStream, PlaybackStream
from core.call.audio_frames import Samples, silence


class SwitchableSource:
    """The call's microphone (an ``AudioSource``): a capture stream that can be
    swapped, or None for silence, while the call goes on. ``read_frame`` runs on the
    media thread; ``switch`` on any thread (a single reference swap)."""

    def __init__(self, capture: CaptureStream | None = None,
                 on_failed: Callable[[AudioDevice], None] | None = None) -> None:
        self._capture = capture
        self._on_failed = on_failed

    @property
    def latency_ms(self) -> float:
        return self._capture.latency_ms if self._capture else 0.0

    @property
    def device(self) -> AudioDevice | None:
        return self._capture.device if self._capture else None

    @property
    def level(self) -> float:
        capture = self._capture
        return capture.level if capture is not None and capture.alive else 0.0

    def switch(self, capture: CaptureStream | None) -> CaptureStream | None:
        previous, self._capture = self._capture, capture
        return previous

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass  # the streams belong to AudioHost: the desktop closes them

    def read_frame(self) -> Samples:
        capture = self._capture
        if capture is None:
            return silence()
        if capture.failed:
            self._capture = None
            if self._on_failed is not None:
                self._on_failed(capture.device)
            return silence()
        return capture.read_frame()


class SwitchableSink:
    """The call's speaker (an ``AudioSink``), swappable like ``SwitchableSource``;
    None discards the audio."""

    def __init__(self, playback: PlaybackStream | None = None,
                 on_failed: Callable[[AudioDevice], None] | None = None) -> None:
        self._playback = playback
        self._on_failed = on_failed
        self.volume = playback.volume if playback else 1.0

    @property
    def latency_ms(self) -> float:
        return self._playback.latency_ms if self._playback else 0.0

    @property
    def device(self) -> AudioDevice | None:
        return self._playback.device if self._playback else None

    def switch(self, playback: PlaybackStream | None) -> PlaybackStream | None:
        previous, self._playback = self._playback, playback
        if playback is not None:
            playback.volume = self.volume
        return previous

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, volume))
        if self._playback is not None:
            self._playback.volume = self.volume

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def write_frame(self, samples: Samples) -> None:
        playback = self._playback
        if playback is None:
            return
        if playback.failed:
            self._playback = None
            if self._on_failed is not None:
                self._on_failed(playback.device)
            return
        playback.write_frame(samples)
