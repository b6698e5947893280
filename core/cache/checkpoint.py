"""Moving the cache's write-ahead log into the database file, off the caller's thread.

SQLite folds the WAL back into the main file (a checkpoint) inside whichever commit
crosses the size threshold; that commit then also waits for the copy and an fsync,
tens of milliseconds during a large catch-up on the GUI thread. So the cache's own
connection never checkpoints (``wal_autocheckpoint=0``) and this thread does it,
with its own connection, in PASSIVE mode, which never blocks readers or writers.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from core.cache import cipher
from core.cache.cipher import CacheKey

log = logging.getLogger(__name__)

INTERVAL_S = 1.0


class Checkpointer:
    """Thread: its own. ``start()`` and ``stop()`` from the cache's owner."""

    def __init__(self, path: Path, key: CacheKey | None = None,
                 interval_s: float = INTERVAL_S) -> None:
        self._path = path
        self._key = key
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cache-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = cipher.connect(self._path, self._key, timeout=1.0)
        except cipher.Error as exc:
            log.warning("checkpointer cannot open %s: %s", self._path, exc)
            return
        try:
            while not self._stop.wait(self._interval):
                self.checkpoint(conn)
            self.checkpoint(conn)
        finally:
            conn.close()

    def checkpoint(self, conn: Any) -> None:
        try:
            _busy, wal_pages, moved = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if wal_pages and moved == wal_pages:
                self.checkpoints += 1
        except cipher.Error as exc:  # a busy or closing database: try again later
            log.debug("checkpoint skipped: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
