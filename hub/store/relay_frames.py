"""Frames that travel between hub processes through the database (PostgreSQL).

A frame for a customer's widget (or an agent's call signalling) is written here in
the transaction that made it, with ``NOTIFY zuoxi_frames`` carrying only the row's
id: a frame may be larger than NOTIFY's 8,000-byte payload (an SDP alone is up to
12,000 characters), and a process whose listening connection dropped reads what it
missed from here. Rows are kept for ``KEEP_MS`` and then deleted by any process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from hub.store import schema as t
from hub.store.base import FRAMES_CHANNEL, now_ms
from hub.store.database import Database

KEEP_MS = 10 * 60 * 1000  # far longer than any listening gap the catch-up covers


@dataclass(frozen=True)
class RelayFrame:
    id: int
    target: str  # "customer" or "agent"
    owner: str
    frame: str
    made_at: int


class RelayFrames:
    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, target: str, owner: str, frame: str, origin: str,
            extra: dict[str, str] | None = None, kind: str = "relay") -> int:
        """Store the frame and announce it, with the unit of work in progress (if
        any): the hint goes out when the frame commits, never for one rolled back."""
        f = t.relay_frames.c
        with self.db.begin() as conn:
            row_id = conn.execute(
                t.relay_frames.insert().values(
                    target=target, owner=owner, frame=frame, origin=origin, made_at=now_ms())
                .returning(f.id)).scalar_one()
            hint = {"from": origin, "kind": kind, "to": target, "owner": owner,
                    "id": int(row_id), **(extra or {})}
            conn.execute(sa.select(sa.func.pg_notify(FRAMES_CHANNEL, json.dumps(hint))))
        return int(row_id)

    def get(self, row_id: int) -> RelayFrame | None:
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.relay_frames)
                               .where(t.relay_frames.c.id == row_id)).first()
        return None if row is None else _frame(row)

    def since(self, target: str, owners: Iterable[str], made_after: int,
              origin_not: str) -> list[RelayFrame]:
        """Frames for ``owners`` made after ``made_after`` by other processes, oldest
        first."""
        owners = list(owners)
        if not owners:
            return []
        f = t.relay_frames.c
        found: list[RelayFrame] = []
        with self.db.connect() as conn:
            for start in range(0, len(owners), 500):
                rows = conn.execute(
                    sa.select(t.relay_frames)
                    .where(f.target == target, f.owner.in_(owners[start:start + 500]),
                           f.made_at > made_after, f.origin != origin_not)).all()
                found.extend(_frame(r) for r in rows)
        return sorted(found, key=lambda r: r.id)

    def prune(self, before: int) -> int:
        with self.db.begin() as conn:
            result = conn.execute(
                t.relay_frames.delete().where(t.relay_frames.c.made_at < before))
        return int(result.rowcount or 0)


def _frame(row: sa.Row[object]) -> RelayFrame:
    return RelayFrame(int(row.id), str(row.target), str(row.owner), str(row.frame),
                      int(row.made_at))
