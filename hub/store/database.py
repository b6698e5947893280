"""The database and the unit of work in progress.

A hub command is one unit of work: everything it writes (state, events, op id)
commits in one transaction or not at all. ``unit()`` opens that transaction;
while it is open, every ``begin()`` and ``connect()`` of the stores on this
thread joins it, so store methods stay short and composable and a command is
still atomic. Outside a unit each ``begin()`` is its own transaction.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

# PostgreSQL's deadlock_detected and serialization_failure: it rolled one
# transaction back to let the others go on.
_CONFLICTS = ("40P01", "40001")
CONFLICT_ATTEMPTS = 3


def is_conflict(exc: BaseException) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _CONFLICTS


def retrying_conflicts(run: Callable[[], T]) -> T:
    """``run`` a unit of work again when the database broke a deadlock by rolling
    it back: the unit left nothing behind (no rows, no frames), so it is safe."""
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return run()
        except sa.exc.DBAPIError as exc:
            if not is_conflict(exc) or attempt == CONFLICT_ATTEMPTS:
                raise
            log.info("unit of work rolled back by the database (%s); again", exc.orig)
    raise AssertionError("unreachable")


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Per thread: the loop thread runs units; worker threads (password checks)
        # must never write into the loop's open transaction.
        self._local = threading.local()

    def _current(self) -> Connection | None:
        conn: Connection | None = getattr(self._local, "conn", None)
        return conn

    @property
    def in_unit(self) -> bool:
        return self._current() is not None

    @contextlib.contextmanager
    def unit(self) -> Iterator[Connection]:
        """One transaction for everything inside; a unit inside a unit joins it."""
        current = self._current()
        if current is not None:
            yield current
            return
        with self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        """A writing transaction: the unit's, else a new one committed at the end."""
        current = self._current()
        if current is not None:
            yield current
            return
        with self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """Around a write whose failure (a unique key taken) the caller catches.

        Inside a unit on PostgreSQL a failed statement aborts the whole
        transaction, so the write gets a savepoint of its own; SQLite undoes only
        the failed statement, and outside a unit the write's own transaction ends
        with it, so there nothing is needed."""
        current = self._current()
        if current is None or current.dialect.name == "sqlite":
            yield
            return
        with current.begin_nested():
            yield

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """For reads: the unit's connection (it sees the unit's writes), else a new one."""
        current = self._current()
        if current is not None:
            yield current
            return
        with self.engine.connect() as conn:
            yield conn
