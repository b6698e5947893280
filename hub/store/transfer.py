"""Moving a hub's data to another database (e.g. a SQLite hub onto PostgreSQL).

Both databases hold the same schema (the same numbered migrations made both), so
the copy is table by table in dependency order, every column as it is: ids stay
ids, event sequence numbers stay what agents' caches hold. The target must be
empty, the whole copy is one transaction on it, sequences behind integer keys
continue after the copied rows, and each table's row count and digest are
compared afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hub.store import schema

BATCH_ROWS = 1000


class TransferError(RuntimeError):
    """The copy was refused or failed; nothing was written to the target."""


@dataclass(frozen=True)
class TableDigest:
    rows: int
    digest: str


def _tables() -> list[sa.Table]:
    # schema_migrations is the target's own (migrating it wrote the same versions).
    return [t for t in schema.metadata.sorted_tables if t.name != "schema_migrations"]


def _canonical(value: Any) -> bytes:
    if value is None:
        return b"N"
    if isinstance(value, bool):
        return b"T" if value else b"F"
    if isinstance(value, int):
        return b"I" + str(value).encode()
    if isinstance(value, float):
        return b"R" + value.hex().encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return b"B" + bytes(value)
    return b"S" + str(value).encode("utf-8", "surrogatepass")


def table_digest(conn: Connection, table: sa.Table) -> TableDigest:
    """Row count and an order-independent digest of every row's values.

    Each row hashes on its own and the hashes add up (mod 2^256): no sort, so it
    streams through any size and does not depend on either database's collation."""
    total = rows = 0
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(sa.select(table))
    for row in result:
        h = hashlib.sha256()
        for value in row:
            part = _canonical(value)
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
        total = (total + int.from_bytes(h.digest(), "big")) % (1 << 256)
        rows += 1
    return TableDigest(rows, f"{total:064x}")


def digests(engine: Engine) -> dict[str, TableDigest]:
    """Every hub table's row count and digest."""
    with engine.connect() as conn:
        return {t.name: table_digest(conn, t) for t in _tables()}


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return schema.current_version(conn)


def _non_empty(conn: Connection) -> list[str]:
    have = set(sa.inspect(conn).get_table_names())
    return [
        t.name for t in _tables()
        if t.name in have and conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1))
        .first() is not None
    ]


def _reset_sequences(conn: Connection, table: sa.Table) -> None:
    """Let PostgreSQL's sequence behind an integer key continue after the copied rows."""
    if conn.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        if not isinstance(column.type, sa.Integer):
            continue
        sequence = conn.execute(
            sa.select(sa.func.pg_get_serial_sequence(table.name, column.name))
        ).scalar()
        if sequence is None:
            continue
        highest = conn.execute(sa.select(sa.func.max(column))).scalar()
        conn.execute(sa.select(sa.func.setval(
            sequence, highest if highest is not None else 1, highest is not None)))


def copy_database(
    source: Engine, target: Engine, say: Callable[[str], None] | None = None
) -> dict[str, TableDigest]:
    """Copy every hub table from ``source`` into the empty ``target``; returns the
    digests, equal on both sides (else TransferError, and the target is rolled back)."""
    tell = say or (lambda _line: None)
    have = _version(source)
    if have != schema.LATEST_VERSION:
        raise TransferError(
            f"the source database is at schema version {have}, this hub at "
            f"{schema.LATEST_VERSION}: run `zuoxi-hub migrate --db <source>` first"
        )
    schema.migrate(target)
    with target.connect() as conn:
        filled = _non_empty(conn)
    if filled:
        raise TransferError(
            "the target database already holds data (in " + ", ".join(filled) + "): "
            "give an empty database"
        )
    with source.connect() as src, target.begin() as dst:
        for table in _tables():
            copied = 0
            result = src.execution_options(yield_per=BATCH_ROWS).execute(sa.select(table))
            for batch in result.mappings().partitions(BATCH_ROWS):
                try:
                    dst.execute(table.insert(), [dict(r) for r in batch])
                except sa.exc.DBAPIError as exc:
                    raise TransferError(
                        f"table {table.name}: the target refused a row ({exc.orig}); "
                        "nothing was copied"
                    ) from exc
                copied += len(batch)
            _reset_sequences(dst, table)
            tell(f"{table.name}: {copied} rows")
        # Checked inside the transaction: a difference leaves the target empty.
        before = {t.name: table_digest(src, t) for t in _tables()}
        after = {t.name: table_digest(dst, t) for t in _tables()}
        differ = [name for name in before if before[name] != after[name]]
        if differ:
            raise TransferError("copied tables differ from the source: " + ", ".join(differ))
    return after
