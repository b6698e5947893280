"""The queue view: the queues the agent serves, how many wait and for how long.

A dock beside the inbox. The hub pushes ``queue_stats`` on change (throttled);
waits count from the hub's enqueue times, so they keep ticking here between pushes
and read right after a restart. Agents whose role allows it (picker, supervisor)
see the selected queue's waiting conversations (customer, channel, wait, priority)
and pick one by hand, or the first with "Pick next".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.protocol.models import Channel
from core.protocol.routing import QueueInfo, QueueStat, SlaState, WaitingConversation
from ui.profile.profile_header import safe_text
from ui.routing.presence_control import dot
from ui.routing.routing_names import queue_name
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import duration_text, now_ms

QueueRole = Qt.ItemDataRole.UserRole + 1
ConversationRole = Qt.ItemDataRole.UserRole + 2
SLA_STATE_COLORS = {SlaState.OK: "ok", SlaState.AT_RISK: "warn", SlaState.BREACHED: "danger"}
NAME, WAITING, OLDEST = range(3)
CUSTOMER, CHANNEL, WAITED, PRIORITY = range(4)


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
        self.table.currentItemChanged.connect(lambda *_: self._render_waiting())
        self.table.itemActivated.connect(lambda *_: self.pick_selected())
        self.waiting_list = QTreeWidget()
        self.waiting_list.setObjectName("QueueWaitingList")
        self.waiting_list.setRootIsDecorated(False)
        self.waiting_list.setHeaderLabels(
            [self.tr("Customer"), self.tr("Channel"), self.tr("Waiting"), self.tr("Priority")])
        self.waiting_list.setAccessibleName(self.tr("Waiting conversations"))
        self.waiting_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        listed = self.waiting_list.header()
        listed.setStretchLastSection(False)
        listed.setSectionResizeMode(CUSTOMER, QHeaderView.ResizeMode.Stretch)
        for col in (CHANNEL, WAITED, PRIORITY):
            listed.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.waiting_list.currentItemChanged.connect(lambda *_: self._update_pick())
        self.waiting_list.itemActivated.connect(lambda *_: self.pick_chosen())
        self.summary = named(PlainLabel(), "Muted")
        self.pick_chosen_button = QPushButton(self.tr("Pick"))
        self.pick_chosen_button.setToolTip(self.tr("Take the conversation chosen in the list "
                                                   "(Enter in the list)"))
        self.pick_chosen_button.clicked.connect(self.pick_chosen)
        self.pick_button = named(QPushButton(self.tr("Pick next")), "PrimaryButton")
        self.pick_button.setToolTip(self.tr("Take the first waiting conversation of the "
                                            "selected queue (Ctrl+Shift+P)"))
        self.pick_button.clicked.connect(self.pick_selected)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.pick_chosen_button)
        row.addWidget(self.pick_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.addWidget(self.table, 1)
        column.addWidget(self.waiting_list, 2)
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
        self.pick_chosen_button.setVisible(can_pick)
        self.waiting_list.setVisible(can_pick)
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
        chosen = self.chosen_conversation()
        self.table.blockSignals(True)  # one waiting-list render below, keeping the choice
        self.table.clear()
        total = 0
        for queue in self._queues:
            stat = self._stats.get(queue.id)
            item = QTreeWidgetItem([safe_text(queue_name(queue.id, queue.name), 40), "", ""])
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
        self.table.blockSignals(False)
        self.summary.setText(self.tr("{0} waiting").format(total) if self._queues else
                             self.tr("You serve no queue."))
        self._render_waiting(chosen)

    def _channel_text(self, channel: Channel) -> str:
        return {Channel.CHAT: self.tr("Chat"), Channel.EMAIL: self.tr("Email"),
                Channel.VOICE: self.tr("Voice")}.get(channel, channel.value)

    def _render_waiting(self, chosen: str | None = None) -> None:
        """The selected queue's waiting conversations, highest priority first."""
        current = chosen or self.chosen_conversation()
        self.waiting_list.clear()
        stat = self._stats.get(self.selected_queue() or "")
        for waiting in stat.waiting_list if stat is not None else []:
            item = QTreeWidgetItem([safe_text(waiting.customer_name, 60),
                                    self._channel_text(waiting.channel), "",
                                    str(waiting.priority)])
            item.setData(CUSTOMER, ConversationRole, waiting.conversation_id)
            item.setTextAlignment(WAITED, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(PRIORITY, Qt.AlignmentFlag.AlignRight)
            self.waiting_list.addTopLevelItem(item)
            if waiting.conversation_id == current:
                self.waiting_list.setCurrentItem(item)
        self._tick()
        self._update_pick()

    def _sla_text(self, state: SlaState) -> str:
        return {
            SlaState.OK: self.tr("Within the service level"),
            SlaState.AT_RISK: self.tr("Service level at risk"),
            SlaState.BREACHED: self.tr("Service level breached"),
        }.get(state, "")

    def oldest_wait_ms(self, stat: QueueStat) -> int:
        """From the hub's enqueue time (a hub that does not send it: from the push)."""
        now = now_ms()
        if stat.oldest_enqueued_at is not None:
            return max(0, now - stat.oldest_enqueued_at)
        return stat.oldest_wait_ms + (max(0, now - self._at) if self._at else 0)

    def _tick(self) -> None:
        """Waits grow between the hub's pushes."""
        for item in self._rows():
            stat = self._stats.get(str(item.data(NAME, QueueRole)))
            text = ""
            if stat is not None and stat.waiting:
                text = duration_text(self.oldest_wait_ms(stat) / 1000)
            item.setText(OLDEST, text)
        stat = self._stats.get(self.selected_queue() or "")
        by_id = {w.conversation_id: w for w in stat.waiting_list} if stat is not None else {}
        now = now_ms()
        for row in range(self.waiting_list.topLevelItemCount()):
            row_item = self.waiting_list.topLevelItem(row)
            if row_item is None:
                continue
            waiting = by_id.get(str(row_item.data(CUSTOMER, ConversationRole)))
            if waiting is not None:
                row_item.setText(WAITED, duration_text(max(0, now - waiting.enqueued_at) / 1000))

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

    def chosen_conversation(self) -> str | None:
        item = self.waiting_list.currentItem()
        return str(item.data(CUSTOMER, ConversationRole)) if item is not None else None

    def waiting_shown(self) -> list[WaitingConversation]:
        stat = self._stats.get(self.selected_queue() or "")
        return list(stat.waiting_list) if stat is not None else []

    def choose_conversation(self, conversation_id: str) -> None:
        for row in range(self.waiting_list.topLevelItemCount()):
            item = self.waiting_list.topLevelItem(row)
            if item is not None and item.data(CUSTOMER, ConversationRole) == conversation_id:
                self.waiting_list.setCurrentItem(item)

    def _update_pick(self) -> None:
        self.pick_button.setEnabled(self._can_pick and self._next_waiting() is not None)
        self.pick_chosen_button.setEnabled(self._can_pick
                                           and self.chosen_conversation() is not None)

    def pick_chosen(self) -> None:
        """Take the conversation chosen in the waiting list."""
        conversation_id = self.chosen_conversation()
        if self._can_pick and conversation_id is not None:
            self.pick_requested.emit(conversation_id)

    def pick_selected(self) -> None:
        conversation_id = self._next_waiting()
        if self._can_pick and conversation_id is not None:
            self.pick_requested.emit(conversation_id)


QUEUE_DOCK_MIN_W = 250


class QueueDock(QDockWidget):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueDock")
        self.setWindowTitle(self.tr("Queues"))
        self.view = QueueView(theme)
        self.view.setMinimumWidth(QUEUE_DOCK_MIN_W)  # names and counts stay readable
        self.setWidget(self.view)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
