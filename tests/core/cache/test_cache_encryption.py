"""The cache encrypted at rest (SQLCipher): the file and its WAL say nothing without
the key, the key reopens it, a wrong key is a typed refusal that leaves the file
alone, the key can be rotated, and a plain cache is encrypted without losing
anything (its unsent replies included)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from core.cache import cipher
from core.cache.cache import Cache, open_cache, resync_locked
from core.cache.cache_file import CacheLocked, LockReason, ResetReason
from core.cache.cipher import CacheKey
from core.protocol.agent import SendMessage
from core.sync.outbox import Outbox
from tests.core.factories import added, assigned, event, message

# Plain and encrypted side by side, each said explicitly.
pytestmark = pytest.mark.plain_cache("each test says which caches are encrypted")

CUSTOMER_TEXT = "订单号 ZX-CANARY-4471 please refund"
REPLY_TEXT = "REPLY-CANARY-9034 退款已处理"
# What a reader of the bytes would look for: customer text (both scripts), the
# agent's unsent reply, a contact point, and the schema's own names.
MARKERS = [b"ZX-CANARY-4471", "订单号".encode(), b"REPLY-CANARY-9034",
           "退款已处理".encode(), b"cu1@example.com", b"CREATE TABLE", b"outbox",
           b"SQLite format 3"]


def _fill(cache: Cache) -> list[SendMessage]:
    cache.apply_events([event(1, assigned(messages=[message("m1", text=CUSTOMER_TEXT)]))])
    outbox = Outbox(cache)
    outbox.send_message("c1", REPLY_TEXT)
    return [c for c in outbox.pending() if isinstance(c, SendMessage)]


def _found(data: bytes) -> list[bytes]:
    return [m for m in MARKERS if m in data]


def test_file_and_wal_say_nothing_without_the_key(tmp_path: Path) -> None:
    key = CacheKey.generate()
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, key)
    assert cache.encrypted
    cache._checkpointer.stop()  # type: ignore[union-attr]  # keep the pages in the WAL
    _fill(cache)
    wal = path.with_name(path.name + "-wal")
    main, log = path.read_bytes(), wal.read_bytes()
    assert len(log) > 4096, "the recent writes are in the WAL"
    assert _found(main) == [] and _found(log) == []
    # The same writes to a plain cache: the markers are there to be found.
    plain = Cache(tmp_path / "plain.sqlite3")
    plain._checkpointer.stop()  # type: ignore[union-attr]
    _fill(plain)
    plain_bytes = ((tmp_path / "plain.sqlite3").read_bytes()
                   + (tmp_path / "plain.sqlite3-wal").read_bytes())
    assert _found(plain_bytes) == MARKERS
    plain.close()

    copy = tmp_path / "copy.sqlite3"  # while the cache is open, as a thief would
    shutil.copy(path, copy)
    shutil.copy(wal, copy.with_name(copy.name + "-wal"))
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(copy).execute("SELECT * FROM sqlite_master").fetchall()
    no_key = sqlcipher3.connect(str(copy))
    with pytest.raises(sqlcipher3.DatabaseError):
        no_key.execute("SELECT * FROM sqlite_master").fetchall()
    no_key.close()
    cache.close()
    assert _found(path.read_bytes()) == []


def test_the_key_reopens_it_with_everything(tmp_path: Path) -> None:
    key = CacheKey.generate()
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, key)
    queued = _fill(cache)
    cache.close()
    again = Cache(path, CacheKey.from_hex(key.hex()))
    assert again.last_seq() == 1
    assert again.messages("c1")[0].text == CUSTOMER_TEXT
    assert [c for c in Outbox(again).pending() if isinstance(c, SendMessage)] == queued
    assert [h.customer_id for h in again.search("ZX-CANARY")] == ["cu1"]
    assert [h.customer_id for h in again.search("退款")] == ["cu1"]  # trigram, Chinese
    again.close()


def test_a_wrong_key_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, CacheKey.generate())
    _fill(cache)
    cache.close()
    before = path.read_bytes()
    wrong = CacheKey.generate()
    with pytest.raises(CacheLocked) as refused:
        open_cache(path, wrong)
    assert refused.value.reason is LockReason.KEY_REJECTED
    assert path.read_bytes() == before  # never set aside without the agent's choice
    assert not list(tmp_path.glob("*.broken-*"))

    # The agent chose to re-sync: the old file is kept aside, a new cache is empty.
    fresh, reset = resync_locked(path, refused.value, wrong)
    assert reset.reason is ResetReason.LOCKED and reset.moved_to is not None
    assert reset.moved_to.read_bytes() == before
    assert fresh.encrypted and fresh.last_seq() is None and fresh.inbox() == []
    fresh.close()
    assert Cache(path, wrong).resume_seq() is None


def test_key_rotation(tmp_path: Path) -> None:
    old, new = CacheKey.generate(), CacheKey.generate()
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, old)
    queued = _fill(cache)
    cache.rekey(new)
    assert cache.key == new
    cache.apply_events([event(2, assigned("c2", "cu2"))])  # still writable after
    cache.close()
    with pytest.raises(CacheLocked):
        Cache(path, old)
    again = Cache(path, new)
    assert again.last_seq() == 2
    assert {i.conversation_id for i in again.inbox()} == {"c1", "c2"}
    assert [c for c in Outbox(again).pending() if isinstance(c, SendMessage)] == queued
    again.close()
    assert _found(path.read_bytes()) == []


def test_only_an_encrypted_file_can_be_rekeyed(tmp_path: Path) -> None:
    from core.cache.cache import CacheError

    plain = Cache(tmp_path / "plain.sqlite3")
    with pytest.raises(CacheError):
        plain.rekey(CacheKey.generate())
    plain.close()


def _plain_with_wal(tmp_path: Path) -> tuple[Path, list[SendMessage]]:
    """A plain cache as a crash leaves it: part of its writes only in the WAL."""
    work = tmp_path / "work.sqlite3"
    cache = Cache(work)
    cache._checkpointer.stop()  # type: ignore[union-attr]
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    queued = _fill(cache)
    path = tmp_path / "cache.sqlite3"
    shutil.copy(work, path)  # copied while open: the writes are in the WAL copy
    shutil.copy(work.with_name(work.name + "-wal"), path.with_name(path.name + "-wal"))
    cache.close()
    return path, queued


def test_a_plain_cache_is_encrypted_at_first_start_losing_nothing(tmp_path: Path) -> None:
    path, queued = _plain_with_wal(tmp_path)
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    assert cipher.is_plain(path)
    key = CacheKey.generate()
    cache, reset = open_cache(path, key)
    assert reset is None and cache.encrypted
    assert cache.last_seq() == 1
    assert cache.messages("c1")[0].text == CUSTOMER_TEXT
    assert [c for c in Outbox(cache).pending() if isinstance(c, SendMessage)] == queued
    assert [h.customer_id for h in cache.search("ZX-CANARY")] == ["cu1"]
    cache.close()
    assert not cipher.is_plain(path)
    assert _found(path.read_bytes()) == []
    leftovers = {p.name for p in tmp_path.iterdir()} - {"work.sqlite3", "cache.sqlite3"}
    assert leftovers == set(), leftovers  # no plain copy, no plain WAL
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM outbox").fetchall()


def test_an_interrupted_encryption_is_done_again(tmp_path: Path) -> None:
    path, queued = _plain_with_wal(tmp_path)
    # A crash during the copy: a half-written copy lies beside the plain file.
    path.with_name(path.name + cipher.ENCRYPTING_SUFFIX).write_bytes(os.urandom(5000))
    key = CacheKey.generate()
    cache = Cache(path, key)
    assert cache.encrypted
    assert [c for c in Outbox(cache).pending() if isinstance(c, SendMessage)] == queued
    cache.close()
    assert not path.with_name(path.name + cipher.ENCRYPTING_SUFFIX).exists()


def test_a_crash_after_the_rename_wipes_the_plain_copy(tmp_path: Path) -> None:
    path, _ = _plain_with_wal(tmp_path)
    old = path.with_name(path.name + cipher.PLAIN_OLD_SUFFIX)
    key = CacheKey.generate()
    Cache(path, key).close()
    shutil.copy(tmp_path / "work.sqlite3", old)  # as if the wipe had not run
    Cache(path, key).close()
    assert not old.exists()


def test_the_outbox_of_a_damaged_encrypted_cache_is_queued_again(tmp_path: Path) -> None:
    key = CacheKey.generate()
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, key)
    queued = _fill(cache)
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    root = cache.db.execute(
        "SELECT rootpage FROM sqlite_master WHERE name='messages'").fetchone()[0]
    size = cache.db.execute("PRAGMA page_size").fetchone()[0]
    cache.close()
    with open(path, "r+b") as f:  # one page of messages changed on disk
        f.seek((int(root) - 1) * int(size) + 100)
        f.write(b"\xde\xad" * 64)
    fresh, reset = open_cache(path, key)
    assert reset is not None and reset.reason is ResetReason.DAMAGED
    assert reset.salvaged == 1
    assert [c for c in Outbox(fresh).pending() if isinstance(c, SendMessage)] == queued
    assert fresh.encrypted
    fresh.close()


def test_the_key_never_shows_in_a_repr(tmp_path: Path) -> None:
    key = CacheKey.generate()
    assert key.hex() not in repr(key)
    cache = Cache(tmp_path / "c.sqlite3", key)
    assert key.hex() not in repr(vars(cache))
    cache.close()
    with pytest.raises(ValueError):
        CacheKey(b"short")
    with pytest.raises(ValueError):
        CacheKey.from_hex("zz" * 32)


@pytest.mark.parametrize("content", [b"this is not a database" * 100, bytes(8192)])
def test_what_cannot_be_an_encrypted_file_is_damage_not_a_key_question(
        tmp_path: Path, content: bytes) -> None:
    # Part of a page, or a first page of zeros: SQLCipher writes neither.
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(content)
    fresh, reset = open_cache(path, CacheKey.generate())
    assert reset is not None and reset.reason is ResetReason.DAMAGED
    assert reset.moved_to is not None and reset.moved_to.read_bytes() == content
    assert fresh.encrypted
    fresh.close()


def test_whole_random_pages_are_a_key_question(tmp_path: Path) -> None:
    # Indistinguishable from a cache under another key: the agent chooses.
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(CacheLocked):
        open_cache(path, CacheKey.generate())


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_catch_up_compiles_each_statement_once(tmp_path: Path, encrypted: bool) -> None:
    """Applying events reuses compiled statements, on an encrypted cache too.

    SQLite asks the authorizer only while it compiles a statement, so the calls
    count compilations. sqlcipher3's statement cache, once the schema checks at
    open had filled it, compiled every statement of a catch-up again at each call.
    """
    cache = Cache(tmp_path / "cache.sqlite3", CacheKey.generate() if encrypted else None)
    cache.apply_events([event(1, assigned())])
    compiled: list[int] = []

    def count(action: int, *_: object) -> int:
        compiled.append(action)
        return sqlcipher3.SQLITE_OK if encrypted else sqlite3.SQLITE_OK

    cache.db.conn.set_authorizer(count)
    seq = 1

    def apply(n: int) -> None:
        nonlocal seq
        for _ in range(n // 20):
            cache.apply_events([added(seq + i + 1, message(f"m{seq + i + 1}", at=seq + i + 1))
                                for i in range(20)])
            seq += 20

    apply(40)  # warm: setting an authorizer expires every compiled statement
    compiled.clear()
    apply(400)
    assert compiled == [], f"{len(compiled)} authorizer calls: statements were compiled again"
    assert cache.last_seq() == seq
    cache.close()


def test_a_plain_cache_never_loads_the_sqlcipher_binding(tmp_path: Path) -> None:
    """SQLCipher brings its own SQLite and OpenSSL (about 6 MB resident): loaded only
    once a key is used, and its errors are caught as the cache's from then on."""
    script = f"""
import sys
from pathlib import Path
from core.cache import cipher
from core.cache.cache import Cache
cache = Cache(Path({str(tmp_path / "plain.sqlite3")!r}))
cache.close()
assert "sqlcipher3" not in sys.modules, "a plain cache loaded sqlcipher3"
assert cipher.Error == (sqlite3_error := __import__("sqlite3").Error, sqlite3_error)
Cache(Path({str(tmp_path / "secret.sqlite3")!r}), cipher.CacheKey.generate()).close()
import sqlcipher3
assert sqlcipher3.Error in cipher.Error and sqlcipher3.DatabaseError in cipher.DatabaseError
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=Path(__file__).resolve().parents[3],
                         env={**os.environ, "ZUOXI_TEST_CACHE": "plain"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
