"""Email frames of the agent protocol: what agents see of a mail, and sending one.

An email conversation is an ordinary conversation with ``channel == email``; each
mail in it is an ordinary ``Message`` (its ``text`` is the plain-text body, cut to
``MAX_TEXT_CHARS``) plus an ``EmailDetails`` with the same ``message_id``.

Events (inside ``events`` frames, stored and replayed like any other):

- ``email_received``: a customer's mail was added to one of the agent's
  conversations (a mail that opens a conversation arrives inside
  ``conversation_assigned`` as a message; fetch its details with ``fetch_emails``).
- ``email_sent``: the agent's ``send_email`` was recorded; its status starts QUEUED.
- ``email_status``: a status change of an outbound mail (SENT, or FAILED with a
  reason: a bounce or a permanent SMTP error, or retries used up).

Attachments and raw messages never travel in frames (client frames are capped at
16 KiB): they are fetched and uploaded over HTTP, see docs/protocol.md.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import Id, Message

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]

# One address as typed: CR, LF and NUL are refused here already (header injection).
MAX_ADDRESS_CHARS = 320
Address = Annotated[
    str, msgspec.Meta(min_length=3, max_length=MAX_ADDRESS_CHARS, pattern=r"^[^\r\n\x00]+$")
]
AddressList = Annotated[list[Address], msgspec.Meta(max_length=100)]
MAX_SUBJECT_CHARS = 998  # RFC 5322 line limit
Subject = Annotated[str, msgspec.Meta(max_length=MAX_SUBJECT_CHARS, pattern=r"^[^\r\n\x00]*$")]
# Bodies are bounded by the 16 KiB client frame; larger content goes as an upload.
MAX_BODY_CHARS = 12_000
Body = Annotated[str, msgspec.Meta(max_length=MAX_BODY_CHARS)]
# A header Message-ID as sent by mail clients, angle brackets included.
HeaderId = Annotated[str, msgspec.Meta(min_length=3, max_length=998, pattern=r"^[^\r\n\x00]+$")]


class EmailKind(enum.StrEnum):
    REPLY = "reply"
    REPLY_ALL = "reply_all"
    FORWARD = "forward"
    NEW = "new"


class EmailDirection(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class EmailStatus(enum.StrEnum):
    RECEIVED = "received"  # inbound mail
    QUEUED = "queued"  # outbound, waiting for (another) submission attempt
    SENT = "sent"  # accepted by the submission server
    FAILED = "failed"  # see EmailFailure


class EmailFailure(enum.StrEnum):
    BOUNCE = "bounce"  # a delivery status notification came back
    PERMANENT = "permanent"  # the SMTP server refused it (5xx)
    RETRIES_EXHAUSTED = "retries_exhausted"  # temporary errors until we gave up
    # Not sent: its headers, as written, were not exactly those meant (the detail
    # names the header), e.g. a line break hidden in text taken from a mail.
    UNSAFE_HEADERS = "unsafe_headers"


class EmailProblem(enum.StrEnum):
    """Why a received mail may not look exactly as sent (shown as a marker)."""

    CHARSET_MISLABELED = "charset_mislabeled"  # decoded with another charset than declared
    CHARSET_UNDECODABLE = "charset_undecodable"  # some bytes replaced by U+FFFD
    MALFORMED_MIME = "malformed_mime"  # the parser reported defects
    MISSING_HEADERS = "missing_headers"  # no From, Date or Message-ID
    TOO_MANY_PARTS = "too_many_parts"  # parts beyond the limit were not extracted
    TOO_DEEP = "too_deep"  # multipart nesting beyond the limit was not walked
    TOO_LARGE = "too_large"  # over the size limit: only the raw is kept
    UNPARSEABLE = "unparseable"  # parsing failed outright: only the raw is kept
    # A Message-ID, In-Reply-To, References or address not in RFC 5322 syntax (an
    # encoded word, a line break…): dropped, or the Message-ID replaced by one of ours.
    INVALID_HEADERS = "invalid_headers"


class EmailAddress(msgspec.Struct, frozen=True, gc=False):
    address: str
    name: str = ""


class EmailAttachment(msgspec.Struct, frozen=True, gc=False):
    """Metadata only; the bytes are at ``GET /api/email/attachments/{id}``."""

    id: str
    filename: str
    content_type: str
    size: int
    # Set for inline parts referenced from the HTML as ``cid:<content_id>``.
    content_id: str | None = None
    inline: bool = False


class EmailDetails(msgspec.Struct):
    """One mail of a conversation, as parsed by the hub."""

    message_id: str  # the Zuoxi message id (same as the Message)
    conversation_id: str
    direction: EmailDirection
    status: EmailStatus
    header_message_id: str  # the Message-ID header, with angle brackets
    subject: str
    from_: EmailAddress | None = msgspec.field(default=None, name="from")
    to: list[EmailAddress] = []
    cc: list[EmailAddress] = []
    bcc: list[EmailAddress] = []  # only ever set on outbound mail
    reply_to: list[EmailAddress] = []
    date: int | None = None  # the Date header, ms since the epoch
    in_reply_to: str | None = None
    references: list[str] = []
    text: str = ""  # the whole plain-text body (or text derived from the HTML)
    html: str | None = None  # as received: clients must sanitise before showing it
    attachments: list[EmailAttachment] = []
    calendar_summary: str | None = None  # for a text/calendar invite
    charset_problem: bool = False
    parse_problem: bool = False
    problems: list[EmailProblem] = []
    raw_available: bool = True  # ``GET /api/email/raw/{message_id}``
    failure: EmailFailure | None = None
    failure_detail: str | None = None


# ---- commands ----------------------------------------------------------------------


class SendEmail(msgspec.Struct, tag_field="type", tag="send_email", forbid_unknown_fields=True):
    """Send a mail in an email conversation; ``message_id`` is made by the client.

    ``in_reply_to`` is the Zuoxi message id of the mail answered (reply, reply_all,
    forward); the hub builds In-Reply-To and References from it. ``attachment_ids``
    are ids returned by ``POST /api/email/uploads`` (for forward: also the ids of
    the original's attachments).
    """

    op: OpId
    conversation_id: RefId
    message_id: RefId
    kind: EmailKind
    to: AddressList
    subject: Subject
    text: Body
    cc: AddressList = []
    bcc: AddressList = []
    html: Body | None = None
    attachment_ids: Annotated[list[RefId], msgspec.Meta(max_length=20)] = []
    in_reply_to: RefId | None = None


class FetchEmails(msgspec.Struct, tag_field="type", tag="fetch_emails", forbid_unknown_fields=True):
    """A read: every mail of a conversation assigned to the agent, oldest first."""

    op: OpId
    conversation_id: RefId


# ---- events (inside an `events` frame) -------------------------------------------


class EmailReceived(msgspec.Struct, tag_field="kind", tag="email_received"):
    message: Message
    email: EmailDetails


class EmailSent(msgspec.Struct, tag_field="kind", tag="email_sent"):
    message: Message
    email: EmailDetails


class EmailStatusChanged(msgspec.Struct, tag_field="kind", tag="email_status"):
    conversation_id: str
    message_id: str
    status: EmailStatus
    failure: EmailFailure | None = None
    detail: str | None = None


# ---- hub -> client ---------------------------------------------------------------


class Emails(msgspec.Struct, tag_field="type", tag="emails"):
    """Answer to ``fetch_emails``."""

    op: str
    conversation_id: str
    emails: list[EmailDetails]


class Upload(msgspec.Struct):
    """Answer (JSON body) of ``POST /api/email/uploads``."""

    id: str
    filename: str
    content_type: str
    size: int


# HTTP limits, shared so the desktop can refuse before uploading.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENTS_BYTES = 25 * 1024 * 1024  # all attachments of one outgoing mail

EmailCommand = SendEmail
