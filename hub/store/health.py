"""Whether the hub can write its database: disk full, read-only, I/O errors.

A failed write must not look like a hub that is fine (finding 14): the failures
are classified here, remembered for ``/healthz``, and a small real write (the
probe) says when the storage works again. Dialect-neutral: the probe is an upsert
into ``health_probe`` through SQLAlchemy Core.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store import schema as t

_PROBLEMS = (
    "database or disk is full", "no space left", "readonly database", "read-only",
    "disk i/o error", "unable to open database", "disk quota",
)


def lost_connection(exc: BaseException) -> bool:
    """The database could not be reached or the connection to it broke (a network
    cut, a server shutting down): the command may work again on another try."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    original = getattr(exc, "orig", None) or exc
    if not type(original).__module__.startswith("psycopg"):
        return False
    # psycopg's errors for a link that failed carry no SQLSTATE; a server ending
    # the session says class 08 (connection) or 57P (operator intervention).
    import psycopg  # only reached with psycopg's own errors

    state = getattr(original, "sqlstate", None)
    return isinstance(original, psycopg.OperationalError) and (
        state is None or state.startswith(("08", "57P")))


def is_storage_error(exc: BaseException) -> bool:
    """A failure of the storage itself (not of the command that met it)."""
    if lost_connection(exc):
        return True
    if not isinstance(exc, sa.exc.OperationalError | sqlite3.OperationalError | OSError):
        return False
    text = str(exc).lower()
    return any(problem in text for problem in _PROBLEMS)


def storage_problem(exc: BaseException) -> str:
    """A short description for an operator (the driver's words, first line)."""
    original = getattr(exc, "orig", None) or exc
    return str(original).splitlines()[0][:200] if str(original) else type(exc).__name__


class StorageHealth:
    """Thread: any (the probe runs in a worker thread)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self.problem: str | None = None
        self.since: float | None = None
        # Told of every failure, on the thread that met it.
        self.watchers: list[Callable[[BaseException], None]] = []

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self.problem is None:
                self.since = time.time()
            self.problem = storage_problem(exc)
        for watcher in self.watchers:
            watcher(exc)

    def probe(self) -> str | None:
        """Write one row for real; the problem, or None (and the problem is cleared)."""
        try:
            with self._engine.begin() as conn:
                updated = conn.execute(t.health_probe.update().where(
                    t.health_probe.c.id == 1).values(checked_at=int(time.time() * 1000)))
                if updated.rowcount == 0:
                    conn.execute(t.health_probe.insert().values(
                        id=1, checked_at=int(time.time() * 1000)))
        except Exception as exc:
            self.failed(exc)
            return self.problem
        with self._lock:
            self.problem, self.since = None, None
        return None
