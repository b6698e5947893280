"""Dialogs at the end of the agent's part: transfer to someone else, or close with a disposition.

Both are non-modal (``open()``, never ``exec()`` under qasync) and emit what the
agent chose; the caller turns it into an intent on the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.protocol.routing import Disposition, QueueInfo
from ui.profile.profile_header import safe_text
from ui.routing.routing_names import disposition_label, queue_name
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

MAX_NOTE_CHARS = 1000  # the protocol's limit for transfer and close notes
CodeRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class TransferTarget:
    """A colleague the conversation can go to."""

    agent_id: str
    name: str


class NoteEdit(QPlainTextEdit):
    """A short note that never exceeds the protocol's limit; Tab moves on."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setFixedHeight(90)
        self.textChanged.connect(self._clip)

    def _clip(self) -> None:
        text = self.toPlainText()
        if len(text) > MAX_NOTE_CHARS:
            self.setPlainText(text[:MAX_NOTE_CHARS])
            self.moveCursor(self.textCursor().MoveOperation.End)

    def note(self) -> str:
        return self.toPlainText().strip()


class TransferDialog(QDialog):
    """Emits ``transfer_chosen(to_agent | None, to_queue | None, note)``."""

    transfer_chosen = Signal(object, object, str)

    def __init__(self, customer_name: str, agents: list[TransferTarget],
                 queues: list[QueueInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TransferDialog")
        self.setWindowTitle(self.tr("Transfer {0}").format(safe_text(customer_name, 60)))
        self.setMinimumWidth(420)
        self.to_agent = QRadioButton(self.tr("To a &colleague"))
        self.to_queue = QRadioButton(self.tr("To a &queue"))
        group = QButtonGroup(self)
        group.addButton(self.to_agent)
        group.addButton(self.to_queue)
        self.agent_box = QComboBox()
        for agent in agents:
            self.agent_box.addItem(safe_text(agent.name, 60), agent.agent_id)
        self.queue_box = QComboBox()
        for queue in queues:
            self.queue_box.addItem(safe_text(queue_name(queue.id, queue.name), 60), queue.id)
        self.to_agent.setEnabled(bool(agents))
        self.to_queue.setEnabled(bool(queues))
        (self.to_agent if agents else self.to_queue).setChecked(True)
        self.note = NoteEdit(self.tr("Internal note for the next agent (the customer does not "
                                     "see it)"))
        hint = named(PlainLabel(self.tr("The customer is told that a colleague takes over.")),
                     "Muted")
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.transfer = named(QPushButton(self.tr("Transfer")), "PrimaryButton")
        self.transfer.setDefault(True)
        self.buttons.addButton(self.transfer, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        grid = QGridLayout()
        grid.addWidget(self.to_agent, 0, 0)
        grid.addWidget(self.agent_box, 0, 1)
        grid.addWidget(self.to_queue, 1, 0)
        grid.addWidget(self.queue_box, 1, 1)
        grid.setColumnStretch(1, 1)
        column = QVBoxLayout(self)
        column.addLayout(grid)
        note_label = named(PlainLabel(self.tr("&Note")), "Muted")
        note_label.setBuddy(self.note)
        column.addWidget(note_label)
        column.addWidget(self.note)
        column.addWidget(hint)
        column.addWidget(self.buttons)
        self.to_agent.toggled.connect(self._update)
        self.agent_box.activated.connect(lambda _row: self.to_agent.setChecked(True))
        self.queue_box.activated.connect(lambda _row: self.to_queue.setChecked(True))
        self._update()

    def _update(self) -> None:
        self.agent_box.setEnabled(self.to_agent.isChecked())
        self.queue_box.setEnabled(self.to_queue.isChecked())
        ok = (self.to_agent.isChecked() and self.agent_box.count() > 0) or (
            self.to_queue.isChecked() and self.queue_box.count() > 0)
        self.transfer.setEnabled(ok)

    def choose_agent(self, agent_id: str) -> None:
        self.to_agent.setChecked(True)
        self.agent_box.setCurrentIndex(self.agent_box.findData(agent_id))

    def choose_queue(self, queue_id: str) -> None:
        self.to_queue.setChecked(True)
        self.queue_box.setCurrentIndex(self.queue_box.findData(queue_id))

    def _confirm(self) -> None:
        if self.to_agent.isChecked() and self.agent_box.currentIndex() >= 0:
            self.transfer_chosen.emit(self.agent_box.currentData(), None, self.note.note())
        elif self.to_queue.isChecked() and self.queue_box.currentIndex() >= 0:
            self.transfer_chosen.emit(None, self.queue_box.currentData(), self.note.note())
        else:
            return
        self.accept()


class DispositionDialog(QDialog):
    """Emits ``disposition_chosen(code | None, note)``; a code is needed when required."""

    disposition_chosen = Signal(object, str)

    def __init__(self, customer_name: str, dispositions: list[Disposition], required: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DispositionDialog")
        self.setWindowTitle(self.tr("Close {0}").format(safe_text(customer_name, 60)))
        self.setMinimumWidth(380)
        self._required = required and bool(dispositions)
        prompt = PlainLabel(self.tr("How did it end? Pick an &outcome:"))
        self.codes = QListWidget()
        self.codes.setObjectName("DispositionCodes")
        self.codes.setMaximumHeight(34 * max(3, min(len(dispositions), 8)))
        for disposition in dispositions:
            item = QListWidgetItem(safe_text(disposition_label(disposition.code,
                                                               disposition.label), 80))
            item.setData(CodeRole, disposition.code)
            self.codes.addItem(item)
        prompt.setBuddy(self.codes)
        self.codes.itemSelectionChanged.connect(self._update)
        self.codes.itemDoubleClicked.connect(lambda _item: self._confirm())
        self.note = NoteEdit(self.tr("Optional wrap-up note"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = named(QPushButton(self.tr("Close conversation")), "PrimaryButton")
        self.close_button.setDefault(True)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(prompt)
        column.addWidget(self.codes, 1)
        column.addWidget(self.note)
        column.addWidget(self.buttons)
        if self.codes.count():
            self.codes.setFocus()  # arrows move, Space selects, Enter closes
        self._update()

    def code(self) -> str | None:
        # The selection, not the current row: focus alone must not choose an outcome.
        items = self.codes.selectedItems()
        return str(items[0].data(CodeRole)) if items else None

    def choose(self, code: str) -> None:
        for row in range(self.codes.count()):
            if self.codes.item(row).data(CodeRole) == code:
                self.codes.setCurrentRow(row)

    def _update(self) -> None:
        self.close_button.setEnabled(not self._required or self.code() is not None)

    def _confirm(self) -> None:
        if self._required and self.code() is None:
            return
        self.disposition_chosen.emit(self.code(), self.note.note())
        self.accept()
