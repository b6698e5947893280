"""Outbound mail: building a proper message, and submitting it over SMTP with retries.

The message is built once, when the agent sends (so its Message-ID, Date and bytes
are fixed and stored raw), then the outbox submits it: temporary failures (4xx,
connection trouble) are retried with exponential backoff, a permanent one (5xx)
or too many attempts marks the mail FAILED and tells its agent.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

from core.protocol import email as ep
from hub.email import outgoing_headers as oh
from hub.email.config import Security, SmtpSettings, check_transport
from hub.email.html_part import text_to_html
from hub.email.threading import plus_address

log = logging.getLogger(__name__)

_MIME_TYPE = re.compile(r"[a-z0-9.+-]+/[a-z0-9.+-]+")


class TemporarySmtpError(Exception):
    """Try again later (4xx, timeouts, connection refused)."""


class PermanentSmtpError(Exception):
    """The server refused the mail for good (5xx)."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def new_message_id(mailbox: str) -> str:
    domain = mailbox.rpartition("@")[2] or "zuoxi.invalid"
    return email.utils.make_msgid(domain=domain)


def build_message(
    details: ep.EmailDetails,
    mailbox: str,
    display_name: str,
    token: str,
    attachments: list[Attachment],
) -> bytes:
    """The RFC 5322 bytes of an outbound mail (Bcc is not written into them).

    The email package lays out the MIME body; the top-level headers are written by
    hub.email.outgoing_headers, which never lets it re-decode text from mail.
    """
    body = EmailMessage(policy=SMTP_POLICY)
    body.set_content(details.text or "", charset="utf-8")
    # A plain reply gets its HTML twin (hub.email.html_part), so clients that prefer
    # HTML show paragraphs, quotes and links as the agent meant them.
    body.add_alternative(details.html or text_to_html(details.text or ""), subtype="html",
                         charset="utf-8")
    for a in attachments:
        # A type from a customer's mail is only what precedes ";" in its header.
        ctype = a.content_type if _MIME_TYPE.fullmatch(a.content_type) else ""
        maintype, _, subtype = ctype.partition("/")
        if not subtype:
            maintype, subtype = "application", "octet-stream"
        body.add_attachment(a.data, maintype=maintype, subtype=subtype,
                            filename=oh.file_name(a.filename))
    date = email.utils.formatdate((details.date or 0) / 1000, localtime=False, usegmt=True)
    head = [
        oh.field("Message-ID", [details.header_message_id]),
        oh.field("Date", [date]),
        oh.addresses("From", [ep.EmailAddress(mailbox, display_name)]),
        oh.addresses("Reply-To", [ep.EmailAddress(plus_address(mailbox, token), display_name)]),
        oh.addresses("To", details.to),
    ]
    if details.cc:
        head.append(oh.addresses("Cc", details.cc))
    head.append(oh.text("Subject", details.subject))
    if details.in_reply_to:
        head.append(oh.field("In-Reply-To", [details.in_reply_to]))
    if details.references:
        head.append(oh.field("References", details.references))
    head += [oh.field("Auto-Submitted", ["no"]), oh.field("X-Zuoxi-Conversation", [token])]
    # Addresses are ASCII (hub.profile.identity) and all text is encoded: anything else would
    # become "?" here, which the check before sending (outgoing_headers.check) refuses.
    return "".join(head).encode("ascii", errors="replace") + body.as_bytes()


def recipients(details: ep.EmailDetails) -> list[str]:
    seen: dict[str, None] = {}
    for a in (*details.to, *details.cc, *details.bcc):
        seen.setdefault(a.address, None)
    return list(seen)


class SmtpSubmitter:
    """Submits raw mail to the configured server (blocking smtplib, run in a thread)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.settings.ca_file)
        return context

    def submit_blocking(self, raw: bytes, sender: str, to: list[str]) -> None:
        s = self.settings
        # Checked again here: settings can be changed after they were made.
        check_transport("SMTP", s.host, s.security, s.allow_plain_remote)
        try:
            client: smtplib.SMTP
            if s.security is Security.TLS:
                client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s,
                                          context=self._context())
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            with client:
                client.ehlo()
                if s.security is Security.STARTTLS:
                    client.starttls(context=self._context())
                    client.ehlo()
                if s.username and s.password is not None:
                    client.login(s.username, s.password.reveal())
                refused = client.sendmail(sender, to, raw)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            text = "; ".join(f"{a}: {c} {m!r}" for a, (c, m) in exc.recipients.items())
            if all(c >= 500 for c in codes):
                raise PermanentSmtpError(text[:500]) from None
            raise TemporarySmtpError(text[:500]) from None
        except smtplib.SMTPResponseException as exc:
            said = exc.smtp_error
            said = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
            text = f"{exc.smtp_code} {said}"
            if exc.smtp_code >= 500:
                raise PermanentSmtpError(text[:500]) from None
            raise TemporarySmtpError(text[:500]) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporarySmtpError(f"{type(exc).__name__}: {exc}"[:500]) from None
        if refused:
            # Some recipients were refused, the rest accepted: the mail went out.
            log.warning("smtp refused %d of %d recipients", len(refused), len(to))

    async def submit(self, raw: bytes, sender: str, to: list[str]) -> None:
        await asyncio.to_thread(self.submit_blocking, raw, sender, to)


def backoff_ms(settings: SmtpSettings, attempts: int) -> int:
    """Delay before attempt ``attempts + 1``: base, 2×, 4×… capped at one hour."""
    return int(min(settings.backoff_s * (2 ** max(attempts - 1, 0)), 3600.0) * 1000)
