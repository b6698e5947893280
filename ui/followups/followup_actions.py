"""Follow-ups in the main window: the pane beside the conversations (the list and its
buttons), the "new follow-up" dialog for the open conversation, and reminders.

``FollowUpActions`` turns clicks and keys into ``service.followups`` intents; core
changes the cached list at once and the hub's answer (or refusal, undone by core)
comes back as ``followups_changed``. A reminder from the hub highlights its row and
emits ``reminder_arrived(title, text, followup_id)`` for the desktop's notifier.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.followups.followups import FollowUpError, FollowUpsClient
from core.protocol.followups import FollowUpKind, FollowUpStatus
from ui.followups.followup_dialog import FollowUpDialog, error_text, kind_name
from ui.followups.followup_list import FollowUpList
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import date_time_text

CurrentConversation = Callable[[], str | None]


class FollowUpPane(QWidget):
    """The list, a hint while it is empty, and the buttons that change the current one."""

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FollowUpPane")
        self.list = FollowUpList(bridge, theme)
        self.empty_hint = named(PlainLabel(self.tr(
            "No follow-ups. Make one from a conversation with Ctrl+Shift+J.")), "EmptyHint")
        self.empty_hint.setWordWrap(True)
        self.waiting_button = QPushButton(self.tr("&Waiting"))
        self.waiting_button.setToolTip(self.tr("Waiting for the customer"))
        self.solved_button = QPushButton(self.tr("S&olved"))
        self.due_button = QPushButton(self.tr("D&ue…"))
        self.due_button.setToolTip(self.tr("Change the due time"))
        self.error = named(PlainLabel(), "FormError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6, 4, 6, 4)
        for button in (self.waiting_button, self.solved_button, self.due_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.empty_hint)
        column.addWidget(self.list, 1)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.list.followup_model.modelReset.connect(self.update_state)
        self.list.followup_model.dataChanged.connect(self.update_state)
        self.list.selectionModel().currentChanged.connect(self.update_state)
        self.update_state()

    def update_state(self) -> None:
        empty = self.list.followup_model.rowCount() == 0
        self.empty_hint.setVisible(empty)
        current = self.list.current()
        for button in (self.waiting_button, self.solved_button, self.due_button):
            button.setEnabled(current is not None and current.status is not FollowUpStatus.SOLVED)


class FollowUpActions(QObject):
    """``open_requested(conversation_id)``: the agent wants a follow-up's conversation;
    ``reminder_arrived(title, text, followup_id)``: a desktop notification to show."""

    open_requested = Signal(str)
    reminder_arrived = Signal(str, str, str)
    shown_requested = Signal()  # show the follow-up pane

    def __init__(self, bridge: ServiceBridge, theme: Theme, window: QWidget,
                 current_conversation: CurrentConversation) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._window = window
        self._current_conversation = current_conversation
        self.pane = FollowUpPane(bridge, theme)
        self.list = self.pane.list
        self.dialog: FollowUpDialog | None = None
        self.list.open_requested.connect(self.open_requested.emit)
        self.pane.waiting_button.clicked.connect(
            lambda: self.set_status(FollowUpStatus.WAITING_CUSTOMER))
        self.pane.solved_button.clicked.connect(lambda: self.set_status(FollowUpStatus.SOLVED))
        self.pane.due_button.clicked.connect(self.open_due_dialog)
        bridge.followup_reminder_changed.connect(self._reminded)
        bridge.command_failed.connect(self._command_failed)

    @property
    def service(self) -> FollowUpsClient:
        return self._bridge.service.followups

    def set_theme(self, theme: Theme) -> None:
        self.list.set_theme(theme)

    # ---- making one ----------------------------------------------------------------

    def open_new_dialog(self) -> FollowUpDialog | None:
        """Ctrl+Shift+J: a follow-up of the conversation on screen."""
        self._show_error("")
        conversation_id = self._current_conversation()
        item = (self._bridge.service.conversation(conversation_id)
                if conversation_id is not None else None)
        if conversation_id is None or item is None:
            self._show_error(self.tr("Open a conversation first to make a follow-up of it."))
            return None
        dialog = self._replace_dialog(FollowUpDialog(item.customer_name, self._window))

        def chosen(kind: FollowUpKind, due_at: int, note: str) -> None:
            try:
                followup_id = self.service.create(conversation_id, item.customer_id,
                                                  item.customer_name, kind, due_at, note)
            except FollowUpError as exc:
                self._show_error(error_text(exc.code))
                return
            self.shown_requested.emit()
            self.list.select(followup_id)

        dialog.chosen.connect(chosen)
        dialog.open()
        return dialog

    # ---- changing the current one --------------------------------------------------

    def set_status(self, status: FollowUpStatus) -> None:
        followup = self.list.current()
        if followup is None:
            return
        self._show_error("")
        try:
            self.service.set_status(followup.id, status)
        except FollowUpError as exc:
            self._show_error(error_text(exc.code))

    def open_due_dialog(self) -> FollowUpDialog | None:
        followup = self.list.current()
        if followup is None:
            return None
        dialog = self._replace_dialog(FollowUpDialog(
            followup.customer_name, self._window, due_at=followup.due_at, kind=followup.kind,
            due_only=True))
        followup_id = followup.id

        def chosen(_kind: FollowUpKind, due_at: int, _note: str) -> None:
            try:
                self.service.set_due(followup_id, due_at)
            except FollowUpError as exc:
                self._show_error(error_text(exc.code))

        dialog.chosen.connect(chosen)
        dialog.open()
        return dialog

    def show_followup(self, followup_id: str) -> None:
        """The notification's "Open": the pane, with the follow-up selected."""
        self.shown_requested.emit()
        self.list.select(followup_id)
        self.list.setFocus()

    def focus_list(self) -> None:
        self.shown_requested.emit()
        if not self.list.currentIndex().isValid() and self.list.followup_model.rowCount():
            self.list.setCurrentIndex(self.list.followup_model.index(0))
        self.list.setFocus()

    # ---- from the hub --------------------------------------------------------------

    def _reminded(self, followup_id: str) -> None:
        followup = self.service.followup(followup_id)
        if followup is None or followup.status is FollowUpStatus.SOLVED:
            return
        self.list.followup_model.highlight(followup_id)
        row = self.list.followup_model.row_of(followup_id)
        if row is not None:
            self.list.scrollTo(self.list.followup_model.index(row))
        title = self.tr("Follow-up due: {0}").format(followup.customer_name)
        text = self.tr("{0}, due {1}").format(kind_name(followup.kind),
                                              date_time_text(followup.due_at))
        if followup.note:
            text += "\n" + followup.note
        self.reminder_arrived.emit(title, text[:200], followup_id)

    def _command_failed(self, kind: str, code: str) -> None:
        if kind == "followup":
            self._show_error(error_text(code))

    def _show_error(self, text: str) -> None:
        self.pane.error.setText(text)
        self.pane.error.setVisible(bool(text))

    def _replace_dialog(self, dialog: FollowUpDialog) -> FollowUpDialog:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = dialog
        return dialog
