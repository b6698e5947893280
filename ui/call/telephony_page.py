"""Settings → Telephony: the SIP account of this desktop's phone on the center's
PBX, its password (kept in the system keyring, never in the settings file) and a
"Test registration" button that registers once and says how it went.

The page shows and edits; the check itself is core's (``check_registration``),
handed in by the desktop as ``checker``. Every field has a label with a mnemonic
(Alt+letter), the button too, and the result is announced to screen readers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.call.sip_account import (
    AccountProblem,
    RegistrationCheck,
    RegistrationOutcome,
    SipAccountSettings,
)
from core.tasks import BackgroundTasks
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

log = logging.getLogger(__name__)

# (the settings, the typed password or None for the stored one) -> the result
Checker = Callable[[SipAccountSettings, str | None], Awaitable[RegistrationCheck]]


class TelephonyPage(QWidget):
    check_finished = Signal(object)  # RegistrationCheck (tests, and the dialog)

    def __init__(self, settings: SipAccountSettings, checker: Checker, *,
                 has_password: bool, keyring_available: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TelephonyPage")
        self._checker = checker
        self._has_password = has_password
        self._tasks = BackgroundTasks("telephony page", logger=log, on_error=self._failed)

        self.enabled = QCheckBox(
            self.tr("&Ring calls from the PBX on this computer (a SIP telephone)"))
        self.enabled.setObjectName("SipEnabled")
        self.enabled.setChecked(settings.enabled)
        self.url = self._field("SipUrl", settings.url, "wss://pbx.example.com:8443")
        self.username = self._field("SipUsername", settings.username, self.tr("e.g. 1001"))
        self.domain = self._field("SipDomain", settings.domain, self.tr("e.g. pbx.example.com"))
        self.display_name = self._field("SipDisplayName", settings.display_name,
                                        self.tr("e.g. Lina Li"))
        self.password = self._field("SipPassword", "", "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("Stored — type to change") if has_password else self.tr("Not stored yet"))
        self.ca_file = self._field("SipCaFile", settings.ca_file,
                                   self.tr("Optional: a PEM file of the PBX's certificate"))

        self.test_button = named(QPushButton(self.tr("Test re&gistration")), "SipTest")
        self.test_button.setToolTip(self.tr(
            "Registers once with these settings and this password, then unregisters"))
        self.test_button.clicked.connect(self.test_registration)
        self.progress = named(QProgressBar(), "SipTestProgress")
        self.progress.setRange(0, 0)  # busy: the check has no steps to count
        self.progress.setMaximumWidth(120)
        self.progress.setAccessibleName(self.tr("Testing the registration"))
        self.progress.hide()
        self.result = named(PlainLabel(), "SipTestResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName(self.tr("Result of the registration test"))

        form = QFormLayout()
        for text, widget in (
            (self.tr("PBX &address"), self.url),
            (self.tr("&User"), self.username),
            (self.tr("&Domain / realm"), self.domain),
            (self.tr("Display &name"), self.display_name),
            (self.tr("&Password"), self.password),
            (self.tr("Trusted &certificate"), self.ca_file),
        ):
            label = PlainLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.progress)
        test_row.addStretch(1)
        note = named(PlainLabel(
            self.tr("The password is kept in the system keyring, never in the settings file.")
            if keyring_available else
            self.tr("This computer has no system keyring: the password is kept until Zuoxi "
                    "closes and must be typed again after a restart.")), "Muted")
        note.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.enabled)
        column.addLayout(form)
        column.addLayout(test_row)
        column.addWidget(self.result)
        column.addWidget(note)
        column.addStretch(1)
        self.enabled.toggled.connect(self._enable_fields)
        self._enable_fields(self.enabled.isChecked())

    def _field(self, name: str, text: str, placeholder: str) -> QLineEdit:
        edit = named(QLineEdit(text), name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _enable_fields(self, on: bool) -> None:
        for widget in (self.url, self.username, self.domain, self.display_name,
                       self.password, self.ca_file, self.test_button):
            widget.setEnabled(on)

    # ---- what the dialog reads ---------------------------------------------------------

    def account_settings(self) -> SipAccountSettings:
        return SipAccountSettings(
            url=self.url.text().strip(), username=self.username.text().strip(),
            domain=self.domain.text().strip(), display_name=self.display_name.text().strip(),
            enabled=self.enabled.isChecked(), ca_file=self.ca_file.text().strip())

    def typed_password(self) -> str | None:
        """The new password, or None to keep the stored one."""
        return self.password.text() or None

    def is_valid(self) -> bool:
        """Saved as it is? A disabled account always is; else every field must do."""
        settings = self.account_settings()
        if not settings.enabled:
            return True
        problems = settings.problems()
        if problems:
            self._say(self._problem_text(problems[0]), error=True)
            {AccountProblem.URL: self.url, AccountProblem.USERNAME: self.username,
             AccountProblem.DOMAIN: self.domain}[problems[0]].setFocus()
            return False
        if not self._has_password and not self.typed_password():
            self._say(self.tr("Type the password of the SIP account."), error=True)
            self.password.setFocus()
            return False
        return True

    # ---- the test ----------------------------------------------------------------------

    def test_registration(self) -> None:
        if not self.test_button.isEnabled():
            return
        settings = self.account_settings()
        problems = settings.problems()
        if problems:
            self._say(self._problem_text(problems[0]), error=True)
            return
        if not self._has_password and not self.typed_password():
            self._say(self.tr("Type the password of the SIP account."), error=True)
            self.password.setFocus()
            return
        self.test_button.setEnabled(False)
        self.progress.show()
        self._say(self.tr("Registering as {0} at {1}…").format(settings.username, settings.url))
        self._tasks.spawn(self._run(settings, self.typed_password()))

    async def _run(self, settings: SipAccountSettings, password: str | None) -> None:
        try:
            check = await self._checker(settings, password)
        finally:
            self.progress.hide()
            self.test_button.setEnabled(self.enabled.isChecked())
        self.show_result(check)

    def _failed(self, exc: BaseException) -> bool:
        self._say(self.tr("The test could not run: {0}").format(exc), error=True)
        return False

    def show_result(self, check: RegistrationCheck) -> None:
        outcome = check.outcome
        status = str(check.status) if check.status is not None else "—"
        texts = {
            RegistrationOutcome.OK: self.tr("✓ Registered: the PBX accepted this account."),
            RegistrationOutcome.WRONG_PASSWORD: self.tr(
                "✗ Wrong user or password: the PBX refused the credentials ({0}).").format(status),
            RegistrationOutcome.UNREACHABLE: self.tr(
                "✗ The PBX cannot be reached at this address (check the address, the port, "
                "the certificate and the network)."),
            RegistrationOutcome.TIMEOUT: self.tr(
                "✗ The PBX did not answer in time. Try again, or ask its administrator."),
            RegistrationOutcome.REFUSED: self.tr(
                "✗ The PBX refused the registration ({0}).").format(status),
            RegistrationOutcome.BAD_SETTINGS: self.tr(
                "✗ The settings cannot be used: {0}").format(check.detail),
        }
        self._say(texts[outcome], error=outcome is not RegistrationOutcome.OK)
        self.check_finished.emit(check)

    def _problem_text(self, problem: AccountProblem) -> str:
        return {
            AccountProblem.URL: self.tr(
                "The PBX address must start with wss:// (or ws://) and name a host."),
            AccountProblem.USERNAME: self.tr(
                "The user is the extension or SIP user name, without spaces or @."),
            AccountProblem.DOMAIN: self.tr(
                "The domain (realm) is the PBX's SIP domain, e.g. pbx.example.com."),
        }[problem]

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setText(text)
        self.result.setObjectName("WarningText" if error else "Muted")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.setAccessibleDescription(text)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                            | Qt.TextInteractionFlag.TextSelectableByMouse)
