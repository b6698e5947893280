"""The agent roster as a sortable table model, with a proxy filtering by queue and
state. Rows are replaced from the live board (core.supervision.figures_client).
Thread: the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from core.protocol import supervision as sp
from core.protocol.models import Presence
from ui.supervision.figure_text import pct, presence_text, seconds, translate

Index = QModelIndex | QPersistentModelIndex
CHANNELS = ("voice", "chat", "email")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TEAM, STATE, TIME_IN_STATE = 1, 2, 3  # time in state changes with the clock alone
LOADS, HANDLED = 4, 7  # the three channels' load from LOADS on


def _columns() -> list[str]:
    return [
        translate("Supervision", "Agent"),
        translate("Supervision", "Team"),
        translate("Supervision", "State"),
        translate("Supervision", "Time in state"),
        translate("Supervision", "Voice"),
        translate("Supervision", "Chat"),
        translate("Supervision", "Email"),
        translate("Supervision", "Handled"),
        translate("Supervision", "Avg handle time"),
        translate("Supervision", "Occupancy"),
        translate("Supervision", "Queues"),
    ]


class RosterModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[sp.AgentRow] = []
        self.now_ms = 0

    def set_rows(self, rows: list[sp.AgentRow], now_ms: int) -> None:
        ordered = sorted(rows, key=lambda r: (r.name, r.agent_id))
        if [r.agent_id for r in ordered] == [r.agent_id for r in self.rows] and ordered:
            # The same agents: only the rows that changed are announced (each one
            # makes the sorting proxy place it again); for the others only the
            # time-in-state column moved, which repaints without any re-sorting
            # unless the roster is sorted by it.
            old, self.rows, self.now_ms = self.rows, ordered, now_ms
            last = self.columnCount() - 1
            start = None
            for i, (before, after) in enumerate([*zip(old, ordered, strict=True), (None, None)]):
                if before is not None and before != after:
                    start = i if start is None else start
                elif start is not None:
                    self.dataChanged.emit(self.index(start, 0), self.index(i - 1, last))
                    start = None
            self.dataChanged.emit(self.index(0, TIME_IN_STATE),
                                  self.index(len(ordered) - 1, TIME_IN_STATE))
            return
        self.beginResetModel()
        self.rows = ordered
        self.now_ms = now_ms
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 11

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _columns()[section]
        return None

    def _in_state_s(self, row: sp.AgentRow) -> float | None:
        return None if row.since is None else max(0.0, (self.now_ms - row.since) / 1000)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == SORT_ROLE:
            return [
                row.name,
                row.team or "",
                row.presence.value,
                self._in_state_s(row) or 0,
                *(row.load.get(c, 0) for c in CHANNELS),
                row.handled,
                row.aht_s or 0,
                row.occupancy_pct or 0,
                ",".join(row.queues),
            ][col]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.name  # the agent's own display name, shown as data, not markup
            if col == TEAM:
                return row.team or ""  # set by an admin: shown as data, not markup
            if col == STATE:
                text = presence_text(row.presence)
                return (
                    text
                    if row.connected or row.presence is Presence.OFFLINE
                    else translate("Supervision", "{0} (disconnected)").format(text)
                )
            if col == TIME_IN_STATE:
                return seconds(self._in_state_s(row))
            if LOADS <= col < HANDLED:
                channel = CHANNELS[col - LOADS]
                return f"{row.load.get(channel, 0)} / {row.capacity.get(channel, 0)}"
            return [
                str(row.handled),
                seconds(row.aht_s),
                pct(row.occupancy_pct),
                ", ".join(row.queues),
            ][col - HANDLED]
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE and row.not_responding:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.UserRole:
            return row.agent_id
        return None


class RosterFilter(QSortFilterProxyModel):
    """Only the agents serving ``queue`` and of ``team`` (None: all), sorted by the raw
    values."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: str | None = None
        self.team: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_queue(self, queue: str | None) -> None:
        self.queue = queue
        self.invalidateFilter()

    def set_team(self, team: str | None) -> None:
        self.team = team
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RosterModel):
            return True
        row = model.rows[source_row]
        return ((self.queue is None or self.queue in row.queues)
                and (self.team is None or row.team == self.team))
