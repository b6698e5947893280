"""Timing trace for the benchmarks: when the desktop went online, when a message
reached the screen. Enabled by the environment variable ``ZUOXI_TRACE`` (a file
path); costs nothing otherwise.

Times are ``time.monotonic()``, which on Linux is one system-wide clock, so a
benchmark in another process can subtract its own send times from them.
"""

from __future__ import annotations

import os
import time
from typing import IO

from PySide6.QtCore import QObject, QTimer

from core.session.agent_service import AgentService
from core.sync.client import ConnectionState, ConnectionStatus
from ui.shell.service_bridge import ServiceBridge

# The GUI loop is sampled this often; a tick later than LAG_REPORT_MS is written
# down, so a benchmark can tell the longest stall in any window of time.
LAG_TICK_MS = 5
LAG_REPORT_MS = 20


class Trace(QObject):
    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._file: IO[str] = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
        self._online_seen = False
        self._inbox_size = -1
        self._last_tick = time.monotonic()
        self._ticker = QTimer(self)
        self._ticker.setInterval(LAG_TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    def _tick(self) -> None:
        now = time.monotonic()
        late_ms = (now - self._last_tick) * 1000 - LAG_TICK_MS
        self._last_tick = now
        if late_ms > LAG_REPORT_MS:
            self.write("lag", f"{late_ms:.1f}")

    def write(self, *fields: str) -> None:
        self._file.write("\t".join([*fields, f"{time.monotonic():.6f}"]) + "\n")

    def follow(self, service: AgentService, bridge: ServiceBridge) -> None:
        """Connect after the views, so their slots have run when we stamp."""

        def connection(status: ConnectionStatus) -> None:
            if status.state == ConnectionState.ONLINE and not self._online_seen:
                self._online_seen = True
                self.write("online")

        def message(_conversation_id: str, message_id: str) -> None:
            # The views updated in their own slots before this one; the stamp is
            # taken once the event loop has also run the repaint they queued.
            stored = service.message(message_id)
            if stored is not None and stored.author == "customer":
                QTimer.singleShot(0, lambda: self.write("message", stored.text.replace("\t", " ")))

        def inbox() -> None:
            size = len(service.inbox())
            if size != self._inbox_size:
                self._inbox_size = size
                self.write("inbox", str(size))

        bridge.connection_changed.connect(connection)
        bridge.message_changed.connect(message)
        bridge.inbox_changed.connect(inbox)


def trace_from_environment(parent: QObject) -> Trace | None:
    path = os.environ.get("ZUOXI_TRACE")
    return Trace(path, parent) if path else None
