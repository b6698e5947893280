"""The cache's schema, one function per version; ``Cache`` migrates forward.

Every table the cache writes is created here. A new version adds a function
``create_vN`` (or ``migrate_to_vN``) and bumps ``SCHEMA_VERSION``; old files are
brought forward step by step when opened, inside one transaction.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA_VERSION = 1

# receipt column of customer messages
RECEIPT_NONE, RECEIPT_DUE, RECEIPT_SENT = 0, 1, 2


def create_v1(db: sqlite_utils.Database) -> None:
    """Version 1: customers, identities, conversations, messages, outbox, sync state."""
    db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("sync_state").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("customers").create(
        {"id": str, "name": str, "language": str, "tier": str, "tags": str},
        pk="id",
        if_not_exists=True,
    )
    db.table("identities").create(
        {"customer_id": str, "kind": str, "value": str},
        pk=("customer_id", "kind", "value"),
        foreign_keys=[("customer_id", "customers", "id")],
        if_not_exists=True,
    )
    db.table("conversations").create(
        {
            "id": str,
            "customer_id": str,
            "channel": str,
            "status": str,
            "created_at": int,
            "queue": str,
            "agent_id": str,
            "closed_at": int,
            "closed_by": str,
            "last_message_at": int,
            "last_text": str,
            "last_author": str,
            "waiting_since": int,
            "unread": int,
            "assigned": int,  # 1: routed to this agent; 0: only known as history
        },
        pk="id",
        defaults={"unread": 0, "assigned": 0},
        if_not_exists=True,
    )
    db.table("conversations").create_index(["customer_id", "created_at"], if_not_exists=True)
    db.table("conversations").create_index(["assigned", "status"], if_not_exists=True)
    db.table("messages").create(
        {
            "id": str,
            "conversation_id": str,
            "author": str,
            "text": str,
            "created_at": int,
            "status": str,
            "agent_id": str,
            "author_name": str,
            "receipt": int,
        },
        pk="id",
        defaults={"receipt": RECEIPT_NONE},
        if_not_exists=True,
    )
    db.table("messages").create_index(["conversation_id", "created_at"], if_not_exists=True)
    db.table("outbox").create(
        {
            "op": str,
            "kind": str,
            "payload": str,
            "created_at": int,
            "conversation_id": str,
            "message_id": str,
            "revert": str,  # JSON of what to restore if the hub refuses
        },
        pk="op",
        if_not_exists=True,
    )
