"""Clocks and timers for offers, after-call work and SLA breaches.

The hub runs them on its event loop (``LoopClock``); the routing simulation runs
the same service on a ``VirtualClock`` that jumps from timer to timer, so hours of
traffic take seconds and every run is the same.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol

from hub.unit_of_work import UnitRunner, run_in_unit


class Handle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now_ms(self) -> int: ...

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> Handle: ...


class LoopClock:
    """Wall time and the running asyncio loop's timers."""

    def now_ms(self) -> int:
        return int(time.time() * 1000)

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> Handle:
        return asyncio.get_running_loop().call_later(max(0.0, delay_s), callback)


class _VirtualHandle:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """A clock that only moves when told to; timers fire in time order."""

    def __init__(self, start_ms: int = 1_767_225_600_000) -> None:
        self._now = start_ms
        self._timers: list[tuple[int, int, _VirtualHandle, Callable[[], None]]] = []
        self._order = itertools.count()

    def now_ms(self) -> int:
        return self._now

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> Handle:
        handle = _VirtualHandle()
        due = self._now + int(max(0.0, delay_s) * 1000)
        heapq.heappush(self._timers, (due, next(self._order), handle, callback))
        return handle

    def advance_to(self, when_ms: int) -> None:
        """Fire every timer due up to ``when_ms`` (timers they start included)."""
        while self._timers and self._timers[0][0] <= when_ms:
            due, _, handle, callback = heapq.heappop(self._timers)
            self._now = max(self._now, due)
            if not handle.cancelled:
                callback()
        self._now = max(self._now, when_ms)

    def advance(self, seconds: float) -> None:
        self.advance_to(self._now + int(seconds * 1000))


class Timers:
    """Named one-shot timers on a clock: starting a name again replaces it. Each
    fires as one unit of work (``unit``): what it changes, its events and its
    frames commit together or not at all."""

    def __init__(self, clock: Clock, unit: UnitRunner | None = None) -> None:
        self.clock = clock
        self.unit = unit
        self._handles: dict[str, Handle] = {}

    def start(self, name: str, delay_s: float, callback: Callable[[], None]) -> None:
        self.cancel(name)

        def fire() -> None:
            self._handles.pop(name, None)
            run_in_unit(self.unit, f"timer {name}", callback)

        self._handles[name] = self.clock.call_later(delay_s, fire)

    def cancel(self, name: str) -> None:
        handle = self._handles.pop(name, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for name in list(self._handles):
            self.cancel(name)

    def names(self) -> list[str]:
        return list(self._handles)

    def __contains__(self, name: str) -> bool:
        return name in self._handles
