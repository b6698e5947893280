"""Charts of a historical report, drawn with pyqtgraph as the live charts are
(ui/supervision/charts.py): conversations and answered contacts per group as
bars, and the service level per group. ``shown`` keeps what was drawn, for tests.
Thread: the GUI thread.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QWidget

from core.protocol import reports as rp
from ui.supervision.figure_text import translate
from ui.supervision.history_model import column_name, grouping_name, key_text

BARS = (("conversations", "#1565c0"), ("answered", "#2e7d32"))
LEVEL_COLOUR = "#ef6c00"
MAX_TICKS = 16  # labels on the axis; every n-th group beyond that


def _plot(title: str, left: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(title, color="#333", size="11pt")
    plot.setLabel("left", left)
    plot.showGrid(x=False, y=True, alpha=0.2)
    plot.addLegend(offset=(6, 6))
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    return plot


def _number(value: float | int | None) -> float:
    return math.nan if value is None else float(value)


class HistoryChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryChart")
        self.volume = _plot(translate("SupervisionHistory", "Conversations and answered"),
                            translate("SupervisionHistory", "contacts"))
        self.level = _plot(translate("SupervisionHistory", "Service level"), "%")
        self.level.setYRange(0, 100)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.volume, 3)
        layout.addWidget(self.level, 2)
        self.shown: dict[str, list[float]] = {}

    def set_report(self, report: rp.HistoryReport | None) -> None:
        for plot in (self.volume, self.level):
            plot.clear()
        self.shown = {}
        if report is None or not report.rows:
            return
        keys = [key_text(report.by, row.key) for row in report.rows]
        xs = list(range(len(keys)))
        step = max(1, math.ceil(len(keys) / MAX_TICKS))
        ticks = [[(x, keys[x]) for x in xs[::step]]]
        for plot in (self.volume, self.level):
            plot.getAxis("bottom").setTicks(ticks)
            plot.setLabel("bottom", grouping_name(report.by))
            plot.setXRange(-0.5, len(keys) - 0.5, padding=0.02)
        bars = [(c, colour) for c, colour in BARS if c in report.columns]
        width = 0.8 / max(1, len(bars))
        for n, (column, colour) in enumerate(bars):
            at = report.columns.index(column)
            heights = [_number(row.values[at]) for row in report.rows]
            self.volume.addItem(pg.BarGraphItem(
                x=[x - 0.4 + width * (n + 0.5) for x in xs],
                height=[0.0 if math.isnan(h) else h for h in heights], width=width,
                brush=colour, name=column_name(column)))
            self.shown[column] = heights
        if "service_level_pct" in report.columns:
            at = report.columns.index("service_level_pct")
            levels = [_number(row.values[at]) for row in report.rows]
            self.shown["service_level_pct"] = levels
            if all(math.isnan(v) for v in levels):
                return  # no service level in these groups (nothing offered)
            self.level.plot(xs, levels, pen=pg.mkPen(LEVEL_COLOUR, width=2),
                            name=column_name("service_level_pct"), symbol="o", symbolSize=6,
                            symbolBrush=LEVEL_COLOUR, connect="finite")
