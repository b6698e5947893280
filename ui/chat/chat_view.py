"""The message list of one conversation: bubbles with time and delivery status.

Customer messages sit on the left, the agent's on the right with a status mark
(pending clock, sent tick, delivered double tick, failed alert), system notes in
the middle. The model re-reads a message from the service when the bridge names
it, and inserts or updates that one row.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from core.protocol.models import MessageAuthor, MessageStatus
from core.records import StoredMessage
from ui.shell.service_bridge import ServiceBridge
from ui.widgets import paint_probe
from ui.widgets.theme import Theme
from ui.widgets.time_text import clock_text

MessageRole = Qt.ItemDataRole.UserRole + 2
# In dataChanged: only the message's state changed (delivery status, sentiment), not
# its text, so its bubble keeps its size and the list needs no new layout.
StateRole = Qt.ItemDataRole.UserRole + 3
AnyIndex = QModelIndex | QPersistentModelIndex

STATUS_ICONS = {
    MessageStatus.PENDING: ("clock", "bubble_agent_meta"),
    MessageStatus.SENT: ("check", "bubble_agent_meta"),
    MessageStatus.DELIVERED: ("check-double", "bubble_agent_text"),
    MessageStatus.FAILED: ("alert", "danger"),
}


class MessageListModel(QAbstractListModel):
    """The newest SHOWN_MESSAGES messages, oldest first, kept up to date row by row:
    a new message is inserted where its time puts it, a changed one (its delivery
    status) is replaced in place. Only a catch-up that names more than
    BATCH_INSERTS new messages in one event-loop turn reloads the whole list."""

    SHOWN_MESSAGES = 500
    BATCH_INSERTS = 20

    def __init__(self, bridge: ServiceBridge, conversation_id: str) -> None:
        super().__init__()
        self._bridge = bridge
        self.conversation_id = conversation_id
        self._messages: list[StoredMessage] = []
        self._rows: dict[str, int] = {}
        self._turn_open = False  # new messages came during this event-loop turn
        self._inserted = 0  # how many of them were inserted one by one
        self._dirty = False  # too many: reload when the turn ends
        bridge.message_changed.connect(self._message_changed)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._messages = self._bridge.service.messages(self.conversation_id,
                                                       self.SHOWN_MESSAGES)
        self._rows = {}
        self._index_rows()
        self.endResetModel()

    def _index_rows(self, start: int = 0) -> None:
        for row in range(start, len(self._messages)):
            self._rows[self._messages[row].id] = row

    def _message_changed(self, conversation_id: str, message_id: str) -> None:
        if conversation_id != self.conversation_id or self._dirty:
            return
        row = self._rows.get(message_id)
        if row is None:
            self._message_added(message_id)
            return
        fresh = self._bridge.service.message(message_id)
        if fresh is None or fresh.conversation_id != self.conversation_id:
            self.reload()
            return
        same_size = (fresh.text == self._messages[row].text
                     and fresh.author is self._messages[row].author)
        self._messages[row] = fresh
        self.dataChanged.emit(self.index(row), self.index(row),
                              [StateRole] if same_size else [])

    def _message_added(self, message_id: str) -> None:
        if not self._turn_open:
            self._turn_open = True
            self._inserted = 0
            QTimer.singleShot(0, self._end_turn)
        if self._inserted >= self.BATCH_INSERTS:
            self._dirty = True  # a catch-up: one reload once the batch is applied
            return
        self._inserted += 1
        fresh = self._bridge.service.message(message_id)
        if fresh is None:
            self.reload()
        elif fresh.conversation_id == self.conversation_id:
            self._insert(fresh)

    def _insert(self, message: StoredMessage) -> None:
        # Its place by time; among equal times it was stored last, so it goes last.
        row = bisect.bisect_right(self._messages, message.created_at,
                                  key=lambda m: m.created_at)
        full = len(self._messages) >= self.SHOWN_MESSAGES
        if full and row == 0:
            return  # older than everything shown
        self.beginInsertRows(QModelIndex(), row, row)
        self._messages.insert(row, message)
        self._index_rows(row)
        self.endInsertRows()
        if full:
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._messages[0]
            self._rows = {}
            self._index_rows()
            self.endRemoveRows()

    def _end_turn(self) -> None:
        self._turn_open = False
        if self._dirty:
            self._dirty = False
            self.reload()

    def message(self, row: int) -> StoredMessage | None:
        return self._messages[row] if 0 <= row < len(self._messages) else None

    def texts(self) -> Iterator[str]:
        """The texts the delegate wraps (system lines are one line, never wrapped),
        read as the caller goes (it stops early)."""
        return (m.text for m in self._messages if m.author is not MessageAuthor.SYSTEM)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        message = self.message(index.row())
        if message is None:
            return None
        if role == MessageRole:
            return message
        if role == Qt.ItemDataRole.DisplayRole:
            return message.text
        if role == StateRole:
            return message.status
        return None


HANDOFF_PREFIX = "bot.handoff:"  # hub/selfservice: a hand-off's reason as a code


LAYOUTS_KEPT = 2000  # wrapped message texts remembered per view


class BubbleDelegate(QStyledItemDelegate):
    PAD_X, PAD_Y = 12, 8  # inside a bubble
    MARGIN_X, MARGIN_Y = 16, 5  # around a bubble
    META_H = 16

    def __init__(self, theme: Theme, view: QListView) -> None:
        super().__init__(view)
        self.theme = theme
        self._view = view
        # customer messages drawn during the current paint (only while a probe listens)
        self.drawn: list[str] = []
        # (text, width, font) -> wrapped size and flags; see _text_layout
        self._layouts: dict[tuple[str, int, str], tuple[QRect, int]] = {}

    def system_text(self, text: str) -> str:
        """A system line in words; the hub sends some as codes (a bot hand-off's reason)."""
        if not text.startswith(HANDOFF_PREFIX):
            return text
        reason = text[len(HANDOFF_PREFIX):]
        words = {
            "asked": self.tr("The customer asked for a person"),
            "declined": self.tr("The bot's answers did not help the customer"),
            "no_answer": self.tr("The bot had no answer to the customer's question"),
            "sentiment": self.tr("The customer seemed upset or raised a complaint"),
            "profile": self.tr("The customer's profile says a person serves them"),
            "easy_mode": self.tr("The customer uses the widget's easy mode (a person first)"),
        }.get(reason)
        return self.tr("Handed over by the self-service bot: %1").replace(
            "%1", words or reason)

    def _max_text_width(self) -> int:
        width = self._view.viewport().width()
        return max(120, int(width * 0.68) - 2 * self.PAD_X)

    def _text_layout(self, text: str, font: QFont) -> tuple[QRect, int]:
        """Size of the wrapped text and the flags that produce it.

        Words wrap; a single word longer than a line (a URL, an order number)
        wraps anywhere instead of overflowing the bubble. Remembered per text, width
        and font: the list asks for every row's size hint each time a message is
        added, and each row again when it paints (wrapping is the costly part).
        """
        width = self._max_text_width()
        key = (text, width, font.key())
        known = self._layouts.get(key)
        if known is not None:
            return QRect(known[0]), known[1]
        rect, flags = self._wrap(text, font, width)
        if len(self._layouts) >= LAYOUTS_KEPT:
            self._layouts.pop(next(iter(self._layouts)))  # the oldest
        self._layouts[key] = (QRect(rect), flags)
        return rect, flags

    def unmeasured(self, texts: Iterable[str], font: QFont, enough: int) -> int:
        """How many of ``texts`` have no remembered layout at the current width
        (counting stops at ``enough``)."""
        width, font_key = self._max_text_width(), font.key()
        missing = 0
        for text in texts:
            if (text, width, font_key) not in self._layouts:
                missing += 1
                if missing >= enough:
                    break
        return missing

    @staticmethod
    def _wrap(text: str, font: QFont, width: int) -> tuple[QRect, int]:
        metrics = QFontMetrics(font)
        flags = int(Qt.TextFlag.TextWordWrap)
        rect = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
        if rect.width() > width:
            flags = int(Qt.TextFlag.TextWrapAnywhere)
            rect = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
        return rect, flags

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        message = index.data(MessageRole)
        if not isinstance(message, StoredMessage):
            return QSize(0, 0)
        font = option.font
        if message.author is MessageAuthor.SYSTEM:
            return QSize(self._view.viewport().width(), QFontMetrics(font).height() + 16)
        text, _flags = self._text_layout(message.text, font)
        height = text.height() + 2 * self.PAD_Y + self.META_H + 2 * self.MARGIN_Y
        return QSize(self._view.viewport().width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        message = index.data(MessageRole)
        if not isinstance(message, StoredMessage):
            return
        theme = self.theme
        rect: QRect = option.rect
        font = QFont(option.font)
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() - 2))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)

        if message.author is MessageAuthor.SYSTEM:
            painter.setFont(small)
            painter.setPen(theme.color("muted"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.system_text(message.text))
            painter.restore()
            return

        mine = message.author in (MessageAuthor.AGENT, MessageAuthor.BOT)
        text, flags = self._text_layout(message.text, font)
        meta = clock_text(message.created_at)
        if message.author is MessageAuthor.BOT:  # the self-service bot, before a person
            meta = self.tr("Self-service bot") + " · " + meta
        meta_w = QFontMetrics(small).horizontalAdvance(meta) + (18 if mine else 0)
        inner_w = max(text.width(), meta_w)
        bubble_w = inner_w + 2 * self.PAD_X
        bubble_h = text.height() + 2 * self.PAD_Y + self.META_H
        top = rect.top() + self.MARGIN_Y
        left = rect.right() - self.MARGIN_X - bubble_w if mine else rect.left() + self.MARGIN_X
        bubble = QRect(left, top, bubble_w, bubble_h)

        if mine:
            fill = theme.color("danger" if message.status is MessageStatus.FAILED else
                               "bubble_agent")
            if message.status is MessageStatus.PENDING:
                fill.setAlphaF(0.75)
            painter.setBrush(fill)
            painter.setPen(Qt.PenStyle.NoPen)
            text_color, meta_color = theme.color("bubble_agent_text"), theme.color(
                "bubble_agent_meta")
        else:
            painter.setBrush(theme.color("bubble_customer"))
            painter.setPen(theme.color("bubble_border"))
            text_color, meta_color = theme.color("bubble_customer_text"), theme.color("muted")
        painter.drawRoundedRect(bubble, 12, 12)

        painter.setFont(font)
        painter.setPen(text_color)
        text_area = QRect(left + self.PAD_X, top + self.PAD_Y, inner_w, text.height())
        painter.drawText(text_area, flags, message.text)

        painter.setFont(small)
        painter.setPen(meta_color)
        meta_rect = QRect(left + self.PAD_X, text_area.bottom() + 2, inner_w, self.META_H)
        if mine:
            icon_name, color_key = STATUS_ICONS[message.status]
            if message.status is MessageStatus.FAILED:
                color_key = "bubble_agent_text"
            pix = theme.pixmap(icon_name, color_key, 14)
            painter.drawPixmap(meta_rect.right() - 14, meta_rect.top() + 1, 14, 14, pix)
            meta_rect.setRight(meta_rect.right() - 18)
            painter.drawText(meta_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             meta)
        else:
            painter.drawText(meta_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             meta)
            if paint_probe.active():
                self.drawn.append(message.id)
        painter.restore()


class ChatView(QListView):
    """Sticks to the bottom while new messages arrive, unless the agent scrolled up."""

    LAYOUT_BATCH = 30  # rows measured per event-loop turn when a long history is laid out

    retry_requested = Signal(str)  # message id

    def __init__(
        self, bridge: ServiceBridge, conversation_id: str, theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ChatView")
        self.message_model = MessageListModel(bridge, conversation_id)
        self.message_model.setParent(self)
        self.setModel(self.message_model)
        self.delegate = BubbleDelegate(theme, self)
        self.setItemDelegate(self.delegate)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Long histories are laid out a batch per event-loop turn: measuring
        # hundreds of wrapped bubbles at once would freeze the window.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(self.LAYOUT_BATCH)
        self._one_pass = False  # the next layout is one pass (see _lay_out_in_one_pass)
        self.setViewportMargins(0, 8, 0, 8)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QListView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.doubleClicked.connect(self._double_clicked)
        self._at_bottom = True
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        # Each laid-out batch grows the range: stay at the bottom while it does.
        self.verticalScrollBar().rangeChanged.connect(lambda _lo, _hi: self._follow())
        self.message_model.modelReset.connect(self._follow)
        self.message_model.rowsAboutToBeInserted.connect(self._lay_out_in_one_pass)
        self.message_model.rowsInserted.connect(self._follow)

    def dataChanged(self, top_left: AnyIndex, bottom_right: AnyIndex,
                    roles: Sequence[int] = ()) -> None:
        """A changed row makes QListView lay the whole list out again. A new delivery
        status or sentiment keeps the bubble's size: repaint those rows only (three
        such changes follow every customer message)."""
        if roles and all(role == StateRole for role in roles):
            QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)
            return
        self._lay_out_in_one_pass()
        super().dataChanged(top_left, bottom_right, roles)

    def _lay_out_in_one_pass(self) -> None:
        """A new or changed row restarts the list's layout from the first row. In
        batches that took one event-loop turn and one repaint per LAYOUT_BATCH rows
        before a new bubble (the last row) was placed, longer the longer the chat.
        When the rows shown are already measured (their wrapped sizes remembered),
        one pass costs a dictionary look-up per row: the bubble is placed and painted
        at once."""
        unmeasured = self.delegate.unmeasured(self.message_model.texts(), self.font(),
                                              self.LAYOUT_BATCH)
        if unmeasured < self.LAYOUT_BATCH:
            self._one_pass = True
            self.setLayoutMode(QListView.LayoutMode.SinglePass)

    def doItemsLayout(self) -> None:
        super().doItemsLayout()
        if self._one_pass:
            # later layouts (a resize re-wraps every bubble) go in batches again
            self._one_pass = False
            self.setLayoutMode(QListView.LayoutMode.Batched)

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        self.viewport().update()

    def _scrolled(self, value: int) -> None:
        self._at_bottom = value >= self.verticalScrollBar().maximum() - 4

    def _follow(self) -> None:
        if self._at_bottom:
            self.scrollToBottom()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.scrollToBottom()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.delegate.drawn:
            drawn, self.delegate.drawn = self.delegate.drawn, []
            for message_id in drawn:
                paint_probe.painted("bubble", message_id)

    def _double_clicked(self, index: QModelIndex) -> None:
        message = self.message_model.message(index.row())
        if message is not None and message.status is MessageStatus.FAILED:
            self.retry_requested.emit(message.id)

    def _context_menu(self, pos: QPoint) -> None:
        message = self.message_model.message(self.indexAt(pos).row())
        if message is None:
            return
        menu = QMenu(self)
        copy = QAction(self.tr("Copy text"), menu)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(message.text))
        menu.addAction(copy)
        if message.status is MessageStatus.FAILED:
            retry = QAction(self.tr("Send again"), menu)
            retry.triggered.connect(lambda: self.retry_requested.emit(message.id))
            menu.addAction(retry)
        menu.popup(self.viewport().mapToGlobal(pos))
