"""The cache encrypted at rest: SQLCipher connections, the key, a plain file made
encrypted, key rotation.

SQLCipher encrypts every page of the database and of its write-ahead log with
AES-256 and authenticates each page with an HMAC, so the bytes on disk say nothing
without the key, and a page changed on disk is refused rather than read. The key is
32 random bytes per cache (the desktop keeps it in the OS keyring), handed to
SQLCipher as a raw key: no passphrase derivation runs at open, which keeps the open
cheap before the first window paint.

``key=None`` everywhere here means a plain SQLite file (tests, tools, the headless
agent, and a desktop without a keyring).
"""

from __future__ import annotations

import contextlib
import enum
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from core import redaction

KEY_BYTES = 32
PAGE_SIZE = 4096  # SQLCipher 4's default page size, which the cache keeps
SQLITE_MAGIC = b"SQLite format 3\x00"

# Where a plain file is encrypted into, next to the cache; renamed over it when done.
ENCRYPTING_SUFFIX = ".encrypting"
# A hard link to the plain file being replaced, overwritten and removed afterwards.
PLAIN_OLD_SUFFIX = ".plain-old"

# sqlcipher3 keeps pysqlite's old statement cache, which ranks statements by use and,
# once full, evicts the newest: every statement first run after the cache filled (the
# schema checks at open fill the default 100) was compiled again at each call, tripling
# the cost of applying events. Room for every statement the desktop runs keeps it from
# filling; a compiled statement is a few KB and only those run take room.
CACHED_STATEMENTS = 2048


def _sqlcipher() -> ModuleType:
    """The SQLCipher binding, loaded the first time a key is used.

    It carries its own SQLite and OpenSSL (about 6 MB resident): a desktop whose
    cache stays plain (the local demo hub, no keyring) never loads it.
    """
    global _quieted
    import sqlcipher3

    if not _quieted:
        # SQLCipher prints its own errors (a wrong key: "hmac check failed") to
        # stderr; the cache turns them into typed exceptions instead.
        sqlcipher3.connect(":memory:").execute("PRAGMA cipher_log_level = NONE").fetchall()
        _quieted = True
    return sqlcipher3


_quieted = False


def __getattr__(name: str) -> tuple[type[Exception], type[Exception]]:
    """``Error`` and ``DatabaseError``: both drivers' classes once SQLCipher is loaded
    (an encrypted cache raises its own), Python's alone until then."""
    if name not in ("Error", "DatabaseError"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _errors(name)


def _errors(name: str) -> tuple[type[Exception], type[Exception]]:
    plain: type[Exception] = getattr(sqlite3, name)
    loaded = sys.modules.get("sqlcipher3")
    if loaded is None or not hasattr(loaded, name):
        return (plain, plain)
    return (plain, getattr(loaded, name))


class CacheKey:
    """A cache's 256-bit key. Its text never appears in a repr or a log line."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError(f"a cache key has {KEY_BYTES} bytes, not {len(raw)}")
        self._raw = bytes(raw)
        redaction.remember(self._raw.hex())

    @classmethod
    def generate(cls) -> CacheKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_hex(cls, text: str) -> CacheKey:
        try:
            raw = bytes.fromhex(text.strip())
        except ValueError:
            raise ValueError("a cache key is hexadecimal") from None
        return cls(raw)

    def hex(self) -> str:
        return self._raw.hex()

    def sql(self) -> str:
        """The key as SQLCipher's raw-key literal, for ``PRAGMA key``/``rekey``."""
        return f"\"x'{self._raw.hex()}'\""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CacheKey) and secrets.compare_digest(self.hex(), other.hex())

    def __hash__(self) -> int:
        return hash(self._raw)

    def __repr__(self) -> str:
        return "CacheKey(…)"


def connect(path: Path | str, key: CacheKey | None, *, timeout: float = 5.0,
            check_same_thread: bool = True, read_only: bool = False) -> Any:
    """A connection to the cache file at ``path``, keyed when ``key`` is given.

    The key is only handed over: a wrong key fails at the first read
    (``sqlcipher3.DatabaseError: file is not a database``).
    """
    target, uri = str(path), False
    if read_only:
        target, uri = f"{Path(path).resolve().as_uri()}?mode=ro", True
    if key is None:
        return sqlite3.connect(target, timeout=timeout, check_same_thread=check_same_thread,
                               uri=uri)
    conn = _sqlcipher().connect(target, timeout=timeout, check_same_thread=check_same_thread,
                                uri=uri, cached_statements=CACHED_STATEMENTS)
    conn.execute(f"PRAGMA key = {key.sql()}")
    return conn


def is_plain(path: Path) -> bool:
    """Whether ``path`` starts like an unencrypted SQLite file."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def looks_encrypted(path: Path) -> bool:
    """A file with content that is not plain SQLite: encrypted (or garbage: without
    the key the two cannot be told apart)."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size > 0 and not is_plain(path)


def not_encrypted_either(path: Path) -> str | None:
    """Why a file that is not plain SQLite cannot be an encrypted cache either (then it
    is damage, not a key question); None when it may be one.

    SQLCipher writes whole pages (4096 bytes), and page 1 starts with a random salt.
    """
    if not path.exists():
        return None
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            salt = f.read(16)
    except OSError as exc:
        return f"cannot read it: {exc}"
    if size == 0 or is_plain(path):
        return None
    if size % PAGE_SIZE:
        return f"{size} bytes is not a whole number of pages"
    if salt == bytes(16):
        return "its first page is zeros"
    return None


def rekey(conn: Any, new_key: CacheKey) -> None:
    """Re-encrypt every page under ``new_key`` (one transaction: all or nothing).

    The caller closes every other connection to the file first: they hold the old
    key and could not read a page written after this.
    """
    conn.execute(f"PRAGMA rekey = {new_key.sql()}").fetchall()


class EncryptStage(enum.Enum):
    """Where ``encrypt_plain`` is, for a window that shows its progress."""

    COPYING = "copying"  # writing the encrypted copy (its size says how far)
    CHECKING = "checking"  # comparing the copy's rows with the plain file's
    REPLACING = "replacing"  # the copy renamed over the plain file, which is wiped
    DONE = "done"


def encrypting_copy(path: Path) -> Path:
    """Where ``encrypt_plain`` writes the encrypted copy of ``path``."""
    return path.with_name(path.name + ENCRYPTING_SUFFIX)


def encrypt_plain(path: Path, key: CacheKey,
                  stage: Callable[[EncryptStage], None] | None = None) -> None:
    """Replace the plain cache at ``path`` with an encrypted copy, losing nothing.

    The plain file's WAL is folded in first, the copy is written beside it
    (``sqlcipher_export``), checked table by table, then renamed over the plain
    file in one step: a crash before the rename leaves the plain file as it was
    (and the next start does it again), a crash after leaves the encrypted one.
    The plain bytes are then overwritten and removed (best effort: see
    docs/security.md on what a file system may still keep). ``stage`` is told each
    step as it begins (on the caller's thread, which may be a worker's).
    """
    def step(now: EncryptStage) -> None:
        if stage is not None:
            stage(now)

    step(EncryptStage.COPYING)
    target = encrypting_copy(path)
    target.unlink(missing_ok=True)
    _private(target)
    sqlcipher3 = _sqlcipher()
    source = sqlcipher3.connect(str(path), timeout=5.0)
    try:
        # Every committed page into the main file, and no plain WAL left behind.
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        source.execute("PRAGMA journal_mode=DELETE").fetchall()
        counts = _counts(source, "main")
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.sql()}", [str(target)])
        # The copy is thrown away unless whole: no journal or sync per statement
        # (the export runs one per table and index); one fsync at the end.
        source.execute("PRAGMA encrypted.journal_mode=OFF").fetchall()
        source.execute("PRAGMA encrypted.synchronous=OFF")
        source.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        source.commit()
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    step(EncryptStage.CHECKING)
    copy = connect(target, key)
    try:
        copied = _counts(copy, "main")
    finally:
        copy.close()
    if copied != counts:
        target.unlink(missing_ok=True)
        raise sqlcipher3.DatabaseError(f"the encrypted copy differs: {copied} != {counts}")
    step(EncryptStage.REPLACING)
    _fsync(target)
    old = path.with_name(path.name + PLAIN_OLD_SUFFIX)
    old.unlink(missing_ok=True)
    os.link(path, old)
    os.replace(target, path)
    _fsync_dir(path.parent)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    wipe(old)
    step(EncryptStage.DONE)


def finish_interrupted(path: Path) -> None:
    """Clean up after an ``encrypt_plain`` that a crash cut short."""
    path.with_name(path.name + ENCRYPTING_SUFFIX).unlink(missing_ok=True)
    old = path.with_name(path.name + PLAIN_OLD_SUFFIX)
    if old.exists():
        if path.exists():
            wipe(old)
        else:  # the rename never happened and the cache is gone: keep the plain copy
            os.replace(old, path)


def wipe(path: Path) -> None:
    """Overwrite a file with zeros, then remove it."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        with open(path, "r+b") as f:
            block = b"\x00" * 65536
            left = size
            while left > 0:
                left -= f.write(block[:min(left, len(block))])
            f.flush()
            os.fsync(f.fileno())
    path.unlink(missing_ok=True)


def _counts(conn: Any, schema: str) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
        "AND name NOT LIKE 'sqlite_%'").fetchall()]
    counts = {}
    for table in tables:
        try:
            counts[table] = conn.execute(
                f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        except _errors("Error"):  # a virtual table's shadow is counted through its own rows
            continue
    return counts


def _private(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync(path)
