"""The Supervise menu: monitor, whisper, barge in, reassign, set an agent's state.

Built only once the hub says this desktop's user is a supervisor (the routing
configuration's role): an agent's window never holds these actions, so neither
its menus nor its shortcut sheet (Ctrl+/) show them. The hub refuses them to
agents anyway (``forbidden``). Thread: the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from core.protocol.models import Presence
from core.protocol.routing import AgentRole, AwayReason
from core.supervision.coaching import MAX_REASON_CHARS
from ui.routing.presence_control import away_reason_name, presence_name
from ui.shell.service_bridge import ServiceBridge
from ui.supervision.call_listen_controls import CallListenControls
from ui.supervision.monitor_dock import MonitorDock
from ui.widgets.theme import Theme
from ui.widgets.time_text import clock_text

if TYPE_CHECKING:
    from core.call.call_manager import CallManager
    from ui.call.call_desk import CallSounds
    from ui.routing.wrap_up_dialogs import TransferDialog  # loads when first opened

SHORTCUTS = {
    "monitor": "Alt+Shift+M",
    "whisper": "Alt+Shift+W",
    "barge": "Alt+Shift+B",
    "reassign": "Alt+Shift+R",
    "stop": "Alt+Shift+X",
    "state": "Alt+Shift+S",
}


class MonitorPicker(QDialog):
    """The live chats and emails; Enter (or a double click) monitors the chosen one."""

    chosen = Signal(str)

    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Monitor a conversation"))
        self._bridge = bridge
        self.rows = QListWidget()
        self.rows.itemActivated.connect(self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self._activated(self.rows.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows)
        layout.addWidget(buttons)
        self.resize(560, 420)
        bridge.live_conversations_changed.connect(self.refresh)
        if not bridge.service.coaching.fetch_live():
            self.rows.addItem(self.tr("Not connected: the live list needs the hub."))

    def refresh(self) -> None:
        self.rows.clear()
        live = self._bridge.service.coaching.live()
        if not live:
            self.rows.addItem(self.tr("No live chat or email right now."))
            return
        for conv in live:
            # QListWidgetItem text is plain text: names from outside are safe.
            item = QListWidgetItem(self.tr("{0} · {1} · agent {2} · since {3}").format(
                conv.customer_name, conv.channel.value, conv.agent_name,
                clock_text(conv.created_at)))
            item.setData(Qt.ItemDataRole.UserRole, conv.conversation_id)
            self.rows.addItem(item)
        self.rows.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem | None) -> None:
        conversation_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if conversation_id:
            self.chosen.emit(conversation_id)
            self.accept()


class AgentStateDialog(QDialog):
    """Set a colleague's presence, with the reason (recorded in the hub's audit log)."""

    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None,
                 agent_id: str | None = None, agent_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set an agent's state"))
        self._bridge = bridge
        self.agent = QComboBox()
        for info in bridge.service.routing.transfer_agents():
            self.agent.addItem(info.display_name, info.id)
        if agent_id is not None:  # chosen already (the roster's selected agent)
            if self.agent.findData(agent_id) < 0:
                self.agent.addItem(agent_name or agent_id, agent_id)
            self.agent.setCurrentIndex(self.agent.findData(agent_id))
        self.presence = QComboBox()
        for presence in (Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE):
            self.presence.addItem(presence_name(presence), presence)
        self.away_reason = QComboBox()
        for reason in AwayReason:
            self.away_reason.addItem(away_reason_name(reason), reason)
        self.presence.currentIndexChanged.connect(
            lambda: self.away_reason.setEnabled(self.presence.currentData() is Presence.AWAY))
        self.away_reason.setEnabled(False)
        self.reason = QLineEdit()
        self.reason.setMaxLength(MAX_REASON_CHARS)
        self.reason.setPlaceholderText(self.tr("Why (kept in the audit log)"))
        form = QFormLayout(self)
        form.addRow(self.tr("Agent"), self.agent)
        form.addRow(self.tr("State"), self.presence)
        form.addRow(self.tr("Away because"), self.away_reason)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def apply(self) -> None:
        agent_id = self.agent.currentData()
        if not agent_id:
            return
        presence: Presence = self.presence.currentData()
        self._bridge.service.coaching.set_agent_state(
            agent_id, presence, self.reason.text(),
            self.away_reason.currentData() if presence is Presence.AWAY else None)
        self.accept()


class SuperviseMenu(QObject):
    """Adds the Supervise menu and the monitor dock to ``window`` for supervisors."""

    def __init__(self, bridge: ServiceBridge, theme: Theme, window: QMainWindow,
                 add_action: Callable[[str, str | None, Callable[[], object]], QAction]
                 ) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._theme = theme
        self._window = window
        self._add_action = add_action
        self.dock: MonitorDock | None = None
        self.actions: dict[str, QAction] = {}
        self.dialog: QDialog | None = None
        self.menu: QMenu | None = None
        self.call_listening: CallListenControls | None = None
        self._calls: tuple[CallManager, CallSounds] | None = None
        bridge.routing_config_changed.connect(self._check_role)
        bridge.monitors_changed.connect(self._monitors_changed)
        self._check_role()

    def _check_role(self) -> None:
        config = self._bridge.service.routing.config()
        if self.dock is not None or config is None or config.role is not AgentRole.SUPERVISOR:
            return
        self.dock = MonitorDock(self._bridge, self._theme, self._window)
        self.dock.hide()
        self.dock.reassign_requested.connect(self.open_reassign)
        self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        menu = self._window.menuBar().addMenu(self.tr("S&upervise"))
        self.menu = menu
        dock = self.dock
        entries: list[tuple[str, str, Callable[[], object]]] = [
            ("monitor", self.tr("&Monitor a conversation…"), self.open_picker),
            ("whisper", self.tr("&Whisper to the agent"), dock.focus_whisper),
            ("barge", self.tr("&Barge in"), dock.barge_in),
            ("reassign", self.tr("&Reassign…"), lambda: self.open_reassign(None)),
            ("stop", self.tr("S&top monitoring"), dock.stop),
            ("state", self.tr("Set an agent's &state…"), self.open_agent_state),
        ]
        for key, text, slot in entries:
            action = self._add_action(text, SHORTCUTS[key], slot)
            menu.addAction(action)
            self.actions[key] = action
            if key in ("stop", "reassign"):
                menu.addSeparator()
        self._add_call_listening()

    def attach_calls(self, manager: CallManager, sounds: CallSounds) -> None:
        """The desktop has calls: supervisors may listen to agents' calls."""
        self._calls = (manager, sounds)
        self._add_call_listening()

    def _add_call_listening(self) -> None:
        if self.call_listening is not None or self._calls is None or self.dock is None \
                or self.menu is None:
            return
        manager, sounds = self._calls
        self.call_listening = CallListenControls(manager, sounds, self.dock, self.menu,
                                                 self._add_action)
        self.dock.shown_conversation_changed.connect(self.call_listening.refresh)

    def _monitors_changed(self) -> None:
        if self.dock is None:
            return
        watched = self._bridge.service.coaching.monitored()
        if self.dock.conversation_id is None and watched:
            self.dock.show_conversation(watched[0].conversation_id)
        else:
            self.dock.refresh()

    def open_picker(self) -> MonitorPicker:
        picker = MonitorPicker(self._bridge, self._window)
        picker.chosen.connect(self.monitor)
        picker.finished.connect(picker.deleteLater)
        self.dialog = picker
        picker.open()  # not exec(): a nested loop inside qasync misbehaves
        return picker

    def monitor(self, conversation_id: str) -> None:
        self._bridge.service.coaching.monitor(conversation_id)
        if self.dock is not None:
            self.dock.show_conversation(conversation_id)

    def open_reassign(self, conversation_id: str | None) -> TransferDialog | None:
        conversation_id = conversation_id or (self.dock.conversation_id if self.dock else None)
        service = self._bridge.service
        item = service.conversation(conversation_id) if conversation_id else None
        if item is None:
            return None
        config = service.routing.config()
        from ui.routing.wrap_up_dialogs import TransferDialog, TransferTarget

        agents = [TransferTarget(a.id, a.display_name)
                  for a in service.routing.transfer_agents()]
        queues = [q for q in (config.all_queues if config else []) if q.channel is item.channel]
        dialog = TransferDialog(item.customer_name, agents, queues, self._window)
        dialog.setWindowTitle(self.tr("Reassign the conversation"))
        dialog.transfer_chosen.connect(
            lambda agent, queue, note: service.coaching.reassign(
                item.conversation_id, to_agent=agent, to_queue=queue, note=note))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_agent_state(self) -> AgentStateDialog:
        dialog = AgentStateDialog(self._bridge, self._window)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog


def shortcut_text(key: str) -> str:
    return QKeySequence(SHORTCUTS[key]).toString(QKeySequence.SequenceFormat.NativeText)
