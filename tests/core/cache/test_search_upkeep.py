"""The full-text indexes merge in small steps outside the writes, and stay correct."""

from __future__ import annotations

import asyncio
from pathlib import Path

from core.cache.cache import Cache
from core.cache.search import search
from core.cache.search_upkeep import SearchUpkeep, merge_step, upkeep_step
from tests.core.factories import added, assigned, event, message


def _fill(cache: Cache, batches: int, per_batch: int = 50) -> None:
    cache.apply_events([event(1, assigned())])
    seq = 1
    for b in range(batches):
        batch = []
        for i in range(per_batch):
            seq += 1
            batch.append(added(seq, message(f"m{seq}", text=f"订单 {b}-{i} refund 退款")))
        cache.apply_events(batch)  # one transaction, one new index segment each


def _search_hits(cache: Cache) -> int:
    return int(cache.db.execute(
        "SELECT count(*) FROM message_fts WHERE message_fts MATCH ?", ['"refund 退款"']
    ).fetchone()[0])


def test_writes_do_not_index_and_the_steps_finish_the_work(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    config = dict(cache.db.execute("SELECT k, v FROM message_fts_config").fetchall())
    assert config["automerge"] == 0 and config["crisismerge"] == 512
    _fill(cache, batches=40)
    unindexed = cache.db.execute("SELECT count(*) FROM messages WHERE indexed = 0").fetchone()[0]
    assert unindexed == 40 * 50 + 1  # stored, not indexed: the writes stayed cheap
    assert _search_hits(cache) == 0
    # ... yet search finds them already (it reads the unindexed rows directly).
    [hit] = search(cache.db, "refund 退款")
    assert hit.customer_id == "cu1" and hit.messages
    steps = 0
    while upkeep_step(cache.db.conn):
        steps += 1
        assert steps < 10_000
    assert steps >= 10  # 200 rows a step, then the merges
    assert not merge_step(cache.db.conn)  # fully merged now
    assert cache.db.execute("SELECT count(*) FROM messages WHERE indexed = 0").fetchone()[0] == 0
    assert _search_hits(cache) == 40 * 50  # every message indexed exactly once
    # An edited, indexed message stays in step; a deleted one leaves the index.
    cache.db.execute("UPDATE messages SET text = 'changed' WHERE id = 'm2'")
    cache.db.execute("DELETE FROM messages WHERE id = 'm3'")
    cache.db.conn.commit()
    assert _search_hits(cache) == 40 * 50 - 2
    cache.db.execute("INSERT INTO message_fts (message_fts) VALUES ('integrity-check')")
    cache.close()


async def test_upkeep_task_runs_on_the_loop_and_stops(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    _fill(cache, batches=20)
    upkeep = SearchUpkeep(cache.db.conn)
    upkeep.start()
    for _ in range(400):
        if upkeep.steps >= 2 and not upkeep_step(cache.db.conn):
            break
        await asyncio.sleep(0.05)
    await upkeep.stop()
    assert upkeep.steps >= 2
    assert not upkeep_step(cache.db.conn)
    assert _search_hits(cache) == 20 * 50
    cache.close()
