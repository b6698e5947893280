"""The supervisor's charts, drawn with pyqtgraph: service level and volume by hour
of the day per channel, and waiting over the last hour. pyqtgraph is pure Python
over numpy (already a dependency) and draws on plain Qt widgets; QtCharts would
need the PySide6-Addons wheel (about 150 MB). Thread: the GUI thread.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QWidget

from core.protocol import supervision as sp
from core.protocol.models import Channel
from ui.supervision.figure_text import channel_name, translate

COLOURS = {Channel.VOICE: "#1565c0", Channel.CHAT: "#2e7d32", Channel.EMAIL: "#6a1b9a"}


def _plot(title: str, left: str, bottom: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(title, color="#333", size="11pt")
    plot.setLabel("left", left)
    plot.setLabel("bottom", bottom)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.addLegend(offset=(6, 6))
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    return plot


class SupervisionCharts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SupervisionCharts")
        self.service_level = _plot(
            translate("Supervision", "Service level by hour"), "%", translate("Supervision", "hour")
        )
        self.service_level.setYRange(0, 100)
        self.volume = _plot(
            translate("Supervision", "Offered by hour"),
            translate("Supervision", "contacts"),
            translate("Supervision", "hour"),
        )
        self.waiting = _plot(
            translate("Supervision", "Waiting, last hour"),
            translate("Supervision", "waiting"),
            translate("Supervision", "minutes ago"),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for plot in (self.service_level, self.volume, self.waiting):
            layout.addWidget(plot)
        self.shown: dict[str, dict[Channel, list[float]]] = {}
        self._items: dict[Channel, tuple[pg.PlotDataItem, pg.BarGraphItem, pg.PlotDataItem]] = {}

    def set_series(self, series: list[sp.ChannelSeries]) -> None:
        """Show ``series``; the same channels again only move the data of the drawn items
        (clearing and re-adding them rebuilt the legends and scenes: tens of ms)."""
        ordered = sorted(series, key=lambda s: s.channel.value)
        channels = [s.channel for s in ordered]
        if channels != list(self._items):
            self._build(channels)
        self.shown = {"service_level": {}, "volume": {}, "waiting": {}}
        width = 0.8 / max(1, len(ordered))
        for n, item in enumerate(ordered):
            level_curve, bars, waiting_curve = self._items[item.channel]
            hours = [p.hour for p in item.hours]
            levels = [
                p.service_level_pct if p.service_level_pct is not None else float("nan")
                for p in item.hours
            ]
            level_curve.setData(hours, levels, connect="finite")
            offered = [float(p.offered) for p in item.hours]
            bars.setOpts(x=[h - 0.4 + width * (n + 0.5) for h in hours], height=offered,
                         width=width)
            samples = [float(v) for v in item.waiting]
            waiting_curve.setData(list(range(-len(samples) + 1, 1)), samples)
            self.shown["service_level"][item.channel] = levels
            self.shown["volume"][item.channel] = offered
            self.shown["waiting"][item.channel] = samples

    def _build(self, channels: list[Channel]) -> None:
        for plot in (self.service_level, self.volume, self.waiting):
            plot.clear()
        self._items = {}
        for channel in channels:
            colour = COLOURS.get(channel, "#555")
            name = channel_name(channel)
            level_curve = self.service_level.plot(
                [], [], pen=pg.mkPen(colour, width=2), name=name, symbol="o", symbolSize=6,
                symbolBrush=colour, connect="finite")
            bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=colour, name=name)
            self.volume.addItem(bars)
            waiting_curve = self.waiting.plot([], [], pen=pg.mkPen(colour, width=2), name=name)
            self._items[channel] = (level_curve, bars, waiting_curve)
