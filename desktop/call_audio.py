"""The desktop's audio: Qt glue around ``core.call.audio_routing.AudioRouter``.

One ``CallAudio`` per app. It polls for hot-plugged devices on a timer, gives the
router a Qt single-shot timer for its delayed re-routing, and re-emits the router's
notices as signals. Which device each call, the ringer and the keypad use, and the
fallbacks when one vanishes, are decided in core.

Thread: the GUI thread, except the two factories (any thread, under a lock).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from core.call.audio_devices import AudioHost, DeviceList
from core.call.audio_routing import AudioRouter
from core.call.preferences import AudioPreferences
from core.call.switchable_audio import SwitchableSink, SwitchableSource

HOTPLUG_POLL_MS = 3000


class CallAudio(QObject):
    devices_changed = Signal(object)  # DeviceList
    device_lost = Signal(str)  # the device's name: it vanished during a call
    device_failed = Signal(str)  # a device that is listed could not be opened

    def __init__(self, host: AudioHost, preferences: AudioPreferences,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.router = AudioRouter(host, preferences, self._call_later)
        self.router.devices_did_change.connect(self.devices_changed.emit)
        self.router.device_did_vanish.connect(self.device_lost.emit)
        self.router.device_did_fail.connect(self.device_failed.emit)
        self._watch = QTimer(self)
        self._watch.setInterval(HOTPLUG_POLL_MS)
        self._watch.timeout.connect(self.poll_devices)
        self._watch.start()

    def _call_later(self, delay_s: float, callback: Callable[[], None]) -> None:
        QTimer.singleShot(round(delay_s * 1000), self, callback)

    @property
    def preferences(self) -> AudioPreferences:
        return self.router.preferences

    @property
    def devices(self) -> DeviceList:
        return self.router.devices

    @property
    def has_devices(self) -> bool:
        return self.router.has_devices

    # ---- the media engine's factories (media thread) -------------------------------

    def source_for(self, call_id: str) -> SwitchableSource:
        return self.router.source_for(call_id)

    def sink_for(self, call_id: str) -> SwitchableSink:
        return self.router.sink_for(call_id)

    # ---- which call hears and speaks -----------------------------------------------

    def activate(self, call_id: str | None) -> None:
        self.router.activate(call_id)

    def release(self, call_id: str) -> None:
        self.router.release(call_id)

    def input_level(self) -> float:
        return self.router.input_level()

    @property
    def granted_latency_ms(self) -> float:
        return self.router.granted_latency_ms

    def set_preferences(self, preferences: AudioPreferences) -> None:
        self.router.set_preferences(preferences)

    # ---- ringing and keypad sounds -------------------------------------------------

    def ring(self, soft: bool = False) -> bool:
        return self.router.ring(soft)

    @property
    def ringing(self) -> bool:
        return self.router.ringing

    def stop_ring(self) -> None:
        self.router.stop_ring()

    def play_alert(self, kind: str, volume: float) -> bool:
        return self.router.play_alert(kind, volume)

    def play_dtmf(self, digits: str) -> None:
        self.router.play_dtmf(digits)

    # ---- hot-plug ------------------------------------------------------------------

    def poll_devices(self) -> None:
        self.router.poll_devices()

    def shutdown(self) -> None:
        self._watch.stop()
        self.router.close()
