"""Re-emits the agent service's core notifications as Qt signals.

Core publishes ``<subject>_did_<verb>`` hooks; views want Qt signals
(``<noun>_changed``) so they can connect declaratively and be disconnected when
they die. The bridge is the only place where the two meet. Thread: the GUI thread
(the service emits there, under qasync).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from core.profile.outbox import ProfileFailure
from core.protocol.models import AgentInfo, Presence
from core.records import ScreenPop
from core.session.agent_service import AgentService
from core.sync.client import ConnectionStatus

INBOX_THROTTLE_MS = 100


class ServiceBridge(QObject):
    conversation_changed = Signal(str)
    message_changed = Signal(str, str)  # conversation id, message id
    customer_changed = Signal(str)
    inbox_changed = Signal()
    presence_changed = Signal(object)  # Presence
    connection_changed = Signal(object)  # ConnectionStatus
    typing_changed = Signal(str, bool)
    agent_changed = Signal(object)  # AgentInfo
    auth_failed = Signal(str)
    command_failed = Signal(str, str)  # command kind, error code
    assignment_changed = Signal(str, str)  # conversation id, why it is no longer ours
    hub_presence_changed = Signal(object, str)  # Presence the hub set, and why
    directory_changed = Signal()  # store mode's customer directory
    customer_merged = Signal(str, str)  # source id (gone), target id
    timeline_changed = Signal(str)  # customer id
    screen_pop_changed = Signal(object)  # ScreenPop: show this customer now
    profile_config_changed = Signal()
    profile_command_failed = Signal(object)  # ProfileFailure
    offers_changed = Signal()
    routing_config_changed = Signal()
    queue_stats_changed = Signal()
    presence_detail_changed = Signal()

    def __init__(self, service: AgentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._inbox_emitted_at = 0.0
        self._inbox_timer = QTimer(self)
        self._inbox_timer.setSingleShot(True)
        self._inbox_timer.timeout.connect(self._emit_inbox)
        self._links = [
            (service.conversation_did_change, self.conversation_changed.emit),
            (service.message_did_change, self.message_changed.emit),
            (service.customer_did_change, self.customer_changed.emit),
            (service.inbox_did_change, self._inbox),
            (service.presence_did_change, self._presence),
            (service.connection_did_change, self._connection),
            (service.typing_did_change, self.typing_changed.emit),
            (service.agent_did_change, self._agent),
            (service.auth_did_fail, self.auth_failed.emit),
            (service.command_did_fail, self.command_failed.emit),
            (service.assignment_did_end, self.assignment_changed.emit),
            (service.hub_did_set_presence, self._hub_presence),
            (service.directory_did_change, self.directory_changed.emit),
            (service.customer_did_merge, self.customer_merged.emit),
            (service.timeline_did_change, self.timeline_changed.emit),
            (service.screen_pop_did_request, self._screen_pop),
            (service.profile_config_did_change, self.profile_config_changed.emit),
            (service.profile_command_did_fail, self._profile_failure),
            (service.offers_did_change, self.offers_changed.emit),
            (service.routing_config_did_change, self.routing_config_changed.emit),
            (service.queue_stats_did_change, self.queue_stats_changed.emit),
            (service.presence_detail_did_change, self.presence_detail_changed.emit),
        ]
        for hook, slot in self._links:
            hook.connect(slot)  # type: ignore[attr-defined]

    def _inbox(self) -> None:
        """Re-reading the inbox costs a query and a repaint: during a catch-up that
        changes it hundreds of times a second, tell the views at most every
        INBOX_THROTTLE_MS (the first change at once, the last one always)."""
        now = time.monotonic()
        if self._inbox_timer.isActive():
            return
        wait_ms = INBOX_THROTTLE_MS - (now - self._inbox_emitted_at) * 1000
        if wait_ms <= 0:
            self._emit_inbox()
        else:
            self._inbox_timer.start(int(wait_ms) + 1)

    def _emit_inbox(self) -> None:
        if not self._links:
            return  # detached: the service (and its cache) may be gone
        self._inbox_emitted_at = time.monotonic()
        self.inbox_changed.emit()

    def detach(self) -> None:
        """Stop relaying (the service outlives a signed-out window)."""
        self._inbox_timer.stop()
        for hook, slot in self._links:
            hook.disconnect(slot)  # type: ignore[attr-defined]
        self._links = []

    def _screen_pop(self, pop: ScreenPop) -> None:
        self.screen_pop_changed.emit(pop)

    def _profile_failure(self, failure: ProfileFailure) -> None:
        self.profile_command_failed.emit(failure)

    def _presence(self, presence: Presence) -> None:
        self.presence_changed.emit(presence)

    def _hub_presence(self, presence: Presence, reason: str) -> None:
        self.hub_presence_changed.emit(presence, reason)

    def _connection(self, status: ConnectionStatus) -> None:
        self.connection_changed.emit(status)

    def _agent(self, agent: AgentInfo) -> None:
        self.agent_changed.emit(agent)
