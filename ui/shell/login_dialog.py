"""Sign-in dialog: server address, user name, password, and clear failure words.

It performs nothing itself: it emits ``login_requested`` and the desktop answers
with ``show_error()`` (an ``AuthError`` from core) or closes it on success.
"Use the local demo hub" (``demo_requested``) leaves a remembered hub for the demo
the desktop runs itself; Quit (or Cancel, when a main window is open behind it) and
Escape reject the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.session.auth import (
    AuthError,
    BadCredentials,
    HubError,
    HubUnreachable,
    InvalidHubUrl,
    TokenExpired,
    TooManyAttempts,
)
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import app_icon, named


class LoginDialog(QDialog):
    login_requested = Signal(str, str, str)  # server URL, user name, password
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginDialog")
        self.setWindowTitle(self.tr("Sign in — Zuoxi"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(400)

        title = named(PlainLabel(self.tr("Sign in to your contact center")), "LoginTitle")
        self.notice = named(PlainLabel(), "LoginNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.server = QLineEdit()
        self.server.setPlaceholderText("https://hub.example.com")
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("e.g. lina"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)

        self.error = named(PlainLabel(), "LoginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.sign_in = named(QPushButton(self.tr("Sign in")), "PrimaryButton")
        self.sign_in.setDefault(True)
        self.sign_in.clicked.connect(self._submit)
        self.demo = QPushButton(self.tr("Use the local demo hub"))
        self.demo.setToolTip(self.tr("Forget this server and run the demo hub on this computer"))
        self.demo.setAutoDefault(False)
        self.demo.clicked.connect(self.demo_requested.emit)
        self.cancel = QPushButton(self.tr("Quit"))
        self.cancel.setAutoDefault(False)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.sign_in)
        for field in (self.server, self.username, self.password):
            field.returnPressed.connect(self._submit)
            field.textChanged.connect(self._update_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._busy = False
        self._update_button()

    # ---- the desktop drives these ----------------------------------------------------

    def set_values(self, server: str, username: str) -> None:
        self.server.setText(server)
        self.username.setText(username)
        (self.password if server and username else self.server).setFocus()

    def set_cancel_quits(self, quits: bool) -> None:
        """Quit when nothing else is open; Cancel when a main window waits behind."""
        self.cancel.setText(self.tr("Quit") if quits else self.tr("Cancel"))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for field in (self.server, self.username, self.password):
            field.setEnabled(not busy)
        self.sign_in.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        self._update_button()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_error(self, error: BaseException) -> None:
        self.set_busy(False)
        self.error.setText(self.describe(error))
        self.error.show()
        if isinstance(error, BadCredentials):
            self.password.selectAll()
            self.password.setFocus()
        elif isinstance(error, (InvalidHubUrl, HubUnreachable)):
            self.server.setFocus()

    def describe(self, error: BaseException) -> str:
        if isinstance(error, BadCredentials):
            return self.tr("Wrong user name or password.")
        if isinstance(error, TokenExpired):
            return self.tr("Your session has expired. Please sign in again.")
        if isinstance(error, TooManyAttempts):
            return self.tr("Too many attempts. Please wait a minute and try again.")
        if isinstance(error, InvalidHubUrl):
            return self.tr("The server address is not valid (example: https://hub.example.com).")
        if isinstance(error, HubUnreachable):
            return self.tr("Cannot reach the server. Check the address and your network.")
        if isinstance(error, HubError):
            return self.tr("The server answered unexpectedly. Please try again later.")
        if isinstance(error, AuthError):
            return self.tr("Sign-in failed.")
        return self.tr("Something went wrong: {0}").format(error)

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisible() else ""

    # ---- internals -------------------------------------------------------------------

    def _update_button(self) -> None:
        ready = all(f.text().strip() for f in (self.server, self.username)) and bool(
            self.password.text()
        )
        self.sign_in.setEnabled(ready and not self._busy)

    def _submit(self) -> None:
        if not self.sign_in.isEnabled():
            return
        self.error.hide()
        self.set_busy(True)
        self.login_requested.emit(
            self.server.text().strip(), self.username.text().strip(), self.password.text()
        )

