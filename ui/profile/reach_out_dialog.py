"""The "Reach out…" dialog: a message to a customer the agent is not talking to.

The hub chooses the way: a chat with this agent when the customer is online in the
web widget, else an email to their address (the subject is used then). It refuses
a customer outside the agent's queues or one reached out to a short while ago; the
refusal comes back in the status bar. Non-modal (``open()``), as qasync needs.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.outreach.reach_out import MAX_SUBJECT_CHARS
from core.protocol.models import MAX_TEXT_CHARS, IdentityKind
from core.records import CustomerProfile
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named


class ReachOutDialog(QDialog):
    reach_out_confirmed = Signal(str, str, str)  # customer id, text, subject

    def __init__(self, profile: CustomerProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReachOutDialog")
        self.setWindowTitle(self.tr("Reach out"))
        self.resize(520, 380)
        self._customer_id = profile.id
        # The customer's name is text from outside: plain text, never rich.
        self.heading = named(PlainLabel(self.tr("Reach out to {0}").format(profile.name)),
                             "ChatTitle")
        emails = [i.value for i in profile.identities if i.kind is IdentityKind.EMAIL]
        if emails:
            how = self.tr("If the customer is online in the web chat, your message opens a "
                          "chat with you there. Otherwise it is emailed to {0}.").format(emails[0])
        else:
            how = self.tr("If the customer is online in the web chat, your message opens a "
                          "chat with you there. They have no email address, so otherwise it "
                          "cannot be sent.")
        self.how = named(PlainLabel(how), "Muted")
        self.how.setWordWrap(True)
        self.subject = QLineEdit()
        self.subject.setObjectName("ReachOutSubject")
        self.subject.setMaxLength(MAX_SUBJECT_CHARS)
        self.subject.setPlaceholderText(self.tr("Subject, if it is emailed"))
        self.subject.setAccessibleName(self.tr("Email subject"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("ReachOutText")
        self.text.setPlaceholderText(self.tr("Your message to the customer"))
        self.text.setAccessibleName(self.tr("Message"))
        self.text.setTabChangesFocus(True)
        subject_label = PlainLabel(self.tr("&Subject"))
        subject_label.setBuddy(self.subject)
        text_label = PlainLabel(self.tr("&Message"))
        text_label.setBuddy(self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.send = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send.setText(self.tr("Send"))
        self.send.setObjectName("ReachOutSend")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.how)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(subject_label)
        layout.addWidget(self.subject)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        text = self.text.toPlainText().strip()
        self.send.setEnabled(bool(text) and len(text) <= MAX_TEXT_CHARS)

    def _confirm(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            return
        self.reach_out_confirmed.emit(self._customer_id, text, self.subject.text())
        self.accept()
