"""The full-text indexes merge in small steps outside the writes, and stay correct."""

from __future__ import annotations

import asyncio
from pathlib import Path

from core.cache import Cache
from core.search_upkeep import SearchUpkeep, merge_step

from .factories import added, assigned, event, message


def _fill(cache: Cache, batches: int, per_batch: int = 50) -> None:
    cache.apply_events([event(1, assigned())])
    seq = 1
    for b in range(batches):
        batch = []
        for i in range(per_batch):
            seq += 1
            batch.append(added(seq, message(f"m{seq}", text=f"订单 {b}-{i} refund 退款")))
        cache.apply_events(batch)  # one transaction, one new index segment each


def test_writes_do_not_merge_and_the_steps_finish_the_work(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    config = dict(cache.db.execute("SELECT k, v FROM message_fts_config").fetchall())
    assert config["automerge"] == 0 and config["crisismerge"] == 512
    _fill(cache, batches=40)
    segments = cache.db.execute(
        "SELECT count(*) FROM message_fts_idx WHERE segid > 0 GROUP BY segid").fetchall()
    assert len(segments) >= 30  # no merge happened inside the writes
    steps = 0
    while merge_step(cache.db.conn):
        steps += 1
        assert steps < 10_000
    assert steps >= 1
    assert not merge_step(cache.db.conn)  # fully merged now
    hits = cache.db.execute(
        "SELECT count(*) FROM message_fts WHERE message_fts MATCH ?", ['"refund 退款"']
    ).fetchone()[0]
    assert hits == 40 * 50  # every message still found exactly once
    cache.close()


async def test_upkeep_task_runs_on_the_loop_and_stops(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    _fill(cache, batches=20)
    upkeep = SearchUpkeep(cache.db.conn)
    upkeep.start()
    for _ in range(200):
        if upkeep.steps >= 2 and not merge_step(cache.db.conn):
            break
        await asyncio.sleep(0.05)
    await upkeep.stop()
    assert upkeep.steps >= 2
    assert not merge_step(cache.db.conn)
    cache.close()
