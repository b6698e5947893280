"""One queue's (or channel's, or the centre's) figures as a card: amber or red when
over its thresholds; Enter or a double-click drills down. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from core.protocol import supervision as sp
from ui.supervision.figure_text import cause_text, level_text, tile_rows, tile_title, translate
from ui.widgets.plain_text import PlainLabel

HEADLINE = frozenset({sp.Figure.WAITING, sp.Figure.MISSED_STANDARD, sp.Figure.ABANDONED,
                      sp.Figure.ESCALATIONS})
LEVEL_COLOURS = {
    sp.AlertLevel.OK: ("#2e7d32", "transparent"),
    sp.AlertLevel.AMBER: ("#f9a825", "rgba(249, 168, 37, 0.16)"),
    sp.AlertLevel.RED: ("#c62828", "rgba(198, 40, 40, 0.16)"),
}


class TileCard(QFrame):
    activated = Signal(str)  # the tile's key

    def __init__(self, key: str, large: bool = False, headline: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.large = large
        self.headline = headline  # the few figures a wall screen's top row shows
        self.tile: sp.Tile | None = None
        self.setObjectName("SupervisionTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if not large else Qt.FocusPolicy.NoFocus)
        self.title = PlainLabel()
        self.title.setObjectName("SupervisionTileTitle")
        self.status = PlainLabel()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(12, 8, 12, 8)
        self.grid.setHorizontalSpacing(14 if not large else 40)
        self.grid.setVerticalSpacing(2 if not large else 10)
        self.grid.addWidget(self.title, 0, 0, 1, 4)
        self.grid.addWidget(self.status, 1, 0, 1, 4)
        self.values: dict[str, QLabel] = {}
        self._focused = False
        self._style = ""
        self._restyle()

    def set_tile(self, tile: sp.Tile) -> None:
        self.tile = tile
        self.title.setText(tile_title(tile))
        causes = ", ".join(cause_text(c) for c in tile.causes)
        self.status.setText(level_text(tile.level) + (f" · {causes}" if causes else ""))
        columns = 1 if self.headline else 2 if not self.large else 3
        rows = tile_rows(tile)
        if self.headline:
            rows = [r for r in rows if r[2] in HEADLINE][:6]
        for n, (label, value, _) in enumerate(rows):
            shown = self.values.get(label)
            if shown is None:
                name = PlainLabel(label)
                name.setObjectName("Muted")
                shown = PlainLabel()
                shown.setObjectName("SupervisionValue")
                row, col = 2 + n // columns, (n % columns) * 2
                self.grid.addWidget(name, row, col)
                self.grid.addWidget(shown, row, col + 1)
                self.values[label] = shown
            shown.setText(value)
        self.setAccessibleName(tile_title(tile))
        self.setAccessibleDescription(self.status.text())
        self._restyle()

    def _restyle(self) -> None:
        level = self.tile.level if self.tile is not None else sp.AlertLevel.OK
        border, fill = LEVEL_COLOURS[level]
        width = 4 if self._focused else 2
        scale = 2.0 if self.large else 1.0
        style = (
            f"#SupervisionTile {{ border: {width}px solid {border}; border-radius: 6px;"
            f" background: {fill}; }}"
            f" #SupervisionTileTitle {{ font-weight: bold; font-size: {int(13 * scale)}pt; }}"
            f" QLabel {{ font-size: {int(9 * scale)}pt; }}"
            f" #SupervisionValue {{ font-weight: bold; font-size: {int(11 * scale)}pt; }}")
        if style != self._style:  # a new style sheet re-polishes every label: only on change
            self._style = style
            self.setStyleSheet(style)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._focused = True
        self._restyle()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._focused = False
        self._style = ""
        self._restyle()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.large:
            self.activated.emit(self.key)
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self.large:
            self.activated.emit(self.key)


def tooltip() -> str:
    return translate("Supervision", "Enter or double-click: what is behind these figures")
