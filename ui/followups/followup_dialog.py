"""The small dialog that makes a follow-up of the open conversation (type, due time,
note), or changes a follow-up's due time; and the follow-up words (types, statuses).

Opened with ``open()`` (never ``exec()``: a nested loop inside a qasync task fails);
``chosen`` carries what the agent picked once it is valid.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.followups.followups import MAX_NOTE_CHARS
from core.protocol.followups import FollowUpKind, FollowUpStatus
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named
from ui.widgets.time_text import now_ms

DEFAULT_DUE_MS = 24 * 3600 * 1000  # tomorrow, same time


def kind_name(kind: FollowUpKind) -> str:
    names = {
        FollowUpKind.CALLBACK: QCoreApplication.translate("FollowUps", "Call back"),
        FollowUpKind.INVESTIGATION: QCoreApplication.translate("FollowUps", "Investigation"),
        FollowUpKind.COMPLAINT: QCoreApplication.translate("FollowUps", "Complaint"),
        FollowUpKind.OTHER: QCoreApplication.translate("FollowUps", "Other"),
    }
    return names[kind]


def status_name(status: FollowUpStatus) -> str:
    names = {
        FollowUpStatus.OPEN: QCoreApplication.translate("FollowUps", "Open"),
        FollowUpStatus.WAITING_CUSTOMER: QCoreApplication.translate(
            "FollowUps", "Waiting for customer"),
        FollowUpStatus.SOLVED: QCoreApplication.translate("FollowUps", "Solved"),
    }
    return names[status]


def error_text(code: str) -> str:
    """A refusal by core or the hub, in words."""
    texts = {
        "due_in_past": QCoreApplication.translate("FollowUps", "The due time has passed."),
        "note_too_long": QCoreApplication.translate(
            "FollowUps", "The note is too long (at most {0} characters).").format(MAX_NOTE_CHARS),
        "not_found": QCoreApplication.translate("FollowUps", "This follow-up is gone."),
        "forbidden": QCoreApplication.translate(
            "FollowUps", "Only its owner or a supervisor may change this follow-up."),
    }
    return texts.get(code, QCoreApplication.translate(
        "FollowUps", "The follow-up could not be saved ({0}).").format(code))


class FollowUpDialog(QDialog):
    """``chosen(kind, due_at_ms, note)``; with ``due_only`` only the due time is asked
    (and ``kind`` and ``note`` come back as given)."""

    chosen = Signal(object, object, str)  # ms since the epoch exceed a Qt int

    def __init__(self, customer_name: str, parent: QWidget | None = None, *,
                 due_at: int | None = None, kind: FollowUpKind = FollowUpKind.CALLBACK,
                 due_only: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("FollowUpDialog")
        self._kind = kind
        self._due_only = due_only
        self.setWindowTitle(self.tr("Change the due time") if due_only
                            else self.tr("New follow-up"))
        self.customer = named(PlainLabel(customer_name), "FollowUpCustomer")  # outside text
        self.kind = QComboBox()
        for each in FollowUpKind:
            self.kind.addItem(kind_name(each))
        self.kind.setCurrentIndex(list(FollowUpKind).index(kind))
        self.due = QDateTimeEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.due.setMinimumDateTime(QDateTime.currentDateTime())
        start = due_at if due_at is not None else now_ms() + DEFAULT_DUE_MS
        self.due.setDateTime(QDateTime.fromMSecsSinceEpoch(start))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(self.tr("What is left to do (optional)"))
        self.note.setFixedHeight(90)
        self.error = named(PlainLabel(), "FormError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("Customer:"), self.customer)
        if not due_only:
            form.addRow(self.tr("&Type:"), self.kind)
        form.addRow(self.tr("&Due:"), self.due)
        if not due_only:
            form.addRow(self.tr("&Note:"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Save") if due_only else self.tr("Create"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.due if due_only else self.kind).setFocus()

    def due_at(self) -> int:
        return int(self.due.dateTime().toMSecsSinceEpoch())

    def set_due_at(self, due_at: int) -> None:
        self.due.setDateTime(QDateTime.fromMSecsSinceEpoch(due_at))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _accept(self) -> None:
        due_at = self.due_at()
        note = self.note.toPlainText().strip()
        if due_at <= now_ms():
            self.show_error(error_text("due_in_past"))
            return
        if len(note) > MAX_NOTE_CHARS:
            self.show_error(error_text("note_too_long"))
            return
        kind = self._kind if self._due_only else list(FollowUpKind)[self.kind.currentIndex()]
        self.chosen.emit(kind, due_at, note)
        self.accept()
