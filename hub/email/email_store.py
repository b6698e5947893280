"""Email rows: raw mail, the email side of messages, attachments, threads, IMAP state.

Shares the hub's engine and event log (StoreBase), so a mail, its message and the
agent's event are written in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import email as ep
from core.protocol.models import ConversationStatus, Message, MessageAuthor, MessageStatus
from hub.store import schema as t
from hub.store.base import StoreBase, StoreError, new_id, now_ms

_details_encoder = msgspec.json.Encoder()
_details_decoder = msgspec.json.Decoder(ep.EmailDetails)
_TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RawState:
    STORED = "stored"
    PROCESSED = "processed"
    FAILED = "failed"


@dataclass
class RawMail:
    id: str
    source_key: str
    data: bytes
    state: str
    message_id: str | None = None  # the message it became, once stored


@dataclass
class Thread:
    conversation_id: str
    token: str
    customer_address: str
    subject: str


@dataclass
class NewAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None
    inline: bool = False


@dataclass
class OutboxItem:
    message_id: str
    conversation_id: str
    raw_id: str
    attempts: int


# A raw mail's bytes: in email_raw_data, or in email_raw itself when stored
# before that table existed.
_RAW_WITH_DATA = t.email_raw.outerjoin(
    t.email_raw_data, t.email_raw_data.c.raw_id == t.email_raw.c.id)
_RAW_BYTES = sa.func.coalesce(t.email_raw_data.c.data, t.email_raw.c.data).label("data")


class EmailStore(StoreBase):
    # ---- raw ---------------------------------------------------------------------------

    def put_raw(self, source_key: str, data: bytes) -> str | None:
        """Store a mail as received; None if this source key was stored before."""
        raw_id = new_id("raw")
        try:
            with self.db.savepoint(), self.db.begin() as conn:
                conn.execute(t.email_raw.insert(), {
                    "id": raw_id, "source_key": source_key, "received_at": now_ms(),
                    "size": len(data), "data": b"", "state": RawState.STORED,
                })
                conn.execute(t.email_raw_data.insert(), {"raw_id": raw_id, "data": data})
        except sa.exc.IntegrityError:  # the unique source key: delivered before
            return None
        return raw_id

    def has_raw(self, source_key: str) -> bool:
        with self.db.connect() as conn:
            return conn.execute(
                sa.select(t.email_raw.c.id).where(t.email_raw.c.source_key == source_key)
            ).first() is not None

    def raw(self, raw_id: str) -> RawMail | None:
        with self.db.connect() as conn:
            row = conn.execute(
                sa.select(t.email_raw.c.id, t.email_raw.c.source_key, t.email_raw.c.state,
                          t.email_raw.c.message_id, _RAW_BYTES)
                .select_from(_RAW_WITH_DATA).where(t.email_raw.c.id == raw_id)).first()
        return RawMail(row.id, row.source_key, row.data, row.state, row.message_id) \
            if row else None

    def unprocessed_raw(self, source_prefix: str | None = None) -> list[str]:
        """Raw mail stored but never processed (the hub stopped in between); with
        ``source_prefix``, only mail whose source key starts with it."""
        c = t.email_raw.c
        query = sa.select(c.id).where(c.state == RawState.STORED)
        if source_prefix is not None:
            query = query.where(c.source_key.startswith(source_prefix, autoescape=True))
        with self.db.connect() as conn:
            return list(conn.execute(query.order_by(c.received_at)).scalars())

    def failed_raw(self) -> list[str]:
        """Raw mail whose processing failed (kept for another try), oldest first."""
        with self.db.connect() as conn:
            return list(conn.execute(
                sa.select(t.email_raw.c.id)
                .where(t.email_raw.c.state == RawState.FAILED)
                .order_by(t.email_raw.c.received_at)
            ).scalars())

    def failed_count(self) -> int:
        with self.db.connect() as conn:
            return int(conn.execute(
                sa.select(sa.func.count()).select_from(t.email_raw)
                .where(t.email_raw.c.state == RawState.FAILED)
            ).scalar_one())

    def mark_raw(self, raw_id: str, state: str, error: str | None = None) -> None:
        with self.db.begin() as conn:
            conn.execute(
                t.email_raw.update().where(t.email_raw.c.id == raw_id).values(
                    state=state, error=error
                )
            )

    def raw_of_message(self, message_id: str) -> bytes | None:
        with self.db.connect() as conn:
            return conn.execute(
                sa.select(_RAW_BYTES).select_from(_RAW_WITH_DATA)
                .join(t.email_messages, t.email_messages.c.raw_id == t.email_raw.c.id)
                .where(t.email_messages.c.message_id == message_id)
            ).scalar()

    # ---- threads -----------------------------------------------------------------------

    def create_thread(self, conn: Connection, conversation_id: str, address: str,
                      subject: str) -> Thread:
        token = "ZX-" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(8))
        conn.execute(t.email_threads.insert().values(
            conversation_id=conversation_id, token=token, customer_address=address,
            subject=subject[:998],
        ))
        return Thread(conversation_id, token, address, subject)

    def thread(self, conversation_id: str) -> Thread | None:
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.email_threads).where(
                t.email_threads.c.conversation_id == conversation_id)).first()
        return Thread(row.conversation_id, row.token, row.customer_address, row.subject) \
            if row else None

    def conversation_by_token(self, token: str) -> str | None:
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.email_threads.c.conversation_id).where(
                t.email_threads.c.token == token.upper())).scalar()

    def conversation_by_header_ids(self, header_ids: Iterable[str]) -> str | None:
        """The conversation of the first of ``header_ids`` we know (most relevant first)."""
        ids = [i for i in header_ids if i]
        if not ids:
            return None
        with self.db.connect() as conn:
            rows = conn.execute(
                sa.select(t.email_messages.c.header_message_id, t.email_messages.c.conversation_id)
                .where(t.email_messages.c.header_message_id.in_(ids))
            ).all()
        found = {r.header_message_id: r.conversation_id for r in rows}
        return next((found[i] for i in ids if i in found), None)

    def is_open(self, conversation_id: str) -> bool:
        with self.db.connect() as conn:
            status = conn.execute(sa.select(t.conversations.c.status).where(
                t.conversations.c.id == conversation_id)).scalar()
        return status == ConversationStatus.OPEN.value

    # ---- messages ----------------------------------------------------------------------

    def add_email(
        self,
        details: ep.EmailDetails,
        author: MessageAuthor,
        author_name: str,
        text: str,
        raw_id: str | None,
        attachments: list[NewAttachment],
        new_thread: tuple[str, str] | None = None,
        agent_id: str | None = None,
        op: str | None = None,
        reuse_attachments: list[str] | None = None,
    ) -> tuple[Message, ep.EmailDetails, ap.Event | None]:
        """Store a mail as a message of its conversation (plus its event, if assigned)."""
        ts = now_ms()
        message = Message(
            id=details.message_id, conversation_id=details.conversation_id, author=author,
            text=text[:4000] or "(no text)", created_at=ts, status=MessageStatus.SENT,
            agent_id=agent_id, author_name=author_name,
        )
        with self.db.begin() as conn:
            if conn.execute(sa.select(t.messages.c.id).where(
                    t.messages.c.id == message.id)).first():
                raise StoreError("conflict", "a message with this id exists")
            if new_thread is not None:
                self.create_thread(conn, details.conversation_id, *new_thread)
            metas = [self._insert_attachment(conn, message.id, a, ts) for a in attachments]
            metas += self._copy_attachments(conn, message.id, reuse_attachments or [], ts)
            details = msgspec.structs.replace(details, attachments=metas)
            conn.execute(t.messages.insert().values(
                id=message.id, conversation_id=message.conversation_id, author=author.value,
                agent_id=agent_id, author_name=author_name, text=message.text, created_at=ts,
                status=message.status.value,
            ))
            conn.execute(t.email_messages.insert().values(
                message_id=message.id, conversation_id=details.conversation_id, raw_id=raw_id,
                direction=details.direction.value, status=details.status.value,
                header_message_id=details.header_message_id,
                details=_details_encoder.encode(details).decode(),
                attempts=0, next_attempt_at=ts if details.status is ep.EmailStatus.QUEUED
                else None, created_at=ts,
            ))
            if raw_id is not None:  # the raw mail is now processed, in the same step
                # Once: a mailbox's importer that froze and a new one that took over
                # may both process a mail left stored; the second finds it done.
                done = conn.execute(t.email_raw.update().where(
                    t.email_raw.c.id == raw_id, t.email_raw.c.message_id.is_(None)).values(
                    state=RawState.PROCESSED, message_id=message.id)).rowcount
                if not done:
                    raise StoreError("conflict", "this mail is stored as a message already")
            owner = self._touch(conn, details.conversation_id, ts)
            body: ap.EventBody = (
                ep.EmailSent(message=message, email=details) if agent_id
                else ep.EmailReceived(message=message, email=details)
            )
            event = self.append_event(conn, owner, body) if owner else None
            if op is not None and agent_id is not None:
                self._record_op(conn, agent_id, op, event.seq if event else None)
        return message, details, event

    @staticmethod
    def _insert_attachment(conn: Connection, message_id: str, a: NewAttachment,
                           ts: int) -> ep.EmailAttachment:
        att_id = new_id("att")
        conn.execute(t.email_attachments.insert().values(
            id=att_id, message_id=message_id, filename=a.filename[:255],
            content_type=a.content_type[:255], size=len(a.data), content_id=a.content_id,
            inline=a.inline, data=a.data, created_at=ts,
        ))
        return ep.EmailAttachment(id=att_id, filename=a.filename[:255],
                                  content_type=a.content_type, size=len(a.data),
                                  content_id=a.content_id, inline=a.inline)

    def _copy_attachments(self, conn: Connection, message_id: str, ids: list[str],
                          ts: int) -> list[ep.EmailAttachment]:
        out = []
        for att_id in ids:
            row = conn.execute(sa.select(t.email_attachments).where(
                t.email_attachments.c.id == att_id)).one()
            if row.message_id is None:  # an upload: it now belongs to this mail
                conn.execute(t.email_attachments.update().where(
                    t.email_attachments.c.id == att_id).values(message_id=message_id))
                out.append(ep.EmailAttachment(id=att_id, filename=row.filename,
                                              content_type=row.content_type, size=row.size))
            else:  # forwarding a received attachment: a copy of its own
                out.append(self._insert_attachment(conn, message_id, NewAttachment(
                    row.filename, row.content_type, row.data), ts))
        return out

    def details(self, message_id: str) -> ep.EmailDetails | None:
        with self.db.connect() as conn:
            raw = conn.execute(sa.select(t.email_messages.c.details).where(
                t.email_messages.c.message_id == message_id)).scalar()
        return _details_decoder.decode(raw) if raw else None

    def details_by_header(self, header_id: str) -> ep.EmailDetails | None:
        with self.db.connect() as conn:
            raw = conn.execute(sa.select(t.email_messages.c.details).where(
                t.email_messages.c.header_message_id == header_id)).scalar()
        return _details_decoder.decode(raw) if raw else None

    def emails_of(self, conversation_id: str) -> list[ep.EmailDetails]:
        with self.db.connect() as conn:
            rows = conn.execute(
                sa.select(t.email_messages.c.details)
                .where(t.email_messages.c.conversation_id == conversation_id)
                .order_by(t.email_messages.c.created_at, t.email_messages.c.message_id)
            ).scalars()
            return [_details_decoder.decode(r) for r in rows]

    def set_raw_of(self, message_id: str, raw_id: str) -> None:
        with self.db.begin() as conn:
            conn.execute(t.email_messages.update().where(
                t.email_messages.c.message_id == message_id).values(raw_id=raw_id))

    # ---- outbox ------------------------------------------------------------------------

    def due(self, now: int, limit: int = 20) -> list[str]:
        with self.db.connect() as conn:
            return list(conn.execute(
                sa.select(t.email_messages.c.message_id)
                .where(t.email_messages.c.status == ep.EmailStatus.QUEUED.value,
                       t.email_messages.c.next_attempt_at <= now)
                .order_by(t.email_messages.c.next_attempt_at).limit(limit)
            ).scalars())

    def next_due_at(self) -> int | None:
        with self.db.connect() as conn:
            return conn.execute(sa.select(sa.func.min(t.email_messages.c.next_attempt_at)).where(
                t.email_messages.c.status == ep.EmailStatus.QUEUED.value)).scalar()

    def attempts(self, message_id: str) -> int:
        with self.db.connect() as conn:
            return int(conn.execute(sa.select(t.email_messages.c.attempts).where(
                t.email_messages.c.message_id == message_id)).scalar_one())

    def retry_later(self, message_id: str, at: int) -> None:
        with self.db.begin() as conn:
            conn.execute(t.email_messages.update().where(
                t.email_messages.c.message_id == message_id).values(
                    attempts=t.email_messages.c.attempts + 1, next_attempt_at=at))

    def set_status(
        self, message_id: str, status: ep.EmailStatus, failure: ep.EmailFailure | None = None,
        detail: str | None = None,
    ) -> tuple[str, ap.Event] | None:
        """Move an outbound mail's status; returns (agent, event) for its agent, if any."""
        with self.db.begin() as conn:
            row = conn.execute(sa.select(t.email_messages).where(
                t.email_messages.c.message_id == message_id)).first()
            if row is None or row.status == status.value:
                return None
            details = msgspec.structs.replace(
                _details_decoder.decode(row.details), status=status, failure=failure,
                failure_detail=detail)
            conn.execute(t.email_messages.update().where(
                t.email_messages.c.message_id == message_id).values(
                    status=status.value, next_attempt_at=None,
                    details=_details_encoder.encode(details).decode()))
            if status is ep.EmailStatus.FAILED:
                conn.execute(t.messages.update().where(t.messages.c.id == message_id).values(
                    status=MessageStatus.FAILED.value))
            owner = conn.execute(sa.select(t.conversations.c.agent_id).where(
                t.conversations.c.id == row.conversation_id)).scalar()
            if not owner:
                return None
            event = self.append_event(conn, owner, ep.EmailStatusChanged(
                conversation_id=row.conversation_id, message_id=message_id, status=status,
                failure=failure, detail=detail))
            return str(owner), event

    # ---- attachments and uploads -------------------------------------------------------

    def put_upload(self, agent_id: str, filename: str, content_type: str, data: bytes,
                   quota: tuple[int, int] | None = None) -> str | None:
        """Keep an upload; None when it would take the agent's unsent uploads over
        ``quota`` (files, bytes)."""
        att_id = new_id("up")
        with self.db.begin() as conn:
            if quota is not None:
                mine = (t.email_attachments.c.message_id.is_(None)
                        & (t.email_attachments.c.uploaded_by == agent_id))
                files, size = conn.execute(sa.select(
                    sa.func.count(), sa.func.coalesce(sa.func.sum(t.email_attachments.c.size), 0)
                ).where(mine)).one()
                if files + 1 > quota[0] or size + len(data) > quota[1]:
                    return None
            conn.execute(t.email_attachments.insert().values(
                id=att_id, message_id=None, uploaded_by=agent_id, filename=filename[:255],
                content_type=content_type[:255], size=len(data), data=data, created_at=now_ms()))
        return att_id

    def delete_unused_uploads(self, older_than_ms: int) -> int:
        """Delete uploads no mail used that were made before ``older_than_ms``."""
        with self.db.begin() as conn:
            return int(conn.execute(t.email_attachments.delete().where(
                t.email_attachments.c.message_id.is_(None)
                & (t.email_attachments.c.created_at < older_than_ms))).rowcount)

    def attachment_row(self, att_id: str) -> Any:
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.email_attachments).where(
                t.email_attachments.c.id == att_id)).first()

    def conversation_of_message(self, message_id: str) -> str | None:
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.messages.c.conversation_id).where(
                t.messages.c.id == message_id)).scalar()

    def agent_of(self, conversation_id: str) -> str | None:
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.conversations.c.agent_id).where(
                t.conversations.c.id == conversation_id)).scalar()

    # ---- IMAP progress -----------------------------------------------------------------

    def mailbox_state(self, mailbox: str) -> tuple[int, int] | None:
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.email_mailboxes).where(
                t.email_mailboxes.c.mailbox == mailbox)).first()
        return (int(row.uidvalidity), int(row.last_uid)) if row else None

    def save_mailbox_state(self, mailbox: str, uidvalidity: int, last_uid: int) -> None:
        with self.db.begin() as conn:
            done = conn.execute(t.email_mailboxes.update().where(
                t.email_mailboxes.c.mailbox == mailbox).values(
                    uidvalidity=uidvalidity, last_uid=last_uid)).rowcount
            if not done:
                conn.execute(t.email_mailboxes.insert().values(
                    mailbox=mailbox, uidvalidity=uidvalidity, last_uid=last_uid))
