"""The cache's customer directory: store mode's wider cache, lookup and walk-in visits.

Store mode keeps every customer carrying the store's tag (``fetch_customers``),
with their contact points, recent conversations and messages, so staff can look a
walk-in customer up while the link is down. None of these conversations is the
agent's: they are history (``assigned=0``) and never owe the hub a receipt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from core.cache.cache import Cache, now_ms
from core.protocol.agent import CustomerRecord
from core.protocol.models import (
    Channel,
    ClosedBy,
    ConversationStatus,
    Identity,
    IdentityKind,
    Message,
    MessageAuthor,
    MessageStatus,
)
from core.records import Changes, CustomerMatch

# The local copy of a visit's note until the hub's own copy arrives.
IDENTITY_KINDS = frozenset(k.value for k in IdentityKind)
VISIT_NOTE_PREFIX = "visit-note:"
SEARCH_LIMIT = 50


def visit_note_id(conversation_id: str) -> str:
    return VISIT_NOTE_PREFIX + conversation_id


def store_records(cache: Cache, records: Iterable[CustomerRecord]) -> Changes:
    """Store one slice of a ``customers`` page in one transaction."""
    changes = Changes()
    db = cache.db
    stamp = now_ms()
    with db.atomic():
        for record in records:
            customer = record.customer
            cache.store_customer(customer)
            db.execute("UPDATE customers SET refreshed_at=? WHERE id=?", [stamp, customer.id])
            changes.customers.add(customer.id)
            for past in record.history:
                cache.store_history(customer.id, past)
                changes.conversations.add(past.id)
            for message in sorted(record.messages, key=lambda m: m.created_at):
                changes.merge(
                    cache.store_message(message, count_unread=False, receipt_due=False)
                )
    return changes


def add_visit(
    cache: Cache,
    conversation_id: str,
    customer_id: str,
    note: str,
    visited_at: int,
    agent_id: str | None,
    author_name: str | None,
) -> Changes:
    """The visit as the agent recorded it: a closed store conversation with its note.

    The caller holds the transaction (the outbox writes the command in it too).
    """
    cache.db.execute(
        "INSERT INTO conversations (id, customer_id, channel, status, created_at, agent_id, "
        "closed_at, closed_by, last_message_at, last_text, last_author, assigned) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [conversation_id, customer_id, Channel.STORE.value, ConversationStatus.CLOSED.value,
         visited_at, agent_id, visited_at, ClosedBy.AGENT.value, visited_at, note,
         MessageAuthor.AGENT.value],
    )
    message = Message(
        id=visit_note_id(conversation_id),
        conversation_id=conversation_id,
        author=MessageAuthor.AGENT,
        text=note,
        created_at=visited_at,
        status=MessageStatus.PENDING,
        agent_id=agent_id,
        author_name=author_name,
    )
    changes = cache.store_message(message, count_unread=False, receipt_due=False)
    changes.customers.add(customer_id)
    changes.conversations.add(conversation_id)
    return changes


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def search_customers(cache: Cache, text: str, limit: int = SEARCH_LIMIT) -> list[CustomerMatch]:
    """Cached customers whose name, phone or email contains ``text``, recent first.

    Phone numbers match on their digits too, so "1380013" finds "+86 138-0013 8000".
    """
    text = text.strip()
    if not text:
        return []
    params: dict[str, Any] = {"q": _like(text), "limit": limit}
    digits = re.sub(r"\D", "", text)
    phone_clause = ""
    if len(digits) >= 3 and re.fullmatch(r"[\d\s+()\-.]+", text):
        params["digits"] = _like(digits)
        phone_clause = (
            " OR (kind='phone' AND REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(value, ' ', ''), "
            "'-', ''), '+', ''), '(', ''), ')', '') LIKE :digits ESCAPE '\\')"
        )
    rows = cache.db.execute(
        "SELECT c.id, c.name, c.tier, "
        "(SELECT MAX(COALESCE(v.last_message_at, v.created_at)) FROM conversations v "
        " WHERE v.customer_id = c.id) AS seen "
        "FROM customers c WHERE c.name LIKE :q ESCAPE '\\' OR c.id IN ("
        " SELECT customer_id FROM identities WHERE (kind IN ('phone', 'email') "
        " AND value LIKE :q ESCAPE '\\')" + phone_clause + ") "
        "ORDER BY seen IS NULL, seen DESC, c.name LIMIT :limit",
        params,
    ).fetchall()
    matches = []
    for customer_id, name, tier, seen in rows:
        identities = tuple(
            Identity(IdentityKind(kind), value)
            for kind, value in cache.db.execute(
                "SELECT kind, value FROM identities WHERE customer_id=? ORDER BY kind, value",
                [customer_id],
            ).fetchall()
            if kind in IDENTITY_KINDS
        )
        matches.append(CustomerMatch(customer_id, name or "", identities, tier, seen))
    return matches


def tagged_count(cache: Cache, tag: str) -> int:
    row = cache.db.execute("SELECT COUNT(*) FROM customer_tags WHERE tag=?", [tag]).fetchone()
    return int(row[0])
