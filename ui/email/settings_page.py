"""The Email page of the settings dialog: signature, reply templates, own addresses.

Templates are edited in place: the list on the left, the chosen template's name and
text on the right; Add, Remove and moving up/down have buttons and keys (Insert,
Delete, Alt+Up/Down). The mailbox's own addresses are checked as they are typed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
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

from core.email.compose import Field, check_addresses, split_addresses
from core.email.settings import EmailSettings, ReplyTemplate
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

_TEXT_ROLE = Qt.ItemDataRole.UserRole


class EmailSettingsPage(QWidget):
    validity_changed = Signal(bool)  # the page can be saved as it is

    def __init__(self, settings: EmailSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EmailSettingsPage")
        self._filling = False

        self.signature = QPlainTextEdit(settings.signature)
        self.signature.setObjectName("EmailSignature")
        self.signature.setTabChangesFocus(True)
        self.signature.setPlaceholderText(self.tr("e.g. Lina Li · Customer care · 400-820-1234"))
        self.signature.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)

        self.templates = QListWidget()
        self.templates.setObjectName("EmailTemplates")
        self.templates.setAccessibleName(self.tr("Reply templates"))
        for template in settings.templates:
            self._add_item(template.name, template.text)
        self.templates.currentRowChanged.connect(self._show_current)

        self.template_name = QLineEdit()
        self.template_name.setObjectName("EmailTemplateName")
        self.template_name.setPlaceholderText(self.tr("Template name"))
        self.template_name.textEdited.connect(self._edited)
        self.template_text = QPlainTextEdit()
        self.template_text.setObjectName("EmailTemplateText")
        self.template_text.setTabChangesFocus(True)
        self.template_text.setPlaceholderText(self.tr("Dear {customer_name}, …"))
        self.template_text.textChanged.connect(self._edited)

        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.setObjectName("AddTemplate")
        self.add_button.setToolTip(self.tr("Add a template (Insert)"))
        self.add_button.clicked.connect(self.add_template)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.setObjectName("RemoveTemplate")
        self.remove_button.setToolTip(self.tr("Remove the template (Delete)"))
        self.remove_button.clicked.connect(self.remove_template)
        self.up_button = QPushButton(self.tr("Move &up"))
        self.up_button.clicked.connect(lambda: self.move_template(-1))
        self.down_button = QPushButton(self.tr("Move dow&n"))
        self.down_button.clicked.connect(lambda: self.move_template(1))
        self.templates.installEventFilter(self)  # Insert, Delete, Alt+Up/Down on the list

        self.mailboxes = QLineEdit(", ".join(settings.mailboxes))
        self.mailboxes.setObjectName("EmailMailboxes")
        self.mailboxes.setPlaceholderText(self.tr("support@example.com, service@example.com"))
        self.mailboxes.setToolTip(self.tr(
            "The support mailbox's own addresses: \"reply all\" never sends to them."))
        self.mailboxes.textChanged.connect(self._check_mailboxes)
        self.mailbox_error = named(PlainLabel(), "LoginError")  # the error style
        self.mailbox_error.setWordWrap(True)
        self.mailbox_error.hide()

        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        editor = QVBoxLayout()
        editor.addWidget(self.template_name)
        editor.addWidget(self.template_text, 1)
        hint = named(PlainLabel(self.tr(
            "{customer_name} and {agent_name} are filled in when the template is used. "
            "The first template greets every new reply.")), "Muted")
        hint.setWordWrap(True)
        editor.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(self.templates, 2)
        row.addLayout(buttons)
        row.addLayout(editor, 3)

        form = QFormLayout(self)
        mailbox_box = QVBoxLayout()
        mailbox_box.addWidget(self.mailboxes)
        mailbox_box.addWidget(self.mailbox_error)
        for text, buddy, field in (
            (self.tr("&Signature"), self.signature, self.signature),
            (self.tr("Reply &templates"), self.templates, row),
            (self.tr("Our &addresses"), self.mailboxes, mailbox_box),
        ):
            label = PlainLabel(text)
            label.setBuddy(buddy)  # Alt+letter moves there
            form.addRow(label, field)
        self.setMinimumWidth(640)
        if self.templates.count():
            self.templates.setCurrentRow(0)
        self._show_current(self.templates.currentRow())

    # ---- templates ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.templates and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if key == Qt.Key.Key_Insert:
                self.add_template()
            elif key == Qt.Key.Key_Delete:
                self.remove_template()
            elif alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_template(-1 if key == Qt.Key.Key_Up else 1)
            else:
                return False
            return True
        return super().eventFilter(watched, event)

    def _add_item(self, name: str, text: str) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setData(_TEXT_ROLE, text)
        self.templates.addItem(item)
        return item

    def add_template(self) -> None:
        item = self._add_item(self.tr("New template"), self.tr("Dear {customer_name},\n\n"))
        self.templates.setCurrentItem(item)
        self.template_name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.template_name.selectAll()

    def remove_template(self) -> None:
        row = self.templates.currentRow()
        if row >= 0:
            self.templates.takeItem(row)
        self._show_current(self.templates.currentRow())

    def move_template(self, step: int) -> None:
        row = self.templates.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.templates.count():
            return
        item = self.templates.takeItem(row)
        self.templates.insertItem(target, item)
        self.templates.setCurrentRow(target)

    def _show_current(self, row: int) -> None:
        item = self.templates.item(row) if row >= 0 else None
        self._filling = True
        try:
            self.template_name.setText(item.text() if item else "")
            self.template_text.setPlainText(str(item.data(_TEXT_ROLE)) if item else "")
        finally:
            self._filling = False
        for widget in (self.template_name, self.template_text, self.remove_button,
                       self.up_button, self.down_button):
            widget.setEnabled(item is not None)

    def _edited(self) -> None:
        item = self.templates.currentItem()
        if self._filling or item is None:
            return
        item.setText(self.template_name.text())
        item.setData(_TEXT_ROLE, self.template_text.toPlainText())

    # ---- addresses and the result ------------------------------------------------------

    def _check_mailboxes(self) -> None:
        issues = check_addresses(Field.TO, self.mailboxes.text())
        if issues:
            bad = ", ".join(i.value for i in issues if i.value)
            self.mailbox_error.setText(self.tr("Not an email address: {0}").format(bad)
                                       if bad else self.tr("One address per entry, no line "
                                                           "breaks."))
        self.mailbox_error.setVisible(bool(issues))
        self.validity_changed.emit(not issues)

    def is_valid(self) -> bool:
        return not check_addresses(Field.TO, self.mailboxes.text())

    def email_settings(self) -> EmailSettings:
        templates = []
        for row in range(self.templates.count()):
            item = self.templates.item(row)
            name = item.text().strip()
            text = str(item.data(_TEXT_ROLE))
            if name or text.strip():
                templates.append(ReplyTemplate(name or text.strip().splitlines()[0][:40], text))
        return EmailSettings(
            signature=self.signature.toPlainText().rstrip(),
            templates=tuple(templates),
            mailboxes=tuple(dict.fromkeys(a.lower() for a in
                                          split_addresses(self.mailboxes.text()))),
        )
