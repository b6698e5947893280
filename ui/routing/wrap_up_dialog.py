"""After a call: a disposition code (from the hub's list) and a note, saved with the
call's record. Non-modal (opened with ``open()``), so chats go on beside it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.protocol.call import Disposition
from ui.profile.profile_header import safe_text
from ui.routing.routing_names import disposition_label
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

MAX_NOTE_CHARS = 2000  # core/protocol/call.py Note


class WrapUpDialog(QDialog):
    wrap_up_chosen = Signal(str, str, str)  # call id, disposition code, note

    def __init__(self, call_id: str, caller: str, duration_text: str,
                 dispositions: list[Disposition], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WrapUpDialog")
        self.setWindowTitle(self.tr("Wrap up the call"))
        self.call_id = call_id
        summary = named(PlainLabel(self.tr("Call with {0} · {1}").format(safe_text(caller, 60),
                                                                     duration_text)),
                        "ToastTitle")
        self.disposition = QComboBox()
        self.disposition.addItem(self.tr("Choose an outcome…"), "")
        for item in dispositions:
            self.disposition.addItem(disposition_label(item.code, item.label), item.code)
        self.disposition.setAccessibleName(self.tr("Outcome"))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was agreed, what happens next"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(110)
        self.error = named(PlainLabel(), "WarningText")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Outcome"), self.disposition)
        form.addRow(self.tr("&Note"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Later"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if not dispositions:
            self.disposition.setEnabled(False)
            self._say(self.tr("The hub has not sent its list of outcomes yet."))
        self.disposition.setFocus()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def save(self) -> None:
        code = self.disposition.currentData() or ""
        note = self.note.toPlainText().strip()
        if not code:
            self._say(self.tr("Choose an outcome first."))
            self.disposition.setFocus()
            return
        if len(note) > MAX_NOTE_CHARS:
            self._say(self.tr("The note is too long ({0} characters, at most {1}).")
                      .format(len(note), MAX_NOTE_CHARS))
            return
        self.wrap_up_chosen.emit(self.call_id, code, note)
        self.accept()
