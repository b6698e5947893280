"""The "/" popup of a composer: quick replies found as the agent types, inserted with
Enter, all from the keyboard.

Typing "/" at the start of a word opens it; what follows the "/" is the search
(fuzzy Latin text, Chinese substrings, pinyin initials). Up and Down move, Enter
or Tab inserts the reply with its variables filled in and selects its first
placeholder, Escape closes it and leaves the text as typed. The keys keep going
to the composer: the popup never takes the focus. It reads the cache only, so it
works offline.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QFrame, QListWidget, QListWidgetItem, QPlainTextEdit, QVBoxLayout

from core.assist.quick_reply_search import Hit
from core.protocol.assist import QuickReply, QuickReplyScope
from core.protocol.models import Channel
from ui.assist.placeholders import select_first_placeholder
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

MAX_QUERY_CHARS = 40
MAX_ITEMS = 8
PREVIEW_CHARS = 70

ReplyRole = Qt.ItemDataRole.UserRole + 1


def trigger_query(text_before_cursor: str) -> tuple[int, str] | None:
    """(position of the "/", query) when the cursor is in a "/word" that starts a word."""
    line_start = text_before_cursor.rfind("\n") + 1
    slash = text_before_cursor.rfind("/", line_start)
    if slash < 0:
        return None
    if slash > 0 and not text_before_cursor[slash - 1].isspace():
        return None  # "and/or", a URL: not a trigger
    query = text_before_cursor[slash + 1 :]
    if len(query) > MAX_QUERY_CHARS or query.startswith(" ") or "  " in query:
        return None
    return slash, query


class QuickReplyPopup(QFrame):
    """The list itself; shown over the composer's window, never focused."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(None)
        self.setObjectName("QuickReplyPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list = QListWidget()
        self.list.setObjectName("QuickReplyList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(False)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hint = named(PlainLabel(), "Muted")
        self.hint.setText(self.tr("↑↓ choose · Enter insert · Esc close"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.setFixedWidth(420)

    def show_hits(self, hits: list[Hit]) -> None:
        self.list.clear()
        for hit in hits[:MAX_ITEMS]:
            self.list.addItem(self._item(hit.reply))
        self.list.setCurrentRow(0)
        rows = min(self.list.count(), MAX_ITEMS)
        height = sum(self.list.sizeHintForRow(r) for r in range(rows))
        self.list.setFixedHeight(height + 2 * self.list.frameWidth() + 2)
        self.adjustSize()

    def _item(self, reply: QuickReply) -> QListWidgetItem:
        metrics = QFontMetrics(self.list.font())
        width = self.width() - 40
        preview = metrics.elidedText(" ".join(reply.text.split())[:PREVIEW_CHARS * 2],
                                     Qt.TextElideMode.ElideRight, width)
        head = reply.title
        if reply.shortcut:
            head += f"   /{reply.shortcut}"
        if reply.scope is QuickReplyScope.TEAM:
            head += "   · " + self.tr("team")
        head = metrics.elidedText(head, Qt.TextElideMode.ElideRight, width)
        item = QListWidgetItem(f"{head}\n{preview}")  # item text is plain text
        item.setData(ReplyRole, reply.id)
        return item

    def step(self, step: int) -> None:
        count = self.list.count()
        if count:
            self.list.setCurrentRow((self.list.currentRow() + step) % count)

    def current_reply_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(ReplyRole))


class QuickReplyCompleter(QObject):
    """Watches one composer for "/" and drives its popup."""

    inserted = Signal(str)  # the reply's id

    def __init__(self, editor: QPlainTextEdit, bridge: ServiceBridge, conversation_id: str,
                 channel: Channel) -> None:
        super().__init__(editor)
        self.editor = editor
        self._service = bridge.service
        self.conversation_id = conversation_id
        self.channel = channel
        self.popup = QuickReplyPopup()
        self._trigger: tuple[int, str] | None = None
        editor.installEventFilter(self)
        editor.textChanged.connect(self._update)
        editor.cursorPositionChanged.connect(self._update)
        editor.destroyed.connect(self.popup.deleteLater)
        bridge.quick_replies_changed.connect(self._update)

    @property
    def is_open(self) -> bool:
        return self.popup.isVisible()

    def close_popup(self) -> None:
        self._trigger = None
        self.popup.hide()

    def _update(self) -> None:
        editor = self.editor
        if not editor.hasFocus() and not self.is_open:
            return
        cursor = editor.textCursor()
        if cursor.hasSelection():
            self.close_popup()
            return
        found = trigger_query(editor.toPlainText()[: cursor.position()])
        if found is None:
            self.close_popup()
            return
        hits = self._service.quick_replies.search(found[1], self.channel, MAX_ITEMS)
        if not hits:
            self.close_popup()
            return
        self._trigger = found
        self.popup.show_hits(hits)
        self._place()

    def _place(self) -> None:
        window = self.editor.window()
        if self.popup.parent() is not window:
            self.popup.setParent(window)
        rect = self.editor.cursorRect()
        top_left = self.editor.viewport().mapTo(window, rect.topLeft())
        x = max(0, min(top_left.x(), window.width() - self.popup.width()))
        y = top_left.y() - self.popup.height() - 4
        if y < 0:  # no room above the line: below it
            y = top_left.y() + rect.height() + 4
        self.popup.setGeometry(x, y, self.popup.width(), self.popup.height())
        self.popup.show()
        self.popup.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and self.is_open:
            if event.type() == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                key = event.key()
                if key == Qt.Key.Key_Down:
                    self.popup.step(1)
                    return True
                if key == Qt.Key.Key_Up:
                    self.popup.step(-1)
                    return True
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                    self.insert_current()
                    return True
                if key == Qt.Key.Key_Escape:
                    self.close_popup()
                    return True
            elif event.type() == QEvent.Type.FocusOut:
                self.close_popup()
        return super().eventFilter(watched, event)

    def insert_current(self) -> bool:
        """Replace "/query" with the chosen reply, filled in; select its first placeholder."""
        reply_id = self.popup.current_reply_id()
        trigger = self._trigger
        self.close_popup()
        reply = self._service.quick_replies.get(reply_id) if reply_id else None
        if reply is None or trigger is None:
            return False
        rendered = self._service.quick_replies.render(
            reply, self._service.quick_replies.context_for(self.conversation_id))
        insert_text(self.editor, trigger[0], self.editor.textCursor().position(), rendered.text)
        self.inserted.emit(reply.id)
        return True


def insert_text(editor: QPlainTextEdit, start: int, end: int, text: str) -> None:
    """Put ``text`` in place of ``start``..``end`` (one undo step); select its first
    placeholder, or leave the cursor after it."""
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
    if not select_first_placeholder(editor, start, start + len(text)):
        editor.setFocus()
