"""Read queries of the cache, returning immutable records (see ``core.records``)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from core.protocol.models import (
    Channel,
    ClosedBy,
    ConversationStatus,
    Identity,
    IdentityKind,
    MessageAuthor,
    MessageStatus,
)
from core.records import CustomerProfile, InboxItem, PastConversation, StoredMessage

_INBOX_SQL = (
    "SELECT c.id, c.customer_id, COALESCE(cu.name, ''), c.channel, c.status, c.created_at, "
    "c.last_text, c.last_author, c.last_message_at, c.waiting_since, c.unread, c.closed_by "
    "FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id "
)


def _inbox_item(row: tuple[Any, ...]) -> InboxItem:
    return InboxItem(
        conversation_id=row[0],
        customer_id=row[1],
        customer_name=row[2],
        channel=Channel(row[3]),
        status=ConversationStatus(row[4]),
        created_at=row[5],
        last_text=row[6],
        last_author=MessageAuthor(row[7]) if row[7] else None,
        last_message_at=row[8],
        waiting_since=row[9],
        unread=row[10] or 0,
        closed_by=ClosedBy(row[11]) if row[11] else None,
    )

def inbox(db: Database) -> list[InboxItem]:
    """Open conversations routed to this agent, longest-waiting first."""
    rows = db.execute(
        _INBOX_SQL + "WHERE c.assigned=1 AND c.status=? "
        "ORDER BY c.waiting_since IS NULL, c.waiting_since, "
        "COALESCE(c.last_message_at, c.created_at) DESC",
        [ConversationStatus.OPEN.value],
    ).fetchall()
    return [_inbox_item(row) for row in rows]

def conversation(db: Database, conversation_id: str) -> InboxItem | None:
    row = db.execute(
        _INBOX_SQL + "WHERE c.id=?", [conversation_id]
    ).fetchone()
    return None if row is None else _inbox_item(row)

def messages(db: Database, conversation_id: str, limit: int) -> list[StoredMessage]:
    rows = db.execute(
        "SELECT id, conversation_id, author, text, created_at, status, author_name "
        "FROM (SELECT *, rowid AS r FROM messages WHERE conversation_id=? "
        "ORDER BY created_at DESC, r DESC LIMIT ?) ORDER BY created_at, r",
        [conversation_id, limit],
    ).fetchall()
    return [
        StoredMessage(
            id=r[0],
            conversation_id=r[1],
            author=MessageAuthor(r[2]),
            text=r[3],
            created_at=r[4],
            status=MessageStatus(r[5]),
            author_name=r[6],
        )
        for r in rows
    ]

def message(db: Database, message_id: str) -> StoredMessage | None:
    row = db.execute(
        "SELECT id, conversation_id, author, text, created_at, status, author_name "
        "FROM messages WHERE id=?",
        [message_id],
    ).fetchone()
    if row is None:
        return None
    return StoredMessage(
        row[0], row[1], MessageAuthor(row[2]), row[3], row[4], MessageStatus(row[5]), row[6]
    )

def customer_profile(db: Database, customer_id: str, recent: int) -> CustomerProfile | None:
    row = db.execute(
        "SELECT id, name, language, tier, tags FROM customers WHERE id=?", [customer_id]
    ).fetchone()
    if row is None:
        return None
    identities = tuple(
        Identity(IdentityKind(kind), value)
        for kind, value in db.execute(
            "SELECT kind, value FROM identities WHERE customer_id=? ORDER BY kind, value",
            [customer_id],
        ).fetchall()
        if kind in IdentityKind._value2member_map_
    )
    past = tuple(
        PastConversation(r[0], Channel(r[1]), ConversationStatus(r[2]), r[3], r[4])
        for r in db.execute(
            "SELECT id, channel, status, created_at, last_text FROM conversations "
            "WHERE customer_id=? ORDER BY created_at DESC LIMIT ?",
            [customer_id, recent],
        ).fetchall()
    )
    try:
        tags = tuple(str(t) for t in json.loads(row[4] or "[]"))
    except ValueError:
        tags = ()
    return CustomerProfile(row[0], row[1], identities, row[2], row[3], tags, past)

