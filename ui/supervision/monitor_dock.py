"""The supervisor's monitor: one live conversation, read-only, with coaching actions.

The dock shows the monitored conversation's messages (the chat view, without a
composer), its coaching notes, a whisper box (to the agent only) and, after
barging in, a box that writes to the customer under the supervisor's name. The
actions (whisper, barge in, reassign, stop) are the window's menu actions (see
``ui.supervision.monitor_menu``); the buttons here trigger the same ones.
Customer, agent and note text is shown as plain text. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.protocol.models import ConversationStatus
from core.supervision.coaching import MAX_NOTE_CHARS
from ui.chat.chat_view import ChatView
from ui.shell.service_bridge import ServiceBridge
from ui.supervision.coaching_notes import CoachingNotesView
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named


class MonitorDock(QDockWidget):
    reassign_requested = Signal(str)  # conversation id
    shown_conversation_changed = Signal()

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Monitor"), parent)
        self.setObjectName("MonitorDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self._bridge = bridge
        self._theme = theme
        self.conversation_id: str | None = None
        self.chat_view: ChatView | None = None
        self.notes: CoachingNotesView | None = None

        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.banner = named(PlainLabel(), "MonitorBanner")
        self.banner.setWordWrap(True)
        self._layout.addWidget(self.banner)
        self._slot = QVBoxLayout()
        self._layout.addLayout(self._slot, 1)

        self.whisper_edit = QLineEdit()
        self.whisper_edit.setMaxLength(MAX_NOTE_CHARS)
        self.whisper_edit.setPlaceholderText(
            self.tr("Whisper to the agent (the customer never sees it) — Enter sends"))
        self.whisper_edit.returnPressed.connect(self.send_whisper)
        self.barge_edit = QLineEdit()
        self.barge_edit.setMaxLength(MAX_NOTE_CHARS)
        self.barge_edit.setPlaceholderText(
            self.tr("Message the customer as yourself — Enter sends"))
        self.barge_edit.returnPressed.connect(self.send_to_customer)
        self.barge_edit.hide()
        self.barge_button = QPushButton(self.tr("Barge in"))
        self.barge_button.clicked.connect(self.barge_in)
        self.reassign_button = QPushButton(self.tr("Reassign…"))
        self.reassign_button.clicked.connect(
            lambda: self.conversation_id and self.reassign_requested.emit(self.conversation_id))
        self.stop_button = QPushButton(self.tr("Stop monitoring"))
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(8, 6, 8, 6)
        buttons.addWidget(self.barge_button)
        buttons.addWidget(self.reassign_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        edits = QVBoxLayout()
        edits.setContentsMargins(8, 6, 8, 6)
        edits.addWidget(self.whisper_edit)
        edits.addWidget(self.barge_edit)
        self._layout.addLayout(edits)
        self._layout.addLayout(buttons)
        self.setWidget(body)
        self._set_enabled(False)
        bridge.monitors_changed.connect(self.refresh)
        bridge.conversation_changed.connect(self._conversation_changed)

    def add_footer(self, widget: QWidget) -> None:
        """A line under the buttons (the call-listening state)."""
        widget.setContentsMargins(8, 0, 8, 6)
        self._layout.addWidget(widget)

    # ---- which conversation --------------------------------------------------------------

    def show_conversation(self, conversation_id: str) -> None:
        """Show a conversation being monitored (its history comes with monitor_started)."""
        if conversation_id != self.conversation_id:
            for old in (self.chat_view, self.notes):
                if old is not None:
                    old.deleteLater()
            self.conversation_id = conversation_id
            self.chat_view = ChatView(self._bridge, conversation_id, self._theme)
            self.notes = CoachingNotesView(self._bridge, conversation_id)
            self._slot.addWidget(self.chat_view, 1)
            self._slot.addWidget(self.notes)
            self.barge_edit.hide()
            self.shown_conversation_changed.emit()
        self.show()
        self.raise_()
        self.refresh()

    def refresh(self) -> None:
        if self.conversation_id is None:
            self.banner.setText(self.tr("No conversation monitored. Choose one with "
                                        "Supervise ▸ Monitor a conversation…"))
            return
        service = self._bridge.service
        item = service.conversation(self.conversation_id)
        watched = next((m for m in service.coaching.monitored()
                        if m.conversation_id == self.conversation_id), None)
        customer = item.customer_name if item is not None else ""
        agent = watched.agent_name if watched is not None and watched.agent_name else ""
        if item is not None and item.status is ConversationStatus.CLOSED:
            text = self.tr("{0}: the conversation is closed").format(customer)
        elif watched is None:
            text = self.tr("{0}: opening…").format(customer) if customer else \
                self.tr("Opening the conversation…")
        elif watched.barged:
            text = self.tr("{0} with {1} · you have joined: the customer sees your "
                           "messages").format(customer, agent)
        else:
            text = self.tr("{0} with {1} · monitoring (read-only): the customer does not "
                           "see you").format(customer, agent)
        self.banner.setText(text)
        live = watched is not None and (item is None or item.status is ConversationStatus.OPEN)
        self._set_enabled(live)
        barged = watched is not None and watched.barged
        self.barge_edit.setVisible(barged)
        self.barge_button.setEnabled(live and not barged)

    def _conversation_changed(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.whisper_edit, self.barge_edit, self.barge_button,
                       self.reassign_button, self.stop_button):
            widget.setEnabled(enabled)

    # ---- actions ---------------------------------------------------------------------------

    def focus_whisper(self) -> None:
        if self.conversation_id is not None:
            self.show()
            self.whisper_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def send_whisper(self) -> None:
        text = self.whisper_edit.text().strip()
        if self.conversation_id is None or not text:
            return
        self._bridge.service.coaching.whisper(self.conversation_id, text)
        self.whisper_edit.clear()

    def barge_in(self) -> None:
        if self.conversation_id is None:
            return
        self._bridge.service.coaching.barge_in(self.conversation_id)
        self.barge_edit.show()
        self.barge_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def send_to_customer(self) -> None:
        text = self.barge_edit.text().strip()
        if self.conversation_id is None or not text:
            return
        self._bridge.service.coaching.send_as_supervisor(self.conversation_id, text)
        self.barge_edit.clear()

    def stop(self) -> None:
        if self.conversation_id is not None:
            self._bridge.service.coaching.stop_monitoring(self.conversation_id)
        self.hide()
