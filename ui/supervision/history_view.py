"""The supervisor workspace's History page: the figures of a date range (UTC days)
per day, hour, queue, channel or agent, read from the hub (``report_history``),
in a sortable table and a chart, exported to CSV. A busy bar shows while the hub
computes; a range the hub would refuse is explained before it is asked.
Keyboard: Alt+F / Alt+T / Alt+G choose, Enter or Ctrl+Return shows, Ctrl+S
exports (QFileDialog through ``open()``, never ``exec()`` inside a task).
Thread: the GUI thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.protocol import reports as rp
from core.supervision.history_table import RangeError, day_range_ms, write_csv
from core.supervision.reports_client import ReportsClient, ReportUnavailable
from core.tasks import BackgroundTasks
from ui.supervision.history_chart import HistoryChart
from ui.supervision.history_model import HistoryModel, HistorySort, grouping_name
from ui.widgets.plain_text import PlainLabel


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class HistoryView(QWidget):
    loaded = Signal()  # a report arrived or the asking failed (tests wait on it)

    def __init__(self, reports: ReportsClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryView")
        self._reports = reports
        self._tasks = BackgroundTasks("history")
        self._asked = 0
        today = QDate.currentDate()
        self.first = _date_edit(today.addDays(-6))
        self.last = _date_edit(today)
        self.by = QComboBox()
        for grouping in rp.HistoryGrouping:
            self.by.addItem(grouping_name(grouping), grouping.value)
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.load)
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # the hub says nothing until done: a busy bar
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = PlainLabel(self.tr("Choose a range and show its figures."))
        self.status.setObjectName("Muted")
        self.model = HistoryModel()
        self.sorted = HistorySort(self.model)
        self.table = QTableView()
        self.table.setObjectName("HistoryTable")
        self.table.setModel(self.sorted)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # days in order
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.chart = HistoryChart()
        self.export_dialog: QFileDialog | None = None

        controls = QHBoxLayout()
        for text, widget in ((self.tr("&From:"), self.first), (self.tr("&To:"), self.last),
                             (self.tr("&Group by:"), self.by)):
            label = PlainLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addWidget(self.show_button)
        controls.addWidget(self.export_button)
        controls.addWidget(self.busy)
        controls.addWidget(self.status, 1)
        note = PlainLabel(self.tr("Days are UTC, both included; at most {0} days.")
                          .format(rp.MAX_HISTORY_DAYS))
        note.setObjectName("Muted")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([520, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(note)
        layout.addWidget(split, 1)

        show = QAction(self.tr("Show the history"), self)
        show.setShortcut(QKeySequence("Ctrl+Return"))
        show.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        show.triggered.connect(self.load)
        self.addAction(show)
        self.export_action = QAction(self.tr("Export the history as CSV"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+S"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_action.triggered.connect(self.export)
        self.addAction(self.export_action)

    @property
    def grouping(self) -> rp.HistoryGrouping:
        return rp.HistoryGrouping(self.by.currentData())

    def set_range(self, first: dt.date, last: dt.date, by: rp.HistoryGrouping) -> None:
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))
        self.by.setCurrentIndex(self.by.findData(by.value))

    # ---- asking ------------------------------------------------------------------------

    def load(self) -> None:
        try:
            since, until = day_range_ms(day(self.first.date()), day(self.last.date()))
        except RangeError as exc:
            self._failed(self._range_text(exc.reason))
            return
        self._asked += 1
        self.busy.show()
        self.show_button.setEnabled(False)
        self.status.setText(self.tr("The hub is computing the figures…"))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside a loop callback (qasync runs Qt's loop)
            loop = asyncio.get_event_loop()
        self._tasks.spawn(self._load(self._asked, since, until, self.grouping), loop=loop)

    async def _load(self, asked: int, since: int, until: int, by: rp.HistoryGrouping) -> None:
        try:
            report = await self._reports.history(since, until, by)
        except ReportUnavailable as exc:
            if asked == self._asked:
                self._failed(self._refusal_text(exc.code))
            return
        if asked != self._asked:
            return  # a newer request is on its way
        self.busy.hide()
        self.show_button.setEnabled(True)
        self.model.set_report(report)
        self.chart.set_report(report)
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("%n group(s).", "", len(report.rows)))
        self.loaded.emit()

    def _failed(self, text: str) -> None:
        self.busy.hide()
        self.show_button.setEnabled(True)
        self.status.setText(text)
        self.loaded.emit()

    def _range_text(self, reason: str) -> str:
        if reason == "too_long":
            return self.tr("Choose at most {0} days; the hub's command line exports longer "
                           "ranges (zuoxi-hub report history).").format(rp.MAX_HISTORY_DAYS)
        return self.tr("The last day must not be before the first.")

    def _refusal_text(self, code: str) -> str:
        return {
            "forbidden": self.tr("Reports are for supervisors: the hub refused."),
            "invalid": self.tr("The hub refused this range."),
            "offline": self.tr("Not connected to the hub; try again when connected."),
        }.get(code, self.tr("The hub could not make the report ({0}).").format(code))

    # ---- export ------------------------------------------------------------------------

    def export(self) -> None:
        report = self.model.report
        if report is None:
            return
        dialog = QFileDialog(self, self.tr("Export the history"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"history-{report.by.value}-{self.first.date().toString('yyyy-MM-dd')}"
                          f"-{self.last.date().toString('yyyy-MM-dd')}.csv")
        dialog.fileSelected.connect(self.export_to)
        self.export_dialog = dialog
        dialog.open()

    def export_to(self, path: str) -> bool:
        report = self.model.report
        if report is None or not path:
            return False
        try:
            write_csv(report, Path(path))
        except OSError as exc:
            self.status.setText(self.tr("Could not write {0}: {1}").format(
                path, exc.strerror or str(exc)))
            return False
        self.status.setText(self.tr("Exported to {0}.").format(path))
        return True
