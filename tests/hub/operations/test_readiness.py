"""Readiness: the database answers and, where there is a bus, its wake-ups arrive."""

from __future__ import annotations

from pathlib import Path

from hub.operations.readiness import Readiness
from hub.store.base import create_engine


def test_ready_when_the_database_answers_and_no_bus_is_needed(tmp_path: Path) -> None:
    assert Readiness(create_engine(tmp_path / "hub.sqlite3")).problems() == {}


def test_an_unreachable_database_is_named(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "missing-directory" / "hub.sqlite3")
    problems = Readiness(engine).problems()
    assert list(problems) == ["database"]
    assert "unable to open database" in problems["database"]


def test_a_bus_that_is_not_listening_is_named(tmp_path: Path) -> None:
    listening = [False]
    readiness = Readiness(create_engine(tmp_path / "hub.sqlite3"), lambda: listening[0])
    assert list(readiness.problems()) == ["bus"]
    assert "LISTEN" in readiness.problems()["bus"]
    listening[0] = True
    assert readiness.problems() == {}
