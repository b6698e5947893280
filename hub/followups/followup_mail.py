"""Mails to customers about follow-ups, through the hub's outgoing SMTP (hub/email).

A mail is a row written in the unit of work that caused it (hub.followups.
followup_store); after the commit the sender is woken and submits what is due.
A temporary failure is tried again with the email channel's backoff; a
permanent one, or too many attempts, keeps the error on the row.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import logging
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from typing import Any

import sqlalchemy as sa

from core.protocol import followups as fp
from hub.email.config import EmailConfig
from hub.email.outbound import (
    PermanentSmtpError,
    SmtpSubmitter,
    TemporarySmtpError,
    backoff_ms,
    new_message_id,
)
from hub.followups.followup_store import FollowUpStore, MailKind

log = logging.getLogger(__name__)

_TEXT = {
    ("en", MailKind.CONFIRM): (
        "We have your message",
        "Thank you for your message. Nobody could answer it right away; it is now in "
        "our queue and a colleague will contact you{callback}.\n\nYour message:\n{text}\n\n"
        "Reference: {ref}\n",
    ),
    ("zh", MailKind.CONFIRM): (
        "我们已收到您的留言",
        "感谢您的留言。刚才暂时无人接待，您的留言已进入队列，客服人员会{callback}与您联系。\n\n"
        "您的留言：\n{text}\n\n编号：{ref}\n",
    ),
    ("en", MailKind.SOLVED): (
        "Your request is solved",
        "Your request (reference {ref}) has been solved.{note}\n\n"
        "If anything is still open, just reply to this mail or write to us in the chat.\n",
    ),
    ("zh", MailKind.SOLVED): (
        "您的问题已解决",
        "您的请求（编号 {ref}）已处理完毕。{note}\n\n如仍有疑问，请直接回复本邮件或在线咨询。\n",
    ),
}


def _language(locale: str | None) -> str:
    return "zh" if (locale or "").lower().startswith("zh") else "en"


def compose(kind: str, followup: fp.FollowUp, text: str, locale: str | None,
            tz: dt.tzinfo = dt.UTC) -> tuple[str, str]:
    """(subject, body) of a mail about ``followup``; ``text`` is the message left,
    times are written in ``tz`` (the center's business-hours zone)."""
    lang = _language(locale)
    subject, body = _TEXT[(lang, kind)]
    callback = ""
    if followup.callback_at is not None:
        when = dt.datetime.fromtimestamp(followup.callback_at / 1000, tz)
        stamp = when.strftime("%Y-%m-%d %H:%M ") + (when.tzname() or "")
        callback = f"（约 {stamp.strip()}）" if lang == "zh" else f" around {stamp.strip()}"
    note = "\n\n" + followup.note if followup.note and kind == MailKind.SOLVED else ""
    return subject, body.format(callback=callback, text=text, ref=followup.id, note=note)


class FollowUpMailer:
    def __init__(self, store: FollowUpStore, config: EmailConfig,
                 message_text: Callable[[str], str], clock_ms: Callable[[], int],
                 attempts: int = 6, tz: dt.tzinfo = dt.UTC) -> None:
        assert config.smtp is not None
        self.store = store
        self.config = config
        self.submitter = SmtpSubmitter(config.smtp)
        # The text of the message left in a follow-up's conversation.
        self.message_text = message_text
        self.clock_ms = clock_ms
        self.attempts = attempts
        self.tz = tz
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """After a unit that queued a mail committed."""
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                await self.send_due()
            except Exception:  # a bad row must not stop the mail of everyone else
                log.exception("follow-up mails")
            next_at = self.store.next_mail_at()
            wait = 60.0 if next_at is None else max(0.05, (next_at - self.clock_ms()) / 1000)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(wait, 60.0))

    async def send_due(self) -> int:
        sent = 0
        for row in self.store.due_mails(self.clock_ms()):
            if await self._send(row):
                sent += 1
        return sent

    async def _send(self, row: sa.Row[Any]) -> bool:
        followup = self.store.followup(row.followup_id)
        if followup is None:
            self.store.mail_failed(row.id, None, "the follow-up is gone")
            return False
        subject, body = compose(row.kind, followup, self.message_text(followup.id), row.locale,
                                self.tz)
        msg = EmailMessage(policy=SMTP_POLICY)
        msg["From"] = email.utils.formataddr((self.config.display_name, self.config.mailbox))
        msg["To"] = row.to_addr
        msg["Subject"] = subject
        msg["Date"] = email.utils.formatdate(usegmt=True)
        msg["Message-ID"] = new_message_id(self.config.mailbox)
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(body, charset="utf-8")
        try:
            await self.submitter.submit(msg.as_bytes(), self.config.mailbox, [row.to_addr])
        except TemporarySmtpError as exc:
            assert self.config.smtp is not None
            again = (self.clock_ms() + backoff_ms(self.config.smtp, row.attempts + 1)
                     if row.attempts + 1 < self.attempts else None)
            self.store.mail_failed(row.id, again, str(exc))
            return False
        except PermanentSmtpError as exc:
            self.store.mail_failed(row.id, None, str(exc))
            return False
        self.store.mail_sent(row.id, self.clock_ms())
        return True
