"""Fire-and-forget tasks: kept alive until they finish, and their failures are logged.

The event loop holds only a weak reference to a task, so a task nobody keeps may be
collected half-way; and a task nobody awaits loses its exception. ``BackgroundTasks``
does both jobs once for every owner that starts work without awaiting it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["BackgroundTasks", "OnError"]

T = TypeVar("T")

#: Called with the exception of a failed task; returns True when it dealt with the
#: failure itself (the failure is then logged at INFO instead of ERROR).
OnError = Callable[[BaseException], bool]

_log = logging.getLogger(__name__)


class BackgroundTasks:
    """The tasks one owner started and did not await.

    Thread: the thread of the loop the tasks run on.
    """

    def __init__(self, owner: str, *, logger: logging.Logger | None = None,
                 on_error: OnError | None = None) -> None:
        self._owner = owner
        self._log = logger or _log
        self._on_error = on_error
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str | None = None,
              on_error: OnError | None = None,
              loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Task[T]:
        """Run ``coro`` as a task on ``loop`` (default: the running or current loop).

        ``on_error`` overrides the owner's callback for this task. Without a loop the
        coroutine is closed (no "never awaited" warning) and RuntimeError is raised.
        """
        try:
            if loop is None:
                loop = asyncio.get_event_loop()
            task = loop.create_task(coro, name=name or f"{self._owner}:{_qualname(coro)}")
        except RuntimeError:
            coro.close()
            raise
        self._tasks.add(task)
        handler = on_error or self._on_error
        task.add_done_callback(lambda done: self._finished(done, handler))
        return task

    def cancel_all(self) -> None:
        """Cancel every task still running (they finish on the loop's next turns)."""
        for task in list(self._tasks):
            task.cancel()

    def __len__(self) -> int:
        return len(self._tasks)

    def __contains__(self, task: object) -> bool:
        return task in self._tasks

    def _finished(self, task: asyncio.Task[Any], on_error: OnError | None) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        handled = False
        if on_error is not None:
            try:
                handled = on_error(exc)
            except Exception:
                self._log.exception("error handler of task %s failed", task.get_name())
        if handled:
            self._log.info("task %s failed: %r", task.get_name(), exc)
        else:
            self._log.error("task %s failed", task.get_name(), exc_info=exc)


def _qualname(coro: Coroutine[Any, Any, Any]) -> str:
    return getattr(coro, "__qualname__", None) or type(coro).__name__
