"""Timing trace for the benchmarks: when the desktop went online, when a message
reached the screen. Enabled by the environment variable ``ZUOXI_TRACE`` (a file
path); costs nothing otherwise.

"Reached the screen" is read from the views' own paints (ui/widgets/paint_probe):
a message line is written when the chat view has finished the paint that drew
its bubble, an inbox line when the inbox view has drawn its rows from a model
holding that many conversations, a suggestions line (with the customer message's
id) when the suggestion panel has painted the answers for that message; not when
the data arrived in the cache.

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
from ui.widgets import paint_probe

# The GUI loop is sampled this often; a tick later than LAG_REPORT_MS is written
# down, so a benchmark can tell the longest stall in any window of time.
LAG_TICK_MS = 5
LAG_REPORT_MS = 20


class Trace(QObject):
    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._file: IO[str] = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
        self._online_seen = False
        self._inbox_painted = -1
        self._bubbles_painted: set[str] = set()
        self._kb_listed = False
        self._last_tick = time.monotonic()
        self._last_cpu = time.thread_time()
        self._ticker = QTimer(self)
        self._ticker.setInterval(LAG_TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    def _tick(self) -> None:
        now, cpu = time.monotonic(), time.thread_time()
        late_ms = (now - self._last_tick) * 1000 - LAG_TICK_MS
        # what the GUI thread itself ran meanwhile: a stall with little of it was
        # spent waiting (for the processor, another thread's GIL), not working
        cpu_ms = (cpu - self._last_cpu) * 1000
        self._last_tick, self._last_cpu = now, cpu
        if late_ms > LAG_REPORT_MS:
            self.write("lag", f"{late_ms:.1f}", f"{cpu_ms:.1f}")

    def write(self, *fields: str) -> None:
        self._file.write("\t".join([*fields, f"{time.monotonic():.6f}"]) + "\n")

    def follow(self, service: AgentService, bridge: ServiceBridge) -> None:
        """Stamp going online, and what the views report they painted."""

        def connection(status: ConnectionStatus) -> None:
            if status.state == ConnectionState.ONLINE and not self._online_seen:
                self._online_seen = True
                self.write("online")

        def painted(kind: str, key: str) -> None:
            if kind == "bubble" and key not in self._bubbles_painted:
                self._bubbles_painted.add(key)
                stored = service.message(key)
                if stored is not None:
                    self.write("message", stored.text.replace("\t", " "))
            elif kind == "suggestions":
                self.write("suggestions", key)
            elif kind == "inbox" and int(key) != self._inbox_painted:
                self._inbox_painted = int(key)
                self.write("inbox", key)

        bridge.connection_changed.connect(connection)
        # When the suggestions reached the GUI thread (the panel's share is the rest).
        bridge.suggestions_changed.connect(lambda cid: self.write("suggestions_arrived", cid))

        # When the offline copy of the knowledge base is complete (the first sign-in
        # lists every article the agent may read).
        def knowledge() -> None:
            if not self._kb_listed and service.knowledge.is_listed():
                self._kb_listed = True
                self.write("kb_listed")

        bridge.knowledge_base_changed.connect(knowledge)
        knowledge()
        paint_probe.set_listener(painted)


def trace_from_environment(parent: QObject) -> Trace | None:
    path = os.environ.get("ZUOXI_TRACE")
    return Trace(path, parent) if path else None
