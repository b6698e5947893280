"""The owner's follow-ups beside the conversations: customer, type, status and a live
countdown to the due time.

``FollowUpModel`` re-reads ``service.followups.mine()`` when the bridge says the list
changed; ``FollowUpDelegate`` paints a row; countdowns tick by repainting the viewport
once a second (the delegate computes them from the row and the clock, as the inbox
does). Green while there is time, amber once the reminder time is reached (or a
quarter of the time is left), red once overdue. A follow-up the hub reminded of is
highlighted until the agent selects it.
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
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.protocol.followups import FollowUp, FollowUpStatus
from ui.followups.followup_dialog import kind_name, status_name
from ui.routing.sla_countdown import SlaLevel, SlaState, countdown_text, sla_state
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import plain_as_rich
from ui.widgets.theme import Theme
from ui.widgets.time_text import date_time_text, now_ms

FollowUpRole = Qt.ItemDataRole.UserRole + 1
HighlightRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


def due_state(followup: FollowUp, now: int) -> SlaState:
    """The countdown a row shows: none once solved; amber from its reminder time."""
    if followup.status is FollowUpStatus.SOLVED:
        return SlaState(SlaLevel.NONE, 0)
    state = sla_state(followup.due_at, followup.created_at, now)
    if state.level is SlaLevel.OK and (now >= followup.remind_at
                                       or followup.reminded_at is not None):
        return SlaState(SlaLevel.WARN, state.remaining_ms)
    return state


class FollowUpModel(QAbstractListModel):
    def __init__(self, bridge: ServiceBridge) -> None:
        super().__init__(bridge)
        self._bridge = bridge
        self._items: list[FollowUp] = []
        self.highlighted: set[str] = set()
        bridge.followups_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        items = self._bridge.service.followups.mine()
        if [f.id for f in items] == [f.id for f in self._items]:
            self._items = items  # same rows: repaint, keep the selection
            if items:
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1))
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def highlight(self, followup_id: str, on: bool = True) -> None:
        (self.highlighted.add if on else self.highlighted.discard)(followup_id)
        row = self.row_of(followup_id)
        if row is not None:
            self.dataChanged.emit(self.index(row), self.index(row))

    def row_of(self, followup_id: str) -> int | None:
        for row, followup in enumerate(self._items):
            if followup.id == followup_id:
                return row
        return None

    def item(self, row: int) -> FollowUp | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[FollowUp]:
        return list(self._items)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        followup = self.item(index.row())
        if followup is None:
            return None
        if role == FollowUpRole:
            return followup
        if role == HighlightRole:
            return followup.id in self.highlighted
        if role == Qt.ItemDataRole.DisplayRole:
            return followup.customer_name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("{0}, {1}, {2}, due {3}").format(
                followup.customer_name, kind_name(followup.kind),
                status_name(followup.status), date_time_text(followup.due_at))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.tr("Due {0}").format(date_time_text(followup.due_at)), followup.note]
            return plain_as_rich("\n".join(line for line in lines if line))
        return None


class FollowUpDelegate(QStyledItemDelegate):
    ROW_HEIGHT = 60

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(1, self.theme.px(self.ROW_HEIGHT))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        followup = index.data(FollowUpRole)
        if not isinstance(followup, FollowUp):
            return
        theme = self.theme
        s = theme.px
        rect = option.rect
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, theme.color("selection"))
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()),
                             theme.color("accent"))
        elif index.data(HighlightRole):
            painter.fillRect(rect, theme.color("accent_soft"))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, theme.color("panel_alt"))
        painter.setPen(theme.color("border"))
        painter.drawLine(rect.left() + s(14), rect.bottom(), rect.right(), rect.bottom())

        now = now_ms()
        state = due_state(followup, now)
        if state.level is SlaLevel.NONE:
            when, when_color = status_name(followup.status), "muted"
        else:
            when, when_color = countdown_text(state.remaining_ms), state.color_key
            painter.fillRect(QRect(rect.left(), rect.top() + s(6), 3, rect.height() - s(12)),
                             theme.color(when_color))
        base = QFont(option.font)
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        if base.pixelSize() > 0:
            small.setPixelSize(max(9, round(base.pixelSize() * 0.8)))
        else:
            small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        left, right = rect.left() + s(14), rect.right() - s(14)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.setFont(bold)
        when_w = QFontMetrics(bold).horizontalAdvance(when)
        painter.setPen(theme.color(when_color))
        painter.drawText(QRect(right - when_w, rect.top() + s(10), when_w, s(20)),
                         Qt.AlignmentFlag.AlignRight | middle, when)
        painter.setPen(theme.color("text"))
        name_rect = QRect(left, rect.top() + s(10), right - left - when_w - s(8), s(20))
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | middle, QFontMetrics(bold)
                         .elidedText(followup.customer_name, Qt.TextElideMode.ElideRight,
                                     name_rect.width()))
        painter.setFont(small)
        painter.setPen(theme.color("muted"))
        line = " · ".join(part for part in (
            kind_name(followup.kind), status_name(followup.status),
            followup.note.replace("\n", " ")) if part)
        line_rect = QRect(left, rect.top() + s(32), right - left, s(18))
        painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft | middle, QFontMetrics(small)
                         .elidedText(line, Qt.TextElideMode.ElideRight, line_rect.width()))
        painter.restore()


class FollowUpList(QListView):
    """Up/Down move; Enter (or a double click) emits ``open_requested`` with the
    follow-up's conversation."""

    open_requested = Signal(str)

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FollowUpList")
        self.followup_model = FollowUpModel(bridge)
        self.setModel(self.followup_model)
        self.delegate = FollowUpDelegate(theme, self)
        self.setItemDelegate(self.delegate)
        self.setMouseTracking(True)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.activated.connect(self._activated)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.followup_model.modelReset.connect(self._restore_selection)
        self._current: str | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.viewport().update)
        self._ticker.start()

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        self.viewport().update()

    def current(self) -> FollowUp | None:
        return self.followup_model.item(self.currentIndex().row())

    def select(self, followup_id: str) -> None:
        row = self.followup_model.row_of(followup_id)
        if row is not None:
            self.setCurrentIndex(self.followup_model.index(row))

    def row_state(self, row: int, now: int | None = None) -> SlaState:
        """The countdown the row shows (what the delegate paints)."""
        followup = self.followup_model.item(row)
        if followup is None:
            return SlaState(SlaLevel.NONE, 0)
        return due_state(followup, now if now is not None else now_ms())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activated(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _activated(self, index: QModelIndex) -> None:
        followup = self.followup_model.item(index.row())
        if followup is not None:
            self.followup_model.highlight(followup.id, False)  # seen
            self.open_requested.emit(followup.conversation_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        followup = self.followup_model.item(current.row())
        self._current = followup.id if followup is not None else None
        if followup is not None and followup.id in self.followup_model.highlighted:
            self.followup_model.highlight(followup.id, False)  # seen

    def _restore_selection(self) -> None:
        if self._current is None:
            return
        row = self.followup_model.row_of(self._current)
        if row is not None:
            self.setCurrentIndex(self.followup_model.index(row))
