"""Playing a conversation's call recordings from the timeline.

Lists the recordings the hub lets this agent play, fetches the chosen one (the
hub audits it), and plays it on the agent's speaker with a seek slider and
elapsed / total time. Keyboard: Space plays or pauses, the slider's arrows seek
5 s (Page Up/Down 30 s), Ctrl+S saves the file. Without an output device the
dialog says so and the file can still be saved.

Thread: the GUI thread; audio frames are pulled by the output's own thread.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from core.call.audio_frames import Samples
from core.call.recording_playback import RecordingFetchError, RecordingPlayback, RecordingsClient
from core.protocol.recording import RecordingInfo
from core.tasks import BackgroundTasks
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

log = logging.getLogger(__name__)

PlayFrames = Callable[[Callable[[], Samples | None]], bool]
SEEK_STEP_S = 5
SEEK_PAGE_S = 30


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class RecordingPlayerDialog(QDialog):
    def __init__(self, client: RecordingsClient, play_frames: PlayFrames,
                 conversation_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Call recordings"))
        self.client = client
        self.play_frames = play_frames
        self.conversation_id = conversation_id
        self._folder = Path(tempfile.mkdtemp(prefix="zuoxi-recording-"))
        self._tasks = BackgroundTasks("recording player", logger=log, on_error=self._failed)
        self.recordings: list[RecordingInfo] = []
        self.file: Path | None = None
        self.playback: RecordingPlayback | None = None

        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Recording"))
        self.choice.currentIndexChanged.connect(self._chosen)
        self.play_button = QPushButton(self.tr("&Play"))
        self.play_button.setToolTip(self.tr("Play or pause (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.slider = QSlider()
        self.slider.setOrientation(self.slider.orientation().Horizontal)
        self.slider.setAccessibleName(self.tr("Position in the recording"))
        self.slider.setSingleStep(SEEK_STEP_S)
        self.slider.setPageStep(SEEK_PAGE_S)
        self.slider.valueChanged.connect(self._seek)
        self.time_label = named(PlainLabel("0:00 / 0:00"), "Muted")
        self.save_button = QPushButton(self.tr("&Save…"))
        self.save_button.setToolTip(self.tr("Save the recording as a file (Ctrl+S)"))
        self.save_button.clicked.connect(self._ask_save)
        self.status = named(PlainLabel(), "Muted")
        self.status.setWordWrap(True)
        for widget in (self.play_button, self.slider, self.save_button):
            widget.setEnabled(False)

        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        column = QVBoxLayout(self)
        column.addWidget(self.choice)
        column.addLayout(row)
        column.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        column.addLayout(buttons)
        QShortcut(QKeySequence("Space"), self, self.toggle_play)
        QShortcut(QKeySequence("Ctrl+S"), self, self._ask_save)
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self._update_position)
        self.resize(520, 160)
        self.status.setText(self.tr("Loading the recordings of this conversation…"))
        self._tasks.spawn(self._load())

    # ---- loading ---------------------------------------------------------------------

    async def _load(self) -> None:
        self.recordings = await self.client.of_conversation(self.conversation_id)
        if not self.recordings:
            self.status.setText(self.tr("This conversation has no recordings you may play."))
            return
        self.choice.blockSignals(True)
        for info in self.recordings:
            at = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.stored_at / 1000))
            self.choice.addItem(self.tr("Call recorded {0} ({1})").format(
                at, clock(info.duration_s)))
        self.choice.blockSignals(False)
        self.choice.setCurrentIndex(len(self.recordings) - 1)
        self._chosen(len(self.recordings) - 1)

    def _chosen(self, index: int) -> None:
        if not 0 <= index < len(self.recordings):
            return
        self.stop()
        self.status.setText(self.tr("Fetching the recording…"))
        self._tasks.spawn(self._fetch(self.recordings[index]))

    async def _fetch(self, info: RecordingInfo) -> None:
        path = await self.client.fetch(info, self._folder / f"{info.call_id}.ogg")
        self.file = path
        self.playback = RecordingPlayback.from_file(path)
        self.slider.blockSignals(True)
        self.slider.setRange(0, int(self.playback.duration_s))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        for widget in (self.play_button, self.slider, self.save_button):
            widget.setEnabled(True)
        self.status.setText("")
        self._update_position()
        self.play_button.setFocus()

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, RecordingFetchError):
            texts = {
                0: self.tr("The hub cannot be reached; try again when it is back."),
                401: self.tr("Your session has expired; sign in again."),
                403: self.tr("You may not play this recording."),
                404: self.tr("The recording is no longer kept."),
            }
            self.status.setText(texts.get(exc.status, self.tr(
                "The recording could not be fetched ({0}).").format(exc.status)))
            return True
        self.status.setText(self.tr("The recording could not be played: {0}").format(exc))
        return True

    # ---- playing ---------------------------------------------------------------------

    def toggle_play(self) -> None:
        playback = self.playback
        if playback is None:
            return
        if playback.playing:
            self.stop()
            return
        if playback.finished:
            playback.seek(0)
        playback.playing = True
        if not self.play_frames(playback.next_frame):
            playback.playing = False
            self.status.setText(self.tr(
                "No audio output device: the recording cannot be played here. Save it "
                "and play it on another computer."))
            return
        self.play_button.setText(self.tr("&Pause"))
        self._tick.start()

    def stop(self) -> None:
        if self.playback is not None:
            self.playback.playing = False
        self.play_button.setText(self.tr("&Play"))
        self._tick.stop()

    def _seek(self, seconds: int) -> None:
        if self.playback is not None:
            self.playback.seek(seconds)
            self._update_position()

    def _update_position(self) -> None:
        playback = self.playback
        if playback is None:
            return
        self.time_label.setText(f"{clock(playback.position_s)} / {clock(playback.duration_s)}")
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(int(playback.position_s))
            self.slider.blockSignals(False)
        if not playback.playing and self._tick.isActive():
            self.stop()

    # ---- saving ----------------------------------------------------------------------

    def _ask_save(self) -> None:
        index = self.choice.currentIndex()
        if not 0 <= index < len(self.recordings):
            return
        dialog = QFileDialog(self, self.tr("Save the recording"),
                             f"{self.recordings[index].call_id}.ogg",
                             self.tr("Ogg Opus audio (*.ogg)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda name: self._tasks.spawn(self.save_to(Path(name))))
        dialog.open()

    async def save_to(self, target: Path) -> None:
        """Download the chosen recording into ``target`` (the hub audits a download)."""
        info = self.recordings[self.choice.currentIndex()]
        await self.client.fetch(info, target, download=True)
        self.status.setText(self.tr("Saved as {0}").format(str(target)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        shutil.rmtree(self._folder, ignore_errors=True)
        super().closeEvent(event)
