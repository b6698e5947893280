"""Audio devices through real PortAudio: with no sound card, and with an ALSA null
device (defined in a private ~/.asoundrc) that PortAudio lists and streams through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.call.audio_devices import (
    AudioDevice,
    CaptureStream,
    DeviceKind,
    DeviceList,
    PlaybackStream,
    frame_peak,
    scale_frame,
)
from core.call.audio_frames import SAMPLES_PER_FRAME
from core.call.audio_io import AudioSink, AudioSource, ToneSource
from core.call.switchable_audio import SwitchableSink, SwitchableSource

ROOT = Path(__file__).resolve().parents[3]
NULL_DEVICE = """pcm.zuoxi_test {
    type null
    hint { show on description "Zuoxi test device" }
}
"""

PROBE = """
import json, time
from core.call.audio_devices import AudioHost
host = AudioHost()
devices = host.devices
out = {"inputs": [d.name for d in devices.inputs], "outputs": [d.name for d in devices.outputs],
       "error": devices.error}
capture = host.open_capture("")
playback = host.open_playback("", volume=0.5)
if capture is not None and playback is not None:
    time.sleep(0.6)
    frames = []
    while len(capture.queue):
        frames.append(capture.read_frame())
    for _ in range(3):
        playback.write_frame(frames[0] if frames else capture.read_frame())
    time.sleep(0.2)
    out.update(captured=len(frames), frame_len=len(frames[0]) if frames else 0,
               alive=capture.alive and playback.alive,
               latency=[capture.latency_ms, playback.latency_ms],
               queue_bound=len(capture.queue) <= capture.queue.max_frames)
    host.close(capture)
    host.close(playback)
    out["rescanned"] = [d.name for d in host.rescan().inputs]
print(json.dumps(out))
"""


def probe(home: Path) -> dict[str, object]:
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_no_sound_card_lists_nothing_and_opens_nothing(tmp_path: Path) -> None:
    result = probe(tmp_path)
    if result["inputs"] or result["outputs"]:
        pytest.skip("this machine has a sound card")
    assert result["error"] == ""
    assert "captured" not in result  # both opens returned None: callers use the null device


def test_alsa_null_device_streams_20ms_frames(tmp_path: Path) -> None:
    (tmp_path / ".asoundrc").write_text(NULL_DEVICE)
    result = probe(tmp_path)
    assert "zuoxi_test" in result["inputs"] and "zuoxi_test" in result["outputs"]
    assert result["alive"] is True
    assert result["frame_len"] == SAMPLES_PER_FRAME
    # at most the bounded queue is kept, however long nobody read it
    assert result["queue_bound"] is True
    assert 1 <= int(result["captured"]) <= 3  # type: ignore[call-overload]
    latency = result["latency"]
    assert isinstance(latency, list) and all(v > 0 for v in latency)
    assert "zuoxi_test" in result["rescanned"]  # type: ignore[operator]


def device(kind: DeviceKind, key: str, default: bool = False) -> AudioDevice:
    return AudioDevice(key, key, kind, 0, default)


def test_device_choice_falls_back_to_default_then_first() -> None:
    a, b = device(DeviceKind.INPUT, "alsa:a"), device(DeviceKind.INPUT, "alsa:b", True)
    listed = DeviceList(inputs=(a, b))
    assert listed.find(DeviceKind.INPUT, "alsa:a") == a
    assert listed.find(DeviceKind.INPUT, "usb:gone") == b  # unplugged: the default
    assert DeviceList(inputs=(a,)).find(DeviceKind.INPUT, "usb:gone") == a
    assert listed.find(DeviceKind.OUTPUT, "") is None
    assert DeviceList().empty


def test_switchable_source_goes_silent_and_reports_a_vanished_device() -> None:
    capture = CaptureStream(device(DeviceKind.INPUT, "usb:headset"))
    tone = ToneSource(440).read_frame()
    capture.on_audio(tone.reshape(-1, 1), SAMPLES_PER_FRAME, None, None)
    lost: list[AudioDevice] = []
    source = SwitchableSource(capture, on_failed=lost.append)
    assert isinstance(source, AudioSource)
    assert np.array_equal(source.read_frame(), tone)
    assert capture.level > 0.25
    capture.on_audio(tone.reshape(-1, 1), SAMPLES_PER_FRAME, None, None)
    capture.failed = True  # PortAudio's finished callback: the headset was pulled out
    assert not source.read_frame().any()
    assert lost == [capture.device] and source.device is None
    replacement = CaptureStream(device(DeviceKind.INPUT, "alsa:builtin"))
    replacement.on_audio(tone.reshape(-1, 1), SAMPLES_PER_FRAME, None, None)
    source.switch(replacement)
    assert np.array_equal(source.read_frame(), tone)


def test_switchable_sink_applies_volume_and_drops_old_audio() -> None:
    playback = PlaybackStream(device(DeviceKind.OUTPUT, "alsa:speaker"))
    sink = SwitchableSink(playback)
    assert isinstance(sink, AudioSink)
    sink.set_volume(0.5)
    tone = ToneSource(880, amplitude=0.8).read_frame()
    for _ in range(10):  # the device stalled: only the newest frames are kept
        sink.write_frame(tone)
    assert len(playback.queue) == playback.queue.max_frames
    out = np.zeros((SAMPLES_PER_FRAME, 1), dtype=np.int16)
    playback.on_audio(out, SAMPLES_PER_FRAME, None, None)
    assert abs(frame_peak(out[:, 0]) - 0.5 * frame_peak(tone)) < 0.01
    while len(playback.queue):
        playback.queue.get()
    playback.on_audio(out, SAMPLES_PER_FRAME, None, None)
    assert not out.any()  # nothing arrived: silence, never a repeat
    sink.switch(None)
    sink.write_frame(tone)  # no speaker: discarded, no error


def test_volume_scaling_is_exact_at_the_ends() -> None:
    tone = ToneSource(440).read_frame()
    assert scale_frame(tone, 1.0) is tone
    assert not scale_frame(tone, 0.0).any()
