"""Change notifications that core objects publish and the desktop subscribes to.

A ``Hook`` is a tiny, synchronous, typed observer list. Core never knows who
listens (a Qt bridge, a test, a logger); listeners run on the caller's thread, so
core emits only from the thread that owns the object (the GUI thread with qasync).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")

log = logging.getLogger(__name__)


class Hook(Generic[P]):
    """Observer list for one kind of notification, named ``<subject>_did_<verb>``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[P, None]] = []

    def connect(self, listener: Callable[P, None]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def disconnect(self, listener: Callable[P, None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        # A failing listener must not starve the others nor break the sync loop
        # that emitted: log it and carry on.
        for listener in list(self._listeners):
            try:
                listener(*args, **kwargs)
            except Exception:
                log.exception("listener of %s failed", self.name)

    def __len__(self) -> int:
        return len(self._listeners)
