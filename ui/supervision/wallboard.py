"""The wallboard: the same figures for a wall screen, in large type, with no
interaction. The centre and channel tiles stay on top; below them one queue at a
time, rotating every ``rotate_s`` seconds. Escape (or the window manager) closes
it. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from core.protocol import supervision as sp
from core.supervision.figures_client import Board
from ui.supervision.tile_card import TileCard
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import clock_text

DEFAULT_ROTATE_S = 10.0


class Wallboard(QWidget):
    closed = Signal()

    def __init__(self, rotate_s: float = DEFAULT_ROTATE_S, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("Wallboard")
        self.setWindowTitle(self.tr("Wallboard"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("#Wallboard { background: #10151c; } "
                           "#Wallboard QLabel { color: #f5f5f5; }")
        self.board = Board()
        self.top: dict[str, TileCard] = {}
        self.top_grid = QGridLayout()
        self.top_grid.setSpacing(16)
        self.rotating = TileCard("", large=True)
        self.clock = PlainLabel()
        self.clock.setStyleSheet("font-size: 20pt;")
        self.page = PlainLabel()
        self.page.setStyleSheet("font-size: 20pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(self.top_grid)
        layout.addWidget(self.rotating, 1)
        footer = QGridLayout()
        footer.addWidget(self.page, 0, 0)
        footer.addWidget(self.clock, 0, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(footer)
        self.index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(int(rotate_s * 1000))
        self.timer.timeout.connect(self.rotate)
        self.timer.start()

    def queue_keys(self) -> list[str]:
        return sorted(t.key for t in self.board.queue_tiles())

    def show_board(self, board: Board) -> None:
        self.board = board
        heads = sorted((t for t in board.tiles.values() if t.kind is not sp.TileKind.QUEUE),
                       key=lambda t: (t.kind is not sp.TileKind.CENTRE, t.key))
        if list(self.top) != [t.key for t in heads]:
            for card in self.top.values():
                card.deleteLater()
            self.top = {}
            for n, tile in enumerate(heads):
                card = TileCard(tile.key, large=True, headline=True)
                self.top_grid.addWidget(card, 0, n)
                self.top[tile.key] = card
        for tile in heads:
            self.top[tile.key].set_tile(tile)
        self._show_queue()
        self.clock.setText(clock_text(board.at))

    def rotate(self) -> None:
        self.index += 1
        self._show_queue()

    def _show_queue(self) -> None:
        keys = self.queue_keys()
        if not keys:
            return
        key = keys[self.index % len(keys)]
        self.rotating.key = key
        self.rotating.set_tile(self.board.tiles[key])
        self.page.setText(self.tr("Queue {0} of {1}").format(self.index % len(keys) + 1,
                                                              len(keys)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        self.closed.emit()
        super().closeEvent(event)
