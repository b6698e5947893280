"""Keeping the cache's full-text indexes up to date, a little at a time.

Indexing a message (trigrams) costs several times what storing it does, and FTS5
merges its index segments inside whichever write crosses a threshold; those merges
grow with the index (tens of milliseconds at 30,000 messages, far more at a
million). Both landed in the middle of catch-up slices on the GUI thread. So
messages are stored unindexed (``indexed = 0``), automatic merging is off, and
this task indexes new messages and does the merge work in small, bounded steps
between other work. Search reads the few unindexed messages directly meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3

from core.cache import cipher

log = logging.getLogger(__name__)

INDEXES = ("message_fts", "customer_fts")
# Work per step, a few milliseconds on a modest machine.
STEP_PAGES = 16
INDEX_ROWS = 200
BUSY_PAUSE_S = 0.05  # between steps while there is work
IDLE_PAUSE_S = 2.0  # between checks once everything is merged


def configure(db: sqlite3.Connection) -> None:
    """Automatic merges off; only a very fragmented level forces one (crisis)."""
    for index in INDEXES:
        db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('automerge', 0)")
        db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('crisismerge', 512)")


def index_step(conn: sqlite3.Connection, rows: int = INDEX_ROWS) -> bool:
    """Index up to ``rows`` stored messages; True while more wait."""
    picked = conn.execute(
        "SELECT rowid, text FROM messages WHERE indexed = 0 LIMIT ?", [rows]
    ).fetchall()
    if not picked:
        return False
    conn.executemany("INSERT INTO message_fts (rowid, text) VALUES (?, ?)", picked)
    conn.executemany("UPDATE messages SET indexed = 1 WHERE rowid = ?",
                     [(rowid,) for rowid, _ in picked])
    conn.commit()
    return len(picked) == rows


def upkeep_step(conn: sqlite3.Connection) -> bool:
    """Indexing first, then merging; True while either has work left."""
    if index_step(conn):
        return True
    return merge_step(conn)


def merge_step(conn: sqlite3.Connection, pages: int = STEP_PAGES) -> bool:
    """One bounded merge step on each index; True while work remains."""
    more = False
    for index in INDEXES:
        before = conn.total_changes
        conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('merge', ?)", [pages])
        # FTS5's rule: fewer than two changes means the index was fully merged.
        if conn.total_changes - before >= 2:
            more = True
    if conn.in_transaction:
        conn.commit()
    return more


class SearchUpkeep:
    """Thread: the asyncio loop of the cache's owner (the GUI loop in the desktop)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._task: asyncio.Task[None] | None = None
        self.steps = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            try:
                more = upkeep_step(self._conn)
                self.steps += 1
            except cipher.Error as exc:  # busy or closing: try again later
                log.debug("search index upkeep skipped: %s", exc)
                more = False
            await asyncio.sleep(BUSY_PAUSE_S if more else IDLE_PAUSE_S)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
