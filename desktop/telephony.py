"""The desktop as a SIP phone: the account from the settings file, its password from
the keyring, the phone started for a signed-in window when the account is enabled,
restarted when Settings → Telephony changes it, and the page itself.

Thread: the GUI thread (qasync). The phone's I/O runs on the media thread
(core/call/sip_line.py).
"""

from __future__ import annotations

import logging
import ssl
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from core import redaction
from core.call.sip_account import (
    RegistrationCheck,
    RegistrationOutcome,
    SipAccountSettings,
    check_registration,
)
from core.sip.events import RegistrationDidChange, RegistrationState
from core.tasks import BackgroundTasks
from desktop.credentials import CredentialStore
from desktop.settings import Settings

if TYPE_CHECKING:
    from core.call.call_manager import CallManager
    from core.call.media_thread import MediaEngine
    from core.call.sip_line import Report, SipLine
    from ui.call.telephony_page import TelephonyPage  # with the settings dialog
    from ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


def keyring_key(account: SipAccountSettings) -> str:
    """The keyring entry of a SIP account: its user at its PBX."""
    return f"sip:{account.domain}|{account.url}"


class DesktopTelephony(QObject):
    registration_changed = Signal(object)  # RegistrationDidChange

    def __init__(self, settings: Settings, credentials: CredentialStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._credentials = credentials
        self.line: SipLine | None = None
        self._attached: tuple[CallManager, MediaEngine, Report, MainWindow | None] | None = None
        self._state = RegistrationState.UNREGISTERED
        self._tasks = BackgroundTasks("telephony", logger=log)

    # ---- the account ---------------------------------------------------------------

    def account(self) -> SipAccountSettings:
        return self._settings.sip_account()

    def password(self, account: SipAccountSettings) -> str | None:
        return self._credentials.get(keyring_key(account), account.username)

    def save(self, account: SipAccountSettings, password: str | None) -> bool:
        """Store the account (and the new password, in the keyring); the phone starts
        again with them. Returns False when the password could only be kept in memory."""
        old = self.account()
        self._settings.save_sip_account(account)
        kept = True
        if password is not None:
            kept = self._credentials.set(keyring_key(account), account.username, password)
        elif (keyring_key(old), old.username) != (keyring_key(account), account.username):
            # The user or the PBX changed without a new password: carry the old one over.
            previous = self.password(old)
            if previous is not None:
                kept = self._credentials.set(keyring_key(account), account.username, previous)
        if self._attached is not None:
            manager, media, report, window = self._attached
            self._restart(manager, media, report, window)
        return kept

    async def check(self, account: SipAccountSettings,
                    password: str | None) -> RegistrationCheck:
        """The "Test registration" button: the typed password, else the stored one."""
        if password is None:
            password = self.password(account)
        if password is None:
            return RegistrationCheck(RegistrationOutcome.WRONG_PASSWORD)
        redaction.remember(password)  # never in a log line, even a debug one
        return await check_registration(account, password)

    def page(self) -> TelephonyPage:
        from ui.call.telephony_page import TelephonyPage

        account = self.account()
        return TelephonyPage(account, self.check,
                             has_password=self.password(account) is not None,
                             keyring_available=self._credentials.available)

    # ---- the phone -------------------------------------------------------------------

    async def attach(self, manager: CallManager, media: MediaEngine, report: Report,
                     window: MainWindow | None) -> None:
        """A signed-in window's calls: start the phone if the account is enabled."""
        self._attached = (manager, media, report, window)
        await self._start(manager, media, report, window)

    async def detach(self) -> None:
        self._attached = None
        await self._stop()

    def _restart(self, manager: CallManager, media: MediaEngine, report: Report,
                 window: MainWindow | None) -> None:
        async def again() -> None:
            await self._stop()
            await self._start(manager, media, report, window)

        self._tasks.spawn(again())

    async def _start(self, manager: CallManager, media: MediaEngine, report: Report,
                     window: MainWindow | None) -> None:
        account = self.account()
        if not account.enabled or account.problems():
            return
        password = self.password(account)
        if password is None:
            if window is not None:
                window.show_banner_notice(QCoreApplication.translate(
                    "DesktopTelephony", "The telephone is switched on but its password is not "
                    "stored: type it under Settings → Telephony."))
            return
        try:
            context: ssl.SSLContext | None = account.ssl_context()
        except (OSError, ssl.SSLError) as exc:
            if window is not None:
                window.show_banner_notice(QCoreApplication.translate(
                    "DesktopTelephony", "The PBX's certificate file cannot be read: {0}")
                    .format(str(exc)))
            return
        from core.call.sip_line import SipLine

        line = SipLine(manager, media, account.account(password), account.url, report,
                       ssl_context=context)
        line.registration_did_change.connect(self._registration)
        self.line = line
        await line.start()

    async def _stop(self) -> None:
        line, self.line = self.line, None
        if line is not None:
            line.registration_did_change.disconnect(self._registration)
            await line.stop()

    def _registration(self, event: RegistrationDidChange) -> None:
        self.registration_changed.emit(event)
        changed, self._state = event.state is not self._state, event.state
        window = self._attached[3] if self._attached is not None else None
        if window is None or not changed:
            return
        if event.state is RegistrationState.FAILED:
            window.show_banner_notice(QCoreApplication.translate(
                "DesktopTelephony", "The telephone could not register at the PBX ({0}): "
                "check the account under Settings → Telephony.").format(
                    str(event.status) if event.status is not None else "—"))
        elif event.state is RegistrationState.REGISTERED:
            window.show_notice(QCoreApplication.translate(
                "DesktopTelephony", "Telephone ready: calls from the PBX ring here."))
