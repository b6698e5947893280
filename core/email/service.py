"""Email for the agent: threads from the cache, drafts, sending, attachments.

Reads come from the cache; ``refresh`` asks the hub (``fetch_emails``) for a
thread's details when live. Sending is local first: the mail is stored as a
PENDING message with QUEUED details at once. A mail without new files goes into
the outbox as ``send_email`` right away; one with files waits in ``email_sends``
until ``upload_pending`` (run whenever the hub is reachable) has uploaded them.
Thread: the loop's (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path

import msgspec

from core.cache.cache import Cache, now_ms
from core.email import cache as email_cache
from core.email.compose import Draft, FileToSend, Issue, recipients, split_addresses, validate
from core.email.http_client import EmailHttpError, FileUnreadable, HubHttp, TooLarge
from core.protocol.email import (
    EmailAddress,
    EmailDetails,
    EmailDirection,
    Emails,
    EmailStatus,
    FetchEmails,
    SendEmail,
)
from core.protocol.models import AgentInfo, Message, MessageAuthor, MessageStatus
from core.records import Changes
from core.session.hooks import Hook
from core.sync.outbox import Outbox, new_id
from core.tasks import BackgroundTasks

log = logging.getLogger(__name__)
READ_TIMEOUT_S = 10.0

Request = Callable[[FetchEmails], bool]


class DraftInvalid(ValueError):  # noqa: N818
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(", ".join(f"{i.field}: {i.problem}" for i in issues))
        self.issues = issues


class EmailService:
    def __init__(self, cache: Cache, outbox: Outbox, announce: Callable[[Changes], None],
                 wake: Callable[[], None], agent: Callable[[], AgentInfo | None]) -> None:
        self._cache = cache
        self._db = cache.db
        self._outbox = outbox
        self._announce = announce
        self._wake = wake
        self._agent = agent
        self._request: Request | None = None
        self._http: HubHttp | None = None
        self._waiting: dict[str, asyncio.Future[Emails]] = {}
        self._uploading = False
        self._tasks = BackgroundTasks("email", logger=log)
        # (message id, error code): an attachment could not be uploaded
        self.upload_did_fail: Hook[[str, str]] = Hook("upload_did_fail")

    # ---- wiring -------------------------------------------------------------------------

    def attach(self, request: Request | None) -> None:
        self._request = request
        if request is None:
            for future in self._waiting.values():
                if not future.done():
                    future.cancel()

    def set_hub(self, hub_url: str, token: str) -> None:
        """Where uploads and downloads go (the token stays in memory only)."""
        self._http = HubHttp(hub_url, token)

    @property
    def http(self) -> HubHttp | None:
        return self._http

    # ---- reads --------------------------------------------------------------------------

    def thread(self, conversation_id: str) -> list[EmailDetails]:
        return email_cache.thread(self._db, conversation_id)

    def details(self, message_id: str) -> EmailDetails | None:
        return email_cache.details(self._db, message_id)

    async def refresh(self, conversation_id: str) -> bool:
        """Ask the hub for the thread's details; False when offline or refused."""
        request = self._request
        if request is None:
            return False
        frame = FetchEmails(op=new_id(), conversation_id=conversation_id)
        future: asyncio.Future[Emails] = asyncio.get_running_loop().create_future()
        self._waiting[frame.op] = future
        try:
            if not request(frame):
                return False
            answer = await asyncio.wait_for(future, READ_TIMEOUT_S)
        except (TimeoutError, asyncio.CancelledError):
            return False
        finally:
            self._waiting.pop(frame.op, None)
        self._announce(email_cache.store_thread(self._cache, answer.emails))
        return True

    def owns(self, op: str) -> bool:
        return op in self._waiting

    def answered(self, frame: Emails) -> None:
        future = self._waiting.get(frame.op)
        if future is not None and not future.done():
            future.set_result(frame)
        else:  # late: still worth keeping
            self._announce(email_cache.store_thread(self._cache, frame.emails))

    def failed(self, op: str) -> None:
        future = self._waiting.get(op)
        if future is not None and not future.done():
            future.cancel()

    # ---- drafts -------------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        email_cache.save_draft(self._db, draft)

    def draft(self, conversation_id: str) -> Draft | None:
        return email_cache.load_draft(self._db, conversation_id)

    def discard_draft(self, conversation_id: str) -> None:
        email_cache.delete_draft(self._db, conversation_id)

    @staticmethod
    def file_to_send(path: Path) -> FileToSend:
        """Describe a local file for a draft (raises FileUnreadable)."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise FileUnreadable(str(exc)) from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileToSend(str(path), path.name, content_type, size)

    # ---- sending ------------------------------------------------------------------------

    def send(self, draft: Draft) -> str:
        """Queue the draft as a mail (works offline); returns the new message id."""
        issues = validate(draft)
        if issues:
            raise DraftInvalid(issues)
        agent = self._agent()
        message_id = new_id()
        command = SendEmail(
            op=new_id(), conversation_id=draft.conversation_id, message_id=message_id,
            kind=draft.kind, to=split_addresses(draft.to), cc=split_addresses(draft.cc),
            bcc=split_addresses(draft.bcc), subject=draft.subject, text=draft.text,
            attachment_ids=list(draft.forwarded_ids), in_reply_to=draft.in_reply_to,
        )
        message = Message(
            id=message_id, conversation_id=draft.conversation_id, author=MessageAuthor.AGENT,
            text=draft.text[:4000] or draft.subject or "-", created_at=now_ms(),
            status=MessageStatus.PENDING, agent_id=agent.id if agent else None,
            author_name=agent.display_name if agent else None,
        )
        details = EmailDetails(
            message_id=message_id, conversation_id=draft.conversation_id,
            direction=EmailDirection.OUTBOUND, status=EmailStatus.QUEUED, header_message_id="",
            subject=draft.subject, to=[EmailAddress(a) for a in command.to],
            cc=[EmailAddress(a) for a in command.cc], bcc=[EmailAddress(a) for a in command.bcc],
            text=draft.text, date=message.created_at,
        )
        assert recipients(draft)
        with self._db.atomic():
            changes = self._cache.store_message(message, count_unread=False)
            changes.merge(email_cache.store_details(self._db, details))
            if draft.files:
                email_cache.add_pending_send(self._db, command, draft.files)
            else:
                self._outbox.queue(command, conversation_id=draft.conversation_id,
                                   message_id=message_id)
            self._db.execute("DELETE FROM email_drafts WHERE conversation_id=?",
                             [draft.conversation_id])
        self._announce(changes)
        if draft.files:
            self.start_uploads()
        else:
            self._wake()
        return message_id

    def start_uploads(self) -> None:
        """Upload what waits, in the background (no-op without a loop or the hub)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._http is not None and not self._uploading:
            self._tasks.spawn(self.upload_pending(), loop=loop)

    async def upload_pending(self) -> int:
        """Upload the files of waiting mails; queue each mail once all its files are up.

        Returns how many mails went into the outbox. Stops at the first network
        failure (tried again on the next call); a file gone or too large fails its
        mail (FAILED, with the reason) so the agent can fix it.
        """
        http = self._http
        if http is None or self._uploading:
            return 0
        self._uploading = True
        queued = 0
        try:
            for pending in email_cache.pending_sends(self._db):
                files = list(pending.files)
                try:
                    for i, item in enumerate(files):
                        if item.upload_id is None:
                            upload = await http.upload(Path(item.path), item.filename,
                                                       item.content_type)
                            files[i] = msgspec.structs.replace(item, upload_id=upload.id)
                            email_cache.update_pending_files(self._db, pending.message_id,
                                                             files, None)
                except (TooLarge, FileUnreadable) as exc:
                    self._fail_pending(pending.conversation_id, pending.message_id, exc.code)
                    continue
                except EmailHttpError as exc:
                    log.info("email: upload deferred: %s", exc.code)
                    email_cache.update_pending_files(self._db, pending.message_id, files,
                                                     exc.code)
                    break
                ids = [*pending.command.attachment_ids, *(f.upload_id or "" for f in files)]
                command = msgspec.structs.replace(pending.command, attachment_ids=ids)
                with self._db.atomic():
                    email_cache.take_pending_send(self._db, pending.message_id)
                    self._outbox.queue(command, conversation_id=pending.conversation_id,
                                       message_id=pending.message_id)
                queued += 1
        finally:
            self._uploading = False
        if queued:
            self._wake()
        return queued

    def _fail_pending(self, conversation_id: str, message_id: str, code: str) -> None:
        with self._db.atomic():
            email_cache.take_pending_send(self._db, message_id)
            changes = email_cache.set_status(self._db, conversation_id, message_id,
                                             EmailStatus.FAILED, None, code)
        self._announce(changes)
        self.upload_did_fail.emit(message_id, code)
