"""Messages in the cache: storing them, their delivery status and receipts.

A mixin of ``Cache`` (which provides ``db``): kept apart because the message rules
(a status only moves forward, what counts as unread, which receipts the hub is
owed) are a topic of their own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from core.cache.schema import RECEIPT_DUE, RECEIPT_NONE, RECEIPT_SENT
from core.protocol.models import Message, MessageAuthor, MessageStatus
from core.records import Changes

# A status only moves forward; FAILED sits with PENDING so a late confirmation
# from the hub (the message did arrive after all) wins over a local failure.
STATUS_RANK = {
    MessageStatus.PENDING: 0,
    MessageStatus.FAILED: 0,
    MessageStatus.SENT: 1,
    MessageStatus.DELIVERED: 2,
}


class MessageRows:
    db: sqlite_utils.Database

    def _exec(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> sqlite3.Cursor:
        """Inside a transaction, straight to sqlite3 (sqlite-utils' wrapper costs a
        few µs per call, which adds up over a large catch-up)."""
        conn = self.db.conn
        return conn.execute(sql, params) if conn.in_transaction else self.db.execute(sql, params)

    def store_message(
        self, message: Message, *, count_unread: bool = True, receipt_due: bool = True
    ) -> Changes:
        """Insert a message (or raise the status of a known one).

        ``receipt_due=False`` for messages of conversations that are not ours
        (store mode's directory): the hub takes receipts only from the assignee.
        """
        changes = Changes()
        row = self._exec(
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
            if receipt_due and is_customer and message.status is not MessageStatus.DELIVERED
            else RECEIPT_NONE
        )
        # Plain SQL: sqlite-utils' insert() inspects the table on every call.
        self._exec(
            "INSERT INTO messages (id, conversation_id, author, text, created_at, status, "
            "agent_id, author_name, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [message.id, message.conversation_id, message.author.value, message.text,
             message.created_at, message.status.value, message.agent_id, message.author_name,
             receipt],
        )
        changes.messages.add(key)
        changes.conversations.add(message.conversation_id)
        self._note_last_message(message, count_unread=count_unread)
        return changes

    def insert_new_conversation_messages(self, conversation_id: str,
                                         messages: list[Message]) -> None:
        """Messages of a conversation the cache did not know, oldest first.

        The same rows as ``store_message`` one by one would write, in one statement,
        and the conversation's summary (last message, waiting since) folded in once.
        The caller sets the unread count.
        """
        if not messages:
            return
        self.insert_older_messages(conversation_id, messages)
        waiting: int | None = None
        for m in messages:
            if m.author is MessageAuthor.CUSTOMER:
                waiting = waiting if waiting is not None else m.created_at
            elif m.author is MessageAuthor.AGENT:
                waiting = None
        last = max(messages, key=lambda m: m.created_at)
        self._exec(
            "UPDATE conversations SET last_text=?, last_author=?, last_message_at=?, "
            "waiting_since=? WHERE id=?",
            [last.text, last.author.value, last.created_at, waiting, conversation_id],
        )

    def insert_older_messages(self, conversation_id: str, messages: list[Message]) -> None:
        """Messages older than the conversation's newest ones, in one statement; the
        conversation's summary and unread count stay as they are."""
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO messages (id, conversation_id, author, text, created_at, "
            "status, agent_id, author_name, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (m.id, conversation_id, m.author.value, m.text, m.created_at, m.status.value,
                 m.agent_id, m.author_name,
                 RECEIPT_DUE if m.author is MessageAuthor.CUSTOMER
                 and m.status is not MessageStatus.DELIVERED else RECEIPT_NONE)
                for m in messages
            ],
        )

    def _note_last_message(self, message: Message, *, count_unread: bool) -> None:
        is_customer = message.author is MessageAuthor.CUSTOMER
        self._exec(
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
        # The status moves to delivered when the hub's message_status event
        # confirms the receipt; until then the receipt counts as unconfirmed.
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE messages SET receipt=? WHERE id=? AND receipt=?",
                [(RECEIPT_SENT, message_id, RECEIPT_DUE) for message_id in message_ids],
            )

    def requeue_unconfirmed_receipts(self) -> int:
        """On a new connection: receipts sent but never confirmed go out again."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE messages SET receipt=? WHERE receipt=? AND status<>?",
                [RECEIPT_DUE, RECEIPT_SENT, MessageStatus.DELIVERED.value],
            )
            return int(cursor.rowcount)
