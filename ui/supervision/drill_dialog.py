"""What is behind a tile's figures: a non-modal dialog listing the conversations
(or agents) of the chosen figure, read from the hub. Customer names are shown as
plain text (table items are never markup). Thread: the GUI thread.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.protocol import supervision as sp
from core.supervision.figures_client import FiguresClient, FiguresUnavailable
from core.tasks import BackgroundTasks
from ui.supervision.figure_text import channel_name, figure_name, presence_text, seconds
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import date_time_text


class DrillDialog(QDialog):
    loaded = Signal()  # a list arrived (or failed): tests wait on it

    def __init__(self, figures: FiguresClient, tile: sp.Tile, first: sp.Figure,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DrillDialog")
        self.setWindowTitle(self.tr("Behind the figures"))
        self.resize(900, 480)
        self._figures = figures
        self._tile = tile
        self._tasks = BackgroundTasks("drill-down")
        self.choice = QComboBox()
        for figure in sp.Figure:
            self.choice.addItem(figure_name(figure), figure.value)
        self.choice.setCurrentIndex(list(sp.Figure).index(first))
        self.choice.currentIndexChanged.connect(lambda _: self.load())
        self.summary = PlainLabel()
        self.table = QTableWidget()
        self.table.setObjectName("DrillTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choice)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.result_shown: sp.DrillDownResult | None = None

    @property
    def figure(self) -> sp.Figure:
        return sp.Figure(self.choice.currentData())  # Qt hands the enum back as its value

    def load(self) -> None:
        self.summary.setText(self.tr("Loading…"))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside a loop callback (qasync runs Qt's loop)
            loop = asyncio.get_event_loop()
        self._tasks.spawn(self._load(self.figure), loop=loop)

    async def _load(self, figure: sp.Figure) -> None:
        try:
            result = await self._figures.drill(figure, self._tile.key)
        except FiguresUnavailable as exc:
            self.summary.setText(self.tr("Not available now ({0}).").format(exc.code))
            self.loaded.emit()
            return
        if figure is self.figure:
            self.show_result(result)
        self.loaded.emit()

    def show_result(self, result: sp.DrillDownResult) -> None:
        self.result_shown = result
        self.table.setSortingEnabled(False)
        self.table.clear()
        if result.figure is sp.Figure.AGENTS:
            headers = [self.tr("Agent"), self.tr("State"), self.tr("Handled"),
                       self.tr("Avg handle time"), self.tr("Queues")]
            rows = [[a.name, presence_text(a.presence), str(a.handled), seconds(a.aht_s),
                     ", ".join(a.queues)] for a in result.agents]
        else:
            headers = [self.tr("Customer"), self.tr("Queue"), self.tr("Channel"),
                       self.tr("Queued at"), self.tr("Wait"), self.tr("Agent")]
            rows = [[c.customer_name, c.queue_id, channel_name(c.channel),
                     date_time_text(c.enqueued_at), seconds(c.wait_s), c.agent_name]
                    for c in result.conversations]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.setSortingEnabled(True)
        shown = len(rows)
        self.summary.setText(self.tr("{0}: {1} of {2}").format(
            figure_name(result.figure), shown, result.total))
