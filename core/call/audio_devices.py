"""Real audio devices through PortAudio (sounddevice): listing, capture, playback.

Why PortAudio and not QtMultimedia: the PySide6-Essentials wheel has no
QtMultimedia, and a QAudioSource needs a Qt event loop in the thread that owns it,
while the media thread runs asyncio. PortAudio's callback streams run on its own
real-time thread; they hand 20 ms frames (48 kHz mono s16) through a small bounded
ring to whoever reads them (the media thread), so neither loop waits for the other.

A machine without a sound card lists no devices: ``AudioHost.open_source`` and
``open_playback`` then return ``None`` and callers use the null device (silence);
the desktop says so. ``switchable_audio`` lets the device change in the middle of a
call (chosen by the agent, or because one was unplugged).

Threads: ``AudioHost`` methods run on any one thread (the GUI thread's worker);
``read_frame``/``write_frame`` run on the media thread; the PortAudio callbacks on
PortAudio's thread. Shared state is guarded by a lock or is a single reference swap.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.call import compat_sounddevice
from core.call.audio_frames import (
    SAMPLE_RATE,
    SAMPLES_PER_FRAME,
    FrameQueue,
    Samples,
    as_frame,
    silence,
)

log = logging.getLogger(__name__)

QUEUE_FRAMES = 3  # 60 ms between a device callback and the media thread, at most
LATENCY = "low"  # ask PortAudio for its low-latency buffer size


class DeviceKind(enum.Enum):
    INPUT = "input"
    OUTPUT = "output"


class DeviceRole(enum.Enum):
    """What the agent chose a device for (persisted per role)."""

    MICROPHONE = "microphone"
    SPEAKER = "speaker"
    RINGER = "ringer"


@dataclass(frozen=True)
class AudioDevice:
    key: str  # stable across restarts and re-plugs: "<host api>:<name>"
    name: str
    kind: DeviceKind
    index: int  # PortAudio's index in the current scan (changes on rescan)
    is_default: bool = False


@dataclass(frozen=True)
class DeviceList:
    inputs: tuple[AudioDevice, ...] = ()
    outputs: tuple[AudioDevice, ...] = ()
    error: str = ""  # why nothing could be listed (PortAudio missing), "" if fine

    @property
    def empty(self) -> bool:
        return not self.inputs and not self.outputs

    def find(self, kind: DeviceKind, key: str) -> AudioDevice | None:
        """The device with this key, else the default, else the first, else None."""
        pool = self.inputs if kind is DeviceKind.INPUT else self.outputs
        for device in pool:
            if device.key == key:
                return device
        for device in pool:
            if device.is_default:
                return device
        return pool[0] if pool else None

    def keys(self) -> set[str]:
        return {f"{d.kind.value}/{d.key}" for d in (*self.inputs, *self.outputs)}


def frame_peak(samples: Samples) -> float:
    """Peak level of one frame in 0..1 (for the input meter)."""
    if samples.size == 0:
        return 0.0
    return float(np.abs(samples.astype(np.int32)).max()) / 32768.0


def scale_frame(samples: Samples, volume: float) -> Samples:
    """Apply an output volume (0..1) to one frame."""
    if volume >= 0.999:
        return samples
    return (samples.astype(np.float32) * max(0.0, volume)).astype(np.int16)


class DeviceError(Exception):
    """A device is listed but could not be opened (busy, unplugged, bad format)."""

    def __init__(self, device: AudioDevice, detail: str) -> None:
        super().__init__(f"{device.name}: {detail}")
        self.device = device
        self.detail = detail


class DeviceStream:
    """One open PortAudio stream; ``failed`` turns true when the device goes away."""

    def __init__(self, device: AudioDevice) -> None:
        self.device = device
        self.stream: Any = None
        self.queue = FrameQueue(QUEUE_FRAMES)
        self.failed = False
        self.latency_ms = 0.0

    @property
    def alive(self) -> bool:
        return not self.failed and bool(getattr(self.stream, "active", False))

    def start(self) -> None:
        pass  # started when opened by AudioHost

    def stop(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.stop()
            self.stream.close()
        except Exception as exc:  # the device may already be gone
            log.info("closing %s: %s", self.device.name, exc)


class CaptureStream(DeviceStream):
    """Microphone frames (an ``AudioSource``): newest kept, ``level`` for the meter."""

    level = 0.0

    def read_frame(self) -> Samples:
        return self.queue.get()

    def on_audio(self, data: Any, frames: int, _time: Any, status: Any) -> None:
        if frames != SAMPLES_PER_FRAME:
            return  # PortAudio honours blocksize; a short block is a glitch, skip it
        frame = np.array(data[:, 0], dtype=np.int16)
        self.level = frame_peak(frame)
        self.queue.put(frame)


class PlaybackStream(DeviceStream):
    """Speaker frames (an ``AudioSink``); silence when nothing arrived in time."""

    volume = 1.0

    def write_frame(self, samples: Samples) -> None:
        self.queue.put(scale_frame(as_frame(samples), self.volume))

    def on_audio(self, out: Any, frames: int, _time: Any, status: Any) -> None:
        frame = self.queue.get() if frames == SAMPLES_PER_FRAME else silence()
        out[:, 0] = frame[:frames]


class Recording(DeviceStream):
    """Frames captured for a fixed time; ``done`` once full (or the device failed)."""

    def __init__(self, device: AudioDevice, frames: int) -> None:
        super().__init__(device)
        self._wanted = frames
        self._frames: list[Samples] = []
        self._lock = threading.Lock()
        self.level = 0.0

    def add(self, frame: Samples) -> bool:
        """Keep one frame; False once enough are kept."""
        with self._lock:
            if len(self._frames) < self._wanted:
                self._frames.append(frame)
                self.level = frame_peak(frame)
            return len(self._frames) < self._wanted

    @property
    def done(self) -> bool:
        with self._lock:
            return self.failed or len(self._frames) >= self._wanted

    @property
    def progress(self) -> float:
        with self._lock:
            return len(self._frames) / self._wanted if self._wanted else 1.0

    def samples(self) -> Samples:
        with self._lock:
            frames = list(self._frames)
        return np.concatenate(frames) if frames else np.zeros(0, dtype=np.int16)


class AudioHost:
    """PortAudio's view of the machine. Rescans only while no stream is open
    (PortAudio must be re-initialised to see hot-plugged devices)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[DeviceStream] = set()
        self._sd: Any = None
        self._import_error = ""
        try:
            import sounddevice  # type: ignore[import-untyped]

            compat_sounddevice.check()  # raises on a version we were not written for
            self._sd = sounddevice
        except (ImportError, OSError) as exc:  # no libportaudio2
            self._import_error = str(exc)
        self._devices = self._scan()

    @property
    def devices(self) -> DeviceList:
        return self._devices

    def rescan(self) -> DeviceList:
        """Look again for devices (hot-plug). Cheap; skipped while streams are open,
        where a vanished device shows up as a failed stream instead."""
        with self._lock:
            busy = any(s.alive for s in self._open)
            if self._sd is not None and not busy:
                try:
                    compat_sounddevice.reinitialise(self._sd)
                except Exception as exc:
                    log.warning("PortAudio re-initialisation failed: %s", exc)
        self._devices = self._scan()
        return self._devices

    def _scan(self) -> DeviceList:
        if self._sd is None:
            return DeviceList(error=self._import_error or "PortAudio is not available")
        try:
            raw = self._sd.query_devices()
            apis = self._sd.query_hostapis()
            default_in, default_out = self._sd.default.device
        except Exception as exc:
            return DeviceList(error=str(exc))
        inputs: list[AudioDevice] = []
        outputs: list[AudioDevice] = []
        for index, info in enumerate(raw):
            api = apis[info["hostapi"]]["name"] if info["hostapi"] < len(apis) else "?"
            key = f"{api}:{info['name']}"
            if info["max_input_channels"] > 0:
                inputs.append(AudioDevice(key, info["name"], DeviceKind.INPUT, index,
                                          index == default_in))
            if info["max_output_channels"] > 0:
                outputs.append(AudioDevice(key, info["name"], DeviceKind.OUTPUT, index,
                                           index == default_out))
        return DeviceList(tuple(inputs), tuple(outputs))

    def open_capture(self, key: str) -> CaptureStream | None:
        """Start capturing from the chosen (or default) microphone; None without one.
        Raises ``DeviceError`` when the device exists but cannot be opened."""
        device = self._devices.find(DeviceKind.INPUT, key)
        if device is None or self._sd is None:
            return None
        capture = CaptureStream(device)
        self._open_stream(capture, self._sd.InputStream, capture.on_audio)
        return capture

    def open_playback(self, key: str, volume: float = 1.0) -> PlaybackStream | None:
        device = self._devices.find(DeviceKind.OUTPUT, key)
        if device is None or self._sd is None:
            return None
        playback = PlaybackStream(device)
        playback.volume = volume
        self._open_stream(playback, self._sd.OutputStream, playback.on_audio)
        return playback

    def open_generator(self, key: str, next_frame: Callable[[], Samples | None],
                       volume: float = 1.0) -> DeviceStream | None:
        """Play generated frames (ringtone, DTMF, a recording) until ``next_frame``
        returns None. Runs on PortAudio's thread: no loop needs to be free."""
        device = self._devices.find(DeviceKind.OUTPUT, key)
        if device is None or self._sd is None:
            return None
        stop = self._sd.CallbackStop
        wrapper = DeviceStream(device)

        def callback(out: Any, frames: int, _time: Any, status: Any) -> None:
            frame = next_frame()
            if frame is None or frames != SAMPLES_PER_FRAME:
                out.fill(0)
                raise stop
            out[:, 0] = scale_frame(frame, volume)

        self._open_stream(wrapper, self._sd.OutputStream, callback)
        return wrapper

    def open_recorder(self, key: str, seconds: float) -> Recording | None:
        """Record ``seconds`` from a microphone ("test my audio"); None without one."""
        device = self._devices.find(DeviceKind.INPUT, key)
        if device is None or self._sd is None:
            return None
        recording = Recording(device, int(seconds * SAMPLE_RATE / SAMPLES_PER_FRAME))
        stop = self._sd.CallbackStop

        def callback(data: Any, frames: int, _time: Any, status: Any) -> None:
            if not recording.add(np.array(data[:, 0], dtype=np.int16)):
                raise stop

        self._open_stream(recording, self._sd.InputStream, callback)
        return recording

    def _open_stream(self, wrapper: DeviceStream, kind: Any, callback: Any) -> None:
        try:
            stream = kind(
                samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                blocksize=SAMPLES_PER_FRAME, device=wrapper.device.index, latency=LATENCY,
                callback=callback, finished_callback=lambda: self._finished(wrapper),
            )
            stream.start()
        except Exception as exc:  # PortAudioError: busy, unplugged, unsupported rate
            raise DeviceError(wrapper.device, str(exc)) from exc
        wrapper.stream = stream
        # What PortAudio actually granted, for the mouth-to-ear estimate.
        wrapper.latency_ms = float(getattr(stream, "latency", 0.0) or 0.0) * 1000
        with self._lock:
            self._open.add(wrapper)

    def _finished(self, stream: DeviceStream) -> None:
        # PortAudio ends a stream whose device vanished: mark it, the owner switches.
        stream.failed = True
        with self._lock:
            self._open.discard(stream)

    def close(self, stream: DeviceStream | None) -> None:
        if stream is None:
            return
        with self._lock:
            self._open.discard(stream)
        stream.stop()
