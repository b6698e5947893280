"""The routing connection's wake-ups on a real PostgreSQL: every change another
process announces after the router last read the database wakes it again, however
close together the announcements come, and the router reads the database now and
then even when nobody announces anything."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa

from hub.routing import cluster as cluster_module
from hub.routing.cluster import LOCK_KEY, RouterLease
from hub.routing.cluster_store import ROUTING_CHANNEL
from hub.store.base import create_engine
from testbed.agent_probe import eventually
from tests.support.databases import DatabaseMaker


class ReadingCluster:
    """Stands in for ``ClusterRouting``: each wake-up reads the database at once, as
    the router's pass does, and keeps what it read."""

    def __init__(self, engine: sa.Engine) -> None:
        self.token = "reader-1"
        self.engine = engine
        self.dirty = False
        self.seen: list[int] = []
        self.leading = False
        self.read = asyncio.Event()

    def woken(self) -> None:
        with self.engine.connect() as conn:
            self.seen.append(int(conn.execute(sa.text("SELECT n FROM changes")).scalar_one()))
        self.read.set()

    def reconnected(self) -> None:
        self.woken()

    def elected(self) -> None:
        self.leading = True

    def deposed(self) -> None:
        self.leading = False


@pytest.fixture
def database(postgres_dbs: DatabaseMaker) -> Iterator[tuple[str, sa.Engine]]:
    url = postgres_dbs.new("lease")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE changes (n integer NOT NULL)"))
        conn.execute(sa.text("INSERT INTO changes VALUES (0)"))
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    yield conninfo, engine
    engine.dispose()


def _change(engine: sa.Engine, n: int) -> None:
    """Another process's change: the row and its wake-up in one transaction."""
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE changes SET n = :n"), {"n": n})
        conn.execute(sa.select(sa.func.pg_notify(ROUTING_CHANNEL, "other-2")))


async def test_a_change_announced_just_after_a_read_wakes_the_cluster_again(
    database: tuple[str, sa.Engine],
) -> None:
    conninfo, engine = database
    with psycopg.connect(conninfo, autocommit=True) as holder:
        # Another process routes: this one only follows (no periodic re-reads).
        assert holder.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (
            True,)
        cluster = ReadingCluster(engine)
        lease = RouterLease(conninfo, asyncio.get_running_loop(), cluster)  # type: ignore[arg-type]
        lease.start()
        try:
            await asyncio.wait_for(cluster.read.wait(), 10)  # the read on connecting
            for n in range(1, 6):
                cluster.read.clear()
                _change(engine, n)
                # The next change is announced as soon as this one has been read, well
                # within one poll of the routing connection: it must be read as well.
                await eventually(functools.partial(cluster.seen.__contains__, n), timeout=5)
            assert cluster.seen[-1] == 5
            assert not cluster.leading
        finally:
            await asyncio.to_thread(lease.stop)


async def test_the_router_reads_again_without_any_wake_up(
    database: tuple[str, sa.Engine], monkeypatch: pytest.MonkeyPatch,
) -> None:
    conninfo, engine = database
    monkeypatch.setattr(cluster_module, "RESCAN_S", 0.3)
    cluster = ReadingCluster(engine)
    lease = RouterLease(conninfo, asyncio.get_running_loop(), cluster)  # type: ignore[arg-type]
    lease.start()
    try:
        await eventually(lambda: cluster.leading, timeout=10)
        # A change made without a wake-up (one missed, say): the router reads it anyway.
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE changes SET n = 7"))
        await eventually(lambda: 7 in cluster.seen, timeout=5)
    finally:
        await asyncio.to_thread(lease.stop)
