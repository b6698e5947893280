"""The cache file itself: private creation, damage detection, moving a bad file aside.

The cache is a copy of what the hub holds plus the agent's unsent work, so a file
that cannot be used is never fatal: it is renamed with a timestamp (kept for
inspection or recovery by hand) and a fresh cache is rebuilt from the hub.
"""

from __future__ import annotations

import enum
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.cache import cipher
from core.cache.cipher import CacheKey


class CacheError(Exception):
    """The cache file cannot be used (unreadable, corrupted)."""


class CacheTooNew(CacheError):  # noqa: N818
    """The file was written by a newer Zuoxi (its schema is unknown to us)."""


class LockReason(enum.Enum):
    KEY_MISSING = enum.auto()  # encrypted, and no key was found for it
    KEY_REJECTED = enum.auto()  # the key we hold does not open it


class CacheLocked(CacheError):  # noqa: N818
    """The file is encrypted and cannot be opened with the key at hand.

    Never set aside on its own: the agent chooses (re-sync from the hub, or quit and
    bring the key back), because its unsent work cannot be read without the key.
    """

    def __init__(self, reason: LockReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class ResetReason(enum.Enum):
    DAMAGED = enum.auto()  # garbage, truncated, unreadable
    TOO_NEW = enum.auto()  # written by a newer version
    LOCKED = enum.auto()  # encrypted under a key we do not have; the agent chose to re-sync


@dataclass(frozen=True)
class CacheReset:
    """A cache file was unusable and has been replaced by an empty one."""

    reason: ResetReason
    moved_to: Path | None  # where the old file went (None: it could not be moved)
    detail: str
    # Queued agent actions read back from the old file and queued again (finding 15).
    salvaged: int = 0


# The outbox's columns, as every schema version has had them.
OUTBOX_COLUMNS = ("op", "kind", "payload", "created_at", "conversation_id", "message_id", "revert")


def read_outbox(path: Path, key: CacheKey | None = None) -> list[tuple[object, ...]]:
    """The outbox rows a damaged cache file still holds, oldest first; [] if none can be read.

    Read only (the file stays as it was moved aside), row by row in rowid order, so
    one bad page loses only the rows on it. An encrypted file is read with ``key``
    (SQLCipher refuses a page whose HMAC fails, and then the whole connection: it is
    opened again for the next row).
    """
    if cipher.is_plain(path):
        key = None

    def opened() -> Any:
        return cipher.connect(path, key, read_only=True)

    try:
        conn = opened()
        ids = [r[0] for r in conn.execute(
            "SELECT rowid FROM outbox ORDER BY rowid")]
    except (*cipher.Error, MemoryError):
        return []
    rows: list[tuple[object, ...]] = []
    columns = ", ".join(OUTBOX_COLUMNS)
    try:
        for rowid in ids:
            try:
                row = conn.execute(
                    f"SELECT {columns} FROM outbox WHERE rowid=?", [rowid]).fetchone()
            except (*cipher.Error, MemoryError):
                conn.close()
                conn = opened()
                continue
            if row is not None:
                rows.append(tuple(row))
    except (*cipher.Error, MemoryError):
        pass
    finally:
        conn.close()
    return rows


def now_ms() -> int:
    return int(time.time() * 1000)


def private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (the cache holds customer data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def check_not_truncated(path: Path) -> None:
    """Refuse a file that is not SQLite, or is shorter than its header says.

    A truncated file (a crash while copying it, a full disk) would otherwise only
    fail once a query reaches a missing page, in the middle of the agent's work.
    """
    try:
        with open(path, "rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise CacheError(f"cannot read {path}: {exc}") from exc
    if len(header) == 0:
        return  # a new, empty file
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise CacheError(f"{path.name} is not an SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = int.from_bytes(header[24:28], "big")
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    if pages and valid_for == change_counter and size < pages * page_size:
        raise CacheError(f"{path.name} is truncated ({size} of {pages * page_size} bytes)")


def move_aside(path: Path, error: CacheError) -> CacheReset:
    """Rename ``path`` (and its WAL side files) to ``<name>.broken-<timestamp>``."""
    reason = (ResetReason.TOO_NEW if isinstance(error, CacheTooNew) else
              ResetReason.LOCKED if isinstance(error, CacheLocked) else ResetReason.DAMAGED)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    moved: Path | None = target
    try:
        path.rename(target)
    except OSError:
        moved = None
        path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        try:
            if moved is not None and side.exists():
                side.rename(target.with_name(target.name + suffix))
            else:
                side.unlink(missing_ok=True)
        except OSError:
            side.unlink(missing_ok=True)
    return CacheReset(reason, moved, str(error))
