"""The supervisor workspace: a window of its own with the live tiles (centre,
channels, queues), the charts and the agent roster, and pages beside them (the
reports). Keyboard first: Tab moves between tiles, Enter drills down, F11 opens
the wallboard, Ctrl+F filters the roster, Alt+1, Alt+2 … show the pages.
Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.protocol import supervision as sp
from core.supervision.figures_client import Board
from ui.routing.routing_names import queue_name
from ui.supervision.charts import SupervisionCharts
from ui.supervision.roster_model import RosterFilter, RosterModel
from ui.supervision.tile_card import TileCard, tooltip
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import clock_text

COLUMNS = 5


class SupervisorWorkspace(QMainWindow):
    drill_requested = Signal(str)  # a tile key
    set_state_requested = Signal(str, str)  # the roster's selected agent: id, name
    wallboard_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("SupervisorWorkspace")
        self.setWindowTitle(self.tr("Supervisor workspace"))
        self.cards: dict[str, TileCard] = {}
        self.status = PlainLabel(self.tr("Waiting for the hub's figures…"))
        self.status.setObjectName("Muted")
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(10)
        self.charts = SupervisionCharts()
        self.roster = RosterModel()
        self.roster_filter = RosterFilter()
        self.roster_filter.setSourceModel(self.roster)
        self.roster_view = QTableView()
        self.roster_view.setObjectName("RosterTable")
        self.roster_view.setModel(self.roster_filter)
        self.roster_view.setSortingEnabled(True)
        self.roster_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.roster_view.verticalHeader().hide()
        self.roster_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.roster_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        # The selected agent's state, with a reason: the context menu, or the key while
        # the roster has focus (the same key as the main window's Supervise menu entry).
        self.state_action = QAction(self.tr("Set the agent's &state…"), self.roster_view)
        self.state_action.setShortcut(QKeySequence("Alt+Shift+S"))
        self.state_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.state_action.triggered.connect(self._set_state_of_selected)
        self.roster_view.addAction(self.state_action)
        self.roster_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.roster_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        self.roster_view.horizontalHeader().setStretchLastSection(True)
        # Column widths fitted once to the first rows (see _fit_roster), then left to the
        # user: fitting them to the contents on every update (ResizeToContents) measured
        # cells again each time a row moved and stalled the window.
        self.roster_view.horizontalHeader().setResizeContentsPrecision(40)
        self._roster_fitted = False
        self._charted: list[int] = []
        self.queue_choice = QComboBox()
        self.queue_choice.setObjectName("RosterQueueFilter")
        self.queue_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.queue_choice.addItem(self.tr("All queues"), None)
        self.queue_choice.currentIndexChanged.connect(
            lambda _: self.roster_filter.set_queue(self.queue_choice.currentData()))
        filter_label = PlainLabel(self.tr("Roster of &queue:"))
        filter_label.setBuddy(self.queue_choice)
        self.team_choice = QComboBox()
        self.team_choice.setObjectName("RosterTeamFilter")
        self.team_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_choice.addItem(self.tr("All teams"), None)
        self.team_choice.currentIndexChanged.connect(
            lambda _: self.roster_filter.set_team(self.team_choice.currentData()))
        team_label = PlainLabel(self.tr("&Team:"))
        team_label.setBuddy(self.team_choice)

        grid = QWidget()
        grid.setLayout(self.tile_grid)
        tiles = QScrollArea()
        tiles.setObjectName("SupervisionTiles")
        tiles.setWidget(grid)
        tiles.setWidgetResizable(True)
        tiles.setFrameShape(QScrollArea.Shape.NoFrame)
        tiles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        roster = QWidget()
        roster_layout = QVBoxLayout(roster)
        roster_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(filter_label)
        row.addWidget(self.queue_choice)
        row.addWidget(team_label)
        row.addWidget(self.team_choice)
        row.addStretch(1)
        row.addWidget(self.status)
        roster_layout.addLayout(row)
        roster_layout.addWidget(self.roster_view)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(self.charts)
        lower.addWidget(roster)
        lower.setSizes([260, 340])
        central = QWidget()
        layout = QVBoxLayout(central)
        upper = QSplitter(Qt.Orientation.Vertical)
        upper.addWidget(tiles)
        upper.addWidget(lower)
        upper.setSizes([460, 560])
        layout.addWidget(upper, 1)
        # Pages: the live figures first; reports are added beside them (add_page).
        self.pages = QTabWidget()
        self.pages.setObjectName("SupervisionPages")
        self.pages.setDocumentMode(True)
        self.setCentralWidget(self.pages)
        self.add_page(central, self.tr("Live figures"), "Alt+1")

        toolbar = self.addToolBar(self.tr("Supervision"))
        toolbar.setObjectName("SupervisionToolbar")
        toolbar.setMovable(False)
        self.wallboard_action = QAction(self.tr("&Wallboard"), self)
        self.wallboard_action.setShortcut(QKeySequence("F11"))
        self.wallboard_action.triggered.connect(self.wallboard_requested.emit)
        toolbar.addAction(self.wallboard_action)
        self.drill_action = QAction(self.tr("&Behind the figures"), self)
        self.drill_action.setShortcut(QKeySequence("Ctrl+D"))
        self.drill_action.triggered.connect(self._drill_focused)
        toolbar.addAction(self.drill_action)
        focus_roster = QAction(self.tr("Filter the roster"), self)
        focus_roster.setShortcut(QKeySequence("Ctrl+F"))
        focus_roster.triggered.connect(self.queue_choice.setFocus)
        self.addAction(focus_roster)
        close = QAction(self.tr("Close"), self)
        close.setShortcut(QKeySequence("Ctrl+W"))
        close.triggered.connect(self.close)
        self.addAction(close)

    def add_page(self, page: QWidget, title: str, keys: str) -> QAction:
        """A page of the workspace, with the shortcut that shows it."""
        self.pages.addTab(page, title)
        action = QAction(self.tr("Show {0}").format(title), self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda: self.pages.setCurrentWidget(page))
        self.addAction(action)
        return action

    def selected_agent(self) -> tuple[str, str] | None:
        """The roster's current agent (id, name), if any."""
        index = self.roster_view.currentIndex()
        if not index.isValid():
            return None
        first = index.siblingAtColumn(0)
        return str(first.data(Qt.ItemDataRole.UserRole)), str(first.data())

    def _set_state_of_selected(self) -> None:
        chosen = self.selected_agent()
        if chosen is not None:
            self.set_state_requested.emit(*chosen)

    def _drill_focused(self) -> None:
        focused = self.focusWidget()
        key = focused.key if isinstance(focused, TileCard) else "centre"
        self.drill_requested.emit(key)

    def show_board(self, board: Board, changed: list[str] | None = None) -> None:
        """Re-read the board; ``changed``: only these tiles moved (None: all)."""
        order = (sorted(board.tiles.values(), key=lambda t: (
            [sp.TileKind.CENTRE, sp.TileKind.CHANNEL, sp.TileKind.QUEUE].index(t.kind),
            t.channel.value if t.channel else "", t.key)))
        if [c for c in self.cards] != [t.key for t in order]:
            self._lay_out([t.key for t in order])
            changed = None
        for tile in order:
            if changed is None or tile.key in changed:
                self.cards[tile.key].set_tile(tile)
        self.roster.set_rows(list(board.agents.values()), board.at)
        if not self._roster_fitted and self.roster.rows:
            self._roster_fitted = True
            self.roster_view.resizeColumnsToContents()
        queues = sorted({q for a in board.agents.values() for q in a.queues})
        _offer(self.queue_choice, [(queue_name(q, board.tiles[f"queue:{q}"].name
                                              if f"queue:{q}" in board.tiles else ""), q)
                                   for q in queues])
        teams = sorted({a.team for a in board.agents.values() if a.team})
        _offer(self.team_choice, [(team, team) for team in teams])
        charted = [id(s) for s in board.series.values()]
        if changed is None or charted != self._charted:  # redrawn only when new
            self._charted = charted
            self.charts.set_series(list(board.series.values()))
        self.status.setText(self.tr("Updated {0}").format(clock_text(board.at)))

    def _lay_out(self, keys: list[str]) -> None:
        for card in self.cards.values():
            self.tile_grid.removeWidget(card)
            card.deleteLater()
        self.cards = {}
        heads = [k for k in keys if not k.startswith("queue:")]
        queues = [k for k in keys if k.startswith("queue:")]
        # The centre and the channels on the first row, the queues below them.
        places = [(0, n) for n in range(len(heads))] + [
            (1 + n // COLUMNS, n % COLUMNS) for n in range(len(queues))]
        for key, (row, column) in zip([*heads, *queues], places, strict=True):
            card = TileCard(key)
            card.setToolTip(tooltip())
            card.activated.connect(self.drill_requested.emit)
            self.tile_grid.addWidget(card, row, column)
            self.cards[key] = card

    def show_failure(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


def _offer(choice: QComboBox, items: list[tuple[str, str]]) -> None:
    """``items`` (text, value) after the combo's first "all" entry, keeping the choice."""
    known = [choice.itemData(i) for i in range(1, choice.count())]
    if [value for _, value in items] == known:
        return
    chosen = choice.currentData()
    choice.blockSignals(True)
    while choice.count() > 1:
        choice.removeItem(1)
    for text, value in items:
        choice.addItem(text, value)
    choice.setCurrentIndex(max(0, choice.findData(chosen)))
    choice.blockSignals(False)
    if choice.currentData() != chosen:  # the chosen one is gone: the filter follows
        choice.currentIndexChanged.emit(choice.currentIndex())
