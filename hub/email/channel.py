"""The email channel as the hub sees it: agents' commands, the outbox, the connectors.

HubService calls ``send`` and ``fetch`` (hub.email.hooks); the app starts and stops
the channel with the hub (``start``/``stop``), which runs the outbox and, when
configured, the IMAP connector and the embedded SMTP receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.protocol import agent as ap
from core.protocol import email as ep
from core.protocol.codec import encode_text
from core.protocol.models import Channel, ConversationStatus, MessageAuthor
from hub.email import outgoing_headers
from hub.email.charsets import one_line
from hub.email.config import EmailConfig
from hub.email.email_store import EmailStore
from hub.email.inbound import InboundMail, Route, Unit
from hub.email.mailbox_lease import MailboxLease, process_holder
from hub.email.msgid import is_msgid
from hub.email.outbound import (
    Attachment,
    PermanentSmtpError,
    SmtpSubmitter,
    TemporarySmtpError,
    backoff_ms,
    build_message,
    new_message_id,
    recipients,
)
from hub.email.threading import references_chain, with_token
from hub.profile.identity import IdentityError, normalise_email
from hub.profile.service import ProfileService
from hub.store.base import StoreError, now_ms
from hub.store.store import Store
from hub.transport.fanout import FanOut

if TYPE_CHECKING:
    from hub.email.imap_connector import ImapConnector

log = logging.getLogger(__name__)

DEMO_MAILBOX = "support@zuoxi.localhost"


def _address(raw: str) -> ep.EmailAddress:
    name, addr = email.utils.parseaddr(raw)
    try:
        address = normalise_email(addr or raw)
    except IdentityError as exc:
        raise StoreError("invalid", f"not a valid email address: {str(exc)[:120]}") from None
    if "=?" in address:  # valid characters, but mail software would decode them
        raise StoreError("invalid", f"not a valid email address: {address[:60]!r} holds "
                         f"an encoded word")
    return ep.EmailAddress(address=address, name=one_line(name))


class EmailChannel:
    def __init__(
        self, store: Store, fanout: FanOut, profiles: ProfileService, route: Route,
        config: EmailConfig | None = None, unit: Unit | None = None,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.fanout = fanout
        self.config = config or EmailConfig(mailbox=DEMO_MAILBOX)
        self.emails = EmailStore(store.engine, store.settings, store.db)
        self.inbound = InboundMail(store, fanout, profiles, route, self.emails, unit)
        smtp = self.config.smtp
        self.submitter = SmtpSubmitter(smtp) if smtp else None
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._stoppers: list[object] = []
        self._imap: ImapConnector | None = None
        # This process's name on the IMAP mailbox's lease (hub/email/mailbox_lease.py).
        self.holder = holder or process_holder()
        # Where the embedded receiver and the demo sink listen, once started.
        self.receiver_address: tuple[str, int] | None = None
        self.demo_sink_address: tuple[str, int] | None = None
        # Adds the rating links to an outgoing mail's text and HTML (hub/feedback).
        self.rating_footer: Callable[[str, str, str | None], tuple[str, str | None]] | None \
            = None

    # ---- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        await self.inbound.resume_async()
        if self.config.demo_sink is not None and self.submitter is None:
            from hub.email.demo_sink import SINK_HOST, DemoSink

            sink = DemoSink(self.config.demo_sink)
            await sink.start()
            self._stoppers.append(sink)
            self.config.smtp = sink.smtp_settings()
            self.submitter = SmtpSubmitter(self.config.smtp)
            self.demo_sink_address = (SINK_HOST, sink.port)
        if self.submitter is not None:
            self._tasks.append(asyncio.create_task(self._outbox_loop(), name="email-outbox"))
        self._tasks.append(asyncio.create_task(self._upload_sweep(), name="email-uploads"))
        if self.config.receiver is not None:
            from hub.email.smtp_receiver import SmtpReceiver

            receiver = SmtpReceiver(self.inbound, self.config.receiver)
            await receiver.start()
            self._stoppers.append(receiver)
            self.receiver_address = (self.config.receiver.host, receiver.port)
        if self.config.imap is not None:
            from hub.email.imap_connector import ImapConnector

            imap = self.config.imap
            lease = MailboxLease(self.store.db, ImapConnector.key_of(imap), self.holder,
                                 imap.lease_s)
            self._imap = ImapConnector(self.inbound, self.emails, imap, lease)
            self._tasks.append(asyncio.create_task(self._imap.run(), name="email-imap"))

    def announce(self) -> dict[str, str]:
        """What the start-up banner and ready file say about email (empty: nothing runs)."""
        out: dict[str, str] = {}
        if self.receiver_address is not None:
            host, port = self.receiver_address
            out["smtp_receiver"] = f"{host}:{port}"
            out["mailbox"] = self.config.mailbox
        if self.demo_sink_address is not None and self.config.demo_sink is not None:
            host, port = self.demo_sink_address
            out["demo_sink"] = f"{host}:{port}"
            out["demo_sink_dir"] = self.config.demo_sink.directory
        return out

    def health(self) -> dict[str, int | str | bool]:
        """What /healthz says about email: whether this process imports the IMAP
        mailbox (of several processes on one database one does: ``imap_holder``
        names it) and its import passes since start, if any."""
        imap = self._imap
        if imap is None:
            return {}
        out: dict[str, int | str | bool] = {
            "imap_passes": imap.passes, "imap_importing": imap.importing.is_set()}
        if imap.lease is not None:
            out["imap_process"] = imap.lease.holder
            try:
                out["imap_holder"] = imap.lease.current_holder() or ""
            except Exception:  # the database's trouble is the storage check's to report
                log.debug("mailbox lease not read", exc_info=True)
        return out

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self._imap = None
        for stopper in self._stoppers:
            await stopper.stop()  # type: ignore[attr-defined]
        self._stoppers.clear()
        self.inbound.worker.close()
        if self.demo_sink_address is not None:  # the next start runs a new sink
            self.config.smtp, self.submitter, self.demo_sink_address = None, None, None
        self.receiver_address = None

    # ---- agent commands ----------------------------------------------------------------

    def send(self, agent_id: str, cmd: ep.SendEmail, *, date: int | None = None) -> int | None:
        """Queue the agent's mail for the outbox. ``date``: its Date (demo data), else now."""
        conv = self.store.conversation(cmd.conversation_id)
        if conv is None or conv.agent_id != agent_id:
            raise StoreError("not_found", "no such conversation assigned to you")
        if conv.channel is not Channel.EMAIL:
            raise StoreError("conflict", "not an email conversation")
        if conv.status is not ConversationStatus.OPEN:
            raise StoreError("conflict", "the conversation is closed")
        to = [_address(a) for a in cmd.to]
        cc = [_address(a) for a in cmd.cc]
        bcc = [_address(a) for a in cmd.bcc]
        if not to and not cc and not bcc:
            raise StoreError("invalid", "a mail needs at least one recipient")
        # The decoder refuses CR, LF and NUL; other controls and U+2028 become spaces.
        subject = one_line(cmd.subject)
        thread = self.emails.thread(conv.id)
        in_reply_to: str | None = None
        references: list[str] = []
        if cmd.in_reply_to is not None:
            parent = self.emails.details(cmd.in_reply_to)
            if parent is None or parent.conversation_id != conv.id:
                raise StoreError("not_found", "in_reply_to is no mail of this conversation")
            # Mail stored before ids were checked may hold ones unsafe to write back.
            if is_msgid(parent.header_message_id):
                in_reply_to = parent.header_message_id
                references = references_chain(
                    [r for r in parent.references if is_msgid(r)], parent.header_message_id)
            else:
                references = [r for r in parent.references if is_msgid(r)][-20:]
        attachments = self._attachments(agent_id, conv.id, cmd.attachment_ids)
        token = thread.token if thread else ""
        mailbox = self.config.mailbox
        text, html = cmd.text, cmd.html
        if self.rating_footer is not None:
            text, html = self.rating_footer(conv.id, text, html)
        details = ep.EmailDetails(
            message_id=cmd.message_id, conversation_id=conv.id,
            direction=ep.EmailDirection.OUTBOUND, status=ep.EmailStatus.QUEUED,
            header_message_id=new_message_id(mailbox),
            subject=with_token(subject, token) if token else subject,
            from_=ep.EmailAddress(address=mailbox, name=self.config.display_name),
            to=to, cc=cc, bcc=bcc, date=date or now_ms(), in_reply_to=in_reply_to,
            references=references, text=text, html=html,
        )
        raw = build_message(details, mailbox, self.config.display_name, token, attachments)
        raw_id = self.emails.put_raw(f"out:{cmd.message_id}", raw)
        if raw_id is None:
            raise StoreError("conflict", "a message with this id exists")
        name = self.store.agent_info(agent_id).display_name
        _, _, event = self.emails.add_email(
            details, MessageAuthor.AGENT, name, cmd.text, raw_id, [],
            new_thread=None if thread else (to[0].address if to else "", subject),
            agent_id=agent_id, op=cmd.op, reuse_attachments=list(cmd.attachment_ids),
        )
        if event is not None:
            self.fanout.publish(agent_id, event)
        self._wake.set()
        return event.seq if event else None

    def _attachments(self, agent_id: str, conversation_id: str,
                     ids: list[str]) -> list[Attachment]:
        out: list[Attachment] = []
        total = 0
        for att_id in ids:
            row = self.emails.attachment_row(att_id)
            allowed = row is not None and (
                (row.message_id is None and row.uploaded_by == agent_id)
                or (row.message_id is not None
                    and self.emails.conversation_of_message(row.message_id) == conversation_id)
            )
            if not allowed:
                raise StoreError("not_found", f"no such attachment or upload: {att_id}")
            total += row.size
            if total > ep.MAX_ATTACHMENTS_BYTES:
                raise StoreError("too_large", "attachments exceed 25 MiB together")
            out.append(Attachment(row.filename, row.content_type, row.data))
        return out

    def fetch(self, agent_id: str, frame: ep.FetchEmails) -> str:
        conv = self.store.conversation(frame.conversation_id)
        if conv is None or conv.agent_id != agent_id:
            return encode_text(ap.Error(code="not_found", op=frame.op,
                                        message="no such conversation assigned to you"))
        return encode_text(ep.Emails(op=frame.op, conversation_id=conv.id,
                                     emails=self.emails.emails_of(conv.id)))

    async def _upload_sweep(self) -> None:
        """Delete uploads that no mail used within ``upload_ttl_s``."""
        ttl = self.config.upload_ttl_s
        while True:
            try:
                gone = self.emails.delete_unused_uploads(now_ms() - int(ttl * 1000))
                if gone:
                    log.info("deleted %d unused uploads", gone)
            except Exception:
                log.exception("deleting unused uploads failed")
            await asyncio.sleep(min(max(ttl / 4, 0.5), 3600.0))

    # ---- outbox ------------------------------------------------------------------------

    async def _outbox_loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.submit_due()
            except Exception:
                log.exception("email outbox round failed")
            next_at = self.emails.next_due_at()
            timeout = 60.0 if next_at is None else max(0.05, (next_at - now_ms()) / 1000)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=min(timeout, 60.0))

    async def submit_due(self) -> int:
        """Submit every queued mail whose time has come; returns how many were tried."""
        assert self.submitter is not None
        due = self.emails.due(now_ms())
        for message_id in due:
            await self._submit_one(message_id)
        return len(due)

    async def _submit_one(self, message_id: str) -> None:
        assert self.submitter is not None and self.config.smtp is not None
        details = self.emails.details(message_id)
        raw = self.emails.raw_of_message(message_id)
        if details is None or raw is None:
            return
        envelope = recipients(details)
        try:
            outgoing_headers.check(raw, details, envelope)
        except outgoing_headers.UnsafeHeadersError as exc:
            log.error("email %s not sent: its headers are not what was meant (%s)",
                      message_id, exc)
            self._status(message_id, ep.EmailStatus.FAILED, ep.EmailFailure.UNSAFE_HEADERS,
                         exc.header)
            return
        try:
            await self.submitter.submit(raw, self.config.mailbox, envelope)
        except PermanentSmtpError as exc:
            self._status(message_id, ep.EmailStatus.FAILED, ep.EmailFailure.PERMANENT, str(exc))
            return
        except TemporarySmtpError as exc:
            attempts = self.emails.attempts(message_id) + 1
            if attempts >= self.config.smtp.max_attempts:
                self._status(message_id, ep.EmailStatus.FAILED,
                             ep.EmailFailure.RETRIES_EXHAUSTED, str(exc))
            else:
                log.info("email %s: temporary failure (attempt %d), retrying", message_id,
                         attempts)
                self.emails.retry_later(
                    message_id, now_ms() + backoff_ms(self.config.smtp, attempts))
            return
        self._status(message_id, ep.EmailStatus.SENT)

    def _status(self, message_id: str, status: ep.EmailStatus,
                failure: ep.EmailFailure | None = None, detail: str | None = None) -> None:
        changed = self.emails.set_status(message_id, status, failure, detail)
        if changed is not None:
            self.fanout.publish(*changed)
