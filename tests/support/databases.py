"""The hub's two databases for tests: a SQLite file, or a fresh PostgreSQL database.

One PostgreSQL cluster serves the whole test session (testbed.pg_cluster). A
database made at first use and migrated to the latest schema is the template of
each test's own database (``CREATE DATABASE … TEMPLATE``, a file copy: about a
tenth of a second, where migrating takes longer). Each test's databases are
dropped when it ends.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from hub.store import schema
from hub.store.base import create_engine
from testbed.pg_cluster import ClusterError, PostgresCluster

BACKENDS = ("sqlite", "postgresql")
TEMPLATE = "zx_migrated"


class PostgresDatabases:
    """Databases in one session-wide cluster, started at first use."""

    def __init__(self) -> None:
        self.cluster: PostgresCluster | None = None
        self._template_ready = False
        self._numbers = itertools.count(1)

    def ensure_started(self) -> PostgresCluster:
        if self.cluster is None:
            cluster = PostgresCluster()
            try:
                cluster.start()
            except ClusterError:
                cluster.stop()
                raise
            self.cluster = cluster
        return self.cluster

    def _template(self) -> None:
        if self._template_ready:
            return
        cluster = self.ensure_started()
        cluster.execute(f"CREATE DATABASE {TEMPLATE}")
        engine = create_engine(cluster.url(TEMPLATE))
        try:
            schema.migrate(engine)
        finally:
            engine.dispose()
        self._template_ready = True

    def create(self, label: str, migrated: bool) -> tuple[str, str]:
        """(name, URL) of a new database: empty, or at the latest schema version."""
        cluster = self.ensure_started()
        name = f"t{next(self._numbers)}_{''.join(c for c in label.lower() if c.isalnum())[:20]}"
        if migrated:
            self._template()
            cluster.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        else:
            cluster.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return name, cluster.url(name)

    def drop(self, name: str) -> None:
        if self.cluster is not None:
            self.cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
            self.cluster = None


class DatabaseMaker:
    """One test's databases on one backend; ``new`` makes each, ``close`` drops them."""

    def __init__(self, backend: str, tmp_path: Path, postgres: PostgresDatabases | None) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.postgres = postgres
        self._made: list[str] = []

    def new(self, label: str = "hub", migrated: bool = True) -> str:
        """A database nobody used: a SQLite file path, or a PostgreSQL URL.

        ``migrated`` lets PostgreSQL start from the migrated template (the hub
        migrates a SQLite file itself when it opens it, so there it changes nothing);
        False gives an empty database for tests of the migrations themselves."""
        if self.backend == "sqlite":
            folder = self.tmp_path / "db"
            folder.mkdir(exist_ok=True)
            return str(folder / f"{label}.sqlite3")
        assert self.postgres is not None
        name, url = self.postgres.create(label, migrated)
        self._made.append(name)
        return url

    def close(self) -> None:
        if self.postgres is not None:
            for name in self._made:
                self.postgres.drop(name)


def postgres_required() -> bool:
    """``./dev test`` sets this: there, a missing PostgreSQL fails instead of skipping."""
    return os.environ.get("ZUOXI_REQUIRE_POSTGRES") == "1"
