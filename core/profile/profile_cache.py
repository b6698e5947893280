"""Customer records in the cache: the full profile, notes, merges, search index.

Functions over the cache's database (sqlite-utils); ``Cache`` and the outbox call
them inside their transactions. The hub's record is the truth for everything but
what the agent wrote here and the hub has not confirmed yet (pending notes), which
a newer record must never wipe out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from sqlite_utils import Database

from core.protocol.models import (
    Channel,
    ConversationStatus,
    Customer,
    Identity,
    IdentityKind,
    Note,
)
from core.protocol.profile import AttributeDefinition, ProfileConfig
from core.records import (
    ContactPoint,
    CustomerProfile,
    MergeRecord,
    NoteRecord,
    NoteState,
    PastConversation,
)

_record_decoder = msgspec.json.Decoder(Customer)
_config_decoder = msgspec.json.Decoder(ProfileConfig)

IDENTITY_KINDS = frozenset(k.value for k in IdentityKind)
PROFILE_CONFIG_KEY = "profile_config"


def phone_digits(value: str) -> str:
    """Digits of a phone number; an international "00" prefix is dropped."""
    digits = re.sub(r"\D", "", value)
    return digits[2:] if digits.startswith("00") else digits


def _run(db: Database, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    conn = db.conn
    return conn.execute(sql, params) if conn.in_transaction else db.execute(sql, params)


# ---- storing -------------------------------------------------------------------------


def store_customer(db: Database, customer: Customer, *, with_notes: bool = True) -> None:
    """The hub's whole record of a customer (the caller holds the transaction).

    ``with_notes=False`` leaves the notes table alone (a local edit of the record).
    """
    record = msgspec.structs.replace(customer, notes=[])
    _run(
        db,
        "INSERT INTO customers (id, name, language, tier, tags, record) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name=excluded.name, language=excluded.language, "
        "tier=excluded.tier, tags=excluded.tags, record=excluded.record",
        [customer.id, customer.name, customer.language, customer.tier,
         json.dumps(customer.tags, ensure_ascii=False), msgspec.json.encode(record).decode()],
    )
    _run(db, "DELETE FROM customer_tags WHERE customer_id=?", [customer.id])
    db.conn.executemany(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)",
        [(customer.id, tag) for tag in dict.fromkeys(customer.tags)],
    )
    _run(db, "DELETE FROM identities WHERE customer_id=?", [customer.id])
    db.conn.executemany(
        "INSERT OR IGNORE INTO identities (customer_id, kind, value, verified, digits) "
        "VALUES (?, ?, ?, ?, ?)",
        [(customer.id, i.kind.value, i.value, 1 if i.verified else 0,
          phone_digits(i.value) if i.kind is IdentityKind.PHONE else None)
         for i in customer.identities],
    )
    if with_notes:
        store_notes(db, customer.id, customer.notes)
    index_customer(db, customer.id)


# A customer record carries the newest notes only, this many at most.
RECORD_NOTES_LIMIT = 50


def store_notes(db: Database, customer_id: str, notes: Iterable[Note]) -> None:
    """Bring the synced notes of a customer in line with a record from the hub.

    Pending and failed notes stay. A record with fewer than RECORD_NOTES_LIMIT notes
    is the whole list; a full one covers only its newest notes, so older ones the
    cache holds are kept.
    """
    notes = list(notes)
    keep = [n.id for n in notes]
    window_start = (
        min(n.created_at for n in notes) if len(notes) >= RECORD_NOTES_LIMIT else 0
    )
    _run(
        db,
        "DELETE FROM notes WHERE customer_id=? AND state=? AND created_at>=? "
        f"AND id NOT IN ({', '.join('?' * len(keep))})",
        [customer_id, NoteState.SYNCED.value, window_start, *keep],
    )
    db.conn.executemany(
        "INSERT INTO notes (id, customer_id, text, created_at, author_id, author_name, "
        "updated_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(id) DO UPDATE SET "
        "customer_id=excluded.customer_id, text=excluded.text, author_id=excluded.author_id, "
        "author_name=excluded.author_name, updated_at=excluded.updated_at, "
        "created_at=excluded.created_at WHERE state=0",
        [(n.id, customer_id, n.text, n.created_at, n.author_id, n.author_name, n.updated_at)
         for n in notes],
    )


def index_customer(db: Database, customer_id: str) -> None:
    """Rewrite the customer's row of the search index (name, contact points, digits)."""
    row = _run(db, "SELECT rowid, COALESCE(name, '') FROM customers WHERE id=?",
               [customer_id]).fetchone()
    if row is None:
        return
    handles = " ".join(
        value + (" " + digits if digits else "")
        for value, digits in _run(
            db, "SELECT value, digits FROM identities WHERE customer_id=? AND kind != ?",
            [customer_id, IdentityKind.VISITOR.value],
        ).fetchall()
    )
    _run(db, "DELETE FROM customer_fts WHERE rowid=?", [row[0]])
    _run(db, "INSERT INTO customer_fts (rowid, name, handles) VALUES (?, ?, ?)",
         [row[0], row[1], handles])


def drop_customer(db: Database, customer_id: str) -> None:
    """A customer that no longer exists (merged away): its own rows go."""
    row = _run(db, "SELECT rowid FROM customers WHERE id=?", [customer_id]).fetchone()
    if row is not None:
        _run(db, "DELETE FROM customer_fts WHERE rowid=?", [row[0]])
    for table in ("identities", "customer_tags", "timeline_ends"):
        _run(db, f"DELETE FROM {table} WHERE customer_id=?", [customer_id])
    _run(db, "DELETE FROM customers WHERE id=?", [customer_id])


def store_profile_config(db: Database, config: ProfileConfig) -> bool:
    """Returns whether it changed."""
    raw = msgspec.json.encode(config).decode()
    old = _run(db, "SELECT value FROM sync_state WHERE key=?", [PROFILE_CONFIG_KEY]).fetchone()
    if old is not None and old[0] == raw:
        return False
    _run(db, "INSERT INTO sync_state (key, value) VALUES (?, ?) "
         "ON CONFLICT(key) DO UPDATE SET value=excluded.value", [PROFILE_CONFIG_KEY, raw])
    return True


def profile_config(db: Database) -> ProfileConfig:
    row = _run(db, "SELECT value FROM sync_state WHERE key=?", [PROFILE_CONFIG_KEY]).fetchone()
    if row is not None:
        try:
            return _config_decoder.decode(row[0])
        except msgspec.ValidationError:
            pass
    return ProfileConfig(attributes=[])


def attribute_definitions(db: Database) -> list[AttributeDefinition]:
    return profile_config(db).attributes


# ---- reading -------------------------------------------------------------------------


def customer_record(db: Database, customer_id: str) -> Customer | None:
    """The last record the hub sent (notes live in their own table)."""
    row = _run(db, "SELECT record FROM customers WHERE id=?", [customer_id]).fetchone()
    if row is None or not row[0]:
        return None
    try:
        return _record_decoder.decode(row[0])
    except msgspec.ValidationError:
        return None


def notes(db: Database, customer_id: str) -> tuple[NoteRecord, ...]:
    return tuple(
        NoteRecord(r[0], r[1], r[2], r[3], r[4], r[5], NoteState(r[6]), r[7])
        for r in _run(
            db,
            "SELECT id, customer_id, text, created_at, author_name, updated_at, state, error "
            "FROM notes WHERE customer_id=? ORDER BY created_at DESC, id DESC",
            [customer_id],
        ).fetchall()
    )


def merges_into(db: Database, customer_id: str) -> tuple[MergeRecord, ...]:
    return tuple(
        MergeRecord(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5])
        for r in _run(
            db,
            "SELECT id, source_id, target_id, source_name, conversation_ids, merged_at "
            "FROM merges WHERE target_id=? ORDER BY merged_at DESC",
            [customer_id],
        ).fetchall()
    )


def pending_identities(db: Database, customer_id: str) -> list[ContactPoint]:
    """Contact points the agent added that wait in the outbox for the hub."""
    points = []
    for (payload,) in _run(
        db, "SELECT payload FROM outbox WHERE kind='add_identity' ORDER BY rowid"
    ).fetchall():
        data = json.loads(payload)
        kind = data.get("kind")
        if data.get("customer_id") == customer_id and kind in IDENTITY_KINDS:
            points.append(ContactPoint(IdentityKind(kind), str(data["value"]),
                                       verified=False, pending=True))
    return points


def customer_profile(db: Database, customer_id: str, recent: int) -> CustomerProfile | None:
    row = _run(
        db, "SELECT id, name, language, tier, tags, record FROM customers WHERE id=?",
        [customer_id],
    ).fetchone()
    if row is None:
        return None
    rows = _run(
        db, "SELECT kind, value, verified FROM identities WHERE customer_id=? "
        "ORDER BY kind, value", [customer_id],
    ).fetchall()
    points = [
        ContactPoint(IdentityKind(kind), value, bool(verified))
        for kind, value, verified in rows
        if kind in IDENTITY_KINDS
    ]
    known = {(p.kind, p.value) for p in points}
    points += [p for p in pending_identities(db, customer_id) if (p.kind, p.value) not in known]
    past = tuple(
        PastConversation(r[0], Channel(r[1]), ConversationStatus(r[2]), r[3], r[4])
        for r in _run(
            db,
            "SELECT id, channel, status, created_at, last_text FROM conversations "
            "WHERE customer_id=? ORDER BY created_at DESC LIMIT ?",
            [customer_id, recent],
        ).fetchall()
    )
    try:
        tags = tuple(str(t) for t in json.loads(row[4] or "[]"))
    except ValueError:
        tags = ()
    record = None
    if row[5]:
        try:
            record = _record_decoder.decode(row[5])
        except msgspec.ValidationError:
            record = None
    identities = tuple(Identity(p.kind, p.value, p.verified) for p in points if not p.pending)
    return CustomerProfile(
        id=row[0],
        name=row[1] or "",
        identities=identities,
        language=row[2],
        tier=row[3],
        tags=tags,
        recent=past,
        preferred_channel=record.preferred_channel if record else None,
        auto_tags=tuple(record.auto_tags) if record else (),
        attributes=dict(record.attributes) if record else {},
        consent=dict(record.consent) if record else {},
        stats=record.stats if record else None,
        contact_points=tuple(points),
        notes=notes(db, customer_id),
        merges=merges_into(db, customer_id),
    )
