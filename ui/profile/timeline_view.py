"""The customer's timeline: every interaction newest first, loaded while scrolling.

``TimelineModel`` wraps core's ``TimelinePager``: Qt asks ``canFetchMore()`` /
``fetchMore()`` as the list nears its end, the pager reads the next entries from
the cache at once and asks the hub behind it. A delegate paints each entry, so a
screen pop costs one model reset, not a widget per item.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from core.profile.timeline_pager import TimelinePager
from core.protocol.models import Channel, ConversationStatus
from core.records import NoteState, TimelineEntry, TimelineKind
from core.tasks import BackgroundTasks
from ui.chat.chat_panel import channel_name
from ui.inbox.inbox_view import CHANNEL_ICONS
from ui.routing.routing_names import outcome_text
from ui.widgets.plain_text import PlainLabel, plain_as_rich
from ui.widgets.plurals import Plurals
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import day_text, duration_text

CHANNELS = frozenset(c.value for c in Channel)
EntryRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pager: TimelinePager | None = None
        self._entries: list[TimelineEntry] = []
        self._tasks = BackgroundTasks("timeline")
        self._more: asyncio.Task[Any] | None = None  # the running load_more()

    def set_pager(self, pager: TimelinePager | None, *, fetch_hub: bool = True) -> None:
        if self._pager is not None:
            self._pager.timeline_did_change.disconnect(self.reload)
        self._pager = pager
        self.beginResetModel()
        self._entries = list(pager.entries) if pager else []
        self.endResetModel()
        if pager is not None:
            pager.timeline_did_change.connect(self.reload)
            if fetch_hub:
                self._spawn(pager.start())

    @property
    def pager(self) -> TimelinePager | None:
        return self._pager

    def reload(self) -> None:
        """Re-read the pager's entries (after a hub page or a cache change)."""
        pager = self._pager
        if pager is None:
            return
        new = pager.entries
        old = self._entries
        if len(new) >= len(old) and new[: len(old)] == old:
            if len(new) > len(old):  # appended: keep the scroll position and selection
                self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
                self._entries = list(new)
                self.endInsertRows()
            return
        self.beginResetModel()
        self._entries = list(new)
        self.endResetModel()

    def refresh_from_cache(self) -> None:
        if self._pager is not None:
            self._pager.reload()
            self.reload()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == EntryRole:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.preview or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_as_rich(entry.preview or "")
        return None

    def canFetchMore(self, parent: Index) -> bool:
        pager = self._pager
        busy = self._more is not None and not self._more.done()
        return bool(pager and not parent.isValid() and pager.has_more and not busy)

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent) and self._pager is not None:
            self._more = self._spawn(self._pager.load_more())

    def entry(self, row: int) -> TimelineEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> asyncio.Task[object] | None:
        try:
            return self._tasks.spawn(coro)
        except RuntimeError:
            return None


class TimelineDelegate(QStyledItemDelegate):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing() + 3
        return QSize(200, 14 + line * 3)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry: TimelineEntry | None = index.data(EntryRole)
        if entry is None:
            return
        theme = self.theme
        painter.save()
        rect = option.rect
        selected = option.state & QStyle.StateFlag.State_Selected
        if selected:
            painter.fillRect(rect, theme.color("selection"))
        painter.setPen(theme.color("border"))
        painter.drawLine(rect.left() + 8, rect.bottom(), rect.right() - 8, rect.bottom())
        icon_name = "user" if entry.kind is not TimelineKind.CONVERSATION else CHANNEL_ICONS.get(
            entry.channel or Channel.CHAT, "chat")
        painter.drawPixmap(rect.left() + 10, rect.top() + 9, theme.pixmap(icon_name, "muted", 16))
        line = QFontMetrics(option.font).lineSpacing() + 3
        text_rect = QRect(rect.left() + 34, rect.top() + 7, rect.width() - 44, line)
        font = painter.font()
        bold = painter.font()
        bold.setWeight(bold.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(theme.color("text"))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft, timeline_title(entry))
        painter.setFont(font)
        painter.setPen(theme.color("muted"))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight, day_text(entry.at))
        detail = QRect(text_rect.left(), text_rect.top() + line, text_rect.width(), line)
        painter.drawText(detail, Qt.AlignmentFlag.AlignLeft,
                         painter.fontMetrics().elidedText(timeline_detail(entry),
                                                          Qt.TextElideMode.ElideRight,
                                                          detail.width()))
        painter.setPen(theme.color("danger") if entry.note_state is NoteState.FAILED
                       else theme.color("text"))
        preview = QRect(detail.left(), detail.top() + line, detail.width(), line)
        # A call's last line is the hub's English summary; the line above already
        # says its length and how it ended, in the agent's language.
        text = "" if entry.channel is Channel.VOICE else " ".join((entry.preview or "").split())
        painter.drawText(preview, Qt.AlignmentFlag.AlignLeft,
                         painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                          preview.width()))
        painter.restore()


def timeline_title(entry: TimelineEntry) -> str:
    if entry.kind is TimelineKind.NOTE:
        return QCoreApplication.translate("TimelinePanel", "Note")
    if entry.kind is TimelineKind.RATING:
        return QCoreApplication.translate("TimelinePanel", "Satisfaction rating")
    if entry.kind is TimelineKind.NPS:
        return QCoreApplication.translate("TimelinePanel", "Recommendation score (NPS)")
    if entry.kind is TimelineKind.OUTREACH:
        if entry.code == "outreach.agent":
            return QCoreApplication.translate("TimelinePanel", "Reached out")
        return QCoreApplication.translate("TimelinePanel", "Proactive message")
    if entry.channel:
        return channel_name(entry.channel)
    return QCoreApplication.translate("TimelinePanel", "Contact")


def timeline_detail(entry: TimelineEntry) -> str:
    parts: list[str] = []
    if entry.kind in (TimelineKind.RATING, TimelineKind.NPS):
        if entry.score is not None:
            out_of = "5" if entry.kind is TimelineKind.RATING else "10"
            parts.append(QCoreApplication.translate("TimelinePanel", "%1 of %2")
                         .replace("%1", str(entry.score)).replace("%2", out_of))
        if entry.solved is not None:
            parts.append(QCoreApplication.translate("TimelinePanel", "solved") if entry.solved
                         else QCoreApplication.translate("TimelinePanel", "not solved"))
        if entry.agent_name:
            parts.append(entry.agent_name)
        return " · ".join(parts)
    if entry.kind is TimelineKind.OUTREACH:
        return outreach_detail(entry)
    if entry.kind is TimelineKind.NOTE:
        if entry.agent_name:
            parts.append(entry.agent_name)
        if entry.note_state is NoteState.PENDING:
            parts.append(QCoreApplication.translate("TimelinePanel", "not yet synced"))
        elif entry.note_state is NoteState.FAILED:
            parts.append(QCoreApplication.translate("TimelinePanel", "not saved"))
        return " · ".join(parts)
    if entry.status is ConversationStatus.OPEN:
        parts.append(QCoreApplication.translate("TimelinePanel", "open"))
    if entry.duration_s is not None:
        parts.append(duration_text(entry.duration_s))
    if entry.outcome:
        parts.append(outcome_text(entry.outcome))
    if entry.agent_name:
        parts.append(entry.agent_name)
    if entry.message_count:
        parts.append(Plurals().messages(entry.message_count))
    return " · ".join(parts)



def outreach_detail(entry: TimelineEntry) -> str:
    """How it reached the customer, which trigger, who: from the hub's parameters."""
    parts: list[str] = []
    channel = entry.params.get("channel")
    if channel == "email":
        parts.append(QCoreApplication.translate("TimelinePanel", "by email"))
    elif channel == "widget":
        parts.append(QCoreApplication.translate("TimelinePanel", "in the web chat"))
    trigger = entry.params.get("trigger")
    if trigger:
        parts.append(QCoreApplication.translate("TimelinePanel", "trigger %1")
                     .replace("%1", trigger))
    if entry.agent_name:
        parts.append(entry.agent_name)
    return " · ".join(parts)

class TimelinePanel(QWidget):
    """Channel filter above the list; ``transcript_requested`` opens an item."""

    transcript_requested = Signal(str)  # conversation id
    channel_changed = Signal(object)  # Channel | None

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QComboBox()
        self.filter.addItem(self.tr("All channels"), "")
        for channel in Channel:
            self.filter.addItem(channel_name(channel), channel.value)
        self.filter.currentIndexChanged.connect(
            lambda _i: self.channel_changed.emit(self.channel()))
        self.status = named(PlainLabel(), "Muted")
        self.model = TimelineModel(self)
        self.view = named(QListView(), "TimelineView")
        self.view.setModel(self.model)
        self.delegate = TimelineDelegate(theme, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(True)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        # activated: a double click (or a single one, where the style says so) and Enter;
        # listening to doubleClicked as well opened every transcript twice
        self.view.activated.connect(self._activated)
        row = QHBoxLayout()
        row.setContentsMargins(8, 6, 8, 2)
        row.addWidget(self.filter, 1)
        row.addWidget(self.status)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(row)
        column.addWidget(self.view, 1)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)

    def channel(self) -> Channel | None:
        data = self.filter.currentData()
        return Channel(data) if data in CHANNELS else None

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        self.view.viewport().update()

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row())
        if entry is not None and entry.kind is TimelineKind.CONVERSATION:
            self.transcript_requested.emit(entry.id)

    def _update_status(self) -> None:
        pager = self.model.pager
        if pager is None or self.model.rowCount():
            self.status.setText("")
        else:
            self.status.setText(self.tr("No interactions yet"))
