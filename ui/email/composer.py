"""The email composer: To/Cc/Bcc, subject, reply templates, body, attachments.

Every change is saved as the conversation's draft in the cache a moment later (and
at once when the composer hides), so a crash loses nothing and the composer works
offline. Sending checks the draft first (addresses, CR/LF, sizes) and shows what
is wrong next to the field; the mail then goes out through the outbox.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.email.compose import (
    Draft,
    Field,
    FileToSend,
    Issue,
    Problem,
    check_files,
    fill_template,
    validate,
)
from core.email.http_client import FileUnreadable
from core.email.service import DraftInvalid, EmailService
from core.email.settings import EmailSettings
from core.protocol.email import MAX_ATTACHMENTS_BYTES, EmailKind
from ui.assist.placeholders import refuse_unfilled
from ui.email.card import size_text
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

AUTOSAVE_MS = 400


class EmailComposer(QWidget):
    sent = Signal(str)  # message id
    discarded = Signal()

    def __init__(self, email: EmailService, conversation_id: str,
                 settings: EmailSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EmailComposer")
        self._email = email
        self.conversation_id = conversation_id
        self._settings = settings
        self._base = Draft(conversation_id)
        self._files: list[FileToSend] = []
        self._loading = False
        self.customer_name = ""
        self.agent_name = ""

        self.to = QLineEdit()
        self.cc = QLineEdit()
        self.bcc = QLineEdit()
        self.subject = QLineEdit()
        self.to.setPlaceholderText(self.tr("name@example.com, …"))
        self.errors = {f: named(PlainLabel(), "LoginError") for f in Field}
        form = QFormLayout()
        for label, widget, key in (
            (self.tr("&To:"), self.to, Field.TO), (self.tr("&Cc:"), self.cc, Field.CC),
            (self.tr("&Bcc:"), self.bcc, Field.BCC),
            (self.tr("&Subject:"), self.subject, Field.SUBJECT),
        ):
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(widget)
            column.addWidget(self.errors[key])
            caption = PlainLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, column)
            widget.textEdited.connect(self._changed)
        self.template = QComboBox()
        self.template.activated.connect(self._template_chosen)
        self.set_settings(settings)
        self.text = QPlainTextEdit()
        self.text.setObjectName("EmailText")
        self.text.setMinimumHeight(120)
        self.text.textChanged.connect(self._changed)
        self.files = QListWidget()
        self.files.setMaximumHeight(64)
        self.files.setToolTip(self.tr("Delete removes the selected attachment"))
        self.add_file = QPushButton(self.tr("&Attach…"))
        self.add_file.clicked.connect(self._choose_files)
        self.files_total = named(PlainLabel(), "Muted")
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("PrimaryButton")
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send)
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.clicked.connect(self.discard)

        buttons = QHBoxLayout()
        buttons.addWidget(self.template)
        buttons.addWidget(self.add_file)
        buttons.addWidget(self.files_total, 1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.files)
        layout.addWidget(self.errors[Field.FILES])
        layout.addWidget(self.errors[Field.TEXT])
        layout.addLayout(buttons)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        send = QShortcut(QKeySequence("Ctrl+Return"), self)
        send.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        send.activated.connect(self.send)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.files)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self._remove_selected)
        self._show_errors([])

    def set_settings(self, settings: EmailSettings) -> None:
        self._settings = settings
        self.template.clear()
        self.template.addItem(self.tr("Insert a reply template…"))
        for template in settings.templates:
            self.template.addItem(template.name)
        self.template.setEnabled(bool(settings.templates))

    # ---- the draft ----------------------------------------------------------------------

    def load(self, draft: Draft) -> None:
        """Show a draft (a new answer, or the one saved before)."""
        self._loading = True
        try:
            self._base = draft
            self.to.setText(draft.to)
            self.cc.setText(draft.cc)
            self.bcc.setText(draft.bcc)
            self.subject.setText(draft.subject)
            self.text.setPlainText(draft.text)
            self._files = list(draft.files)
            self._show_files()
        finally:
            self._loading = False
        self._show_errors([])

    def draft(self) -> Draft:
        return Draft(
            conversation_id=self.conversation_id, kind=self._base.kind,
            in_reply_to=self._base.in_reply_to, to=self.to.text(), cc=self.cc.text(),
            bcc=self.bcc.text(), subject=self.subject.text(), text=self.text.toPlainText(),
            files=list(self._files), forwarded_ids=list(self._base.forwarded_ids),
        )

    @property
    def kind(self) -> EmailKind:
        return self._base.kind

    def _changed(self) -> None:
        if not self._loading:
            self._autosave.start()

    def save_draft(self) -> None:
        self._autosave.stop()
        self._email.save_draft(self.draft())

    def hideEvent(self, event: QHideEvent) -> None:
        if self._autosave.isActive():
            self.save_draft()
        super().hideEvent(event)

    # ---- templates and files ------------------------------------------------------------

    def _template_chosen(self, index: int) -> None:
        if index <= 0 or index > len(self._settings.templates):
            return
        template = self._settings.templates[index - 1]
        filled = fill_template(template.text, customer_name=self.customer_name,
                               agent_name=self.agent_name)
        cursor = self.text.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        cursor.insertText(filled + "\n")
        self.template.setCurrentIndex(0)

    def _choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Attach files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(self.attach_files)
        dialog.open()

    def attach_files(self, paths: list[str]) -> None:
        for path in paths:
            try:
                item = self._email.file_to_send(Path(path))
            except FileUnreadable:
                self.errors[Field.FILES].setText(self.tr("Cannot read {0}").format(path))
                self.errors[Field.FILES].show()
                continue
            self._files.append(item)
        self._show_files()
        self._show_errors(check_files(self._files))
        self._changed()

    def _remove_selected(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self._files):
            del self._files[row]
            self._show_files()
            self._show_errors(check_files(self._files))
            self._changed()

    def _show_files(self) -> None:
        self.files.clear()
        for item in self._files:
            self.files.addItem(QListWidgetItem(f"{item.filename} ({size_text(item.size)})"))
        self.files.setVisible(bool(self._files))
        total = sum(f.size for f in self._files)
        self.files_total.setText(
            self.tr("{0} of {1}").format(size_text(total), size_text(MAX_ATTACHMENTS_BYTES))
            if self._files else "")

    # ---- sending ------------------------------------------------------------------------

    def send(self) -> str | None:
        draft = self.draft()
        issues = validate(draft)
        if issues:
            self._show_errors(issues)
            return None
        if refuse_unfilled(self.text, self.errors[Field.TEXT]):
            return None
        try:
            message_id = self._email.send(draft)
        except DraftInvalid as exc:
            self._show_errors(exc.issues)
            return None
        self._autosave.stop()
        self._show_errors([])
        self.sent.emit(message_id)
        return message_id

    def discard(self) -> None:
        self._autosave.stop()
        self._email.discard_draft(self.conversation_id)
        self.discarded.emit()

    def _show_errors(self, issues: list[Issue]) -> None:
        by_field: dict[Field, list[str]] = {}
        for issue in issues:
            by_field.setdefault(issue.field, []).append(self.problem_text(issue))
        for key, label in self.errors.items():
            texts = by_field.get(key, [])
            label.setText("\n".join(texts))
            label.setVisible(bool(texts))

    def problem_text(self, issue: Issue) -> str:
        texts = {
            Problem.NO_RECIPIENT: self.tr("Add at least one recipient."),
            Problem.BAD_ADDRESS: self.tr("Not an email address: {0}"),
            Problem.LINE_BREAK: self.tr("Line breaks are not allowed here."),
            Problem.TOO_MANY_RECIPIENTS: self.tr("Too many recipients."),
            Problem.TOO_LONG: self.tr("Too long."),
            Problem.FILE_TOO_LARGE: self.tr("{0} is larger than the limit."),
            Problem.FILES_TOO_LARGE: self.tr("The attachments together exceed {0}."),
        }
        text = texts[issue.problem]
        if issue.problem is Problem.FILES_TOO_LARGE:
            return text.format(size_text(MAX_ATTACHMENTS_BYTES))
        return text.format(issue.value) if "{0}" in text else text
