"""The desktop's flow: embedded hub or sign-in, main window, re-authentication, quit.

``DesktopApp`` owns the core objects of the signed-in agent (cache, service, sync
client) and the windows that show them. It runs on the GUI thread under qasync;
everything slow (HTTP sign-in, the keyring, the local hub) is awaited, never waited
for.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from core.cache import cipher
from core.cache.cache import Cache, CacheReset, open_cache
from core.cache.cache_file import CacheLocked, ResetReason, move_aside
from core.call.sip_account import SipAccountSettings
from core.email.settings import EmailSettings
from core.protocol.codec import ErrorCode
from core.protocol.models import Channel, ConversationStatus, MessageAuthor
from core.session import auth
from core.session.agent_service import AgentService
from core.session.preferences import Preferences
from core.session.session_runner import SessionRunner
from core.sync.client import ConnectionState, ConnectionStatus
from core.tasks import BackgroundTasks
from desktop.cache_keys import CacheKeys
from desktop.credentials import CredentialStore
from desktop.embedded_hub import EmbeddedHub, EmbeddedHubError
from desktop.notifications import ACCEPT, NoticeKind, Notifier
from desktop.settings import EMBEDDED_KEY, Settings, cache_path
from desktop.startup_trace import trace_from_environment
from desktop.telephony import DesktopTelephony
from desktop.translations import install_translators, resolve_language
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.shell.tray import AgentTray
from ui.widgets.theme import Theme, app_icon, apply_theme, theme_for
from ui.widgets.time_text import now_ms

if TYPE_CHECKING:
    # Dialogs nobody sees at start are imported when first opened: less to load
    # before the window's first paint (tests/desktop/test_start_imports.py).
    from core.call.audio_devices import AudioHost
    from desktop.call_setup import DesktopCalls
    from ui.profile.walk_in_dialog import WalkInDialog
    from ui.shell.cache_encryption_window import CacheEncryptionWindow
    from ui.shell.cache_locked_dialog import CacheLockedDialog
    from ui.shell.consistency_dialog import ConsistencyDialog
    from ui.shell.login_dialog import LoginDialog

log = logging.getLogger(__name__)

T = TypeVar("T")

# The embedded hub seeds these (hub.demo.seed.DEMO_AGENTS / DEMO_PASSWORD); importing
# hub here would pull the server's dependencies into the desktop's start-up.
DEMO_USERNAME = "lina"
# a customer message older than this is history arriving, not news to notify
NOTICE_RECENT_MS = 60_000
COUNTS_COALESCE_MS = 250  # the tray's counts follow the inbox at most this often
DEMO_PASSWORD = "zuoxi-demo"
CALLS_AT_THE_LATEST_S = 3.0  # after the first paint, even while not online
ENCRYPTION_TICK_MS = 200  # how often the cache encryption window shows the progress


@dataclass(frozen=True)
class Options:
    hub_url: str | None  # None: embedded hub
    data_dir: Path
    language: str
    theme_override: str | None = None
    exit_after_shown: float | None = None  # seconds to stay after the window is shown
    report_path: Path | None = None
    hub_remembered: bool = False  # hub_url came from the settings, not from --hub
    crash_report: Path | None = None  # the last run stopped unexpectedly: shown once


def _bring_forward(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


@dataclass
class Signed:
    """Everything that belongs to one signed-in agent."""

    hub_key: str
    username: str
    session: SessionRunner
    bridge: ServiceBridge
    window: MainWindow
    hub_url: str | None = None
    token: str | None = None  # in memory only; never in the cache
    walk_in: WalkInDialog | None = None
    notifier: Notifier | None = None
    tray: AgentTray | None = None
    noticed: set[str] = field(default_factory=set)  # messages already notified
    changed_messages: dict[str, str] = field(default_factory=dict)  # conversation -> message

    @property
    def cache(self) -> Cache:
        return self.session.cache

    @property
    def service(self) -> AgentService:
        return self.session.service


class DesktopApp(QObject):
    window_shown = Signal()
    login_shown = Signal()
    finished = Signal(int)

    def __init__(
        self,
        app: QApplication,
        options: Options,
        settings: Settings,
        credentials: CredentialStore | None = None,
        *,
        preferences: Preferences | None = None,
    ) -> None:
        super().__init__()
        self.app = app
        self.options = options
        self.settings = settings
        self.credentials = credentials or CredentialStore()
        self.cache_keys = CacheKeys(self.credentials)
        # A locked cache the agent chose to set aside: told once the new window is up.
        self._locked_reset: CacheReset | None = None
        self.cache_locked_dialog: CacheLockedDialog | None = None
        # A plain cache from an earlier version being encrypted, and its window.
        self.cache_encryption_window: CacheEncryptionWindow | None = None
        self._encryption_tried: set[Path] = set()
        self.preferences: Preferences = preferences or settings.preferences()
        self.theme: Theme = theme_for(self.preferences)
        self.signed: Signed | None = None
        self.login: LoginDialog | None = None
        self.hub: EmbeddedHub | None = None
        self.widget_url = ""
        self._tasks = BackgroundTasks("desktop", logger=log, on_error=_to_excepthook)
        # Calls (audio devices, the media thread, numpy) are set up once the window
        # is on screen: nothing of them is visible before a call rings.
        self.calls: DesktopCalls | None = None
        self._audio_host: AudioHost | None = None  # loaded off the GUI thread, for calls
        # The telephony (SIP) account and phone; the phone runs with a window's calls.
        self.telephony = DesktopTelephony(self.settings, self.credentials, self)
        self._quitting = False
        self._trace = trace_from_environment(self)
        self.translators: list[QTranslator] = []  # installed for options.language
        if self._trace is not None:
            trace = self._trace
            self.window_shown.connect(lambda: trace.write("shown"))
        app.setQuitOnLastWindowClosed(False)  # hiding the login dialog is not quitting
        apply_theme(app, self.theme)

    # ---- start -----------------------------------------------------------------------

    def start(self) -> None:
        if self.options.hub_url is None:
            self._start_embedded()
        else:
            self._start_remote(self.options.hub_url)

    def _start_embedded(self) -> None:
        hub = self.hub = EmbeddedHub(self.options.data_dir)
        # Local first: the window shows the cache, then the hub boots (started after
        # the window's first paint, so the two do not compete for the processor).
        signed = self._open_main(EMBEDDED_KEY, DEMO_USERNAME, hub_url=None,
                                 retry=self._start_embedded)
        if signed is None:
            return
        signed.window.connection.set_starting_hub(True)

        def boot() -> None:
            if self.hub is hub and not hub.running and not self._quitting:
                hub.start()
                self.spawn(self._embedded_sign_in())

        if signed.window.was_shown:
            boot()
        else:
            signed.window.first_shown.connect(boot)

    async def _embedded_sign_in(self) -> None:
        assert self.hub is not None
        try:
            address = await self.hub.wait_ready()
        except EmbeddedHubError as exc:
            self._show_login(notice=self.tr("The local hub did not start: {0}").format(exc))
            return
        self.widget_url = address.widget_url
        for line in address.banner():
            print(line, flush=True)
        signed = self.signed
        if signed is not None:
            signed.hub_url = address.url
            signed.window.set_widget_url(address.widget_url)
        try:
            result = await auth.login(address.url, DEMO_USERNAME, DEMO_PASSWORD)
        except auth.AuthError as exc:
            log.warning("embedded sign-in failed: %s", exc)
            self._show_login(address.url, DEMO_USERNAME, error=exc)
            return
        if self.signed is not None:
            self.signed.window.connection.set_starting_hub(False)
        self._go_online(result)

    def _start_remote(self, hub_url: str) -> None:
        username = self.settings.username
        if self.settings.token_kept(hub_url, username):
            # A returning agent who did not sign out: the window shows the cache at
            # once, and the keyring (its import and backend search alone take
            # 100-350 ms) is read on a worker thread after the first paint.
            kept = self._open_main(hub_url, username, hub_url=hub_url,
                                   retry=lambda: self._start_remote(hub_url))
            if kept is not None:
                self._after_first_paint(
                    kept, lambda: self.spawn(self._resume(kept, hub_url, username)))
            return
        token = self.credentials.get(hub_url, username) if username else None
        if token and username:
            signed = self._open_main(hub_url, username, hub_url=hub_url,
                                     retry=lambda: self._start_remote(hub_url))
            if signed is None:
                return
            signed.token = token
            self._connect(hub_url, token)
        else:
            notice = self.tr(
                "This server is remembered from an earlier start. To try Zuoxi on this "
                "computer instead, use the local demo hub.") if self.options.hub_remembered else ""
            self._show_login(hub_url, username, notice=notice)

    async def _resume(self, signed: Signed, hub_url: str, username: str) -> None:
        token = await asyncio.to_thread(self.credentials.get, hub_url, username)
        if self.signed is not signed or self._quitting:
            return
        if token:
            signed.token = token
            self._connect(hub_url, token)
            return
        self.settings.forget_token_kept()  # gone from the keyring: sign in again
        self._show_login(hub_url, username,
                         notice=self.tr("Your session has expired. Please sign in again."))

    @staticmethod
    def _after_first_paint(signed: Signed, then: Callable[[], object]) -> None:
        if signed.window.was_shown:
            then()
        else:
            signed.window.first_shown.connect(then)

    # ---- signing in --------------------------------------------------------------------

    def _show_login(
        self,
        server: str = "",
        username: str = "",
        *,
        notice: str = "",
        error: BaseException | None = None,
    ) -> LoginDialog:
        if self.login is None:
            from ui.shell.login_dialog import LoginDialog

            self.login = LoginDialog()
            self.login.login_requested.connect(self._login_requested)
            self.login.rejected.connect(self._login_rejected)
            self.login.demo_requested.connect(self.use_local_demo)
        dialog = self.login
        dialog.set_cancel_quits(self.signed is None)
        dialog.demo.setVisible(self.hub is None)  # not while the local hub is the one here
        dialog.set_values(server or self.settings.hub_url, username or self.settings.username)
        dialog.show_notice(notice)
        if error is not None:
            dialog.show_error(error)
        dialog.set_busy(False)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.login_shown.emit()
        return dialog

    def _login_rejected(self) -> None:
        if self.signed is None:
            self.quit()

    def use_local_demo(self) -> None:
        """Leave the remembered hub: forget it and run the local demo hub instead."""
        if self.hub is not None:
            return
        self.settings.hub_url = ""
        self.options = replace(self.options, hub_url=None)
        if self.login is not None:
            self.login.hide()
        self.spawn(self._switch_to_demo())

    async def _switch_to_demo(self) -> None:
        await self._close_signed()
        self._start_embedded()

    def _login_requested(self, server: str, username: str, password: str) -> None:
        self.spawn(self._sign_in(server, username, password))

    async def _sign_in(self, server: str, username: str, password: str) -> None:
        dialog = self.login
        assert dialog is not None
        try:
            result = await auth.login(server, username, password)
        except auth.AuthError as exc:
            dialog.show_error(exc)
            return
        dialog.hide()
        embedded = self.hub is not None and self.hub.address is not None and (
            result.hub_url == auth.normalize_hub_url(self.hub.address.url)
        )
        hub_key = EMBEDDED_KEY if embedded else result.hub_url
        if not embedded:
            self.settings.hub_url = result.hub_url
        self.settings.username = result.agent.username
        signed = self.signed
        if signed is None or (signed.hub_key, signed.username) != (hub_key, result.agent.username):
            await self._close_signed()
            self._open_then_go_online(hub_key, result)
            return
        self._go_online(result)

    def _open_then_go_online(self, hub_key: str, result: auth.LoginResult) -> None:
        if self._open_main(hub_key, result.agent.username, hub_url=result.hub_url,
                           retry=lambda: self._open_then_go_online(hub_key, result)):
            self._go_online(result)

    def _go_online(self, result: auth.LoginResult) -> None:
        signed = self.signed
        assert signed is not None
        signed.hub_url = result.hub_url
        signed.token = result.token
        if signed.hub_key != EMBEDDED_KEY:
            # The embedded hub is signed in to afresh at every start: nothing to keep.
            persisted = self.credentials.set(result.hub_url, result.agent.username, result.token)
            self.settings.set_token_kept(result.hub_url, result.agent.username, persisted)
            if not persisted:
                signed.window.show_notice(
                    self.tr("No system keyring: you will need to sign in again next time.")
                )
        signed.session.use_token(result.hub_url, result.token)

    def _connect(self, hub_url: str, token: str) -> None:
        signed = self.signed
        assert signed is not None
        signed.session.connect(hub_url, token)

    def _auth_failed(self, detail: str) -> None:
        signed = self.signed
        if signed is None:
            return
        if signed.hub_url:
            self.credentials.delete(signed.hub_url, signed.username)
        if signed.hub_key != EMBEDDED_KEY:
            self.settings.forget_token_kept()
        if self.hub is not None and signed.hub_key == EMBEDDED_KEY and self.hub.address:
            # The local hub lost our token (e.g. its database was reset): sign in again.
            self.spawn(self._embedded_sign_in())
            return
        if detail.startswith(ErrorCode.SESSION_REPLACED.value):
            notice = self.tr("You signed in on another computer, so you were signed out "
                             "here. Sign in again to work here.")
        else:
            notice = self.tr("Your session has expired. Please sign in again.")
        self._show_login(signed.hub_url or "", signed.username, notice=notice)

    # ---- the main window ---------------------------------------------------------------

    def cache_path(self, hub_key: str, username: str) -> Path:
        return cache_path(self.options.data_dir, hub_key, username)

    def _ask_locked(self, path: Path, error: CacheLocked, retry: Callable[[], None]) -> None:
        """Re-sync from the hub (the locked file is set aside, kept) or quit."""
        from ui.shell.cache_locked_dialog import CacheLockedDialog

        dialog = self.cache_locked_dialog = CacheLockedDialog(error.reason, path.name)

        def resync() -> None:
            self._locked_reset = move_aside(path, error)
            log.warning("the locked cache was set aside as %s", self._locked_reset.moved_to)
            retry()

        dialog.resync_chosen.connect(resync)
        dialog.quit_chosen.connect(self.quit)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves
        dialog.raise_()
        dialog.activateWindow()

    def _encrypting_first(self, path: Path, retry: Callable[[], None]) -> bool:
        """A plain cache from an earlier version is encrypted on a worker thread while a
        small window shows how far it is (a large one takes many seconds); True when
        that has begun, and ``retry`` opens the main window once it is done."""
        if path in self._encryption_tried or not self.cache_keys.available:
            return False
        cipher.finish_interrupted(path)
        try:
            total = path.stat().st_size
            if total == 0 or not cipher.is_plain(path):
                return False
        except OSError:
            return False  # no cache yet: the new one is encrypted from its first page
        key = self.cache_keys.key(path) or self.cache_keys.new_key(path)
        if key is None:
            return False
        # Once per file and run: after a failure the cache opens as it is (plain).
        self._encryption_tried.add(path)
        from ui.shell.cache_encryption_window import CacheEncryptionWindow

        window = self.cache_encryption_window = CacheEncryptionWindow()
        window.show()
        self.spawn(self._encrypt_then_open(path, key, total, window, retry))
        return True

    async def _encrypt_then_open(self, path: Path, key: cipher.CacheKey, total: int,
                                 window: CacheEncryptionWindow,
                                 retry: Callable[[], None]) -> None:
        stages = [cipher.EncryptStage.COPYING]  # appended to by the worker thread
        copy = cipher.encrypting_copy(path)

        def show() -> None:
            written = 0
            if stages[-1] is cipher.EncryptStage.COPYING:
                try:
                    written = copy.stat().st_size
                except OSError:
                    written = 0
            window.show_progress(stages[-1], written, total)

        ticker = QTimer(window)
        ticker.setInterval(ENCRYPTION_TICK_MS)
        ticker.timeout.connect(show)
        ticker.start()
        try:
            await asyncio.to_thread(cipher.encrypt_plain, path, key, stages.append)
            log.info("the cache was encrypted (it was a plain file)")
        except (*cipher.Error, OSError) as exc:
            # The plain file is as it was: it opens as it is now, and the next start
            # tries again.
            log.warning("cannot encrypt the plain cache, using it as it is: %s", exc)
        finally:
            ticker.stop()
            show()
            window.finish()
            window.deleteLater()
            self.cache_encryption_window = None
        if not self._quitting:
            retry()

    def reset_notice(self, reset: CacheReset) -> str:
        if reset.reason is ResetReason.LOCKED:
            text = self.tr("The local cache could not be unlocked: it has been set aside and "
                           "is being rebuilt from the hub. Replies that were not sent yet are "
                           "in the old file and need its key.")
            if reset.moved_to is not None:
                text += " " + self.tr("Old file: {0}").format(reset.moved_to.name)
            return text
        if reset.reason is ResetReason.TOO_NEW:
            text = self.tr("The local cache was written by a newer version of Zuoxi. It has "
                           "been set aside and is being rebuilt from the hub.")
        else:
            text = self.tr("The local cache could not be read (the file is damaged). It has "
                           "been set aside and is being rebuilt from the hub; replies that "
                           "were not sent yet may need to be written again.")
        if reset.moved_to is not None:
            text += " " + self.tr("Old file: {0}").format(reset.moved_to.name)
        return text

    def _open_main(self, hub_key: str, username: str, *, hub_url: str | None,
                   retry: Callable[[], None]) -> Signed | None:
        """The agent's window over their cache; None while the agent is asked what to do
        with a cache its key does not open (``retry`` runs again after a re-sync)."""
        # An unusable cache file is moved aside (kept for inspection) and rebuilt from
        # the hub; the agent is told once the window is up. The encrypted cache's key
        # comes from the keyring (desktop/cache_keys.py).
        path = self.cache_path(hub_key, username)
        # The local demo hub's own database lies plain beside its cache with the same
        # conversations: encrypting the cache would protect nothing there, and would
        # add the keyring's import and lookup (0.2-0.5 s) before the first paint.
        embedded = hub_key == EMBEDDED_KEY
        if not embedded and self._encrypting_first(path, retry):
            return None
        try:
            session = SessionRunner(path, email_over_http=True,
                                    opener=open_cache if embedded else self.cache_keys.open)
        except CacheLocked as exc:
            log.warning("the local cache is locked: %s", exc)
            self._ask_locked(path, exc, retry)
            return None
        reset, service = session.cache_reset or self._locked_reset, session.service
        self._locked_reset = None
        service.set_store_tag(self.preferences.store_tag)
        bridge = ServiceBridge(service)
        window = MainWindow(bridge, self.theme, self.preferences.send_key)
        window.tabs.set_email_settings(self.settings.email_settings())
        window.settings_requested.connect(self._open_settings)
        window.sign_out_requested.connect(lambda: self.spawn(self._sign_out()))
        window.quit_requested.connect(self.quit)
        window.first_shown.connect(self.window_shown.emit)
        window.walk_in_requested.connect(self._open_walk_in)
        window.consistency_check_requested.connect(
            lambda: self.spawn(self.check_consistency())
        )
        bridge.auth_failed.connect(self._auth_failed)
        if self.widget_url:
            window.set_widget_url(self.widget_url)
        geometry = self.settings.window_geometry()
        if geometry is not None:
            window.restoreGeometry(geometry)
        window.fit_to_screen()
        if self.preferences.easy_mode:
            window.set_easy_mode(True)
        self.signed = Signed(hub_key, username, session, bridge, window, hub_url)
        notifier = Notifier(window, spawn=self.spawn, sound=self._play_alert, bus_now=False)
        self.signed.notifier = notifier
        self._after_first_paint(self.signed, notifier.start_bus)
        window.routing.offer_arrived.connect(
            lambda title, text, offer_id: notifier.notify(title, text, NoticeKind.OFFER, offer_id))
        notifier.action.connect(self._notice_action)
        bridge.message_changed.connect(self._message_seen)
        self._open_tray(self.signed)
        # Supervisors: an escalated conversation (hub/assist) is a notice of its own.
        window.escalations.alert_arrived.connect(
            lambda title, text: notifier.notify(title, text, NoticeKind.MESSAGE))
        # A follow-up's reminder from the hub (ui/followups).
        window.followups.reminder_arrived.connect(
            lambda title, text, followup_id: notifier.notify(title, text, NoticeKind.FOLLOWUP,
                                                             followup_id))
        # Supervisors: a queue tile that turned amber or red.
        window.supervision.alert_raised.connect(
            lambda title, text: notifier.notify(title, text, NoticeKind.MESSAGE))
        if self._trace is not None:
            self._trace.follow(service, bridge)
        if reset is not None:
            window.show_banner_notice(self.reset_notice(reset))
        if not session.cache.encrypted and not embedded:
            window.show_banner_notice(self.tr(
                "This computer has no system keyring: the local cache is not encrypted."))
        if self.options.crash_report is not None:
            window.show_banner_notice(self.tr(
                "Zuoxi stopped unexpectedly last time. A report (what Python and Qt said, "
                "and the last log lines) was saved for support: {0}").format(
                    str(self.options.crash_report)))
            self.options = replace(self.options, crash_report=None)  # said once
        signed = self.signed
        self._after_first_paint(signed, lambda: self._attach_calls_when_settled(signed))
        window.show()
        return self.signed

    def _attach_calls_when_settled(self, signed: Signed) -> None:
        """The call machinery once the catch-up is applied (the connection is
        online), or CALLS_AT_THE_LATEST_S after the first paint (no hub, or a slow
        one: the PBX phone works without it). Its imports run on a worker thread
        that competes with the GUI thread for the interpreter: during a large
        catch-up they stretched the loop's stalls from ~30 to ~50 ms. A call that
        rings meanwhile waits in the agent service (attach_calls hands it over)."""
        started = False

        def attach() -> None:
            nonlocal started
            if not started:
                started = True
                self._attach_calls(signed)

        def status(connection: ConnectionStatus) -> None:
            if connection.state is ConnectionState.ONLINE:
                attach()

        if signed.service.connection.state is ConnectionState.ONLINE:
            attach()
            return
        signed.bridge.connection_changed.connect(status)
        QTimer.singleShot(int(CALLS_AT_THE_LATEST_S * 1000), signed.window, attach)

    def _attach_calls(self, signed: Signed) -> None:
        """After the window's first paint: the call machinery, for this window."""
        if self.signed is not signed or self._quitting:
            return
        if (self.calls is None and self._audio_host is None
                and "desktop.call_setup" not in sys.modules):
            # Its imports (numpy, the PortAudio bindings, the call desk) take a few
            # hundred milliseconds, and loading PortAudio and listing the devices a
            # few dozen more (it runs ldconfig): on a worker thread, so the window
            # keeps painting and the catch-up goes on meanwhile; the rest of the
            # machinery is then built here.
            self.spawn(self._import_calls_then_attach(signed))
            return
        if self.calls is None:
            from desktop.call_setup import DesktopCalls

            self.calls = DesktopCalls(self.settings, self,  # starts the media thread
                                      telephony=self.telephony, host=self._audio_host)
        desk = self.calls.attach(signed.service, signed.window)
        notifier = signed.notifier
        if desk is not None and notifier is not None:
            desk.call_ringing.connect(
                lambda call_id, caller: notifier.notify(
                    self.tr("Incoming call"), caller, NoticeKind.CALL, call_id))

    async def _import_calls_then_attach(self, signed: Signed) -> None:
        self._audio_host = await asyncio.to_thread(_load_call_machinery)
        if self.signed is not signed or self._quitting:
            return
        if self.calls is None:
            # The media thread and the audio router now, the call desk in the next
            # turn of the loop: two short steps rather than one long one while a
            # catch-up may be running.
            from desktop.call_setup import DesktopCalls

            self.calls = DesktopCalls(self.settings, self, telephony=self.telephony,
                                      host=self._audio_host)
            await asyncio.sleep(0)
        self._attach_calls(signed)

    def _play_alert(self, kind: NoticeKind) -> bool:
        return self.calls.play_alert(kind) if self.calls is not None else False

    # ---- tray and notifications --------------------------------------------------------

    def _open_tray(self, signed: Signed) -> None:
        tray = AgentTray(app_icon(), signed.window)
        signed.tray = tray
        bridge, window = signed.bridge, signed.window
        tray.show_requested.connect(lambda: _bring_forward(window))
        tray.quit_requested.connect(self.quit)
        tray.presence_chosen.connect(window.choose_presence)
        bridge.presence_changed.connect(tray.set_presence)

        def counts() -> None:
            service = bridge.service
            unread = sum(item.unread for item in service.inbox())
            waiting = sum(stat.waiting for stat in service.routing.queue_stats())
            tray.set_counts(unread, waiting)

        # one count per burst: a catch-up changes the inbox hundreds of times
        later = QTimer(tray)
        later.setSingleShot(True)
        later.setInterval(COUNTS_COALESCE_MS)
        later.timeout.connect(counts)
        bridge.inbox_changed.connect(later.start)
        bridge.queue_stats_changed.connect(later.start)
        counts()
        if tray.show() and signed.notifier is not None:
            signed.notifier.use_tray(tray.tray)

    def _message_seen(self, conversation_id: str, message_id: str) -> None:
        """Collect what changed in this event-loop turn; look at it once, after."""
        signed = self.signed
        if signed is None:
            return
        if not signed.changed_messages:
            QTimer.singleShot(0, self._check_messages)
        # the newest change per conversation is the one that may be news
        signed.changed_messages[conversation_id] = message_id

    def _check_messages(self) -> None:
        signed = self.signed
        if signed is None:
            return
        changed, signed.changed_messages = signed.changed_messages, {}
        for conversation_id, message_id in changed.items():
            self._message_notice(conversation_id, message_id)

    def _message_notice(self, conversation_id: str, message_id: str) -> None:
        """A new customer message or email in one of the agent's conversations, while
        the agent is not looking at that conversation."""
        signed = self.signed
        if signed is None or signed.notifier is None:
            return
        service = signed.bridge.service
        message = service.message(message_id)
        if message is None or message.author is not MessageAuthor.CUSTOMER:
            return
        if message_id in signed.noticed or message.created_at < now_ms() - NOTICE_RECENT_MS:
            return  # already said, or history arriving in a catch-up
        signed.noticed.add(message_id)
        window = signed.window
        panel = window.current_panel()
        current = panel.conversation_id if panel is not None else None
        if window.isActiveWindow() and current == conversation_id:
            return
        item = service.conversation(conversation_id)
        if item is None or item.status is not ConversationStatus.OPEN:
            return
        email = item.channel is Channel.EMAIL
        title = (self.tr("New email from {0}") if email else
                 self.tr("New message from {0}")).format(item.customer_name)
        text = message.text.strip().split("\n", 1)[0] if email else message.text
        signed.notifier.notify(title, text[:200],
                               NoticeKind.EMAIL if email else NoticeKind.MESSAGE,
                               conversation_id)

    def _notice_action(self, kind: NoticeKind, key: str, action: str) -> None:
        signed = self.signed
        if signed is None:
            return
        window = signed.window
        if kind is NoticeKind.OFFER and action == ACCEPT:
            window.routing.accept_offer(key)
        elif (kind is NoticeKind.CALL and action == ACCEPT and self.calls is not None
              and self.calls.desk is not None):
            self.calls.desk.answer(key)
        elif kind in (NoticeKind.MESSAGE, NoticeKind.EMAIL):
            window.open_conversation(key)
        elif kind is NoticeKind.FOLLOWUP:
            window.followups.show_followup(key)

    async def _close_signed(self) -> None:
        signed, self.signed = self.signed, None
        if signed is None:
            return
        self.settings.save_window_geometry(signed.window.saveGeometry())
        if signed.walk_in is not None:
            signed.walk_in.close()
            signed.walk_in.deleteLater()
        if self.calls is not None:
            await self.calls.detach()
        signed.bridge.detach()
        if signed.notifier is not None:
            signed.notifier.close()
        if signed.tray is not None:
            signed.tray.hide()
        await signed.session.disconnect()
        signed.window.allow_close()
        signed.window.close()
        signed.window.deleteLater()
        signed.session.close_cache()

    async def _sign_out(self) -> None:
        signed = self.signed
        if signed is None:
            return
        token = self.credentials.get(signed.hub_url, signed.username) if signed.hub_url else None
        server, username = signed.hub_url or "", signed.username
        if signed.hub_url:
            self.credentials.delete(signed.hub_url, signed.username)
        if signed.hub_key != EMBEDDED_KEY:  # signed out: the next start asks first
            self.settings.forget_token_kept()
        await self._close_signed()
        self._show_login(server, username)
        if token and server:
            try:
                await auth.logout(server, token)
            except auth.AuthError as exc:
                log.info("sign-out could not reach the hub: %s", exc)

    def _open_settings(self) -> None:
        parent = self.signed.window if self.signed else None
        config = self.signed.service.routing.config() if self.signed else None
        if config is not None:  # the hub keeps this one
            self.preferences = replace(self.preferences, auto_accept_chat=config.auto_accept_chat)
        from ui.settings.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.preferences, parent, email=self.settings.email_settings(),
                                bridge=self.signed.bridge if self.signed else None,
                                telephony=self.telephony.page())
        dialog.preferences_chosen.connect(self._apply_preferences)
        dialog.telephony_chosen.connect(self._apply_telephony)
        dialog.email_settings_chosen.connect(self._apply_email_settings)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves

    def _apply_telephony(self, account: SipAccountSettings, password: str | None) -> None:
        kept = self.telephony.save(account, password)
        if not kept and password is not None and self.signed is not None:
            self.signed.window.show_banner_notice(self.tr(
                "This computer has no system keyring: the telephone's password is kept only "
                "until Zuoxi closes."))

    def _apply_email_settings(self, email: EmailSettings) -> None:
        self.settings.save_email_settings(email)
        if self.signed:  # open composers take them at once
            self.signed.window.tabs.set_email_settings(email)

    def _apply_preferences(self, preferences: Preferences) -> None:
        self.settings.save_preferences(preferences)
        theme = theme_for(preferences)
        if (theme.name, theme.scale, theme.easy) != (self.theme.name, self.theme.scale,
                                                     self.theme.easy):
            self.theme = theme
            apply_theme(self.app, self.theme)
            if self.signed:
                self.signed.window.set_theme(self.theme)
        if resolve_language(preferences.language) != self.options.language:
            self.spawn(self.switch_language(resolve_language(preferences.language)))
        if self.signed and self.signed.window.easy_mode != preferences.easy_mode:
            self.signed.window.set_easy_mode(preferences.easy_mode)
        if self.signed:
            self.signed.window.set_send_key(preferences.send_key)
            self.signed.service.set_store_tag(preferences.store_tag)
            if preferences.auto_accept_chat != self.preferences.auto_accept_chat:
                self.signed.service.routing.set_auto_accept_chat(preferences.auto_accept_chat)
        self.preferences = preferences

    async def switch_language(self, language: str) -> None:
        """Another language without restarting: the catalogs are swapped and the main
        window is built again in the new language; the session resumes from the cache
        (drafts are kept there) with the same token."""
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.translators = install_translators(self.app, language)
        self.options = replace(self.options, language=language)
        if self.login is not None and not self.login.isVisible():
            self.login.deleteLater()  # made again, in the new language, when needed
            self.login = None
        signed = self.signed
        if signed is None:
            return
        hub_key, username, hub_url, token = (signed.hub_key, signed.username, signed.hub_url,
                                             signed.token)
        await self._close_signed()
        embedded = hub_key == EMBEDDED_KEY and self.hub is not None
        self._reopen_after_switch(hub_key, username, hub_url, token, embedded)

    def _reopen_after_switch(self, hub_key: str, username: str, hub_url: str | None,
                             token: str | None, embedded: bool) -> None:
        fresh = self._open_main(
            hub_key, username, hub_url=None if embedded else hub_url,
            retry=lambda: self._reopen_after_switch(hub_key, username, hub_url, token,
                                                    embedded))
        if fresh is None:
            return
        if embedded:
            self.spawn(self._embedded_sign_in())
        elif hub_url and token:
            fresh.token = token
            self._connect(hub_url, token)
        else:
            self._show_login(hub_url or "", username)

    # ---- walk-in customers and the consistency check -----------------------------------

    def _open_walk_in(self) -> WalkInDialog | None:
        signed = self.signed
        if signed is None:
            return None
        if signed.walk_in is None:
            from ui.profile.walk_in_dialog import WalkInDialog

            signed.walk_in = WalkInDialog(signed.bridge, self.theme, signed.window)
        dialog = signed.walk_in
        dialog.show()  # non-modal: chats go on beside it
        dialog.raise_()
        dialog.activateWindow()
        dialog.search.setFocus()
        return dialog

    async def check_consistency(self) -> ConsistencyDialog | None:
        signed = self.signed
        if signed is None:
            return None
        from core.sync import consistency
        from ui.shell.consistency_dialog import ConsistencyDialog

        dialog = ConsistencyDialog(signed.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()  # not exec(): we are inside an asyncio task
        if not signed.hub_url or not signed.token:
            dialog.show_error(self.tr("Not signed in to a hub yet."))
            return dialog
        try:
            comparison = await consistency.compare(signed.cache, signed.hub_url, signed.token)
        except auth.AuthError as exc:
            dialog.show_error(self.tr("The hub could not be asked: {0}").format(exc))
            return dialog
        dialog.show_comparison(comparison)
        return dialog

    # ---- lifecycle ---------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        return self._tasks.spawn(coro)

    def quit(self, code: int = 0) -> None:
        if self._quitting:
            return
        self._quitting = True
        self.spawn(self._shutdown(code))

    async def _shutdown(self, code: int) -> None:
        try:
            await self._close_signed()
            if self.calls is not None:
                await self.calls.shutdown()
        finally:
            if self.login is not None:
                self.login.hide()
            if self.hub is not None:
                await asyncio.to_thread(self.hub.stop)
            self.finished.emit(code)

    def run_later(self, delay_s: float, callback: Callable[[], None]) -> None:
        asyncio.get_event_loop().call_later(delay_s, callback)


def _load_call_machinery() -> AudioHost:
    """Worker thread: import the call machinery and open PortAudio (device list)."""
    importlib.import_module("desktop.call_setup")
    from core.call.audio_devices import AudioHost

    return AudioHost()


def _to_excepthook(exc: BaseException) -> bool:
    """A failed task is an uncaught error: the installed hook logs it (and tests see it)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)
    return True
