"""Audio routing without Qt or PortAudio: which device each call, the ringer and the
keypad use, and what happens when a device fails or vanishes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.call.audio_devices import (
    AudioDevice,
    CaptureStream,
    DeviceError,
    DeviceKind,
    DeviceList,
    DeviceStream,
    PlaybackStream,
)
from core.call.audio_frames import Samples
from core.call.audio_routing import REROUTE_DELAY_S, AudioRouter
from core.call.preferences import AudioPreferences

BUILT_IN_MIC = AudioDevice("alsa:built-in", "Built-in mic", DeviceKind.INPUT, 0, True)
HEADSET_MIC = AudioDevice("alsa:headset", "Headset mic", DeviceKind.INPUT, 1)
BUILT_IN_OUT = AudioDevice("alsa:built-in", "Built-in speaker", DeviceKind.OUTPUT, 2, True)
HEADSET_OUT = AudioDevice("alsa:headset", "Headset", DeviceKind.OUTPUT, 3)


class FakeHost:
    """An AudioHost with listed devices and streams that never touch PortAudio."""

    def __init__(self, devices: DeviceList | None = None) -> None:
        self._devices = devices or DeviceList((BUILT_IN_MIC, HEADSET_MIC),
                                              (BUILT_IN_OUT, HEADSET_OUT))
        self.open: list[DeviceStream] = []
        self.broken: set[str] = set()  # device names that refuse to open
        self.generators: list[tuple[AudioDevice, float]] = []
        self.rescans = 0

    @property
    def devices(self) -> DeviceList:
        return self._devices

    def replug(self, devices: DeviceList) -> None:
        self._devices = devices

    def rescan(self) -> DeviceList:
        self.rescans += 1
        return self._devices

    def _device(self, kind: DeviceKind, key: str) -> AudioDevice | None:
        device = self._devices.find(kind, key)
        if device is not None and device.name in self.broken:
            raise DeviceError(device, "busy")
        return device

    def open_capture(self, key: str) -> CaptureStream | None:
        device = self._device(DeviceKind.INPUT, key)
        if device is None:
            return None
        stream = CaptureStream(device)
        self.open.append(stream)
        return stream

    def open_playback(self, key: str, volume: float = 1.0) -> PlaybackStream | None:
        device = self._device(DeviceKind.OUTPUT, key)
        if device is None:
            return None
        stream = PlaybackStream(device)
        stream.volume = volume
        self.open.append(stream)
        return stream

    def open_generator(self, key: str, next_frame: Callable[[], Samples | None],
                       volume: float = 1.0) -> DeviceStream | None:
        device = self._device(DeviceKind.OUTPUT, key)
        if device is None:
            return None
        stream = DeviceStream(device)
        self.open.append(stream)
        self.generators.append((device, volume))
        return stream

    def close(self, stream: DeviceStream | None) -> None:
        if stream is not None:
            self.open.remove(stream)


class Later:
    """The ``call_later`` the desktop gives (a Qt timer), run by hand."""

    def __init__(self) -> None:
        self.due: list[tuple[float, Callable[[], None]]] = []

    def __call__(self, delay_s: float, callback: Callable[[], None]) -> None:
        self.due.append((delay_s, callback))

    def run(self) -> None:
        due, self.due = self.due, []
        for _delay, callback in due:
            callback()


def make(prefs: AudioPreferences | None = None,
         host: FakeHost | None = None) -> tuple[AudioRouter, FakeHost, Later]:
    host = host or FakeHost()
    later = Later()
    return AudioRouter(host, prefs or AudioPreferences(), later), host, later


def test_the_call_in_front_gets_the_devices_and_a_held_call_silence() -> None:
    router, host, _ = make()
    a_in, a_out = router.source_for("a"), router.sink_for("a")
    b_in, b_out = router.source_for("b"), router.sink_for("b")
    router.activate("a")
    assert (a_in.device, a_out.device) == (BUILT_IN_MIC, BUILT_IN_OUT)
    assert (b_in.device, b_out.device) == (None, None)
    assert not np.any(b_in.read_frame())  # silence
    router.activate("b")
    assert (a_in.device, a_out.device) == (None, None)
    assert (b_in.device, b_out.device) == (BUILT_IN_MIC, BUILT_IN_OUT)
    assert len(host.open) == 2  # the same two streams, switched


def test_no_call_in_front_closes_the_devices() -> None:
    router, host, _ = make()
    source = router.source_for("a")
    router.activate("a")
    router.activate(None)
    assert host.open == [] and source.device is None
    router.activate("a")
    router.release("a")
    assert host.open == [] and router.active is None


def test_a_call_activated_before_its_source_exists_is_routed_again_later() -> None:
    router, _, later = make()
    router.activate("a")
    assert [delay for delay, _ in later.due] == [REROUTE_DELAY_S]
    source = router.source_for("a")
    assert source.device is None
    later.run()
    assert source.device == BUILT_IN_MIC
    assert later.due == []  # routed: no further retries


def test_the_chosen_devices_are_used_and_an_unknown_one_falls_back_to_the_default() -> None:
    router, _, _ = make(AudioPreferences(microphone="alsa:headset", speaker="alsa:gone"))
    source, sink = router.source_for("a"), router.sink_for("a")
    router.activate("a")
    assert (source.device, sink.device) == (HEADSET_MIC, BUILT_IN_OUT)


def test_changing_devices_mid_call_reopens_them_and_volume_reaches_every_sink() -> None:
    router, host, _ = make()
    source, sink = router.source_for("a"), router.sink_for("a")
    held = router.sink_for("b")
    router.activate("a")
    router.set_preferences(AudioPreferences(microphone="alsa:headset",
                                            speaker="alsa:headset", volume=0.5))
    assert (source.device, sink.device) == (HEADSET_MIC, HEADSET_OUT)
    assert sink.volume == held.volume == 0.5
    assert [s.device for s in host.open] == [HEADSET_MIC, HEADSET_OUT]


def test_a_device_that_cannot_be_opened_is_reported_and_the_call_gets_silence() -> None:
    host = FakeHost()
    host.broken.add(BUILT_IN_MIC.name)
    router, _, _ = make(host=host)
    failed: list[str] = []
    router.device_did_fail.connect(failed.append)
    source, sink = router.source_for("a"), router.sink_for("a")
    router.activate("a")
    assert failed == [BUILT_IN_MIC.name]
    assert source.device is None and sink.device == BUILT_IN_OUT


def test_a_device_that_vanishes_mid_call_falls_back_to_the_default() -> None:
    router, host, _ = make(AudioPreferences(microphone="alsa:headset"))
    lost: list[str] = []
    router.device_did_vanish.connect(lost.append)
    source = router.source_for("a")
    router.activate("a")
    capture = host.open[0]
    assert capture.device == HEADSET_MIC
    host.replug(DeviceList((BUILT_IN_MIC,), (BUILT_IN_OUT, HEADSET_OUT)))
    capture.failed = True  # PortAudio ended the stream
    assert not np.any(source.read_frame())  # the media thread notices: silence
    assert lost == []  # told on the GUI thread, not the media thread
    router.poll_devices()
    assert lost == [HEADSET_MIC.name]
    assert source.device == BUILT_IN_MIC
    assert capture not in host.open


def test_a_changed_device_list_is_announced_once() -> None:
    router, host, _ = make()
    seen: list[DeviceList] = []
    router.devices_did_change.connect(seen.append)
    router.poll_devices()
    assert seen == []
    smaller = DeviceList((BUILT_IN_MIC,), (BUILT_IN_OUT,))
    host.replug(smaller)
    router.poll_devices()
    router.poll_devices()
    assert seen == [smaller]


def test_ringing_uses_the_ringer_else_the_speaker_and_a_new_softness_restarts() -> None:
    router, host, _ = make(AudioPreferences(speaker="alsa:headset"))
    assert router.ring() and router.ringing
    assert router.ring()  # already ringing the same way: nothing new opened
    assert [d for d, _ in host.generators] == [HEADSET_OUT]
    assert router.ring(soft=True)
    assert len(host.open) == 1  # the loud ring was stopped
    router.stop_ring()
    assert host.open == [] and not router.ringing
    router.set_preferences(AudioPreferences(speaker="alsa:headset", ringer="alsa:built-in"))
    router.ring()
    assert host.generators[-1][0] == BUILT_IN_OUT


def test_a_ringer_that_cannot_be_opened_is_reported() -> None:
    host = FakeHost()
    host.broken.add(BUILT_IN_OUT.name)
    router, _, _ = make(host=host)
    failed: list[str] = []
    router.device_did_fail.connect(failed.append)
    assert router.ring() is False and not router.ringing
    assert failed == [BUILT_IN_OUT.name]


def test_keypad_tones_play_on_the_speaker_at_the_call_volume() -> None:
    router, host, _ = make(AudioPreferences(speaker="alsa:headset", volume=0.25))
    router.play_dtmf("12#")
    assert host.generators == [(HEADSET_OUT, 0.25)]


def test_no_devices_means_no_ringing_and_calls_in_silence() -> None:
    router, host, _ = make(host=FakeHost(DeviceList(error="PortAudio is not available")))
    assert not router.has_devices
    source = router.source_for("a")
    router.activate("a")
    assert source.device is None and host.open == []
    assert router.ring() is False


def test_notification_sounds_play_on_the_ringer_at_their_own_volume() -> None:
    router, host, _ = make(AudioPreferences(speaker="alsa:headset", ringer="alsa:built-in",
                                            volume=0.9))
    assert router.play_alert("offer", 0.4)
    assert host.generators == [(BUILT_IN_OUT, 0.4)]
    router, host, _ = make(AudioPreferences(speaker="alsa:headset"))
    assert router.play_alert("message", 0.7)
    assert host.generators == [(HEADSET_OUT, 0.7)]
    router, host, _ = make(host=FakeHost(DeviceList(error="PortAudio is not available")))
    assert router.play_alert("email", 1.0) is False  # no device: said, not pretended


def test_each_kind_sounds_different_and_is_short() -> None:
    import numpy as np

    from core.call.tones import ALERT_NOTES, alert_tone

    heard = {}
    for kind in ALERT_NOTES:
        clip = alert_tone(kind)
        frames = []
        while (frame := clip.next_frame()) is not None:
            frames.append(frame)
        samples = np.concatenate(frames)
        assert 0 < clip.duration_s <= 0.5 and np.abs(samples).max() > 5000
        heard[kind] = samples.tobytes()
    assert len(set(heard.values())) == len(ALERT_NOTES) == 4
