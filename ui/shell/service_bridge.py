"""Re-emits the agent service's core notifications as Qt signals.

Core publishes the hooks declared in ``core.session.notices``; views want Qt
signals (``<noun>_changed``) so they can connect declaratively and be disconnected
when they die. The bridge is the only place where the two meet, and it lists no
notice itself: it has one signal per declaration, named and typed by it, and relays
each hook to its signal. Thread: the GUI thread (the service emits there, under
qasync).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.session.agent_service import AgentService
from core.session.notices import AgentNotices, Notice

INBOX_THROTTLE_MS = 100

# Qt carries these as themselves; anything else (enums, records) as a Python object.
_QT_NATIVE = (str, bool, int, float)


def _signal(notice: Notice[...]) -> Signal:
    return Signal(*(t if t in _QT_NATIVE else object for t in notice.payload))


if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    class _NoticeSignals(QObject):
        def __getattr__(self, name: str) -> SignalInstance: ...
else:
    # Qt signals must exist when the class is made: one per declared notice.
    _NoticeSignals = type("_NoticeSignals", (QObject,),
                          {n.signal: _signal(n) for n in AgentNotices.notices()})


class ServiceBridge(_NoticeSignals):
    def __init__(self, service: AgentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._inbox_emitted_at = 0.0
        self._inbox_timer = QTimer(self)
        self._inbox_timer.setSingleShot(True)
        self._inbox_timer.timeout.connect(self._emit_inbox)
        self._links: list[tuple[Notice[...], Callable[..., Any]]] = []
        for notice in AgentNotices.notices():
            relay = (self._inbox if notice is AgentNotices.inbox_did_change
                     else getattr(self, notice.signal).emit)
            notice.hook(service).connect(relay)
            self._links.append((notice, relay))

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
        for notice, relay in self._links:
            notice.hook(self.service).disconnect(relay)
        self._links = []
