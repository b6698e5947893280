"""The supervisor workspace's Weekly reports page: the weekly feedback reports the
hub has made (newest first), one made on request for a chosen past week, and a
report's page or PDF downloaded into the desktop's cache folder and opened with
the system's viewer. Keyboard: F5 refreshes, Enter or Ctrl+O opens the page,
Ctrl+Shift+O the PDF, Alt+M makes the chosen week. Thread: the GUI thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.protocol import reports as rp
from core.supervision.reports_client import ReportsClient, ReportUnavailable, week_name
from core.tasks import BackgroundTasks
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import date_time_text

DAY_MS = 86_400_000


def last_full_week(today: dt.date) -> dt.date:
    """The Monday of the last week (Monday–Sunday) that has ended."""
    return today - dt.timedelta(days=today.weekday() + 7)


def week_ms(monday: dt.date) -> int:
    return (monday - dt.date(1970, 1, 1)).days * DAY_MS


def day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class WeeklyReportsView(QWidget):
    loaded = Signal()  # the list arrived, a file opened, or something failed (for tests)

    def __init__(self, reports: ReportsClient, download_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WeeklyReportsView")
        self._reports = reports
        self.download_dir = download_dir
        self._tasks = BackgroundTasks("weekly-reports")
        # How a downloaded file is opened (the system's viewer; tests record it).
        self.opener: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.opened: list[Path] = []
        self.shown: list[rp.WeeklyReportInfo] = []
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("WeeklyReportsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Week"), self.tr("State"), self.tr("Made at")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda _: self.open_selected("report.html"))
        self.open_page = QPushButton(self.tr("Open the &page"))
        self.open_page.clicked.connect(lambda: self.open_selected("report.html"))
        self.open_pdf = QPushButton(self.tr("Open the P&DF"))
        self.open_pdf.clicked.connect(lambda: self.open_selected("report.pdf"))
        refresh = QPushButton(self.tr("&Refresh"))
        refresh.clicked.connect(self.refresh)
        self.week = QDateEdit(QDate(*last_full_week(dt.date.today()).timetuple()[:3]))
        self.week.setCalendarPopup(True)
        self.week.setDisplayFormat("yyyy-MM-dd")
        self.make_button = QPushButton(self.tr("&Make the report"))
        self.make_button.clicked.connect(self.make)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = PlainLabel()
        self.status.setObjectName("Muted")

        make_row = QHBoxLayout()
        week_label = PlainLabel(self.tr("Wee&k of:"))
        week_label.setBuddy(self.week)
        make_row.addWidget(week_label)
        make_row.addWidget(self.week)
        make_row.addWidget(self.make_button)
        make_row.addWidget(self.busy)
        make_row.addWidget(self.status, 1)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_page)
        open_row.addWidget(self.open_pdf)
        open_row.addWidget(refresh)
        open_row.addStretch(1)
        note = PlainLabel(self.tr("The hub makes each week's report (Monday to Sunday, UTC) "
                                  "on its schedule; a past week can be made here."))
        note.setObjectName("Muted")
        layout = QVBoxLayout(self)
        layout.addLayout(make_row)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(open_row)
        for text, keys, slot in (
                (self.tr("Refresh the weekly reports"), "F5", self.refresh),
                (self.tr("Open the weekly report's page"), "Ctrl+O",
                 lambda: self.open_selected("report.html")),
                (self.tr("Open the weekly report's PDF"), "Ctrl+Shift+O",
                 lambda: self.open_selected("report.pdf"))):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self._selection_changed()

    # ---- the list ----------------------------------------------------------------------

    def refresh(self) -> None:
        self._start(self.tr("Asking the hub…"), self._list(self._reports.weekly_reports()))

    def make(self) -> None:
        monday = day(self.week.date())
        monday -= dt.timedelta(days=monday.weekday())  # any day picks its week
        self._start(self.tr("The hub is making the report of the week of {0}…")
                    .format(monday.isoformat()),
                    self._list(self._reports.make_weekly_report(week_ms(monday)),
                               select=week_ms(monday)))

    async def _list(self, asked: Coroutine[Any, Any, list[rp.WeeklyReportInfo]],
                    select: int | None = None) -> None:
        try:
            reports = await asked
        except ReportUnavailable as exc:
            self._done(self._refusal_text(exc.code))
            return
        self.show_reports(reports, select)
        self._done(self.tr("%n report(s).", "", len(reports)))

    def show_reports(self, reports: list[rp.WeeklyReportInfo], select: int | None = None
                     ) -> None:
        """Show the list, keeping the chosen week selected (or ``select``, a week)."""
        chosen = self.selected()
        week = select if select is not None else chosen.week_ms if chosen else None
        self.shown = reports
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            end = dt.date(1970, 1, 1) + dt.timedelta(days=report.week_ms // DAY_MS + 6)
            cells = [f"{week_name(report.week_ms)} – {end.isoformat()}",
                     self._state_text(report.state),
                     date_time_text(report.made_at) if report.made_at else "—"]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        keep = next((n for n, r in enumerate(reports) if r.week_ms == week), 0)
        if reports:
            self.table.selectRow(keep)
        self._selection_changed()

    def selected(self) -> rp.WeeklyReportInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _selection_changed(self) -> None:
        report = self.selected()
        self.open_page.setEnabled(report is not None and "report.html" in report.files)
        self.open_pdf.setEnabled(report is not None and "report.pdf" in report.files)

    # ---- opening -----------------------------------------------------------------------

    def open_selected(self, name: str) -> None:
        report = self.selected()
        if report is None or name not in report.files:
            return
        self._start(self.tr("Downloading…"), self._open(report.week_ms, name))

    async def _open(self, week: int, name: str) -> None:
        try:
            path = await self._reports.download(week, name, self.download_dir)
        except ReportUnavailable as exc:
            self._done(self._refusal_text(exc.code))
            return
        self.opened.append(path)
        self.opener(QUrl.fromLocalFile(str(path)))
        self._done(self.tr("Opened {0}.").format(path.name))

    # ---- progress and words ------------------------------------------------------------

    def _start(self, text: str, work: Coroutine[Any, Any, None]) -> None:
        self.busy.show()
        self.make_button.setEnabled(False)
        self.status.setText(text)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside a loop callback (qasync runs Qt's loop)
            loop = asyncio.get_event_loop()
        self._tasks.spawn(work, loop=loop)

    def _done(self, text: str) -> None:
        self.busy.hide()
        self.make_button.setEnabled(True)
        self.status.setText(text)
        self.loaded.emit()

    def _state_text(self, state: rp.WeeklyReportState) -> str:
        return {
            rp.WeeklyReportState.READY: self.tr("Ready"),
            rp.WeeklyReportState.MAKING: self.tr("Being made"),
            rp.WeeklyReportState.FAILED: self.tr("Failed (see the hub's log)"),
        }[state]

    def _refusal_text(self, code: str) -> str:
        return {
            "forbidden": self.tr("Reports are for supervisors: the hub refused."),
            "invalid": self.tr("Choose a week that has ended."),
            "conflict": self.tr("That week's report is being made now; refresh in a moment."),
            "not_found": self.tr("The hub no longer has that report; refresh the list."),
            "offline": self.tr("Not connected to the hub; try again when connected."),
        }.get(code, self.tr("The hub could not do this ({0}).").format(code))
