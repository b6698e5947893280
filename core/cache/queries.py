"""Read queries of the cache, returning immutable records (see ``core.records``)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from core.protocol.models import (
    Channel,
    ClosedBy,
    ConversationStatus,
    MessageAuthor,
    MessageStatus,
)
from core.records import InboxItem, StoredMessage

_INBOX_SQL = (
    "SELECT c.id, c.customer_id, COALESCE(cu.name, ''), c.channel, c.status, c.created_at, "
    "c.last_text, c.last_author, c.last_message_at, c.waiting_since, c.unread, c.closed_by, "
    "c.sentiment_first, c.sentiment_last, c.escalations "
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
        sentiment_first=row[12],
        sentiment_last=row[13],
        escalated=bool(row[14]) and row[14] != "[]",
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
