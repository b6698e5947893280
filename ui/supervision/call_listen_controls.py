"""Listening to the call of the monitored conversation: listen, coach, barge, stop.

For supervisors only: built by the Supervise menu once the hub says the user is a
supervisor and the desktop has calls (the media thread). The actions act on the
conversation in the monitor dock: the first one starts a listening leg in its
mode, the others change the mode of the leg (``core.supervision.call_listening``).
The supervisor's microphone and speaker go to the leg while it lasts (the audio
router's "call in front"). Thread: the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from core.protocol.call import ListenEndReason, ListenMode
from core.supervision.call_listening import ListenLeg, ListenState
from core.tasks import BackgroundTasks
from ui.supervision.monitor_dock import MonitorDock
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

if TYPE_CHECKING:
    from core.call.call_manager import CallManager
    from ui.call.call_desk import CallSounds

SHORTCUTS = {
    "listen": "Alt+Shift+L",
    "coach": "Alt+Shift+C",
    "barge_call": "Alt+Shift+J",
    "stop_listening": "Alt+Shift+K",
}
log = logging.getLogger(__name__)
AddAction = Callable[[str, str | None, Callable[[], object]], QAction]


class CallListenControls(QObject):
    leg_changed = Signal(object)  # ListenLeg, from the core hook

    def __init__(self, manager: CallManager, sounds: CallSounds, dock: MonitorDock,
                 menu: QMenu, add_action: AddAction) -> None:
        super().__init__(dock)
        self.listener = manager.listener
        self._sounds = sounds
        self._dock = dock
        self._tasks = BackgroundTasks("call listening", logger=log)
        self.line = named(PlainLabel(), "CallListenLine")
        self.line.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        footer = QWidget()
        column = QVBoxLayout(footer)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.line)
        row = QHBoxLayout()
        for key, text, mode in (("listen", self.tr("Listen"), ListenMode.LISTEN),
                                ("coach", self.tr("Coach"), ListenMode.COACH),
                                ("barge_call", self.tr("Join the call"), ListenMode.BARGE)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, m=mode: self.choose(m))
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        self.buttons["stop_listening"] = QPushButton(self.tr("Stop listening"))
        self.buttons["stop_listening"].clicked.connect(self.stop)
        row.addWidget(self.buttons["stop_listening"])
        column.addLayout(row)
        dock.add_footer(footer)
        self.actions: dict[str, QAction] = {}
        menu.addSeparator()
        entries: list[tuple[str, str, Callable[[], object]]] = [
            ("listen", self.tr("&Listen to the call (nobody hears you)"),
             lambda: self.choose(ListenMode.LISTEN)),
            ("coach", self.tr("&Coach on the call (only the agent hears you)"),
             lambda: self.choose(ListenMode.COACH)),
            ("barge_call", self.tr("Barge &into the call (three-way)"),
             lambda: self.choose(ListenMode.BARGE)),
            ("stop_listening", self.tr("Stop listening to the &call"), self.stop),
        ]
        for key, text, slot in entries:
            action = add_action(text, SHORTCUTS[key], slot)
            menu.addAction(action)
            self.actions[key] = action
        self.leg_changed.connect(self._leg_changed)
        self.listener.leg_did_change.connect(self.leg_changed.emit)
        self.refresh()

    def _leg(self) -> ListenLeg | None:
        conversation_id = self._dock.conversation_id
        return self.listener.leg_of(conversation_id) if conversation_id else None

    # ---- actions -----------------------------------------------------------------------

    def choose(self, mode: ListenMode) -> None:
        conversation_id = self._dock.conversation_id
        if conversation_id is None:
            self.line.setText(self.tr("Monitor a conversation with a call first."))
            return
        leg = self._leg()
        if leg is None:
            self._start(conversation_id, mode)
        elif leg.mode is not mode:
            self.listener.set_mode(leg.leg_id, mode)

    def _start(self, conversation_id: str, mode: ListenMode) -> None:
        self._spawn(self.listener.listen(conversation_id, mode))

    def stop(self) -> None:
        leg = self._leg()
        if leg is not None:
            self._spawn(self.listener.stop(leg.leg_id))

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._tasks.spawn(coro)

    # ---- what the line says ------------------------------------------------------------

    def _leg_changed(self, leg: ListenLeg) -> None:
        if leg.state is ListenState.CONNECTING or leg.state is ListenState.LISTENING:
            self._sounds.activate(leg.leg_id)
        elif not leg.live:
            self._sounds.release(leg.leg_id)
        self.refresh(leg)

    def refresh(self, changed: ListenLeg | None = None) -> None:
        leg = self._leg()
        if leg is None and changed is not None and changed.conversation_id == \
                self._dock.conversation_id:
            leg = changed  # just ended: say why
        self.line.setText(self.text(leg))
        live = leg is not None and leg.live
        watching = self._dock.conversation_id is not None
        self.actions["stop_listening"].setEnabled(live)
        self.buttons["stop_listening"].setEnabled(live)
        for key, mode in (("listen", ListenMode.LISTEN), ("coach", ListenMode.COACH),
                          ("barge_call", ListenMode.BARGE)):
            in_use = live and leg is not None and leg.mode is mode
            self.buttons[key].setEnabled(watching and not in_use)

    def text(self, leg: ListenLeg | None) -> str:
        if leg is None:
            return self.tr("Call: not listening (Listen, Coach or Barge in the Supervise menu)")
        if leg.state is ListenState.OFFERING or leg.state is ListenState.CONNECTING:
            return self.tr("Call: connecting to the agent's call…")
        if leg.state is ListenState.LISTENING:
            return {
                ListenMode.LISTEN: self.tr("Call: listening — nobody hears you"),
                ListenMode.COACH: self.tr("Call: coaching — only the agent hears you, "
                                          "never the customer"),
                ListenMode.BARGE: self.tr("Call: three-way — the customer and the agent "
                                          "hear you"),
            }[leg.mode]
        if leg.refused == "not_found":
            return self.tr("Call: this conversation has no connected call")
        if leg.refused == "forbidden":
            return self.tr("Call: only supervisors may listen to calls")
        return {
            ListenEndReason.CALL_ENDED: self.tr("Call: the call ended"),
            ListenEndReason.LEFT: self.tr("Call: the agent's desktop went away"),
            ListenEndReason.FAILED: self.tr("Call: could not connect to the agent's call"),
        }.get(leg.end_reason or ListenEndReason.STOPPED, self.tr("Call: stopped listening"))
