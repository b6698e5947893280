"""The cache's WAL is folded back by the checkpoint thread, not by the writer."""

from __future__ import annotations

import time
from pathlib import Path

from core.cache.cache import Cache
from tests.core.factories import added, assigned, event, message


def test_writer_never_checkpoints_and_the_thread_does(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    assert cache.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    cache.apply_events([event(1, assigned())])
    cache.apply_events([added(seq, message(f"m{seq}", text="x" * 2000))
                        for seq in range(2, 3000)])
    wal = tmp_path / "c.sqlite3-wal"
    assert wal.stat().st_size > 1_000_000  # the writer left it all in the log
    checkpointer = cache._checkpointer
    assert checkpointer is not None
    deadline = time.monotonic() + 10
    while checkpointer.checkpoints == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert checkpointer.checkpoints >= 1
    thread = checkpointer._thread
    assert thread is not None and thread.is_alive()
    cache.close()
    assert not thread.is_alive()
    # Everything is in the database file and reads back after reopening.
    again = Cache(tmp_path / "c.sqlite3")
    assert again.last_seq() == 2999
    again.close()


def test_memory_cache_has_no_checkpoint_thread() -> None:
    cache = Cache(":memory:")
    assert cache._checkpointer is None
    cache.close()
