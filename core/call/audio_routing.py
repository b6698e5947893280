"""Which audio device each call uses: the call in front gets the microphone and the
speaker, a held call gets silence; the ringer rings; an unplugged device falls back to
the default (or to silence, said clearly) in the middle of a call.

The media engine asks for each call's source and sink (``source_for``/``sink_for``,
on the media thread); they are ``SwitchableSource``/``SwitchableSink`` objects whose
device is swapped here without the media session noticing. The PortAudio streams
belong to the ``AudioHost`` and are opened and closed here.

Thread: the GUI thread, except the two factories (any thread, under a lock).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from core.call.audio_devices import (
    AudioDevice,
    CaptureStream,
    DeviceError,
    DeviceList,
    DeviceStream,
    PlaybackStream,
)
from core.call.audio_frames import Samples
from core.call.preferences import AudioPreferences
from core.call.switchable_audio import SwitchableSink, SwitchableSource
from core.call.tones import DtmfTone, RingTone, alert_tone
from core.session.hooks import Hook

__all__ = ["REROUTE_DELAY_S", "AudioRouter", "DeviceHost"]

log = logging.getLogger(__name__)

# A call made active before the media engine asked for its source is routed again
# this much later (the session exists by then).
REROUTE_DELAY_S = 0.05


class DeviceHost(Protocol):
    """What routing needs of the machine's audio (``AudioHost``)."""

    @property
    def devices(self) -> DeviceList: ...

    def rescan(self) -> DeviceList: ...

    def open_capture(self, key: str) -> CaptureStream | None: ...

    def open_playback(self, key: str, volume: float = 1.0) -> PlaybackStream | None: ...

    def open_generator(self, key: str, next_frame: Callable[[], Samples | None],
                       volume: float = 1.0) -> DeviceStream | None: ...

    def close(self, stream: DeviceStream | None) -> None: ...


class AudioRouter:
    """The devices of the calls of one app.

    ``call_later(seconds, callback)`` runs ``callback`` later on this object's thread
    (the desktop gives a Qt single-shot timer).
    """

    def __init__(self, host: DeviceHost, preferences: AudioPreferences,
                 call_later: Callable[[float, Callable[[], None]], None]) -> None:
        self.host = host
        self.preferences = preferences
        self._call_later = call_later
        self._lock = threading.Lock()
        self._sources: dict[str, SwitchableSource] = {}
        self._sinks: dict[str, SwitchableSink] = {}
        self._active: str | None = None
        self._capture: CaptureStream | None = None
        self._playback: PlaybackStream | None = None
        self._ring: DeviceStream | None = None
        self._ring_soft = False
        self._known = host.devices.keys()
        self._lost: list[str] = []  # names reported from the media thread
        self.devices_did_change: Hook[[DeviceList]] = Hook("devices_did_change")
        # the device's name: it vanished during a call
        self.device_did_vanish: Hook[[str]] = Hook("device_did_vanish")
        # the device's name: it is listed but could not be opened
        self.device_did_fail: Hook[[str]] = Hook("device_did_fail")

    @property
    def devices(self) -> DeviceList:
        return self.host.devices

    @property
    def has_devices(self) -> bool:
        devices = self.host.devices
        return bool(devices.inputs and devices.outputs)

    @property
    def active(self) -> str | None:
        """The call that has the microphone and speaker, if any."""
        return self._active

    # ---- the media engine's factories (media thread) -------------------------------

    def source_for(self, call_id: str) -> SwitchableSource:
        with self._lock:
            source = self._sources.setdefault(
                call_id, SwitchableSource(on_failed=self._device_vanished))
            return source

    def sink_for(self, call_id: str) -> SwitchableSink:
        with self._lock:
            sink = self._sinks.setdefault(call_id, SwitchableSink(on_failed=self._device_vanished))
            sink.set_volume(self.preferences.volume)
            return sink

    def _device_vanished(self, device: AudioDevice) -> None:
        with self._lock:
            self._lost.append(device.name)  # told on the GUI thread by poll_devices

    # ---- which call hears and speaks -----------------------------------------------

    def activate(self, call_id: str | None) -> None:
        """This call now gets the microphone and speaker (None: no call in front)."""
        self._active = call_id
        if call_id is not None and self._capture is None and self._playback is None:
            self._open_devices()
        elif call_id is None:
            self._close_devices()
        self._route()

    def release(self, call_id: str) -> None:
        with self._lock:
            self._sources.pop(call_id, None)
            self._sinks.pop(call_id, None)
        if self._active == call_id:
            self.activate(None)

    def _route(self) -> None:
        with self._lock:
            for call_id, source in self._sources.items():
                source.switch(self._capture if call_id == self._active else None)
            for call_id, sink in self._sinks.items():
                sink.switch(self._playback if call_id == self._active else None)
        # sources created after activate() are switched when the factory runs next;
        # route again once the session exists
        if self._active is not None and self._active not in self._sources:
            self._call_later(REROUTE_DELAY_S, self._route)

    def _open_devices(self) -> None:
        prefs = self.preferences
        try:
            self._capture = self.host.open_capture(prefs.microphone)
        except DeviceError as exc:
            self.device_did_fail.emit(exc.device.name)
        try:
            self._playback = self.host.open_playback(prefs.speaker, prefs.volume)
        except DeviceError as exc:
            self.device_did_fail.emit(exc.device.name)

    def _close_devices(self) -> None:
        self.host.close(self._capture)
        self.host.close(self._playback)
        self._capture = self._playback = None

    def input_level(self) -> float:
        capture = self._capture
        return capture.level if capture is not None and capture.alive else 0.0

    @property
    def granted_latency_ms(self) -> float:
        """Device buffering actually granted (capture + playback), for the estimate."""
        return sum(s.latency_ms for s in (self._capture, self._playback) if s is not None)

    # ---- preferences ---------------------------------------------------------------

    def set_preferences(self, preferences: AudioPreferences) -> None:
        devices_changed = (preferences.microphone, preferences.speaker) != (
            self.preferences.microphone, self.preferences.speaker)
        self.preferences = preferences
        with self._lock:
            for sink in self._sinks.values():
                sink.set_volume(preferences.volume)
        if devices_changed and self._active is not None:
            self._close_devices()
            self._open_devices()
            self._route()

    # ---- ringing and keypad sounds -------------------------------------------------

    def ring(self, soft: bool = False) -> bool:
        """Start ringing on the ringer device; False when there is none."""
        if self._ring is not None and self._ring_soft == soft:
            return True
        self.stop_ring()
        key = self.preferences.ringer or self.preferences.speaker
        tone = RingTone(soft=soft)
        try:
            self._ring = self.host.open_generator(key, tone.next_frame)
        except DeviceError as exc:
            self.device_did_fail.emit(exc.device.name)
            return False
        self._ring_soft = soft
        return self._ring is not None

    @property
    def ringing(self) -> bool:
        return self._ring is not None

    def stop_ring(self) -> None:
        ring, self._ring = self._ring, None
        self.host.close(ring)

    def play_dtmf(self, digits: str) -> None:
        """The keypad's sound on the speaker, so the agent hears what was sent."""
        try:
            self.host.open_generator(self.preferences.speaker, DtmfTone(digits).next_frame,
                                     self.preferences.volume)
        except DeviceError as exc:
            log.info("keypad tone: %s", exc)

    def play_frames(self, next_frame: Callable[[], Samples | None]) -> bool:
        """Play generated frames (a call recording) on the speaker until ``next_frame``
        returns None; False when there is no output device to play them on."""
        try:
            stream = self.host.open_generator(self.preferences.speaker, next_frame,
                                              self.preferences.volume)
        except DeviceError as exc:
            log.info("recording playback: %s", exc)
            return False
        return stream is not None

    def play_alert(self, kind: str, volume: float) -> bool:
        """A notification sound on the ringer's device (else the speaker's); False when
        there is no output device to play it on."""
        try:
            stream = self.host.open_generator(self.preferences.ringer or self.preferences.speaker,
                                              alert_tone(kind).next_frame, volume)
        except DeviceError as exc:
            log.info("notification sound: %s", exc)
            return False
        return stream is not None

    # ---- hot-plug ------------------------------------------------------------------

    def poll_devices(self) -> None:
        """Re-list devices (PortAudio re-initialises only while nothing is open) and
        say what changed; switch a call whose device vanished to the default."""
        with self._lock:
            lost, self._lost = self._lost, []
        for name in lost:
            self.device_did_vanish.emit(name)
        if lost and self._active is not None:
            self._close_devices()
            self.host.rescan()
            self._open_devices()
            self._route()
        devices = self.host.rescan()
        keys = devices.keys()
        if keys != self._known:
            self._known = keys
            self.devices_did_change.emit(devices)

    def close(self) -> None:
        """Stop ringing and close the call devices (at exit)."""
        self.stop_ring()
        self._close_devices()
