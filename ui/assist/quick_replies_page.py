"""Settings → Quick replies: the agent's own replies and the team's, listed, added,
changed and deleted.

Every agent edits their personal replies; team replies are edited by
supervisors (and shown read-only to everyone else). A change is saved at once
through the outbox, so it works offline and reaches the agent's other desktops;
the hub may still refuse it, which is said here and undone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from core.assist.quick_replies import ListedReply, QuickReplyDraft, QuickReplyError
from core.assist.quick_reply_cache import ReplyState
from core.protocol.assist import QuickReplyChannel, QuickReplyScope
from ui.assist.feedback_view import FeedbackView
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

ReplyIdRole = Qt.ItemDataRole.UserRole + 1


class QuickRepliesPage(QWidget):
    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QuickRepliesPage")
        self._service = bridge.service
        self._editing: str | None = None  # the reply in the form; None: a new one
        self._loaded: QuickReplyDraft | None = None  # the form as last loaded

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Search: words, shortcut or pinyin initials"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.refresh)
        self.list = QListWidget()
        self.list.setObjectName("QuickReplyTable")
        self.list.currentItemChanged.connect(self._selected)
        self.add_button = QPushButton(self.tr("&New reply"))
        self.add_button.clicked.connect(self.new_reply)
        self.delete_button = QPushButton(self.tr("De&lete"))
        self.delete_button.clicked.connect(self.delete_current)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.add_button)
        left_buttons.addWidget(self.delete_button)
        left_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.filter)
        left.addWidget(self.list, 1)
        left.addLayout(left_buttons)

        self.title = QLineEdit()
        self.title.setMaxLength(120)
        self.shortcut = QLineEdit()
        self.shortcut.setMaxLength(40)
        self.shortcut.setPlaceholderText(self.tr("e.g. refund — typed after /"))
        self.category = QLineEdit()
        self.category.setMaxLength(60)
        self.channel = QComboBox()
        self.channel.addItem(self.tr("Chat and email"), QuickReplyChannel.ANY)
        self.channel.addItem(self.tr("Chat only"), QuickReplyChannel.CHAT)
        self.channel.addItem(self.tr("Email only"), QuickReplyChannel.EMAIL)
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Personal (only me)"), QuickReplyScope.PERSONAL)
        self.scope.addItem(self.tr("Team (everyone)"), QuickReplyScope.TEAM)
        self.text = QPlainTextEdit()
        self.text.setObjectName("QuickReplyText")
        self.text.setTabChangesFocus(True)
        self.help = named(PlainLabel(self.tr(
            "Variables: {{customer.name}}, {{agent.name}}, {{conversation.id}}, "
            "{{customer.<attribute>}}; a fallback after |, e.g. {{customer.name|您好}}. "
            "[[order number]] is a placeholder the agent must fill in before sending.")),
            "Muted")
        self.help.setWordWrap(True)
        self.read_only_note = named(PlainLabel(self.tr(
            "A team reply: only supervisors can change it.")), "Muted")
        self.read_only_note.hide()
        self.error = named(PlainLabel(), "LoginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = QPushButton(self.tr("&Save reply"))
        self.save_button.setObjectName("PrimaryButton")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("S&hortcut"), self.shortcut)
        form.addRow(self.tr("&Category"), self.category)
        form.addRow(self.tr("C&hannel"), self.channel)
        form.addRow(self.tr("Sc&ope"), self.scope)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.text, 1)
        right.addWidget(self.help)
        right.addWidget(self.read_only_note)
        right.addWidget(self.error)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right.addLayout(save_row)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        # Supervisors: what agents said about the suggestions.
        self.feedback = FeedbackView(bridge)
        self.feedback.setVisible(self._service.quick_replies.may_edit(QuickReplyScope.TEAM))
        layout.addWidget(self.feedback)

        bridge.quick_replies_changed.connect(self.refresh)
        bridge.quick_reply_failed.connect(self._failed)
        self.refresh()
        self.new_reply()

    # ---- the list ---------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self._editing
        query = self.filter.text()
        listed = self._service.quick_replies.listed()
        if query.strip():
            order = [h.reply.id for h in self._service.quick_replies.search(query, None, 500)]
            by_id = {r.reply.id: r for r in listed}
            listed = [by_id[i] for i in order if i in by_id]
        self.list.blockSignals(True)
        self.list.clear()
        for entry in listed:
            self.list.addItem(self._item(entry))
            if entry.reply.id == keep:
                self.list.setCurrentRow(self.list.count() - 1)
        self.list.blockSignals(False)
        if keep is not None and self._service.quick_replies.get(keep) is None:
            self.new_reply()  # deleted (here or on another desktop)
        elif keep is not None and not self._dirty():
            self._load(keep)

    def _item(self, entry: ListedReply) -> QListWidgetItem:
        reply = entry.reply
        scope = self.tr("Team") if reply.scope is QuickReplyScope.TEAM else self.tr("Personal")
        parts = [reply.title]
        if reply.shortcut:
            parts.append("/" + reply.shortcut)
        parts.append(scope)
        if reply.category:
            parts.append(reply.category)
        if entry.state is ReplyState.PENDING:
            parts.append(self.tr("waiting to sync"))
        elif entry.state is ReplyState.REFUSED:
            parts.append(self.tr("refused by the hub"))
        item = QListWidgetItem("  ·  ".join(parts))
        item.setData(ReplyIdRole, reply.id)
        if not entry.editable:
            item.setToolTip(self.tr("Read-only: a team reply"))
        return item

    def _selected(self, current: QListWidgetItem | None, _previous: object = None) -> None:
        if current is not None:
            self._load(str(current.data(ReplyIdRole)))

    # ---- the form ---------------------------------------------------------------------

    def new_reply(self) -> None:
        self._editing = None
        self.list.clearSelection()
        for field in (self.title, self.shortcut, self.category):
            field.clear()
        self.text.clear()
        self.channel.setCurrentIndex(0)
        self.scope.setCurrentIndex(0)
        self._set_editable(True, new=True)
        self.error.hide()
        self.title.setFocus()

    def _load(self, reply_id: str) -> None:
        reply = self._service.quick_replies.get(reply_id)
        if reply is None:
            return
        self._editing = reply_id
        self.title.setText(reply.title)
        self.shortcut.setText(reply.shortcut)
        self.category.setText(reply.category)
        self.text.setPlainText(reply.text)
        self.channel.setCurrentIndex(max(0, self.channel.findData(reply.channel)))
        self.scope.setCurrentIndex(max(0, self.scope.findData(reply.scope)))
        self._set_editable(self._service.quick_replies.may_edit(reply.scope), new=False)
        self._loaded = self.draft()
        self.error.hide()

    def _dirty(self) -> bool:
        """The agent changed the form since it was loaded (a change from elsewhere
        must not overwrite what they are typing)."""
        return self._loaded is not None and self.draft() != self._loaded

    def _set_editable(self, editable: bool, *, new: bool) -> None:
        for widget in (self.title, self.shortcut, self.category):
            widget.setReadOnly(not editable)
        self.text.setReadOnly(not editable)
        self.channel.setEnabled(editable)
        # The scope is chosen once; team is offered to supervisors only.
        can_team = self._service.quick_replies.may_edit(QuickReplyScope.TEAM)
        self.scope.setEnabled(new and can_team)
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and not new)
        self.read_only_note.setVisible(not editable)

    def draft(self) -> QuickReplyDraft:
        return QuickReplyDraft(
            title=self.title.text(), text=self.text.toPlainText(),
            # Qt hands the enums back as plain strings.
            scope=QuickReplyScope(self.scope.currentData()),
            channel=QuickReplyChannel(self.channel.currentData()),
            category=self.category.text(), shortcut=self.shortcut.text())

    def save(self) -> str | None:
        try:
            reply_id = self._service.quick_replies.save(self.draft(), self._editing)
        except QuickReplyError as exc:
            self._show_error(exc.code)
            return None
        self._editing = reply_id
        self._loaded = self.draft()
        self.error.hide()
        self.refresh()
        return reply_id

    def delete_current(self) -> None:
        if self._editing is None:
            return
        try:
            self._service.quick_replies.delete(self._editing)
        except QuickReplyError as exc:
            self._show_error(exc.code)
            return
        self.new_reply()
        self.refresh()

    def _show_error(self, code: str) -> None:
        texts = {
            "empty": self.tr("A reply needs a title and a text."),
            "shortcut": self.tr("A shortcut is one word, without spaces or \"/\"."),
            "forbidden": self.tr("Only supervisors can change team replies."),
            "not_found": self.tr("This reply no longer exists."),
            "conflict": self.tr("A reply keeps its scope (personal or team)."),
        }
        self.error.setText(texts.get(code, self.tr("The hub refused the change ({0}).").format(
            code)))
        self.error.show()

    def _failed(self, _kind: str, code: str) -> None:
        self._show_error(code)
