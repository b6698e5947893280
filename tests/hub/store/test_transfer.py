"""`zuoxi-hub migrate`: upgrading in place, and moving a SQLite hub onto PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from core.protocol.models import Presence
from hub.store import schema
from hub.store.base import create_engine
from hub.store.store import Store
from hub.store.transfer import digests
from tests.support.databases import DatabaseMaker

ROOT = Path(__file__).resolve().parents[3]


def _hub_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )


def _value(column: sa.Column[Any], table: sa.Table, conn: sa.Connection) -> Any:
    """A value for ``column`` of a row made up for a table the demo leaves empty."""
    for fk in column.foreign_keys:
        return conn.execute(sa.select(fk.column).limit(1)).scalar_one()
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):  # BigInteger too
        return 1_700_000_000_123 if isinstance(kind, sa.BigInteger) else 42
    if isinstance(kind, sa.Float):
        return 4.25
    if isinstance(kind, sa.LargeBinary):
        return bytes(range(256))  # every byte value, NUL included
    text = f"{table.name}.{column.name} 坐席 ✓ 'quoted' %_"
    length = getattr(kind, "length", None)
    return text[:length] if length else text


def _fill_empty_tables(db: str) -> None:
    """One row in every table the demo seed leaves empty (email, calls, offers…, and
    any table a later migration adds), so the copy is checked on every table."""
    engine = create_engine(db)
    with engine.begin() as conn:
        for table in schema.metadata.sorted_tables:
            if table.name == "schema_migrations":
                continue
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                continue
            conn.execute(table.insert().values(
                {c.name: _value(c, table, conn) for c in table.columns}))
    engine.dispose()


def _seeded_sqlite(tmp_path: Path) -> str:
    db = str(tmp_path / "old.sqlite3")
    seeded = _hub_cli("seed", "--db", db, "--customers", "25")
    assert seeded.returncode == 0, seeded.stderr
    store = Store(create_engine(db))
    lina = store.agent_by_username("lina")
    assert lina is not None
    for presence in (Presence.AVAILABLE, Presence.AWAY, Presence.AVAILABLE):
        store.set_presence(lina.id, presence)  # events with sequence numbers
    store.engine.dispose()
    _fill_empty_tables(db)
    return db


def test_a_seeded_sqlite_hub_moves_to_postgresql_whole(
    tmp_path: Path, postgres_dbs: DatabaseMaker
) -> None:
    source = _seeded_sqlite(tmp_path)
    target = postgres_dbs.new("moved", migrated=False)
    moved = _hub_cli("migrate", "--from", f"sqlite:///{source}", "--db", target)
    assert moved.returncode == 0, moved.stderr
    assert "every table's row count and digest equal" in moved.stdout

    before = digests(create_engine(source))
    after = digests(create_engine(target))
    assert set(before) == {t.name for t in schema.metadata.sorted_tables} - {"schema_migrations"}
    assert all(d.rows > 0 for d in before.values()), before
    assert after == before

    # The moved hub carries on: its agents' streams continue where they were.
    store = Store(create_engine(target))
    lina = store.agent_by_username("lina")
    assert lina is not None
    head = store.head_seq(lina.id)
    assert head >= 3
    store.set_presence(lina.id, Presence.AWAY)
    assert [e.seq for e in store.events_after(lina.id, head - 1, 10)] == [head, head + 1]
    store.engine.dispose()


def test_a_target_with_data_is_refused_and_kept(
    tmp_path: Path, postgres_dbs: DatabaseMaker
) -> None:
    source = _seeded_sqlite(tmp_path)
    target = postgres_dbs.new("busy", migrated=True)
    store = Store(create_engine(target))
    store.create_agent("keep", "Keep Me", "h")
    kept = digests(store.engine)
    refused = _hub_cli("migrate", "--from", source, "--db", target)
    assert refused.returncode == 2
    assert "already holds data (in agents)" in refused.stderr
    assert digests(store.engine) == kept
    store.engine.dispose()


def test_an_older_source_is_refused_until_migrated(
    tmp_path: Path, postgres_dbs: DatabaseMaker
) -> None:
    source = str(tmp_path / "v3.sqlite3")
    engine = create_engine(source)
    schema.migrate(engine, target=3)
    engine.dispose()
    target = postgres_dbs.new("fresh", migrated=False)
    refused = _hub_cli("migrate", "--from", source, "--db", target)
    assert refused.returncode == 2 and "schema version 3" in refused.stderr
    assert _hub_cli("migrate", "--db", source).returncode == 0
    moved = _hub_cli("migrate", "--from", source, "--db", target)
    assert moved.returncode == 0, moved.stderr


def test_a_row_the_target_cannot_hold_stops_the_copy_with_nothing_written(
    tmp_path: Path, postgres_dbs: DatabaseMaker
) -> None:
    """SQLite does not enforce a column's length; PostgreSQL does. The copy names
    the table and leaves the target empty (and the source as it was)."""
    source = _seeded_sqlite(tmp_path)
    engine = create_engine(source)
    with engine.begin() as conn:
        conn.execute(schema.queues.insert().values(id="q" * 100, name="Too long", channel="chat"))
    kept = digests(engine)
    target = postgres_dbs.new("strict", migrated=False)
    refused = _hub_cli("migrate", "--from", source, "--db", target)
    assert refused.returncode == 2
    assert "table queues: the target refused a row" in refused.stderr
    assert digests(engine) == kept
    assert all(d.rows == 0 for d in digests(create_engine(target)).values())
    engine.dispose()


def test_migrate_upgrades_a_database_in_place(databases: DatabaseMaker) -> None:
    db = databases.new("old", migrated=False)
    engine = create_engine(db)
    schema.migrate(engine, target=3)
    store = Store(engine)
    agent = store.create_agent("old", "Old", "h")
    engine.dispose()
    upgraded = _hub_cli("migrate", "--db", db)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"from version 3 to {schema.LATEST_VERSION}" in upgraded.stdout
    again = _hub_cli("migrate", "--db", db)
    assert f"already at version {schema.LATEST_VERSION}" in again.stdout
    engine = create_engine(db)
    with engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST_VERSION
        assert sa.inspect(conn).has_table("offers")
    assert Store(engine).agent_info(agent).username == "old"
    engine.dispose()
