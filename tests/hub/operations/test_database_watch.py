"""The database watch: closes the tracked sockets once when the database is lost,
reports the problem for /readyz, and takes sockets again once it answers."""

from __future__ import annotations

import asyncio
import threading

from hub.operations.database_watch import DatabaseWatch


def test_lost_database_closes_sockets_once_and_recovery_clears_it() -> None:
    problem: list[str | None] = [None]
    watch = DatabaseWatch(lambda: problem[0])
    closed: list[str] = []
    forget_a = watch.track(lambda: closed.append("a"))
    watch.track(lambda: closed.append("b"))
    assert watch.problem() == "the database has not been checked yet"

    assert watch.check() is None
    assert watch.problem() is None and closed == []

    forget_a()  # that socket ended by itself
    problem[0] = "connection timeout expired"
    assert watch.check() == "connection timeout expired"
    assert watch.lost == watch.problem() == "connection timeout expired"
    assert closed == ["b"]
    watch.check()  # still lost: nothing is closed twice
    assert closed == ["b"]

    problem[0] = None
    assert watch.check() is None
    assert watch.lost is None and watch.problem() is None
    asyncio.run(watch.stop())


def test_a_check_that_hangs_counts_as_lost() -> None:
    release = threading.Event()
    watch = DatabaseWatch(lambda: None if release.wait(5) else "never", timeout_s=0.2)
    closed: list[bool] = []
    watch.track(lambda: closed.append(True))
    assert watch.check() == "the database did not answer within 0.2 s"
    assert closed == [True]
    release.set()
    asyncio.run(watch.stop())
