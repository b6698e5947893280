"""One conversation tab: header, message list, typing indicator and composer.

Each tab keeps its own draft. Keys and clicks become intents on the service
(send, type, close, retry); what is shown is re-read when the bridge says so.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.chat.preferences import SendKey
from core.protocol.models import MAX_TEXT_CHARS, Channel, ClosedBy, ConversationStatus
from core.session.agent_service import MessageTooLong
from ui.assist.placeholders import refuse_unfilled
from ui.assist.quick_reply_popup import QuickReplyCompleter
from ui.chat.chat_view import ChatView
from ui.inbox.mood import mood_text
from ui.shell.service_bridge import ServiceBridge
from ui.supervision.coaching_notes import CoachingNotesView
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named


def channel_name(channel: Channel) -> str:
    names = {
        Channel.CHAT: QCoreApplication.translate("ChatPanel", "Web chat"),
        Channel.VOICE: QCoreApplication.translate("ChatPanel", "Voice"),
        Channel.EMAIL: QCoreApplication.translate("ChatPanel", "Email"),
        Channel.STORE: QCoreApplication.translate("ChatPanel", "Store visit"),
    }
    return names.get(channel, channel.value)


class Composer(QPlainTextEdit):
    send_requested = Signal()
    typed = Signal()

    def __init__(self, send_key: SendKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Composer")
        self.send_key = send_key
        self.setTabChangesFocus(True)
        self.setFixedHeight(76)
        self._update_placeholder()

    def set_send_key(self, send_key: SendKey) -> None:
        self.send_key = send_key
        self._update_placeholder()

    def _update_placeholder(self) -> None:
        if self.send_key is SendKey.ENTER:
            self.setPlaceholderText(
                self.tr("Type a reply — Enter to send, Shift+Enter for a new line")
            )
        else:
            self.setPlaceholderText(self.tr("Type a reply — Ctrl+Enter to send"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            if ctrl or (self.send_key is SendKey.ENTER and not shift):
                self.send_requested.emit()
                return
        super().keyPressEvent(event)
        if event.text():
            self.typed.emit()


class ChatPanel(QWidget):
    close_requested = Signal(str)  # conversation id
    transfer_requested = Signal(str)  # conversation id

    def __init__(
        self,
        bridge: ServiceBridge,
        conversation_id: str,
        theme: Theme,
        send_key: SendKey,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.conversation_id = conversation_id
        self._theme = theme

        header = named(QWidget(), "ChatHeader")
        self.title = named(PlainLabel(), "ChatTitle")
        self.subtitle = named(PlainLabel(), "Muted")
        # The channel, mood and escalation line wraps rather than widening the window
        # past a 1280-pixel screen (so may a long customer name).
        self.title.setWordWrap(True)
        self.subtitle.setWordWrap(True)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        self.close_button = QPushButton(self.tr("Close conversation"))
        self.close_button.setToolTip(self.tr("Close this conversation (Ctrl+Shift+W)"))
        self.close_button.clicked.connect(lambda: self.close_requested.emit(self.conversation_id))
        self.transfer_button = QPushButton(self.tr("Transfer…"))
        self.transfer_button.setToolTip(self.tr("Hand this conversation to a colleague or a "
                                                "queue (Ctrl+Shift+T)"))
        self.transfer_button.clicked.connect(
            lambda: self.transfer_requested.emit(self.conversation_id))
        head = QHBoxLayout(header)
        head.setContentsMargins(16, 10, 16, 10)
        head.addLayout(titles, 1)
        head.addWidget(self.transfer_button)
        head.addWidget(self.close_button)
        # A transfer's internal note, shown first (the customer never sees it).
        self.note_banner = named(PlainLabel(), "TransferNoteBanner")
        self.note_banner.setWordWrap(True)
        self.note_banner.hide()

        self.chat_view = ChatView(bridge, conversation_id, theme)
        self.chat_view.retry_requested.connect(bridge.service.retry_message)
        self.typing_label = named(PlainLabel(), "TypingLabel")
        self.typing_label.setFixedHeight(20)
        self.closed_banner = named(PlainLabel(), "ClosedBanner")
        self.closed_banner.hide()

        box = named(QWidget(), "ComposerBox")
        self.composer = Composer(send_key)
        self.composer.send_requested.connect(self.send)
        self.composer.typed.connect(self._typed)
        # "/" opens the quick replies (ui.assist).
        self.quick_replies = QuickReplyCompleter(self.composer, bridge, conversation_id,
                                                 Channel.CHAT)
        self.send_button = QToolButton()
        self.send_button.setObjectName("SendButton")
        self.send_button.setToolTip(self.tr("Send"))
        self.send_button.setIcon(theme.icon("send", "accent", 22))
        self.send_button.clicked.connect(self.send)
        self.error_label = named(PlainLabel(), "LoginError")
        self.error_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer = QVBoxLayout(box)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.addLayout(row)
        outer.addWidget(self.error_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.note_banner)
        layout.addWidget(self.chat_view, 1)
        # A supervisor's whispers to this agent, marked as coaching (ui.supervision).
        self.coaching_notes = CoachingNotesView(bridge, conversation_id)
        layout.addWidget(self.coaching_notes)
        layout.addWidget(self.typing_label)
        layout.addWidget(self.closed_banner)
        layout.addWidget(box)

        bridge.conversation_changed.connect(self._conversation_changed)
        # Bound methods (not lambdas): Qt drops them when this tab is deleted.
        bridge.customer_changed.connect(self._customer_changed)
        bridge.typing_changed.connect(self._typing_changed)
        # What arrives while the agent sees this tab is read as it arrives (core marks
        # it before announcing it); showing the tab marks the rest (eventFilter).
        service, reader = bridge.service, self._on_screen
        service.read_while(conversation_id, reader)
        self.destroyed.connect(lambda: service.stop_reading(conversation_id, reader))
        self.installEventFilter(self)
        self.refresh()

    def _on_screen(self) -> bool:
        # Only in the active window: behind other windows a new message stays unread,
        # so the title counts it and the taskbar flashes until the agent comes back.
        window = self.window()
        return self.isVisible() and not window.isMinimized() and window.isActiveWindow()

    # ---- showing state ---------------------------------------------------------------

    def refresh(self) -> None:
        item = self._bridge.service.conversation(self.conversation_id)
        if item is None:
            self.title.setText(self.tr("Unknown conversation"))
            return
        self.title.setText(item.customer_name)
        # The customer's mood and its trend, as the inbox shows it (hub-classified).
        mood = mood_text(item)
        self.subtitle.setText(" · ".join(filter(None, [channel_name(item.channel), mood])))
        closed = item.status is ConversationStatus.CLOSED
        info = self._bridge.service.routing.info(self.conversation_id)
        self._show_note(info.transfer_note if info else None,
                        info.transferred_by if info else None)
        # chats and emails here; calls are transferred from the call controls
        self.transfer_button.setVisible(not closed
                                        and item.channel in (Channel.CHAT, Channel.EMAIL))
        self.close_button.setVisible(not closed)
        self.composer.setEnabled(not closed)
        self.send_button.setEnabled(not closed)
        self.closed_banner.setVisible(closed)
        if closed:
            who = {
                ClosedBy.AGENT: self.tr("You closed this conversation."),
                ClosedBy.CUSTOMER: self.tr("The customer closed this conversation."),
            }.get(item.closed_by or ClosedBy.SYSTEM, self.tr("This conversation was closed."))
            self.closed_banner.setText(who)
            self.typing_label.clear()

    def _show_note(self, note: str | None, by: str | None) -> None:
        if note:
            who = by or self.tr("a colleague")
            self.note_banner.setText(self.tr("Transferred to you by {0} — note: {1}").format(
                who, note))
        self.note_banner.setVisible(bool(note))

    def title_text(self) -> str:
        item = self._bridge.service.conversation(self.conversation_id)
        return item.customer_name if item else "…"

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.chat_view.set_theme(theme)
        self.send_button.setIcon(theme.icon("send", "accent", 22))

    def set_send_key(self, send_key: SendKey) -> None:
        self.composer.set_send_key(send_key)

    def focus_composer(self) -> None:
        self.composer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _conversation_changed(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh()

    def _customer_changed(self, _customer_id: str) -> None:
        self.refresh()

    def _typing_changed(self, conversation_id: str, active: bool) -> None:
        if conversation_id != self.conversation_id:
            return
        self.typing_label.setText(self.tr("The customer is typing…") if active else "")

    # ---- intents ---------------------------------------------------------------------

    def send(self) -> None:
        text = self.composer.toPlainText()
        if not text.strip():
            return
        if refuse_unfilled(self.composer, self.error_label):
            return
        try:
            self._bridge.service.send_message(self.conversation_id, text)
        except MessageTooLong:
            self.error_label.setText(
                self.tr("This message is too long (at most {0} characters).").format(
                    MAX_TEXT_CHARS
                )
            )
            self.error_label.show()
            return
        self.error_label.hide()
        self.composer.clear()
        self.chat_view.scrollToBottom()

    def _typed(self) -> None:
        if self.composer.toPlainText().strip():
            self._bridge.service.set_typing(self.conversation_id, True)
        else:
            self._bridge.service.set_typing(self.conversation_id, False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Show:
            self._bridge.service.mark_read(self.conversation_id)
        return super().eventFilter(watched, event)
