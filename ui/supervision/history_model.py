"""A historical report as a table: one row per day, hour, queue, channel or agent,
one column per figure, as the hub computed them. Sorted by the figures' values
(``SORT_ROLE``), shown in the supervisor's words and number formats; group names
from the hub (queue and agent ids) are plain text. Thread: the GUI thread.
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

from core.protocol import reports as rp
from core.protocol.models import Channel
from ui.supervision.figure_text import channel_name, number, pct, seconds, translate

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def grouping_name(by: rp.HistoryGrouping) -> str:
    return {
        rp.HistoryGrouping.DAY: translate("SupervisionHistory", "Day"),
        rp.HistoryGrouping.HOUR: translate("SupervisionHistory", "Hour"),
        rp.HistoryGrouping.QUEUE: translate("SupervisionHistory", "Queue"),
        rp.HistoryGrouping.CHANNEL: translate("SupervisionHistory", "Channel"),
        rp.HistoryGrouping.AGENT: translate("SupervisionHistory", "Agent"),
    }[by]


def column_name(column: str) -> str:
    names = {
        "conversations": translate("SupervisionHistory", "Conversations"),
        "offered": translate("SupervisionHistory", "Offered"),
        "answered": translate("SupervisionHistory", "Answered"),
        "service_level_pct": translate("SupervisionHistory", "Service level"),
        "asa_s": translate("SupervisionHistory", "Avg speed of answer"),
        "abandoned": translate("SupervisionHistory", "Abandoned"),
        "abandon_pct": translate("SupervisionHistory", "Abandon rate"),
        "aht_s": translate("SupervisionHistory", "Avg handle time"),
        "occupancy_pct": translate("SupervisionHistory", "Occupancy"),
        "fcr_pct": translate("SupervisionHistory", "First contact resolution"),
        "transfers": translate("SupervisionHistory", "Transfers"),
        "csat_ratings": translate("SupervisionHistory", "CSAT ratings"),
        "csat_average": translate("SupervisionHistory", "CSAT average"),
        "satisfied_pct": translate("SupervisionHistory", "Satisfied"),
        "nps_answers": translate("SupervisionHistory", "NPS answers"),
        "nps": translate("SupervisionHistory", "NPS"),
    }
    return names.get(column, column)  # a figure a newer hub added: its code


def value_text(column: str, value: float | int | None) -> str:
    if column.endswith("_pct"):
        return pct(None if value is None else float(value))
    if column.endswith("_s"):
        return seconds(None if value is None else float(value))
    if column == "csat_average":
        return number(value, 2)
    return number(value)


def key_text(by: rp.HistoryGrouping, key: str) -> str:
    if by is rp.HistoryGrouping.CHANNEL and key in {c.value for c in Channel}:
        return channel_name(Channel(key))
    return key


class HistoryModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.report: rp.HistoryReport | None = None

    def set_report(self, report: rp.HistoryReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() or self.report is None else len(self.report.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.report is None else 1 + len(self.report.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (self.report is None or orientation is not Qt.Orientation.Horizontal
                or role != Qt.ItemDataRole.DisplayRole):
            return None
        if section == 0:
            return grouping_name(self.report.by)
        return column_name(self.report.columns[section - 1])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.report is None or not index.isValid():
            return None
        row = self.report.rows[index.row()]
        column = index.column()
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.name or key_text(self.report.by, row.key)
            return row.key if role == SORT_ROLE else None
        value = row.values[column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return value_text(self.report.columns[column - 1], value)
        if role == SORT_ROLE:
            return float("-inf") if value is None else float(value)  # no value: lowest
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def column_values(self, column: str) -> list[float | int | None]:
        if self.report is None or column not in self.report.columns:
            return []
        at = self.report.columns.index(column)
        return [row.values[at] for row in self.report.rows]


class HistorySort(QSortFilterProxyModel):
    def __init__(self, source: HistoryModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
