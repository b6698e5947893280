"""The hub's SQLite write-ahead log folded back into the database off the event loop.

SQLite checkpoints inside whichever commit crosses the WAL's size threshold; that
commit then copies the log into the file and waits for an fsync. When a mail of
megabytes was just stored, that commit is the next command's on the event loop,
and every socket waits (finding 6). While the hub serves, its connections never
checkpoint (``wal_autocheckpoint=0``); this thread does, with its own connection,
in PASSIVE mode, which never blocks readers or writers. Other dialects: nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

INTERVAL_S = 1.0


class Checkpointer:
    """Thread: its own. ``start()`` before serving, ``stop()`` after."""

    def __init__(self, engine: Engine, interval_s: float = INTERVAL_S) -> None:
        self._engine = engine
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        database = engine.url.database
        self._path = database if engine.dialect.name == "sqlite" and database and \
            database != ":memory:" else None

    def start(self) -> None:
        if self._path is None:
            return
        sa.event.listen(self._engine, "connect", _no_autocheckpoint)
        self._engine.dispose()  # pooled connections reopen with the pragma
        self._thread = threading.Thread(target=self._run, name="hub-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._path is not None
        try:
            conn = sqlite3.connect(self._path, timeout=1.0)
        except sqlite3.Error as exc:
            log.warning("checkpointer cannot open %s: %s", self._path, exc)
            return
        try:
            while not self._stop.wait(self._interval):
                _checkpoint(conn)
            _checkpoint(conn)
        finally:
            conn.close()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=10)
        self._thread = None
        sa.event.remove(self._engine, "connect", _no_autocheckpoint)
        self._engine.dispose()  # back to SQLite's own checkpoints (CLI, tests)


def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.close()


def _checkpoint(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error as exc:  # busy or closing: the next round tries again
        log.debug("checkpoint skipped: %s", exc)
