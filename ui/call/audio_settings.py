"""Audio devices for calls: microphone, speaker, ringer, volume, level meter, and
"test my audio" (record 3 s, play it back). Says plainly when there is no device.

The dialog opens its own short-lived streams on ``AudioHost`` (the meter while it is
open, the test recording); the chosen devices go back as ``AudioPreferences``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from core.call.audio_devices import (
    AudioHost,
    CaptureStream,
    DeviceError,
    DeviceKind,
    DeviceList,
    Recording,
)
from core.call.preferences import AudioPreferences
from core.call.tones import Clip
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

TEST_SECONDS = 3.0
METER_MS = 50


class AudioSettingsDialog(QDialog):
    preferences_chosen = Signal(object)  # AudioPreferences

    def __init__(self, host: AudioHost, preferences: AudioPreferences,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AudioSettingsDialog")
        self.setWindowTitle(self.tr("Audio devices"))
        self._host = host
        self._initial = preferences
        self._meter_stream: CaptureStream | None = None
        self._recording: Recording | None = None

        self.no_device = named(PlainLabel(), "WarningText")
        self.no_device.setWordWrap(True)
        self.microphone = QComboBox()
        self.speaker = QComboBox()
        self.ringer = QComboBox()
        self.level = QProgressBar()
        self.level.setObjectName("LevelMeter")
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setAccessibleName(self.tr("Microphone level"))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(round(preferences.volume * 100))
        self.volume.setAccessibleName(self.tr("Call volume"))
        self.test_button = QPushButton(self.tr("&Test my audio"))
        self.test_button.setToolTip(self.tr("Records 3 seconds from the microphone and plays "
                                            "them back on the speaker."))
        self.test_button.clicked.connect(self.start_test)
        self.test_status = named(PlainLabel(), "Muted")
        self.test_status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Microphone"), self.microphone)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("&Speaker"), self.speaker)
        form.addRow(self.tr("&Volume"), self.volume)
        form.addRow(self.tr("&Ringer"), self.ringer)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.no_device)
        layout.addLayout(form)
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.test_status)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(METER_MS)
        self._timer.timeout.connect(self._tick)
        self.microphone.currentIndexChanged.connect(lambda _i: self._restart_meter())
        self.finished.connect(lambda _r: self._stop_streams())
        self.show_devices(host.devices)
        self._timer.start()

    # ---- devices ----------------------------------------------------------------

    def show_devices(self, devices: DeviceList) -> None:
        """Fill the lists (again, after a device was plugged in or removed)."""
        chosen = self.preferences() if self.microphone.count() else self._initial
        self._fill(self.microphone, devices, DeviceKind.INPUT, chosen.microphone, False)
        self._fill(self.speaker, devices, DeviceKind.OUTPUT, chosen.speaker, False)
        self._fill(self.ringer, devices, DeviceKind.OUTPUT, chosen.ringer, True)
        if devices.empty:
            self.no_device.setText(self.tr(
                "No audio device found — calls will be silent. You can still answer "
                "calls; connect a headset to talk."))
        elif not devices.inputs:
            self.no_device.setText(self.tr("No microphone found — the customer will hear "
                                           "silence."))
        elif not devices.outputs:
            self.no_device.setText(self.tr("No speaker found — you will not hear the "
                                           "customer or the ringtone."))
        else:
            self.no_device.setText("")
        self.no_device.setVisible(bool(self.no_device.text()))
        self.test_button.setEnabled(bool(devices.inputs and devices.outputs))
        self._restart_meter()

    def _fill(self, box: QComboBox, devices: DeviceList, kind: DeviceKind, key: str,
              same_as_speaker: bool) -> None:
        box.blockSignals(True)
        box.clear()
        if same_as_speaker:
            box.addItem(self.tr("Same as speaker"), "")
        else:
            box.addItem(self.tr("System default"), "")
        pool = devices.inputs if kind is DeviceKind.INPUT else devices.outputs
        for device in pool:
            box.addItem(device.name, device.key)
        box.setCurrentIndex(max(0, box.findData(key)))
        box.setEnabled(bool(pool))
        box.blockSignals(False)

    def preferences(self) -> AudioPreferences:
        return AudioPreferences(
            microphone=self.microphone.currentData() or "",
            speaker=self.speaker.currentData() or "",
            ringer=self.ringer.currentData() or "",
            volume=self.volume.value() / 100,
        )

    # ---- level meter and test ---------------------------------------------------

    def _restart_meter(self) -> None:
        self._host.close(self._meter_stream)
        self._meter_stream = None
        if self._recording is not None or not self.isVisible():
            return
        try:
            self._meter_stream = self._host.open_capture(self.microphone.currentData() or "")
        except DeviceError as exc:
            self.test_status.setText(self.tr("The microphone could not be opened: {0}")
                                     .format(exc.detail))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._restart_meter()

    def _tick(self) -> None:
        stream = self._meter_stream
        if stream is not None:
            while len(stream.queue) > 1:  # nobody plays these: keep the meter current
                stream.read_frame()
        recording = self._recording
        level = recording.level if recording else (stream.level if stream else 0.0)
        self.level.setValue(round(min(1.0, level * 2) * 100))
        if recording is not None and recording.done:
            self._play_back(recording)

    def start_test(self) -> None:
        self._host.close(self._meter_stream)
        self._meter_stream = None
        try:
            self._recording = self._host.open_recorder(self.microphone.currentData() or "",
                                                       TEST_SECONDS)
        except DeviceError as exc:
            self.test_status.setText(self.tr("The microphone could not be opened: {0}")
                                     .format(exc.detail))
            return
        if self._recording is None:
            self.test_status.setText(self.tr("No microphone to test."))
            return
        self.test_button.setEnabled(False)
        self.test_status.setText(self.tr("Recording 3 seconds… say something."))

    def _play_back(self, recording: Recording) -> None:
        self._recording = None
        self._host.close(recording)
        clip = Clip(recording.samples())
        try:
            played = self._host.open_generator(self.speaker.currentData() or "",
                                               clip.next_frame, self.volume.value() / 100)
        except DeviceError as exc:
            played = None
            self.test_status.setText(self.tr("The speaker could not be opened: {0}")
                                     .format(exc.detail))
        if played is not None:
            self.test_status.setText(self.tr("Playing back what you said. If you heard "
                                             "nothing, check the devices above."))
        self.test_button.setEnabled(True)
        QTimer.singleShot(int(clip.duration_s * 1000) + 200, self._restart_meter)

    def _stop_streams(self) -> None:
        self._timer.stop()
        self._host.close(self._meter_stream)
        self._meter_stream = None
        if self._recording is not None:
            self._host.close(self._recording)
            self._recording = None

    def _accept(self) -> None:
        self.preferences_chosen.emit(self.preferences())
        self.accept()
