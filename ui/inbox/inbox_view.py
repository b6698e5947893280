"""The inbox: open conversations, longest-waiting first.

``InboxModel`` re-reads the inbox from the service when the bridge says it changed;
``InboxDelegate`` paints a row (channel icon, customer, last message, service-level
countdown or waiting time, unread badge). Rows hold ``InboxItem`` records; nothing
here touches the network. Countdowns tick by repainting the viewport once a second
(no model change, no query): the delegate computes them from the row and the clock.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.protocol.models import Channel, ConversationStatus, MessageAuthor
from core.records import InboxItem
from core.routing.cache import RoutingInfo
from ui.inbox.mood import mood_color_key, mood_text
from ui.routing.sla_countdown import SlaLevel, SlaState, countdown_text, sla_state, sla_tooltip
from ui.shell.service_bridge import ServiceBridge
from ui.widgets import paint_probe
from ui.widgets.plain_text import plain_as_rich
from ui.widgets.theme import Theme
from ui.widgets.time_text import clock_text, duration_text, is_late, now_ms

ItemRole = Qt.ItemDataRole.UserRole + 1
RoutingRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex



def item_sla(item: InboxItem, info: RoutingInfo | None, now: int) -> SlaState:
    """The row's countdown: open conversations not yet answered, with a hub-set target."""
    if (info is None or item.status is not ConversationStatus.OPEN
            or info.first_reply_at is not None):
        return SlaState(SlaLevel.NONE, 0)
    return sla_state(info.sla_due_at, item.created_at, now)


CHANNEL_ICONS = {
    Channel.CHAT: "chat",
    Channel.VOICE: "voice",
    Channel.EMAIL: "email",
    Channel.STORE: "store",
}


class InboxModel(QAbstractListModel):
    def __init__(self, bridge: ServiceBridge) -> None:
        super().__init__(bridge)
        self._bridge = bridge
        self._items: list[InboxItem] = []
        # Routing fields per row (SLA due time, first reply), read when rows are read,
        # so the once-a-second countdown repaint costs no query.
        self._routing: dict[str, RoutingInfo | None] = {}
        self._reload_due = False
        # Conversations to read again in the next turn (None: none announced in this one).
        self._changed: dict[str, None] | None = None
        bridge.inbox_changed.connect(self.reload)
        bridge.conversation_changed.connect(self._conversation_changed)
        bridge.customer_changed.connect(self._customer_changed)
        self.reload()

    def reload(self) -> None:
        self._reload_due = False
        items = self._bridge.service.inbox()
        infos = self._bridge.service.routing.infos([i.conversation_id for i in items])
        self._routing = {i.conversation_id: infos.get(i.conversation_id) for i in items}
        if [i.conversation_id for i in items] == [i.conversation_id for i in self._items]:
            self._items = items  # same rows: repaint, keep the selection
            if items:
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1))
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def _customer_changed(self, customer_id: str) -> None:
        # A name shown in a row may have changed: one reload once the notices of this
        # change are out (a snapshot part announces every customer it brings, and a
        # reload for each made applying a big snapshot quadratic).
        if not self._reload_due and any(i.customer_id == customer_id for i in self._items):
            self._reload_due = True
            QTimer.singleShot(0, self, self._due_reload)

    def _due_reload(self) -> None:
        if self._reload_due:
            self.reload()

    def _conversation_changed(self, conversation_id: str) -> None:
        # The first change of a turn of the loop is shown at once (a new message);
        # more in the same turn (a snapshot slice announces every conversation it
        # brings) are read in a turn of their own: reading each row inside the
        # slice's step made it the longest stall of a catch-up.
        if self._changed is None:
            self._changed = {}
            QTimer.singleShot(0, self, self._apply_changed)
            self._refresh_row(conversation_id)
        else:
            self._changed[conversation_id] = None

    def _apply_changed(self) -> None:
        changed, self._changed = list(self._changed or ()), None
        for conversation_id in changed:
            if self._reload_due:
                return  # a reload of every row follows
            self._refresh_row(conversation_id)

    def _refresh_row(self, conversation_id: str) -> None:
        row = self.row_of(conversation_id)
        item = self._bridge.service.conversation(conversation_id)
        if row is None or item is None or item.status != self._items[row].status:
            self.reload()
            return
        if item.waiting_since != self._items[row].waiting_since:
            self.reload()  # the order may change
            return
        self._items[row] = item
        self._routing[conversation_id] = self._bridge.service.routing.info(conversation_id)
        self.dataChanged.emit(self.index(row), self.index(row))

    def row_of(self, conversation_id: str) -> int | None:
        for row, item in enumerate(self._items):
            if item.conversation_id == conversation_id:
                return row
        return None

    def item(self, row: int) -> InboxItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[InboxItem]:
        return list(self._items)

    def routing_info(self, conversation_id: str) -> RoutingInfo | None:
        return self._routing.get(conversation_id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self.item(index.row())
        if item is None:
            return None
        if role == ItemRole:
            return item
        if role == RoutingRole:
            return self._routing.get(item.conversation_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return item.customer_name
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = sla_tooltip(item_sla(item, self._routing.get(item.conversation_id), now_ms()))
            lines = [tip, mood_text(item), item.last_text or ""]
            return plain_as_rich("\n".join(line for line in lines if line))
        return None

    def refresh_times(self) -> None:
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))


class InboxDelegate(QStyledItemDelegate):
    ROW_HEIGHT = 68

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        # No width of its own: a row is as wide as the list. (The width of the first
        # layout, before the window had its size, kept the right column beyond a
        # horizontal scrollbar until the rows were laid out again.)
        return QSize(1, self.theme.px(self.ROW_HEIGHT))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item = index.data(ItemRole)
        if not isinstance(item, InboxItem):
            return
        theme = self.theme
        s = theme.px
        rect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected:
            painter.fillRect(rect, theme.color("selection"))
            accent_bar = QRect(rect.left(), rect.top(), 3, rect.height())
            painter.fillRect(accent_bar, theme.color("accent"))
        elif hovered:
            painter.fillRect(rect, theme.color("panel_alt"))
        painter.setPen(theme.color("border"))
        painter.drawLine(rect.left() + s(14), rect.bottom(), rect.right(), rect.bottom())

        # channel badge
        badge = QRect(rect.left() + s(14), rect.top() + s(14), s(36), s(36))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.color("accent_soft"))
        painter.drawEllipse(badge)
        icon = theme.pixmap(CHANNEL_ICONS.get(item.channel, "chat"), "accent", s(18))
        painter.drawPixmap(badge.center().x() - s(8), badge.center().y() - s(8), s(18), s(18), icon)
        mood = mood_color_key(item)
        if mood is not None:
            # the customer's mood on the badge's corner; escalated: a ring as well
            painter.setBrush(theme.color(mood))
            painter.setPen(theme.color("panel"))
            painter.drawEllipse(QRect(badge.right() - s(11), badge.bottom() - s(11), s(12), s(12)))
            if item.escalated:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(theme.color("danger"))
                painter.drawEllipse(badge.adjusted(-s(2), -s(2), s(2), s(2)))

        left = badge.right() + s(12)
        right = rect.right() - s(14)
        base = QFont(option.font)
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold if item.unread == 0 else QFont.Weight.Bold)
        small = QFont(base)
        if base.pixelSize() > 0:  # sized by the style sheet (and its scale)
            small.setPixelSize(max(9, round(base.pixelSize() * 0.72)))
        else:
            small.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))

        # right column: SLA countdown, waiting time or last activity; the unread badge
        now = now_ms()
        info = index.data(RoutingRole)
        sla = item_sla(item, info if isinstance(info, RoutingInfo) else None, now)
        if sla.level is not SlaLevel.NONE:
            when = countdown_text(sla.remaining_ms)
            when_color = sla.color_key
            # a strip on the left edge so the state reads at a glance, even unselected
            painter.fillRect(QRect(rect.left(), rect.top() + s(6), 3, rect.height() - s(12)),
                             theme.color(when_color))
        elif item.waiting_since is not None:
            when = duration_text((now - item.waiting_since) / 1000)
            when_color = "danger" if is_late(item.channel, item.waiting_since, now) else "warn"
        else:
            when = clock_text(item.last_message_at or item.created_at, now)
            when_color = "muted"
        painter.setFont(small)
        fm_small = QFontMetrics(small)
        when_w = fm_small.horizontalAdvance(when)
        painter.setPen(theme.color(when_color))
        painter.drawText(QRect(right - when_w, rect.top() + s(14), when_w, s(20)),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)

        badge_w = 0
        if item.unread:
            text = str(item.unread) if item.unread < 100 else "99+"
            badge_w = max(s(20), fm_small.horizontalAdvance(text) + s(12))
            pill = QRect(right - badge_w, rect.top() + s(38), badge_w, s(18))
            painter.setBrush(theme.color("badge"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(pill, s(9), s(9))
            painter.setPen(theme.color("badge_text"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

        # name and last message
        painter.setFont(bold)
        painter.setPen(theme.color("text"))
        name_rect = QRect(left, rect.top() + s(14), right - left - when_w - s(8), s(20))
        name = QFontMetrics(bold).elidedText(
            item.customer_name, Qt.TextElideMode.ElideRight, name_rect.width()
        )
        left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(name_rect, left_middle, name)

        painter.setFont(base)
        painter.setPen(theme.color("text" if item.unread else "muted"))
        preview = (item.last_text or "").replace("\n", " ")
        if item.last_author is MessageAuthor.AGENT and preview:
            preview = self.tr("You: {0}").format(preview)
        text_rect = QRect(left, rect.top() + s(36), right - left - badge_w - s(8), s(20))
        preview = QFontMetrics(base).elidedText(
            preview, Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, preview
        )
        painter.restore()


class InboxView(QListView):
    """Emits ``conversation_activated`` when the agent picks a row (click or keys)."""

    conversation_activated = Signal(str)

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InboxView")
        self.inbox_model = InboxModel(bridge)
        self.setModel(self.inbox_model)
        self.delegate = InboxDelegate(theme, self)
        self.setItemDelegate(self.delegate)
        self.setMouseTracking(True)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.inbox_model.modelReset.connect(self._restore_selection)
        self._current: str | None = None
        # countdowns and waiting times tick even when nothing else happens: a repaint
        # of the visible rows only (the delegate reads the clock)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.viewport().update)
        self._ticker.start()

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if paint_probe.active() and self.inbox_model.rowCount():
            # the rows just drawn were drawn from a model holding this many
            paint_probe.painted("inbox", str(self.inbox_model.rowCount()))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.inbox_model.item(current.row())
        if item is not None and item.conversation_id != self._current:
            self._current = item.conversation_id
            self.conversation_activated.emit(item.conversation_id)

    def _restore_selection(self) -> None:
        if self._current is None:
            return
        row = self.inbox_model.row_of(self._current)
        if row is not None:
            self.selectionModel().blockSignals(True)
            self.setCurrentIndex(self.inbox_model.index(row))
            self.selectionModel().blockSignals(False)

    def row_sla(self, row: int, now: int | None = None) -> SlaState:
        """The countdown the row shows (what the delegate paints)."""
        item = self.inbox_model.item(row)
        if item is None:
            return SlaState(SlaLevel.NONE, 0)
        info = self.inbox_model.routing_info(item.conversation_id)
        return item_sla(item, info, now if now is not None else now_ms())

    def select_conversation(self, conversation_id: str) -> None:
        """Follow the tab the agent switched to (without re-emitting)."""
        self._current = conversation_id
        self._restore_selection()

    def step(self, delta: int) -> None:
        """Move to the next (+1) or previous (-1) conversation, wrapping around."""
        count = self.inbox_model.rowCount()
        if count == 0:
            return
        row = self.currentIndex().row()
        row = 0 if row < 0 else (row + delta) % count
        self.setCurrentIndex(self.inbox_model.index(row))
