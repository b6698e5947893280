"""Notes about the customer: add and edit (offline too), with author, time and state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.profile.profiles import NoteTooLong
from core.records import NoteRecord, NoteState
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import date_time_text


class NotesView(QWidget):
    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._theme = theme
        self._customer_id: str | None = None
        self._editing: str | None = None  # the note id being edited
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("NoteEditor")
        self.editor.setPlaceholderText(self.tr("Write a note about this customer…"))
        self.editor.setFixedHeight(72)
        self.save = named(QPushButton(self.tr("Add note")), "PrimaryButton")
        self.save.clicked.connect(self._save)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.clicked.connect(self._stop_editing)
        self.cancel.hide()
        self.error = named(PlainLabel(), "FieldError")
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.save)
        self.list_box = QWidget()
        self.list = QVBoxLayout(self.list_box)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.list_box)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 8, 14, 8)
        column.addWidget(self.editor)
        column.addLayout(buttons)
        column.addWidget(scroll, 1)

    def set_notes(self, customer_id: str, notes: tuple[NoteRecord, ...]) -> None:
        if customer_id != self._customer_id:
            self._stop_editing()
            self.editor.clear()
        self._customer_id = customer_id
        while self.list.count():
            item = self.list.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not notes:
            self.list.addWidget(named(PlainLabel(self.tr("No notes yet.")), "Muted"))
        for note in notes:
            self.list.addWidget(self._note_card(note))
        self.list.addStretch(1)

    def _note_card(self, note: NoteRecord) -> QFrame:
        card = named(QFrame(), "NoteCard")
        meta_bits = [note.author_name or self.tr("Unknown author"),
                     date_time_text(note.created_at)]
        if note.updated_at and note.updated_at != note.created_at:
            meta_bits.append(self.tr("edited"))
        if note.state is NoteState.PENDING:
            meta_bits.append(self.tr("not yet synced"))
        meta = named(PlainLabel(" · ".join(meta_bits)), "Muted")
        edit = named(QToolButton(), "EditNote")
        edit.setText(self.tr("Edit"))
        edit.clicked.connect(lambda _c=False, n=note: self._start_editing(n))
        top = QHBoxLayout()
        top.addWidget(meta, 1)
        top.addWidget(edit)
        text = PlainLabel("".join(c if c.isprintable() or c == "\n" else " " for c in note.text))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout(card)
        column.setContentsMargins(10, 6, 10, 8)
        column.setSpacing(2)
        column.addLayout(top)
        column.addWidget(text)
        if note.state is NoteState.FAILED:
            failed = named(PlainLabel(self.tr("Not saved ({0}). Edit it to send it again.")
                                  .format(note.error or "?")), "FieldError")
            failed.setWordWrap(True)
            column.addWidget(failed)
        return card

    def _start_editing(self, note: NoteRecord) -> None:
        self._editing = note.id
        self.editor.setPlainText(note.text)
        self.save.setText(self.tr("Save note"))
        self.cancel.show()
        self.editor.setFocus()

    def _stop_editing(self) -> None:
        if self._editing is not None:
            self.editor.clear()
        self._editing = None
        self.save.setText(self.tr("Add note"))
        self.cancel.hide()
        self.error.hide()

    def _save(self) -> None:
        text = self.editor.toPlainText()
        if self._customer_id is None or not text.strip():
            return
        profiles = self._bridge.service.profiles
        try:
            if self._editing is not None:
                profiles.edit_note(self._editing, text)
            else:
                profiles.add_note(self._customer_id, text)
        except NoteTooLong:
            self.error.setText(self.tr("The note is too long."))
            self.error.show()
            return
        self.editor.clear()
        self._stop_editing()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
