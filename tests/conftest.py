"""Shared fixtures: real hub processes on free loopback ports, over either database.

A test that asks for ``databases``, ``hub_db`` or ``make_hub`` runs once per
backend (SQLite and PostgreSQL) when it lives under tests/hub or is marked
``postgresql``; elsewhere, or when marked ``sqlite_only``, it runs on SQLite.
``ZUOXI_TEST_BACKENDS=postgresql`` (or ``sqlite,postgresql``) runs every such test
(the desktop's too) on exactly those backends.

``ZUOXI_TEST_CACHE=encrypted`` runs every desktop cache file a test opens without a
key encrypted (SQLCipher) under a key of its own (``tests/support/cache_files.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.cache.cipher import CacheKey
from hub.process import HubProcess
from testbed.pg_cluster import ClusterError
from tests.support import cache_files
from tests.support.databases import (
    BACKENDS,
    DatabaseMaker,
    PostgresDatabases,
    postgres_required,
)

__all__ = ["HubProcess"]


@pytest.fixture(autouse=True)
def cache_encryption(monkeypatch: pytest.MonkeyPatch,
                     request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``ZUOXI_TEST_CACHE=encrypted``, a keyless cache file is opened keyed."""
    if cache_files.mode() != "encrypted" or request.node.get_closest_marker("plain_cache"):
        yield
        return
    from core.cache.cache import Cache

    original = Cache.__init__

    def keyed(self: Cache, path: str | Path, key: CacheKey | None = None) -> None:
        original(self, path, key if key is not None else cache_files.test_key(path))

    monkeypatch.setattr(Cache, "__init__", keyed)
    yield
    cache_files.forget()

_TESTS = Path(__file__).resolve().parent


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    chosen = [b for b in os.environ.get("ZUOXI_TEST_BACKENDS", "").split(",") if b]
    if chosen:
        unknown = set(chosen) - set(BACKENDS)
        if unknown:
            raise pytest.UsageError(f"ZUOXI_TEST_BACKENDS: unknown {sorted(unknown)}")
        metafunc.parametrize("db_backend", chosen, indirect=True)
        return
    under_hub = (_TESTS / "hub") in Path(str(metafunc.definition.path)).parents
    if under_hub or metafunc.definition.get_closest_marker("postgresql"):
        metafunc.parametrize("db_backend", BACKENDS, indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql`` (see the module's docstring for which tests get both)."""
    backend: str = getattr(request, "param", "sqlite")
    return backend


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    """The session's PostgreSQL cluster, started when a test first needs it."""
    databases = PostgresDatabases()
    yield databases
    databases.stop()


def _maker(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> DatabaseMaker:
    postgres = None
    if backend == "postgresql":
        postgres = request.getfixturevalue("postgres_databases")
        try:
            postgres.ensure_started()
        except ClusterError as exc:
            if postgres_required():
                pytest.fail(f"PostgreSQL is needed here: {exc}")
            pytest.skip(f"no PostgreSQL server: {exc}")
    return DatabaseMaker(backend, tmp_path, postgres)


@pytest.fixture
def databases(
    db_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[DatabaseMaker]:
    """Fresh databases on the test's backend."""
    maker = _maker(db_backend, tmp_path, request)
    yield maker
    maker.close()


@pytest.fixture
def postgres_dbs(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DatabaseMaker]:
    """Fresh PostgreSQL databases, whatever the test's backend (moving data, several
    hub processes on one database)."""
    maker = _maker("postgresql", tmp_path, request)
    yield maker
    maker.close()


@pytest.fixture
def hub_db(databases: DatabaseMaker) -> str:
    """A fresh hub database: a SQLite file path or a PostgreSQL URL."""
    return databases.new()


@pytest.fixture
def make_hub(
    tmp_path: Path, databases: DatabaseMaker
) -> Iterator[Callable[..., HubProcess]]:
    """Start hubs with extra ``zuoxi-hub serve`` flags; all are stopped afterwards.
    Each name gets its own database, unless ``db`` names one to share."""
    started: list[HubProcess] = []

    def start(*extra_args: str, name: str = "hub", db: str | None = None) -> HubProcess:
        workdir = tmp_path / name
        if db is None:
            db = (
                str(workdir / "hub.sqlite3")
                if databases.backend == "sqlite"
                else databases.new(name)
            )
        proc = HubProcess(db_path=db, workdir=workdir, extra_args=list(extra_args))
        proc.start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
        if os.environ.get("ZUOXI_SHOW_HUB_LOG"):
            print(proc.log_text())


@pytest.fixture
def hub(make_hub: Callable[..., HubProcess]) -> HubProcess:
    return make_hub()
