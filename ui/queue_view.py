"""The queue view: the queues the agent serves, how many wait and for how long.

A dock beside the inbox. The hub pushes ``queue_stats`` on change (throttled); the
oldest wait keeps ticking here between pushes. Agents whose role allows it (picker,
supervisor) can pick the first waiting conversation of a queue by hand.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.protocol.routing import QueueInfo, QueueStat, SlaState
from ui.presence_control import dot
from ui.profile_header import safe_text
from ui.theme import Theme, named
from ui.time_text import duration_text, now_ms

QueueRole = Qt.ItemDataRole.UserRole + 1
SLA_STATE_COLORS = {SlaState.OK: "ok", SlaState.AT_RISK: "warn", SlaState.BREACHED: "danger"}
NAME, WAITING, OLDEST = range(3)


class QueueView(QWidget):
    """Emits ``pick_requested(conversation id)`` when the agent picks by hand."""

    pick_requested = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueView")
        self._theme = theme
        self.table = QTreeWidget()
        self.table.setObjectName("QueueTable")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("Queue"), self.tr("Waiting"), self.tr("Oldest")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WAITING, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OLDEST, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(lambda *_: self._update_pick())
        self.table.itemActivated.connect(lambda *_: self.pick_selected())
        self.summary = named(QLabel(), "Muted")
        self.pick_button = named(QPushButton(self.tr("Pick next")), "PrimaryButton")
        self.pick_button.setToolTip(self.tr("Take the first waiting conversation of the "
                                            "selected queue (Ctrl+Shift+P)"))
        self.pick_button.clicked.connect(self.pick_selected)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.pick_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.addWidget(self.table, 1)
        column.addLayout(row)
        self._queues: list[QueueInfo] = []
        self._stats: dict[str, QueueStat] = {}
        self._at = 0
        self._can_pick = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self._render()

    # ---- state -----------------------------------------------------------------------

    @property
    def can_pick(self) -> bool:
        return self._can_pick

    def set_queues(self, queues: list[QueueInfo], can_pick: bool) -> None:
        self._queues = list(queues)
        self._can_pick = can_pick
        self.pick_button.setVisible(can_pick)
        self._render()

    def set_stats(self, at: int, stats: list[QueueStat]) -> None:
        self._at = at
        self._stats = {s.queue: s for s in stats}
        self._render()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._render()

    def stat(self, queue_id: str) -> QueueStat | None:
        return self._stats.get(queue_id)

    def _render(self) -> None:
        current = self.selected_queue()
        self.table.clear()
        total = 0
        for queue in self._queues:
            stat = self._stats.get(queue.id)
            item = QTreeWidgetItem([safe_text(queue.name, 40), "", ""])
            item.setData(NAME, QueueRole, queue.id)
            item.setTextAlignment(WAITING, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(OLDEST, Qt.AlignmentFlag.AlignRight)
            if stat is not None:
                total += stat.waiting
                item.setText(WAITING, str(stat.waiting))
                color = SLA_STATE_COLORS.get(stat.sla_state, "muted") if stat.waiting else "ok"
                item.setIcon(NAME, dot(self._theme.color(color), 5))
                item.setToolTip(NAME, self._sla_text(stat.sla_state))
            self.table.addTopLevelItem(item)
            if queue.id == current:
                self.table.setCurrentItem(item)
        self._tick()
        self.summary.setText(self.tr("{0} waiting").format(total) if self._queues else
                             self.tr("You serve no queue."))
        self._update_pick()

    def _sla_text(self, state: SlaState) -> str:
        return {
            SlaState.OK: self.tr("Within the service level"),
            SlaState.AT_RISK: self.tr("Service level at risk"),
            SlaState.BREACHED: self.tr("Service level breached"),
        }.get(state, "")

    def _tick(self) -> None:
        """Oldest waits grow between the hub's pushes."""
        elapsed = max(0, now_ms() - self._at) if self._at else 0
        for item in self._rows():
            stat = self._stats.get(str(item.data(NAME, QueueRole)))
            text = ""
            if stat is not None and stat.waiting:
                text = duration_text((stat.oldest_wait_ms + elapsed) / 1000)
            item.setText(OLDEST, text)

    # ---- picking ---------------------------------------------------------------------

    def selected_queue(self) -> str | None:
        item = self.table.currentItem()
        return str(item.data(NAME, QueueRole)) if item is not None else None

    def _rows(self) -> list[QTreeWidgetItem]:
        rows = (self.table.topLevelItem(r) for r in range(self.table.topLevelItemCount()))
        return [item for item in rows if item is not None]

    def select_queue(self, queue_id: str) -> None:
        for item in self._rows():
            if item.data(NAME, QueueRole) == queue_id:
                self.table.setCurrentItem(item)

    def _next_waiting(self) -> str | None:
        queue = self.selected_queue()
        stat = self._stats.get(queue) if queue else None
        return stat.waiting_ids[0] if stat is not None and stat.waiting_ids else None

    def _update_pick(self) -> None:
        self.pick_button.setEnabled(self._can_pick and self._next_waiting() is not None)

    def pick_selected(self) -> None:
        conversation_id = self._next_waiting()
        if self._can_pick and conversation_id is not None:
            self.pick_requested.emit(conversation_id)


class QueueDock(QDockWidget):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueDock")
        self.setWindowTitle(self.tr("Queues"))
        self.view = QueueView(theme)
        self.setWidget(self.view)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
