"""The recording player of the timeline: a real recording file (made by the call
recorder), the keyboard, seeking, and a machine without an output device.

The HTTP side (listing, fetching, who may) is shown against a real hub in
tests/integration/test_call_recording.py; here ``DiskRecordings`` hands the
dialog a file from disk in its place."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.call.audio_frames import Samples
from core.call.audio_io import ToneSource
from core.call.recorder import CallRecorder
from core.protocol.recording import RecordingInfo
from tests.ui.conftest import run
from ui.call.call_panel import CallPanel
from ui.profile.recording_player import RecordingPlayerDialog

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs


def _recording(path: Path, seconds: float) -> Path:
    recorder = CallRecorder(path, queue_frames=int(seconds * 50) + 1)  # fed at once here
    recorder.start()
    customer, agent = ToneSource(440.0), ToneSource(880.0)
    for _ in range(int(seconds * 50)):
        recorder.customer_frame(customer.read_frame())
        recorder.outgoing(agent.read_frame())
    result = recorder.finish().result(timeout=10)
    assert result.path is not None
    return result.path


class DiskRecordings:
    """Stands in for ``RecordingsClient``: one recording from a local file."""

    def __init__(self, file: Path, duration_s: float) -> None:
        self.file = file
        self.info = RecordingInfo(call_id="call-1", agent_id="a1", conversation_id="c1",
                                  channels=2, duration_s=duration_s,
                                  size=file.stat().st_size, stored_at=1_765_000_000_000)
        self.downloads: list[Path] = []

    async def of_conversation(self, conversation_id: str) -> list[RecordingInfo]:
        return [self.info] if conversation_id == "c1" else []

    async def fetch(self, info: RecordingInfo, into: Path, download: bool = False) -> Path:
        await asyncio.to_thread(into.write_bytes, self.file.read_bytes())
        if download:
            self.downloads.append(into)
        return into


class Speaker:
    """Pulls frames on a thread of its own, as PortAudio's callback would."""

    def __init__(self) -> None:
        self.frames = 0
        self.thread: threading.Thread | None = None

    def __call__(self, next_frame: Callable[[], Samples | None]) -> bool:
        def pull() -> None:
            while next_frame() is not None:
                self.frames += 1

        self.thread = threading.Thread(target=pull, daemon=True)
        self.thread.start()
        return True


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    return _recording(tmp_path / "call.ogg", 12.0)


def _dialog(qtbot: Any, client: DiskRecordings, speaker: Callable[..., bool]
            ) -> RecordingPlayerDialog:
    dialog = RecordingPlayerDialog(client, speaker, "c1")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.playback is not None, timeout=10_000)
    return dialog


def test_play_seek_and_the_elapsed_and_total_time(qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                                  recording: Path) -> None:
    speaker = Speaker()
    dialog = _dialog(qtbot, DiskRecordings(recording, 12.0), speaker)
    assert dialog.slider.maximum() == 12
    assert dialog.time_label.text() == "0:00 / 0:12"
    # The keyboard: the slider's arrow seeks 5 s, Page Down 30 s (to the end).
    dialog.slider.setFocus()
    qtbot.keyClick(dialog.slider, Qt.Key.Key_Right)
    assert dialog.playback is not None and dialog.playback.position_s == pytest.approx(5.0)
    assert dialog.time_label.text() == "0:05 / 0:12"
    qtbot.keyClick(dialog, Qt.Key.Key_Space)  # play from 0:05
    assert speaker.thread is not None  # the output pulls frames (here as fast as it can)
    qtbot.waitUntil(lambda: dialog.playback is not None and dialog.playback.finished)
    assert speaker.frames == 7 * 50  # 0:05 to 0:12, not a frame more or less
    qtbot.waitUntil(lambda: dialog.play_button.text() == "&Play")


def test_without_an_output_device_it_says_so_and_saves(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, recording: Path, tmp_path: Path) -> None:
    client = DiskRecordings(recording, 12.0)
    dialog = _dialog(qtbot, client, lambda _next: False)
    dialog.toggle_play()
    assert dialog.playback is not None and not dialog.playback.playing
    assert "No audio output device" in dialog.status.text()
    assert dialog.save_button.isEnabled()
    target = tmp_path / "saved.ogg"
    run(qtbot, qloop, dialog.save_to(target))
    assert target.read_bytes() == recording.read_bytes() and client.downloads == [target]


def test_the_call_panel_offers_record_only_on_demand(qtbot: Any) -> None:
    panel = CallPanel()
    qtbot.addWidget(panel)
    panel.show_call("call1", "王芳", "In call", answered_at=None, muted=False, held=False,
                    connected=True)
    panel.show()
    panel.set_recording(False, False)
    assert not panel.record_button.isVisible()
    toggled: list[bool] = []
    panel.record_toggled.connect(toggled.append)
    panel.toggle_recording()  # not offered: nothing
    panel.set_recording(True, False)
    panel.toggle_recording()
    panel.set_recording(True, True)
    assert panel.record_button.text() == "Stop &recording"
    panel.toggle_recording()
    assert toggled == [True, False]


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_screenshot_of_the_player(qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                  recording: Path, size: tuple[int, int]) -> None:
    dialog = _dialog(qtbot, DiskRecordings(recording, 12.0), Speaker())
    dialog.slider.setValue(4)
    width = 520 if size[0] < 1900 else 640
    dialog.resize(width, 160)
    image = dialog.grab()
    assert not image.isNull() and image.width() == width
    if SHOTS:
        assert image.save(str(Path(SHOTS) / f"recording_player_{size[0]}x{size[1]}.png"))
