"""The audit log: who did what to which customer or conversation, and when.

Append-only with a hash chain. Row ``n`` stores the hash of row ``n - 1``
(``prev_hash``) and its own ``hash``: SHA-256 over a canonical encoding of its
fields and ``prev_hash``. One row, ``audit_head``, holds the chain's end; a
writer updates it first, so on PostgreSQL the row lock makes writers of every
hub process take turns, and on SQLite the first write takes the database's write
lock. Ids are the head's count plus one: gap-free, so a deleted row is a gap.

A row is written with the connection of the unit of work in progress
(hub.store.database), so it commits with the action it records or not at all;
a duplicate command answered from the ops table writes nothing.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from hub.store import schema as t
from hub.store.base import now_ms
from hub.store.database import Database

GENESIS = t.AUDIT_GENESIS


class AuditAction(enum.StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    AGENT_CREATED = "agent_created"
    ROLE_CHANGED = "role_changed"
    ROLES_DEFINED = "roles_defined"
    REFUSED = "refused"  # a frame or request the role does not allow
    PROFILE_EDITED = "profile_edited"
    NOTE_ADDED = "note_added"
    NOTE_EDITED = "note_edited"
    IDENTITY_ADDED = "identity_added"
    IDENTITY_REMOVED = "identity_removed"
    MERGED = "merged"
    UNMERGED = "unmerged"
    TRANSFERRED = "transferred"
    CALL_TRANSFERRED = "call_transferred"
    PICKED = "picked"
    VISIT_RECORDED = "visit_recorded"
    TRANSCRIPT_VIEWED = "transcript_viewed"
    CUSTOMER_VIEWED = "customer_viewed"
    FIELD_REVEALED = "field_revealed"  # a sensitive attribute shown in full
    EMAIL_SENT = "email_sent"
    RAW_MAIL_DOWNLOADED = "raw_mail_downloaded"
    RECORDING_FETCHED = "recording_fetched"  # a call recording played or downloaded
    ATTACHMENT_DOWNLOADED = "attachment_downloaded"
    REPORT_MADE = "report_made"
    REPORT_DOWNLOADED = "report_downloaded"
    MONITORED = "monitored"
    MONITOR_STOPPED = "monitor_stopped"
    WHISPERED = "whispered"
    BARGED_IN = "barged_in"
    REASSIGNED = "reassigned"
    AGENT_STATE_SET = "agent_state_set"
    CALL_LISTENED = "call_listened"
    QA_REVIEWED = "qa_reviewed"
    KB_PUBLISHED = "kb_published"
    REACHED_OUT = "reached_out"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: int
    actor: str
    action: str
    customer_id: str | None
    conversation_id: str | None
    target: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
            "customer_id": self.customer_id, "conversation_id": self.conversation_id,
            "target": self.target, "detail": self.detail, "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def row_hash(id_: int, at: int, actor: str, action: str, customer_id: str | None,
             conversation_id: str | None, target: str | None, detail: str,
             prev_hash: str) -> str:
    """SHA-256 over the row's canonical encoding: a JSON array of its fields in a
    fixed order (``detail`` as stored), UTF-8, no whitespace."""
    encoded = json.dumps(
        [id_, at, actor, action, customer_id, conversation_id, target, detail, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _detail_text(detail: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), default=str)


def append(conn: Connection, actor: str, action: AuditAction | str, *,
           customer_id: str | None = None, conversation_id: str | None = None,
           target: str | None = None, detail: Mapping[str, Any] | None = None,
           at: int | None = None) -> int:
    """Write one row in ``conn``'s transaction; returns its id."""
    head = t.audit_head
    step = head.update().where(head.c.id == 1).values(last_id=head.c.last_id + 1) \
        .returning(head.c.last_id, head.c.last_hash)
    moved = conn.execute(step).first()
    if moved is None:  # the first row ever: make the head, then take it
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(insert(head).values(id=1, last_id=0, last_hash=GENESIS)
                     .on_conflict_do_nothing(index_elements=["id"]))
        moved = conn.execute(step).first()
        assert moved is not None
    new_id, prev = int(moved.last_id), str(moved.last_hash)
    when = now_ms() if at is None else at
    text = _detail_text(detail)
    actor = actor[:120]
    action = str(action)
    digest = row_hash(new_id, when, actor, action, customer_id, conversation_id, target,
                      text, prev)
    conn.execute(t.audit_log.insert().values(
        id=new_id, at=when, actor=actor, action=action, customer_id=customer_id,
        conversation_id=conversation_id, target=target, detail=text, prev_hash=prev,
        hash=digest))
    conn.execute(head.update().where(head.c.id == 1).values(last_hash=digest))
    return new_id


class AuditLog:
    """Writes rows in the unit of work in progress (or a transaction of their own)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, actor: str, action: AuditAction | str, *,
               customer_id: str | None = None, conversation_id: str | None = None,
               target: str | None = None, detail: Mapping[str, Any] | None = None) -> int:
        with self.db.begin() as conn:
            return append(conn, actor, action, customer_id=customer_id,
                          conversation_id=conversation_id, target=target, detail=detail)


def _entry(row: Any) -> AuditEntry:
    try:
        detail = json.loads(row.detail)
    except ValueError:
        detail = {"unreadable": row.detail}
    return AuditEntry(int(row.id), int(row.at), row.actor, row.action, row.customer_id,
                      row.conversation_id, row.target, detail if isinstance(detail, dict)
                      else {"value": detail}, row.prev_hash, row.hash)


def query(conn: Connection, since: int | None = None, actor: str | None = None,
          customer_id: str | None = None, action: str | None = None,
          limit: int | None = None) -> list[AuditEntry]:
    a = t.audit_log.c
    q = sa.select(t.audit_log).order_by(a.id)
    if since is not None:
        q = q.where(a.at >= since)
    if actor is not None:
        q = q.where(a.actor == actor)
    if customer_id is not None:
        q = q.where(a.customer_id == customer_id)
    if action is not None:
        q = q.where(a.action == action)
    if limit is not None:
        q = q.limit(limit)
    return [_entry(r) for r in conn.execute(q)]


@dataclass(frozen=True)
class VerifyResult:
    rows: int
    bad_id: int | None = None  # the first row that does not verify
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_id is None and not self.problem


def _rows(conn: Connection) -> Iterator[Any]:
    result = conn.execution_options(yield_per=5000).execute(
        sa.select(t.audit_log).order_by(t.audit_log.c.id))
    yield from result


def verify(conn: Connection) -> VerifyResult:
    """Walk the chain from the first row: each id one more than the last, each
    ``prev_hash`` the previous row's hash, each hash recomputed; the head names the
    last row. The first row that fails is named."""
    expected_id, prev, count = 1, GENESIS, 0
    for row in _rows(conn):
        count += 1
        if int(row.id) != expected_id:
            missing = "missing" if int(row.id) > expected_id else "out of order"
            return VerifyResult(count, int(row.id),
                                f"row {expected_id} is {missing} before row {row.id}")
        if row.prev_hash != prev:
            return VerifyResult(count, int(row.id),
                                f"row {row.id} does not follow row {expected_id - 1} "
                                "(its prev_hash differs: a row before it was changed, "
                                "removed or inserted)")
        digest = row_hash(int(row.id), int(row.at), row.actor, row.action, row.customer_id,
                          row.conversation_id, row.target, row.detail, row.prev_hash)
        if digest != row.hash:
            return VerifyResult(count, int(row.id),
                                f"row {row.id} was changed (its hash does not match)")
        prev = row.hash
        expected_id += 1
    head = conn.execute(sa.select(t.audit_head).where(t.audit_head.c.id == 1)).first()
    last_id, last_hash = (0, GENESIS) if head is None else (int(head.last_id), head.last_hash)
    if last_id < expected_id - 1:  # rows beyond the end the head knows
        return VerifyResult(count, last_id + 1,
                            f"row {last_id + 1} was added behind the log's back (the chain's "
                            f"head ends at row {last_id})")
    if last_id == expected_id - 1 and last_hash != prev:
        return VerifyResult(count, last_id, f"row {last_id} was changed (the chain's head "
                            "holds another hash for it)")
    if last_id != expected_id - 1:
        return VerifyResult(count, expected_id,
                            f"the chain's head names row {last_id} but the log ends at row "
                            f"{expected_id - 1}: rows at the end were removed or changed")
    return VerifyResult(count)
