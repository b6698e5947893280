"""The local cache: everything the agent sees, readable without the network.

One SQLite file per (hub, agent), opened with sqlite-utils in WAL mode and mode
0600. The hub's event stream is applied here in one transaction per batch, together
with the seq it reached, so a crash can never leave half a batch or a seq that
claims more than what is stored. Agent actions go through the outbox (see
``core.outbox``). The cache holds no secrets: the token lives in the keyring.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

import msgspec
import sqlite_utils

from core import cache_queries as queries
from core.cache_schema import (
    RECEIPT_DUE,
    RECEIPT_NONE,
    RECEIPT_SENT,
    SCHEMA_VERSION,
    create_v1,
)
from core.protocol.agent import (
    ConversationAssigned,
    ConversationClosed,
    Event,
    MessageAdded,
    MessageStatusChanged,
    PresenceChanged,
    Snapshot,
)
from core.protocol.models import (
    AgentInfo,
    ClosedBy,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    MessageAuthor,
    MessageStatus,
    Presence,
)
from core.records import Changes, CustomerProfile, InboxItem, StoredMessage

# A status only moves forward; FAILED sits with PENDING so a late confirmation
# from the hub (the message did arrive after all) wins over a local failure.
STATUS_RANK = {
    MessageStatus.PENDING: 0,
    MessageStatus.FAILED: 0,
    MessageStatus.SENT: 1,
    MessageStatus.DELIVERED: 2,
}


class CacheError(Exception):
    """The cache file cannot be used."""


class CacheTooNew(CacheError):  # noqa: N818
    """The file was written by a newer Zuoxi (its schema is unknown to us)."""


def now_ms() -> int:
    return int(time.time() * 1000)


def _private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (the cache holds customer data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Cache:
    """Thread: the owner's (the GUI thread under qasync). Not shared across threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = None if str(path) == ":memory:" else Path(path)
        try:
            if self.path is None:
                self.db = sqlite_utils.Database(memory=True, execute_plugins=False)
            else:
                _private_file(self.path)
                self.db = sqlite_utils.Database(self.path, execute_plugins=False)
                self.db.enable_wal()  # outside any transaction, as WAL requires
                for suffix in ("-wal", "-shm"):
                    side = self.path.with_name(self.path.name + suffix)
                    if side.exists():
                        os.chmod(side, 0o600)
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise CacheError(f"cannot open cache {path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    # ---- schema --------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self.db.table("meta").exists():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise CacheTooNew(f"cache schema {version} is newer than {SCHEMA_VERSION}")
        with self.db.atomic():
            if version < 1:
                create_v1(self.db)
            # Later versions add steps here: `if version < 2: ...`
            self.db.table("meta").upsert(
                {"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key"
            )

    # ---- sync state ----------------------------------------------------------------

    def _state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key=?", [key]).fetchone()
        return None if row is None else str(row[0])

    def _set_state(self, key: str, value: str) -> None:
        self.db.table("sync_state").upsert({"key": key, "value": value}, pk="key")

    def last_seq(self) -> int | None:
        value = self._state("last_seq")
        return None if value is None else int(value)

    def presence(self) -> Presence | None:
        value = self._state("presence")
        try:
            return None if value is None else Presence(value)
        except ValueError:
            return None

    def agent(self) -> AgentInfo | None:
        """Who this cache belongs to, as the hub last described them."""
        raw = self._state("agent")
        if raw is None:
            return None
        try:
            return msgspec.json.decode(raw, type=AgentInfo)
        except msgspec.ValidationError:
            return None

    def store_agent(self, agent: AgentInfo) -> None:
        with self.db.atomic():
            self._set_state("agent", msgspec.json.encode(agent).decode())

    def set_presence(self, presence: Presence) -> Changes:
        """Presence as the hub reports it (welcome frame)."""
        with self.db.atomic():
            return self.store_presence(presence)

    def store_presence(self, presence: Presence) -> Changes:
        if self.presence() is presence:
            return Changes()
        self._set_state("presence", presence.value)
        return Changes(presence=presence)

    # ---- applying the hub's stream -------------------------------------------------

    def apply_snapshot(self, snapshot: Snapshot) -> Changes:
        """Replace the open state with the snapshot's, in one transaction."""
        changes = Changes(inbox=True)
        with self.db.atomic():
            present = {item.conversation.id for item in snapshot.conversations}
            for item in snapshot.conversations:
                changes.merge(self._apply_assigned(item))
            # Open conversations the hub no longer lists are not ours any more.
            stale = [
                row[0]
                for row in self.db.execute(
                    "SELECT id FROM conversations WHERE assigned=1 AND status=?",
                    [ConversationStatus.OPEN.value],
                ).fetchall()
                if row[0] not in present
            ]
            for conversation_id in stale:
                self.db.execute(
                    "UPDATE conversations SET status=?, closed_by=?, closed_at=? WHERE id=?",
                    [ConversationStatus.CLOSED.value, ClosedBy.SYSTEM.value, now_ms(),
                     conversation_id],
                )
                changes.conversations.add(conversation_id)
            changes.merge(self.store_presence(snapshot.presence))
            self._set_state("last_seq", str(snapshot.seq))
        return changes

    def apply_events(self, events: Iterable[Event]) -> Changes:
        """Apply a contiguous batch and record its last seq, in one transaction."""
        changes = Changes()
        last: int | None = None
        with self.db.atomic():
            for event in events:
                body = event.body
                if isinstance(body, ConversationAssigned):
                    changes.merge(self._apply_assigned(body))
                    changes.inbox = True
                elif isinstance(body, MessageAdded):
                    changes.merge(self.store_message(body.message))
                elif isinstance(body, MessageStatusChanged):
                    changes.merge(
                        self._apply_status(body.conversation_id, body.message_id, body.status)
                    )
                elif isinstance(body, ConversationClosed):
                    self.db.execute(
                        "UPDATE conversations SET status=?, closed_by=?, closed_at=?, "
                        "waiting_since=NULL WHERE id=?",
                        [ConversationStatus.CLOSED.value, body.closed_by.value, body.closed_at,
                         body.conversation_id],
                    )
                    changes.conversations.add(body.conversation_id)
                    changes.inbox = True
                elif isinstance(body, PresenceChanged):
                    changes.merge(self.store_presence(body.presence))
                last = event.seq
            if last is not None:
                self._set_state("last_seq", str(last))
        return changes

    def _apply_assigned(self, item: ConversationAssigned) -> Changes:
        changes = Changes(inbox=True)
        self._store_customer(item.customer)
        changes.customers.add(item.customer.id)
        conv = item.conversation
        known = self.db.execute(
            "SELECT 1 FROM conversations WHERE id=?", [conv.id]
        ).fetchone()
        self._store_conversation(conv, assigned=True)
        changes.conversations.add(conv.id)
        for past in item.history:
            if past.id == conv.id:
                continue
            self.db.execute(
                "INSERT INTO conversations (id, customer_id, channel, status, created_at, "
                "last_text, assigned) VALUES (?, ?, ?, ?, ?, ?, 0) "
                "ON CONFLICT(id) DO UPDATE SET status=excluded.status, "
                "last_text=COALESCE(excluded.last_text, last_text) WHERE assigned=0",
                [past.id, item.customer.id, past.channel.value, past.status.value,
                 past.created_at, past.last_text],
            )
        for message in sorted(item.messages, key=lambda m: m.created_at):
            changes.merge(self.store_message(message, count_unread=known is not None))
        if known is None:
            # A conversation new to us: what the customer wrote since the last
            # answer is unread.
            unread = 0
            for message in sorted(item.messages, key=lambda m: m.created_at):
                if message.author is MessageAuthor.CUSTOMER:
                    unread += 1
                elif message.author is MessageAuthor.AGENT:
                    unread = 0
            self.db.execute("UPDATE conversations SET unread=? WHERE id=?", [unread, conv.id])
        return changes

    def _store_customer(self, customer: Customer) -> None:
        self.db.table("customers").upsert(
            {
                "id": customer.id,
                "name": customer.name,
                "language": customer.language,
                "tier": customer.tier,
                "tags": json.dumps(customer.tags, ensure_ascii=False),
            },
            pk="id",
        )
        self.db.execute("DELETE FROM identities WHERE customer_id=?", [customer.id])
        for identity in customer.identities:
            self.db.execute(
                "INSERT OR IGNORE INTO identities (customer_id, kind, value) VALUES (?, ?, ?)",
                [customer.id, identity.kind.value, identity.value],
            )

    def _store_conversation(self, conv: Conversation, *, assigned: bool) -> None:
        self.db.execute(
            "INSERT INTO conversations (id, customer_id, channel, status, created_at, queue, "
            "agent_id, closed_at, closed_by, last_message_at, assigned) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET customer_id=excluded.customer_id, "
            "channel=excluded.channel, status=excluded.status, queue=excluded.queue, "
            "agent_id=excluded.agent_id, closed_at=excluded.closed_at, "
            "closed_by=excluded.closed_by, "
            "last_message_at=MAX(COALESCE(last_message_at, 0), "
            "COALESCE(excluded.last_message_at, 0)), assigned=MAX(assigned, excluded.assigned)",
            [conv.id, conv.customer_id, conv.channel.value, conv.status.value, conv.created_at,
             conv.queue, conv.agent_id, conv.closed_at,
             conv.closed_by.value if conv.closed_by else None, conv.last_message_at,
             1 if assigned else 0],
        )

    def store_message(self, message: Message, *, count_unread: bool = True) -> Changes:
        changes = Changes()
        row = self.db.execute(
            "SELECT status FROM messages WHERE id=?", [message.id]
        ).fetchone()
        key = (message.conversation_id, message.id)
        if row is not None:
            # Known already (our own optimistic copy, or a replayed event).
            if self._raise_status(message.id, MessageStatus(row[0]), message.status):
                changes.messages.add(key)
            return changes
        is_customer = message.author is MessageAuthor.CUSTOMER
        receipt = (
            RECEIPT_DUE
            if is_customer and message.status is not MessageStatus.DELIVERED
            else RECEIPT_NONE
        )
        self.db.table("messages").insert(
            {
                "id": message.id,
                "conversation_id": message.conversation_id,
                "author": message.author.value,
                "text": message.text,
                "created_at": message.created_at,
                "status": message.status.value,
                "agent_id": message.agent_id,
                "author_name": message.author_name,
                "receipt": receipt,
            }
        )
        changes.messages.add(key)
        changes.conversations.add(message.conversation_id)
        self._note_last_message(message, count_unread=count_unread)
        return changes

    def _note_last_message(self, message: Message, *, count_unread: bool) -> None:
        is_customer = message.author is MessageAuthor.CUSTOMER
        self.db.execute(
            "UPDATE conversations SET "
            "last_text=CASE WHEN COALESCE(last_message_at, 0) <= :at THEN :text "
            "ELSE last_text END, "
            "last_author=CASE WHEN COALESCE(last_message_at, 0) <= :at THEN :author "
            "ELSE last_author END, "
            "last_message_at=MAX(COALESCE(last_message_at, 0), :at), "
            "waiting_since=CASE WHEN :customer THEN COALESCE(waiting_since, :at) "
            "WHEN :author='agent' THEN NULL ELSE waiting_since END, "
            "unread=CASE WHEN :customer AND :count THEN unread + 1 "
            "WHEN :author='agent' THEN 0 ELSE unread END "
            "WHERE id=:id",
            {
                "at": message.created_at,
                "text": message.text,
                "author": message.author.value,
                "customer": 1 if is_customer else 0,
                "count": 1 if count_unread else 0,
                "id": message.conversation_id,
            },
        )

    def _apply_status(
        self, conversation_id: str, message_id: str, status: MessageStatus
    ) -> Changes:
        row = self.db.execute("SELECT status FROM messages WHERE id=?", [message_id]).fetchone()
        if row is None or not self._raise_status(message_id, MessageStatus(row[0]), status):
            return Changes()
        return Changes(messages={(conversation_id, message_id)})

    def _raise_status(self, message_id: str, old: MessageStatus, new: MessageStatus) -> bool:
        if STATUS_RANK[new] <= STATUS_RANK[old]:
            return False
        # Once delivered, nobody needs to be told about the message again.
        self.db.execute(
            "UPDATE messages SET status=?, receipt=CASE WHEN ?='delivered' THEN ? ELSE receipt "
            "END WHERE id=?",
            [new.value, new.value, RECEIPT_NONE, message_id],
        )
        return True

    # ---- receipts ------------------------------------------------------------------

    def due_receipts(self) -> dict[str, list[str]]:
        """Customer messages stored here that the hub has not been told about."""
        due: dict[str, list[str]] = {}
        for conv_id, msg_id in self.db.execute(
            "SELECT conversation_id, id FROM messages WHERE author='customer' AND receipt=? "
            "ORDER BY created_at",
            [RECEIPT_DUE],
        ).fetchall():
            due.setdefault(conv_id, []).append(msg_id)
        return due

    def mark_receipts_sent(self, message_ids: Iterable[str]) -> None:
        with self.db.atomic():
            for message_id in message_ids:
                self.db.execute(
                    "UPDATE messages SET receipt=? WHERE id=? AND receipt=?",
                    [RECEIPT_SENT, message_id, RECEIPT_DUE],
                )

    # ---- reads (see core.cache_queries) ---------------------------------------------

    def inbox(self) -> list[InboxItem]:
        """Open conversations routed to this agent, longest-waiting first."""
        return queries.inbox(self.db)

    def conversation(self, conversation_id: str) -> InboxItem | None:
        return queries.conversation(self.db, conversation_id)

    def messages(self, conversation_id: str, limit: int = 500) -> list[StoredMessage]:
        """The latest ``limit`` messages, oldest first."""
        return queries.messages(self.db, conversation_id, limit)

    def message(self, message_id: str) -> StoredMessage | None:
        return queries.message(self.db, message_id)

    def customer_profile(self, customer_id: str, recent: int = 10) -> CustomerProfile | None:
        return queries.customer_profile(self.db, customer_id, recent)

    def mark_read(self, conversation_id: str) -> bool:
        """Local only: the agent looked at the conversation."""
        with self.db.atomic():
            cur = self.db.execute(
                "UPDATE conversations SET unread=0 WHERE id=? AND unread>0", [conversation_id]
            )
            return cur.rowcount > 0
