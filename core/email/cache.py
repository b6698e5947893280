"""Email in the local cache: each mail's details, drafts, and sends in progress.

A mail is an ordinary row in ``messages`` (its plain text, for the inbox, search
and the timeline) plus its ``EmailDetails`` as JSON in ``emails``. Drafts are saved
as the agent types (one per conversation), so they survive a crash and work
offline. A mail with attachments waits in ``email_sends`` until its files are
uploaded; then its ``send_email`` goes into the outbox like any other command.
Thread: the cache owner's (the GUI thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
import sqlite_utils

from core.cache.cache_file import now_ms
from core.email.compose import Draft, FileToSend
from core.protocol.email import (
    EmailDetails,
    EmailFailure,
    EmailReceived,
    EmailSent,
    EmailStatus,
    EmailStatusChanged,
    SendEmail,
)
from core.protocol.models import MessageStatus
from core.records import Changes

if TYPE_CHECKING:
    from core.cache.cache import Cache

EMAIL_EVENTS = (EmailReceived, EmailSent, EmailStatusChanged)
EmailEvent = EmailReceived | EmailSent | EmailStatusChanged

_details_decoder = msgspec.json.Decoder(EmailDetails)
_draft_decoder = msgspec.json.Decoder(Draft)
_files_decoder = msgspec.json.Decoder(list[FileToSend])
_command_decoder = msgspec.json.Decoder(SendEmail)
_encode = msgspec.json.encode


@dataclass(frozen=True)
class PendingSend:
    """A mail whose attachments are not uploaded yet."""

    message_id: str
    conversation_id: str
    command: SendEmail  # attachment_ids holds only the ids already known (forwarded)
    files: list[FileToSend]
    error: str | None


def store_details(db: sqlite_utils.Database, details: EmailDetails) -> Changes:
    """Insert or replace one mail's details; never lowers a FAILED/SENT status to QUEUED."""
    row = db.execute("SELECT status FROM emails WHERE message_id=?",
                     [details.message_id]).fetchone()
    if row is not None and row[0] in (EmailStatus.SENT, EmailStatus.FAILED) \
            and details.status is EmailStatus.QUEUED:
        details = msgspec.structs.replace(details, status=EmailStatus(row[0]))
    db.execute(
        "INSERT INTO emails (message_id, conversation_id, status, record) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(message_id) DO UPDATE SET status=excluded.status, record=excluded.record",
        [details.message_id, details.conversation_id, details.status.value,
         _encode(details).decode()],
    )
    return Changes(messages={(details.conversation_id, details.message_id)},
                   conversations={details.conversation_id})


def set_status(
    db: sqlite_utils.Database, conversation_id: str, message_id: str, status: EmailStatus,
    failure: EmailFailure | None = None, detail: str | None = None,
) -> Changes:
    row = db.execute("SELECT record FROM emails WHERE message_id=?", [message_id]).fetchone()
    if row is None:
        return Changes()
    details = msgspec.structs.replace(
        _details_decoder.decode(row[0]), status=status, failure=failure, failure_detail=detail
    )
    db.execute("UPDATE emails SET status=?, record=? WHERE message_id=?",
               [status.value, _encode(details).decode(), message_id])
    if status is EmailStatus.FAILED:
        db.execute("UPDATE messages SET status=? WHERE id=?",
                   [MessageStatus.FAILED.value, message_id])
    return Changes(messages={(conversation_id, message_id)}, conversations={conversation_id})


def apply_event(cache: Cache, body: EmailEvent) -> Changes:
    """One email event of the hub's stream (the caller holds the transaction)."""
    if isinstance(body, EmailStatusChanged):
        return set_status(cache.db, body.conversation_id, body.message_id, body.status,
                          body.failure, body.detail)
    changes = cache.store_message(body.message)
    changes.merge(store_details(cache.db, body.email))
    return changes


def store_thread(cache: Cache, emails: Sequence[EmailDetails]) -> Changes:
    """The answer to ``fetch_emails``: every mail of a conversation."""
    changes = Changes()
    with cache.db.atomic():
        for details in emails:
            changes.merge(store_details(cache.db, details))
    return changes


def thread(db: sqlite_utils.Database, conversation_id: str) -> list[EmailDetails]:
    """The conversation's mails, oldest first (by Date, then by arrival)."""
    rows = db.execute(
        "SELECT e.record FROM emails e LEFT JOIN messages m ON m.id = e.message_id "
        "WHERE e.conversation_id=? ORDER BY COALESCE(m.created_at, 0), e.rowid",
        [conversation_id],
    ).fetchall()
    return [_details_decoder.decode(row[0]) for row in rows]


def details(db: sqlite_utils.Database, message_id: str) -> EmailDetails | None:
    row = db.execute("SELECT record FROM emails WHERE message_id=?", [message_id]).fetchone()
    return None if row is None else _details_decoder.decode(row[0])


# ---- drafts ---------------------------------------------------------------------------


def save_draft(db: sqlite_utils.Database, draft: Draft) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO email_drafts (conversation_id, record, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(conversation_id) DO UPDATE SET record=excluded.record, "
            "updated_at=excluded.updated_at",
            [draft.conversation_id, _encode(draft).decode(), now_ms()],
        )


def load_draft(db: sqlite_utils.Database, conversation_id: str) -> Draft | None:
    row = db.execute("SELECT record FROM email_drafts WHERE conversation_id=?",
                     [conversation_id]).fetchone()
    return None if row is None else _draft_decoder.decode(row[0])


def delete_draft(db: sqlite_utils.Database, conversation_id: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM email_drafts WHERE conversation_id=?", [conversation_id])


# ---- sends waiting for uploads --------------------------------------------------------


def add_pending_send(db: sqlite_utils.Database, command: SendEmail,
                     files: Sequence[FileToSend]) -> None:
    db.execute(
        "INSERT INTO email_sends (message_id, conversation_id, command, files, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [command.message_id, command.conversation_id, _encode(command).decode(),
         _encode(list(files)).decode(), now_ms()],
    )


def pending_sends(db: sqlite_utils.Database) -> list[PendingSend]:
    rows = db.execute(
        "SELECT message_id, conversation_id, command, files, error FROM email_sends "
        "ORDER BY rowid"
    ).fetchall()
    return [PendingSend(r[0], r[1], _command_decoder.decode(r[2]), _files_decoder.decode(r[3]),
                        r[4]) for r in rows]


def update_pending_files(db: sqlite_utils.Database, message_id: str,
                         files: Sequence[FileToSend], error: str | None) -> None:
    db.execute("UPDATE email_sends SET files=?, error=? WHERE message_id=?",
               [_encode(list(files)).decode(), error, message_id])


def take_pending_send(db: sqlite_utils.Database, message_id: str) -> None:
    db.execute("DELETE FROM email_sends WHERE message_id=?", [message_id])
