"""Calls in the desktop: the media thread, the audio devices and the call desk.

``DesktopCalls`` is built once per app: it starts the media thread (aiortc and the
audio I/O run there, never on the GUI thread) and owns the PortAudio host. Each
signed-in window gets a call manager on the agent's hub connection and a call desk
(``attach``); at exit every call is hung up and the media thread is stopped.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject

from core.call.audio_devices import AudioHost
from core.call.call_manager import CallManager
from core.call.media_thread import MediaEngine, MediaThread
from core.call.preferences import AudioPreferences
from core.call.recording_uploads import RecordingUploads
from core.session.agent_service import AgentService
from core.tasks import BackgroundTasks
from desktop.call_audio import CallAudio
from desktop.notifications import NoticeKind
from desktop.settings import Settings
from desktop.telephony import DesktopTelephony
from ui.call.audio_settings import AudioSettingsDialog
from ui.call.call_desk import CallDesk
from ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


class DesktopCalls(QObject):
    def __init__(self, settings: Settings, parent: QObject | None = None,
                 telephony: DesktopTelephony | None = None,
                 host: AudioHost | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        # The SIP phone on the PBX, when the agent has an account (desktop/telephony.py).
        self.telephony = telephony
        # Loading PortAudio and listing the devices runs a program (ldconfig) and
        # probes the sound system: tens of milliseconds, so the desktop may do it on a
        # worker thread and hand the host over (``AudioHost`` is thread-agnostic).
        self.host = host if host is not None else AudioHost()
        self.audio = CallAudio(self.host, settings.audio_preferences(), self)
        self.media_thread = MediaThread()
        self.media_thread.start()
        self.media = MediaEngine(self.media_thread, source_factory=self.audio.source_for,
                                 sink_factory=self.audio.sink_for)
        self._tasks = BackgroundTasks("desktop calls", logger=log)
        self.manager: CallManager | None = None
        self.desk: CallDesk | None = None
        self.window: MainWindow | None = None
        self.audio.device_lost.connect(self._device_lost)
        self.audio.device_failed.connect(self._device_failed)
        devices = self.host.devices
        if devices.error:
            log.warning("no audio system: %s", devices.error)
        if not (devices.inputs and devices.outputs):
            log.warning("no audio device: calls will be silent")

    def play_alert(self, kind: NoticeKind) -> bool:
        """The notification sound of ``kind`` at the agent's volume; False when muted,
        without an output device, or for a call (whose sound is its ringtone)."""
        preferences = self._settings.preferences()
        if preferences.alert_muted or preferences.alert_volume == 0 or kind is NoticeKind.CALL:
            return False
        return self.audio.play_alert(kind.value, preferences.alert_volume / 100)

    def no_device_text(self) -> str:
        if self.audio.has_devices:
            return ""
        return QCoreApplication.translate(
            "DesktopCalls", "No audio device — calls will be silent. You can still answer "
            "them; connect a headset and choose it under File → Audio devices.")

    def attach(self, service: AgentService, window: MainWindow) -> CallDesk | None:
        """GUI thread: calls for this signed-in window."""
        attach_calls = getattr(service, "attach_calls", None)
        if attach_calls is None:  # an agent service without call signalling
            log.warning("this agent service cannot carry calls")
            return None
        self.manager = attach_calls(self.media)
        self.window = window
        self.desk = window.attach_calls(self.manager, self.audio)
        window.audio_settings_requested.connect(self.open_audio_settings)
        # The timeline plays call recordings on the speaker (ui/profile/recording_player).
        uploads = getattr(service, "recording_uploads", None)
        if uploads is not None:
            window.customer_panel.timeline.set_recording_opener(
                lambda conversation_id: self.open_recordings(uploads, conversation_id))
        text = self.no_device_text()
        if text:
            window.show_notice(text)
        report = getattr(service, "report_sip_call", None)
        if self.telephony is not None and report is not None:
            self._tasks.spawn(self.telephony.attach(self.manager, self.media, report, window))
        return self.desk

    def open_recordings(self, uploads: RecordingUploads, conversation_id: str) -> None:
        hub = uploads.hub
        if hub is None or self.window is None:
            return
        from core.call.recording_playback import RecordingsClient
        from ui.profile.recording_player import RecordingPlayerDialog

        dialog = RecordingPlayerDialog(RecordingsClient(hub.url, hub.token),
                                       self.audio.router.play_frames, conversation_id,
                                       self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    async def detach(self) -> None:
        desk, self.desk = self.desk, None
        if desk is not None:
            desk.detach()
        manager, self.manager = self.manager, None
        if manager is not None:
            await manager.close()  # hangs up SIP calls too, while the phone still runs
        if self.telephony is not None:
            await self.telephony.detach()
        self.window = None

    async def shutdown(self) -> None:
        await self.detach()
        try:
            await self.media.close_all()
        except RuntimeError as exc:  # the media loop already stopped
            log.info("media close at exit: %s", exc)
        self.audio.shutdown()
        self.media_thread.stop()

    def open_audio_settings(self) -> AudioSettingsDialog:
        dialog = AudioSettingsDialog(self.host, self.audio.preferences, self.window)
        dialog.preferences_chosen.connect(self._apply)
        self.audio.devices_changed.connect(dialog.show_devices)
        dialog.finished.connect(lambda _r: self.audio.devices_changed.disconnect(
            dialog.show_devices))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _apply(self, preferences: AudioPreferences) -> None:
        self._settings.save_audio_preferences(preferences)
        self.audio.set_preferences(preferences)

    def _device_lost(self, name: str) -> None:
        if self.window is not None:
            self.window.show_banner_notice(QCoreApplication.translate(
                "DesktopCalls", "The audio device “{0}” was disconnected; the call goes on "
                "with the default device (or silence if there is none).").format(name))

    def _device_failed(self, name: str) -> None:
        if self.window is not None:
            self.window.show_banner_notice(QCoreApplication.translate(
                "DesktopCalls", "The audio device “{0}” could not be opened (in use by "
                "another program?). The call goes on without it.").format(name))
