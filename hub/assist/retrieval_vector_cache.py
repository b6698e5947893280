"""Sentence vectors kept on disk by what they encode, so a hub never embeds the same
text twice: not after a restart, not for a new database over the same articles
(a fresh demo hub, ``migrate --from``, a second tenant), not in another process.

Keys are SHA-256 digests of (model, kind, text); only knowledge-base passages and
the hub's own fixed texts go in — never a customer's message. One SQLite file in
WAL mode, shared safely by several processes. A cache that cannot be opened or
written (read-only home, full disk) is skipped with one warning: vectors are then
computed as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DIMENSIONS = 384
ENV_DIR = "ZUOXI_VECTOR_CACHE_DIR"  # "off" turns the cache off


def default_directory() -> Path | None:
    configured = os.environ.get(ENV_DIR)
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zuoxi" / "vectors"


def cache_key(model: str, kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\x00{kind}\x00{text}".encode()).digest()


class VectorCache:
    """Vectors by key; every method is safe from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False,
                                       isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("CREATE TABLE IF NOT EXISTS vectors "
                             "(key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
                self._conn = conn
            except (OSError, sqlite3.Error) as exc:
                self._give_up("open", exc)
        return self._conn

    def _give_up(self, doing: str, exc: Exception) -> None:
        self._broken = True
        self._conn = None
        log.warning("sentence-vector cache %s: cannot %s it (%s); vectors are computed "
                    "without it", self.path, doing, exc)

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            conn = self._connect()
            if conn is None:
                return found
            try:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                    ).fetchall()
                    for key, blob in rows:
                        if len(blob) == DIMENSIONS * 4:
                            found[bytes(key)] = np.frombuffer(blob, dtype="<f4").copy()
            except sqlite3.Error as exc:
                self._give_up("read", exc)
        return found

    def put_many(self, items: dict[bytes, np.ndarray]) -> None:
        if not items:
            return
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            try:
                with conn:
                    conn.execute("BEGIN")
                    conn.executemany(
                        "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                        [(k, np.asarray(v, dtype="<f4").tobytes()) for k, v in items.items()],
                    )
            except sqlite3.Error as exc:
                self._give_up("write", exc)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
