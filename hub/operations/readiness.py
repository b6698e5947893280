"""Whether this hub process should be given connections (``GET /readyz``).

Ready means the database answers and, on PostgreSQL, the process is listening for
other processes' event wake-ups (hub.store.bus): without them its agents would
miss events made elsewhere until the next catch-up. ``/healthz`` stays the
liveness check (the process runs and can write). Thread: any (the database check
blocks; the endpoint runs it in a worker thread).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store.health import storage_problem


class Readiness:
    def __init__(self, engine: Engine, listening: Callable[[], bool] | None = None) -> None:
        """``listening`` says whether the bus's wake-ups arrive; None: no bus (one
        process on SQLite)."""
        self._engine = engine
        self._listening = listening
        # Set when a DatabaseWatch checks the database on its own schedule: /readyz
        # then answers from its last check instead of asking the database per
        # request (a checker polling often during a cut would queue up blocked
        # threads, one per request, each waiting for the connect timeout).
        self.watched: Callable[[], str | None] | None = None

    def database_problem(self) -> str | None:
        try:
            with self._engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as exc:
            return storage_problem(exc)
        return None

    def bus_problem(self) -> str | None:
        if self._listening is None or self._listening():
            return None
        return "not listening for other hub processes' events (the LISTEN connection is down)"

    def problems(self) -> dict[str, str]:
        """What keeps the process from being ready, by part; empty when ready."""
        found = {}
        if (bus := self.bus_problem()) is not None:
            found["bus"] = bus
        check = self.watched if self.watched is not None else self.database_problem
        if (db := check()) is not None:
            found["database"] = db
        return found
