"""The supervisor's entry points in the main window, and what ties the live
figures to the workspace, the wallboard and desktop notifications.

Role-gated: the menu entry (and so its shortcut, and its line in the Ctrl+/
sheet) exists for supervisors and admins only, as the hub's ``routing_config``
says; the hub refuses the figures to anyone else anyway. A tile that turns amber
or red (from a better level) raises ``alert_raised`` with a title and a text,
which the desktop shows with its notifier. Thread: the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from core.protocol import supervision as sp
from core.protocol.routing import AgentRole
from ui.shell.service_bridge import ServiceBridge
from ui.supervision.drill_dialog import DrillDialog
from ui.supervision.figure_text import cause_text, level_text, tile_title
from ui.supervision.monitor_menu import AgentStateDialog

if TYPE_CHECKING:  # the views (and pyqtgraph) load when a supervisor opens them
    from ui.supervision.history_view import HistoryView
    from ui.supervision.wallboard import Wallboard
    from ui.supervision.weekly_reports_view import WeeklyReportsView
    from ui.supervision.workspace import SupervisorWorkspace

_RANK = {sp.AlertLevel.OK: 0, sp.AlertLevel.AMBER: 1, sp.AlertLevel.RED: 2}
SHORTCUT = "Ctrl+Shift+G"


class SupervisionActions(QObject):
    alert_raised = Signal(str, str)  # title, text

    def __init__(self, bridge: ServiceBridge, window: QWidget) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._window = window
        self.figures = bridge.service.figures
        self.workspace: SupervisorWorkspace | None = None
        self.wallboard: Wallboard | None = None
        self.drill: DrillDialog | None = None
        self.history: HistoryView | None = None
        self.weekly: WeeklyReportsView | None = None
        self.state_dialog: AgentStateDialog | None = None
        # Where weekly reports are downloaded to be opened: the desktop's cache folder.
        self.reports_dir = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.CacheLocation)) / "reports"
        self._levels: dict[str, sp.AlertLevel] = {}
        self.action = QAction(self.tr("Supervisor &workspace"), window)
        self.action.setObjectName("SupervisorWorkspaceAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.triggered.connect(self.open_workspace)
        self.wallboard_action = QAction(self.tr("Wall&board"), window)
        self.wallboard_action.triggered.connect(self.open_wallboard)
        self._set_allowed(False)
        bridge.routing_config_changed.connect(self._config_changed)
        bridge.figures_changed.connect(self._figures_changed)
        bridge.figures_failed.connect(self._figures_failed)
        self._config_changed()

    @property
    def allowed(self) -> bool:
        return self.action.isVisible()

    def _set_allowed(self, allowed: bool) -> None:
        for action in (self.action, self.wallboard_action):
            action.setVisible(allowed)
            action.setEnabled(allowed)

    def _config_changed(self) -> None:
        config = self._bridge.service.routing.config()
        allowed = config is not None and config.role is AgentRole.SUPERVISOR
        self._set_allowed(allowed)
        if not allowed:
            for view in (self.workspace, self.wallboard):
                if view is not None:
                    view.close()

    # ---- opening ----------------------------------------------------------------------

    def open_workspace(self) -> SupervisorWorkspace | None:
        if not self.allowed:
            return None
        if self.workspace is None:
            from ui.supervision.workspace import SupervisorWorkspace

            self.workspace = SupervisorWorkspace(self._window)
            self.workspace.drill_requested.connect(self.open_drill)
            self.workspace.set_state_requested.connect(self.open_agent_state)
            self.workspace.wallboard_requested.connect(self.open_wallboard)
            self.workspace.closed.connect(self._workspace_closed)
            self.workspace.resize(1600, 1000)
            reports = self._bridge.service.reports
            from ui.supervision.history_view import HistoryView

            self.history = HistoryView(reports)
            self.workspace.add_page(self.history, self.tr("History"), "Alt+2")
            from ui.supervision.weekly_reports_view import WeeklyReportsView

            self.weekly = WeeklyReportsView(reports, self.reports_dir)
            self.workspace.add_page(self.weekly, self.tr("Weekly reports"), "Alt+3")
            self.weekly.refresh()
        self._watch()
        self.workspace.show()
        self.workspace.raise_()
        self.workspace.activateWindow()
        if self.figures.board.tiles:
            self.workspace.show_board(self.figures.board)
        return self.workspace

    def open_wallboard(self) -> Wallboard | None:
        if not self.allowed:
            return None
        if self.wallboard is None:
            from ui.supervision.wallboard import Wallboard

            self.wallboard = Wallboard(parent=self._window)
            self.wallboard.closed.connect(self._wallboard_closed)
            self.wallboard.resize(1920, 1080)
        self._watch()
        self.wallboard.show()
        if self.figures.board.tiles:
            self.wallboard.show_board(self.figures.board)
        return self.wallboard

    def open_drill(self, key: str, figure: sp.Figure = sp.Figure.WAITING) -> DrillDialog | None:
        tile = self.figures.board.tiles.get(key)
        if tile is None:
            return None
        if self.drill is not None:
            self.drill.close()
        self.drill = DrillDialog(self.figures, tile, figure, self.workspace or self._window)
        self.drill.setWindowTitle(tile_title(tile))
        self.drill.open()
        self.drill.load()
        return self.drill

    def open_agent_state(self, agent_id: str, name: str) -> AgentStateDialog:
        """Set ``agent_id``'s state with a reason (the hub's coaching service audits it)."""
        dialog = AgentStateDialog(self._bridge, self.workspace or self._window, agent_id, name)
        dialog.finished.connect(self._state_dialog_closed)
        self.state_dialog = dialog
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves
        return dialog

    def _state_dialog_closed(self) -> None:
        if self.state_dialog is not None:
            self.state_dialog.deleteLater()
            self.state_dialog = None

    def _watch(self) -> None:
        if not self.figures.wanted:
            self.figures.watch()

    def _workspace_closed(self) -> None:
        self.workspace = None
        self.history = self.weekly = None
        if self.wallboard is None:
            self.figures.unwatch()

    def _wallboard_closed(self) -> None:
        self.wallboard = None
        if self.workspace is None:
            self.figures.unwatch()

    # ---- the hub said ------------------------------------------------------------------

    def _figures_changed(self, keys: list[str]) -> None:
        board = self.figures.board
        if self.workspace is not None:
            self.workspace.show_board(board, keys)
        if self.wallboard is not None:
            self.wallboard.show_board(board)
        for key in keys:
            tile = board.tiles.get(key)
            if tile is None or tile.kind is not sp.TileKind.QUEUE:
                continue
            before = self._levels.get(key)
            self._levels[key] = tile.level
            if before is not None and _RANK[tile.level] > _RANK[before]:
                self.alert_raised.emit(
                    self.tr("{0}: {1}").format(tile_title(tile), level_text(tile.level)),
                    ", ".join(cause_text(c) for c in tile.causes))

    def _figures_failed(self, code: str) -> None:
        if self.workspace is not None:
            self.workspace.show_failure(self.tr("The hub gives no figures now ({0}).")
                                        .format(code))
