"""Raw mail bytes -> ParsedEmail: headers, bodies, attachments, invites, bounces.

The stdlib parser (``policy.default``) splits the MIME structure; text is decoded
here (hub.email.charsets) so mislabeled Chinese mail is decoded or flagged rather
than garbled. Parsing never raises: whatever goes wrong becomes an EmailProblem on
the result, and the raw bytes are stored before this runs anyway.
"""

from __future__ import annotations

import contextlib
import email.utils
import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from html.parser import HTMLParser

from core.protocol.email import EmailAddress, EmailProblem
from hub.email.charsets import Decoding, decode_bytes, decode_header_value, one_line
from hub.email.msgid import header_ids, is_msgid, message_id

MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # larger mail is kept raw and flagged
MAX_PARTS = 500  # parts beyond this are not extracted (the raw keeps them)
MAX_DEPTH = 20  # multipart nesting walked
# The text kept beside the raw: writing megabytes of it is a stall of the hub's
# loop (the raw keeps everything; a longer text is flagged too_large).
MAX_TEXT_CHARS = 200_000
MAX_HTML_CHARS = 2_000_000
MAX_REFERENCES = 50
# The stdlib parser builds every part and header before anything can stop it, so
# the raw is cut first: a header block over this size, and everything after the
# part boundary that would start one part too many (finding 6: 100,000 parts).
MAX_HEADER_BYTES = 256 * 1024
_BOUNDARY_LINE = b"\n--"

# An address holds no encoded word (RFC 2047 allows none there, and the email package
# would decode it when writing a reply), no white space, controls or list punctuation;
# one that does is dropped.
_BAD_ADDRESS = re.compile(r"=\?|[\x00-\x20\x7f<>,;\x85\u2028\u2029]")


class _RawHeaderPolicy(EmailPolicy):
    """``policy.default``, except that headers are fetched as the raw strings stored.

    Every header this module reads is decoded by hub.email.charsets (superset
    charsets, mislabels, 8-bit bytes); the registry's parsed header objects would be
    decoded with the declared charset only, and cost more than the rest of parsing.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_POLICY = _RawHeaderPolicy()


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None
    inline: bool = False


@dataclass
class Bounce:
    """A delivery status notification: which of our mails failed, and why."""

    original_message_id: str | None
    detail: str
    failed: bool


@dataclass
class ParsedEmail:
    header_message_id: str | None = None
    subject: str = ""
    from_: EmailAddress | None = None
    to: list[EmailAddress] = field(default_factory=list)
    cc: list[EmailAddress] = field(default_factory=list)
    reply_to: list[EmailAddress] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    date: int | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    text: str = ""
    html: str | None = None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    calendar_summary: str | None = None
    bounce: Bounce | None = None
    auto_submitted: bool = False
    problems: set[EmailProblem] = field(default_factory=set)
    # Header (lower case) -> ids or addresses in it that were not valid and were
    # dropped; "message-id": the Message-ID was there but not valid.
    invalid: dict[str, int] = field(default_factory=dict)

    def note(self, outcome: Decoding) -> None:
        if outcome is Decoding.MISLABELED:
            self.problems.add(EmailProblem.CHARSET_MISLABELED)
        elif outcome is Decoding.UNDECODABLE:
            self.problems.add(EmailProblem.CHARSET_UNDECODABLE)

    def dropped(self, header: str, count: int = 1) -> None:
        if count:
            self.invalid[header] = self.invalid.get(header, 0) + count
            self.problems.add(EmailProblem.INVALID_HEADERS)


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML body (for mail without a text part)."""

    _SKIP = frozenset({"script", "style", "head", "title"})
    _BREAK = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextOfHtml()
    try:
        extractor.feed(html[:MAX_HTML_CHARS])
        extractor.close()
    except Exception:  # HTMLParser is lenient; this is only belt and braces
        return ""
    text = "".join(extractor.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def _raw_header(msg: Message, name: str) -> str | None:
    for key, value in msg.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def _text(raw: str, out: ParsedEmail) -> str:
    """Decoded header text, on one line: it is shown, and copied into replies."""
    text, outcome = decode_header_value(raw)
    out.note(outcome)
    return one_line(text)


def _header(msg: Message, name: str, out: ParsedEmail) -> str | None:
    raw = _raw_header(msg, name)
    return None if raw is None else _text(raw, out)


def _addresses(msg: Message, name: str, out: ParsedEmail) -> list[EmailAddress]:
    values = [str(v) for k, v in msg.raw_items() if k.lower() == name]
    found: list[EmailAddress] = []
    for display, address in email.utils.getaddresses(values):
        if not address or "@" not in address:
            continue
        # Raw 8-bit (UTF-8) addresses are decoded; an encoded word never is.
        addr = address if "=?" in address else decode_header_value(address)[0]
        if _BAD_ADDRESS.search(addr.strip()):
            out.dropped(name)
            continue
        found.append(EmailAddress(address=addr.strip(), name=_text(display, out).strip('"')))
    return found


def _ids(msg: Message, name: str, out: ParsedEmail) -> list[str]:
    found = header_ids(_raw_header(msg, name))
    out.dropped(name, found.dropped)
    return found.ids


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return b""
    return data if isinstance(data, bytes) else b""


def _part_text(part: Message, out: ParsedEmail) -> str:
    text, outcome = decode_bytes(_payload(part), part.get_content_charset())
    out.note(outcome)
    # A NUL shows as the replacement character, as an undecodable byte does
    # (PostgreSQL text cannot hold NUL, and no reader shows one).
    return text.replace("\r\n", "\n").replace("\x00", "\ufffd")


def _filename(part: Message, out: ParsedEmail, n: int) -> str:
    raw = None
    try:
        raw = part.get_filename()
    except Exception:
        out.problems.add(EmailProblem.MALFORMED_MIME)
    if raw:
        name, outcome = decode_header_value(str(raw))
        out.note(outcome)
        name = re.sub(r"[\x00-\x1f/\\\\]", "_", name).strip() or f"attachment-{n}"
        return name[:255]
    ext = {"text/calendar": ".ics", "message/rfc822": ".eml"}.get(part.get_content_type(), "")
    return f"attachment-{n}{ext}"


def _calendar_summary(text: str) -> str:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    fields: dict[str, str] = {}
    for line in unfolded.splitlines():
        key, sep, value = line.partition(":")
        name = key.split(";", 1)[0].upper()
        if sep and name in ("SUMMARY", "DTSTART", "LOCATION", "METHOD") and name not in fields:
            fields[name] = value.replace("\\,", ",").replace("\\n", " ").strip()
    parts = [fields.get("SUMMARY", "")]
    if "DTSTART" in fields:
        parts.append(fields["DTSTART"])
    if "LOCATION" in fields:
        parts.append(fields["LOCATION"])
    return " · ".join(p for p in parts if p) or "calendar invite"


def _bounce(report: Message, out: ParsedEmail) -> None:
    original: str | None = None
    actions: list[str] = []
    details: list[str] = []
    for part in report.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            body = _payload(part).decode("utf-8", "replace")
            if not body:  # policy.default may present the status blocks as sub-parts
                body = "\n".join(str(p) for p in part.get_payload() or [] if isinstance(p, Message))
            for line in body.splitlines():
                key, _, value = line.partition(":")
                if key.strip().lower() == "action":
                    actions.append(value.strip().lower())
                elif key.strip().lower() in ("diagnostic-code", "status"):
                    details.append(value.strip())
        elif ctype in ("message/rfc822", "text/rfc822-headers") and original is None:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original = message_id(_raw_header(inner[0], "message-id"))
            else:
                text = _payload(part).decode("utf-8", "replace")
                found = re.search(r"(?im)^message-id:\s*(<[^>]+>)", text)
                original = found.group(1) if found and is_msgid(found.group(1)) else None
    failed = not actions or any(a.startswith("failed") for a in actions)
    out.bounce = Bounce(original, "; ".join(details)[:500] or "delivery failed", failed)


def _walk(root: Message, out: ParsedEmail) -> None:
    """Leaves of the MIME tree, iteratively (no recursion on hostile nesting)."""
    texts: list[str] = []
    stack: list[tuple[Message, int, bool]] = [(root, 0, False)]
    seen = 0
    while stack:
        part, depth, in_alternative = stack.pop()
        seen += 1
        if part.defects:
            out.problems.add(EmailProblem.MALFORMED_MIME)
        if seen > MAX_PARTS:
            out.problems.add(EmailProblem.TOO_MANY_PARTS)
            break
        ctype = part.get_content_type()
        if part.is_multipart() and ctype != "message/rfc822":
            if depth >= MAX_DEPTH:
                out.problems.add(EmailProblem.TOO_DEEP)
                continue
            if ctype == "multipart/report" and out.bounce is None:
                _bounce(part, out)
            children = part.get_payload()
            if isinstance(children, list):
                alt = ctype == "multipart/alternative"
                for child in reversed(children):
                    if isinstance(child, Message):
                        stack.append((child, depth + 1, alt))
            continue
        disposition = (part.get_content_disposition() or "").lower()
        content_id = (part.get("Content-ID") or "").strip().strip("<>") or None
        attached = disposition == "attachment"
        if ctype == "text/plain" and not attached:
            if in_alternative and texts:
                continue  # a second plain alternative says the same again
            texts.append(_part_text(part, out))
            continue
        if ctype == "text/html" and not attached and out.html is None:
            out.html = _part_text(part, out)
            continue
        if ctype == "message/delivery-status":
            continue
        if ctype == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes() if isinstance(first, Message) else _payload(part)
        else:
            data = _payload(part)
        if ctype == "text/calendar" and out.calendar_summary is None:
            out.calendar_summary = _calendar_summary(decode_bytes(data, "utf-8")[0])
        inline = disposition == "inline" or (content_id is not None and not attached)
        out.attachments.append(
            ParsedAttachment(
                filename=_filename(part, out, len(out.attachments) + 1),
                content_type=ctype,
                data=data,
                content_id=content_id,
                inline=inline,
            )
        )
    out.text = "\n\n".join(t for t in texts if t.strip())


def _split_head(raw: bytes) -> tuple[bytes, bytes, bytes]:
    crlf, lf = raw.find(b"\r\n\r\n"), raw.find(b"\n\n")
    if crlf >= 0 and (lf < 0 or crlf < lf):
        return raw.partition(b"\r\n\r\n")
    return raw.partition(b"\n\n")


def bound(raw: bytes, out: ParsedEmail) -> bytes:
    """The part of ``raw`` the parser may see; what was cut is noted on ``out``.

    Only fast byte searches here: this runs before the expensive parse.
    """
    head, sep, body = _split_head(raw)
    if len(head) > MAX_HEADER_BYTES:
        out.problems.add(EmailProblem.TOO_LARGE)
        head = head[: head.rfind(b"\n", 0, MAX_HEADER_BYTES) + 1].rstrip(b"\r\n")
        sep = sep or b"\r\n\r\n"
    if body.count(_BOUNDARY_LINE) > MAX_PARTS:
        # Each part starts at a boundary line: keep the first MAX_PARTS of them.
        at = -1
        for _ in range(MAX_PARTS + 1):
            at = body.find(_BOUNDARY_LINE, at + 1)
        body = body[: at + 1]
        out.problems.add(EmailProblem.TOO_MANY_PARTS)
    return head + sep + body


def parse(raw: bytes) -> ParsedEmail:
    """Parse one mail; never raises. Work is bounded by the limits above."""
    out = ParsedEmail()
    too_large = len(raw) > MAX_MESSAGE_BYTES
    if too_large:
        out.problems.add(EmailProblem.TOO_LARGE)
        head, _, _ = _split_head(raw)
        raw = head + b"\r\n\r\n"
    raw = bound(raw, out)
    try:
        msg = BytesParser(policy=_POLICY).parsebytes(raw)
        _headers(msg, out)
        if not too_large:
            _walk(msg, out)
    except Exception:  # e.g. RecursionError on hostile nesting: keep what the headers say
        out = ParsedEmail(problems={*out.problems, EmailProblem.UNPARSEABLE})
        with contextlib.suppress(Exception):
            _headers(BytesParser(policy=_POLICY).parsebytes(raw, headersonly=True), out)
        out.text = ""
        return out
    if out.html is not None and len(out.html) > MAX_HTML_CHARS:
        out.html = out.html[:MAX_HTML_CHARS]
        out.problems.add(EmailProblem.TOO_LARGE)
    if not out.text and out.html:
        out.text = html_to_text(out.html)
    if len(out.text) > MAX_TEXT_CHARS:
        out.text = out.text[:MAX_TEXT_CHARS]
        out.problems.add(EmailProblem.TOO_LARGE)
    return out


def parse_headers(raw: bytes, problems: set[EmailProblem] | None = None) -> ParsedEmail:
    """Only the first headers (at most 64 KiB): when the whole parse was given up."""
    out = ParsedEmail(problems=set(problems or ()))
    head, _, _ = _split_head(raw[: 64 * 1024])
    with contextlib.suppress(Exception):
        _headers(BytesParser(policy=_POLICY).parsebytes(head + b"\r\n\r\n",
                                                        headersonly=True), out)
    return out


def _headers(msg: Message, out: ParsedEmail) -> None:
    if msg.defects:
        out.problems.add(EmailProblem.MALFORMED_MIME)
    raw_id = _raw_header(msg, "message-id")
    out.header_message_id = message_id(raw_id)
    if raw_id is not None and out.header_message_id is None:
        out.dropped("message-id")  # the hub gives the mail an id of its own
    out.subject = _header(msg, "subject", out) or ""
    froms = _addresses(msg, "from", out)
    out.from_ = froms[0] if froms else None
    out.to = _addresses(msg, "to", out)
    out.cc = _addresses(msg, "cc", out)
    out.reply_to = _addresses(msg, "reply-to", out)
    out.delivered_to = [
        a.address for name in ("delivered-to", "x-original-to") for a in _addresses(msg, name, out)
    ]
    date = _header(msg, "date", out)
    if date:
        try:
            out.date = int(email.utils.parsedate_to_datetime(date).timestamp() * 1000)
        except (TypeError, ValueError, IndexError, OverflowError):
            out.problems.add(EmailProblem.MALFORMED_MIME)
    in_reply_to = _ids(msg, "in-reply-to", out)
    out.in_reply_to = in_reply_to[0] if in_reply_to else None
    out.references = _ids(msg, "references", out)[-MAX_REFERENCES:]
    auto = (_header(msg, "auto-submitted", out) or "no").lower()
    out.auto_submitted = auto != "no"
    if out.from_ is None or raw_id is None or date is None:
        out.problems.add(EmailProblem.MISSING_HEADERS)
