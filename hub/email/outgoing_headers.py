"""The top-level headers of outgoing mail: written field by field, checked before sending.

Subjects, display names and ids in our replies come, through the agent, from
customers' mail. The email package re-parses any header text it is handed and
decodes the encoded words in it; before CPython 3.11.10 / 3.12.5 it then writes a
decoded CR LF as it is (CVE-2024-6923). So the headers are written here, and any
text that is not plain printable ASCII, or that contains ``=?``, goes out as
encoded words of our own: what the recipient decodes is exactly the text meant.

``check`` is the last look at the exact bytes about to be submitted: every line of
the header block is printable ASCII ending in CR LF, the block parses back to
exactly the fields meant (none added, none lost, no blank line injected), their
values decode to what was meant and hold no line break, the body parts are the
text, its HTML twin and the attachments meant (with MIME fields only), and the
envelope names exactly the intended recipients. A mail that fails is not sent.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Sequence
from email import policy
from email.header import Header, decode_header, make_header
from email.message import Message
from email.parser import BytesParser

from core.protocol.email import EmailAddress, EmailDetails
from hub.email.charsets import one_line
from hub.email.msgid import is_msgid

LINESEP = "\r\n"
_FOLD_AT = 78  # preferred line length; RFC 5322 allows 998
_LONGEST_PLAIN_WORD = 200  # a longer word goes as encoded words, which fold anywhere
_PRINTABLE = re.compile(r"[ -~]*", re.ASCII)
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_ATOMS = re.compile(rf"{_ATEXT}+(?: {_ATEXT}+)*", re.ASCII)
_ADDRESS = re.compile(
    rf"{_ATEXT}+(?:\.{_ATEXT}+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+", re.ASCII)
_FIELD_NAME = re.compile(rb"([!-9;-~]+):")
_BREAKS = re.compile(r"[\r\n\x00]")
_MAX_LINE = 998


# ---- writing -------------------------------------------------------------------------


def field(name: str, items: Sequence[str], sep: str = " ") -> str:
    """``Name: item<sep>item…`` with CR LF, folded before an item that would pass 78."""
    line = f"{name}:"
    lines: list[str] = []
    for i, item in enumerate(items):
        glue = sep if i else " "
        if i and len(line) + len(glue) + len(item) > _FOLD_AT:
            lines.append(line + glue.rstrip(" "))
            line = " " + item
        else:
            line += glue + item
    lines.append(line)
    return LINESEP.join(lines) + LINESEP


def _plain(word: str) -> bool:
    return (len(word) <= _LONGEST_PLAIN_WORD and "=?" not in word
            and _PRINTABLE.fullmatch(word) is not None)


def _encoded(text: str, name: str) -> str:
    return Header(text, "utf-8", header_name=name).encode(linesep=LINESEP)


def text(name: str, value: str) -> str:
    """An unstructured field (Subject): plain words as they are, the rest encoded."""
    words = value.split(" ")
    items: list[str] = []
    run: list[str] = []
    for word in words:
        # A run of encoded words takes in the spaces within it (decoders drop the white
        # space between two encoded words), so only a plain word ends it.
        if _plain(word) and (word or not run):
            if run:
                items.append(_encoded(" ".join(run), name))
                run = []
            items.append(word)
        else:
            run.append(word)
    if run:
        items.append(_encoded(" ".join(run), name))
    return field(name, items)


def _phrase(name: str, header: str) -> str:
    if _ATOMS.fullmatch(name) and "=?" not in name:
        return name
    if _PRINTABLE.fullmatch(name) and "=?" not in name and len(name) <= _LONGEST_PLAIN_WORD:
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _encoded(name, header)


def mailbox(address: EmailAddress, header: str) -> str:
    if not address.name:
        return address.address
    return f"{_phrase(address.name, header)} <{address.address}>"


def addresses(name: str, values: Sequence[EmailAddress]) -> str:
    if not values:
        return field(name, ["undisclosed-recipients:;"])
    return field(name, [mailbox(a, name) for a in values], ", ")


def file_name(name: str) -> str:
    """An attachment's file name as the email package may write it into its part.

    The package writes the part's headers itself, and decodes an encoded word in a
    quoted file name as it does in a subject: the name goes on one line, and a
    ``=?`` in it (a name from a customer's mail, decoded once) loses its power.
    """
    return one_line(name).replace("=?", "= ?") or "attachment"


# ---- checking ------------------------------------------------------------------------


class UnsafeHeadersError(Exception):
    """A mail whose headers are not exactly what was meant; it must not be sent."""

    def __init__(self, header: str, reason: str) -> None:
        super().__init__(f"{header}: {reason}")
        self.header = header
        self.reason = reason


def _expected(details: EmailDetails) -> list[str]:
    """The fields ``build_message`` writes, in its order (the MIME ones last)."""
    names = ["Message-ID", "Date", "From", "Reply-To", "To"]
    if details.cc:
        names.append("Cc")
    names.append("Subject")
    if details.in_reply_to:
        names.append("In-Reply-To")
    if details.references:
        names.append("References")
    return [*names, "Auto-Submitted", "X-Zuoxi-Conversation", "MIME-Version", "Content-Type"]


def _fields(head: bytes) -> list[tuple[str, str]]:
    """(name, unfolded value) of a header block whose every line is clean."""
    fields: list[tuple[str, str]] = []
    for line in head.split(b"\r\n"):
        found = _FIELD_NAME.match(line)
        if line[:1] in (b" ", b"\t") or found is None:
            name = fields[-1][0] if fields else "(first line)"
        else:
            name = found.group(1).decode("ascii", errors="replace")
        if b"\r" in line or b"\n" in line:
            raise UnsafeHeadersError(name, "a bare CR or LF")
        if any((b < 0x20 and b != 0x09) or b > 0x7E for b in line):
            raise UnsafeHeadersError(name, "a control or non-ASCII byte")
        if len(line) > _MAX_LINE:
            raise UnsafeHeadersError(name, "a line over 998 characters")
        if line[:1] in (b" ", b"\t"):
            if not fields:
                raise UnsafeHeadersError(name, "a continuation line first")
            fields[-1] = (name, fields[-1][1] + line.decode("ascii"))
            continue
        if found is None:
            raise UnsafeHeadersError(name, "a line that is no header field")
        fields.append((name, line[found.end():].decode("ascii")))
    return fields


def _names_match(names: list[str], expected: list[str]) -> None:
    """The fields are exactly those meant, each once (names compared without case)."""
    lower = [n.lower() for n in names]
    meant = {n.lower() for n in expected}
    for name in names:
        if name.lower() not in meant:
            raise UnsafeHeadersError(name, "a field that was not meant")
        if lower.count(name.lower()) > 1:
            raise UnsafeHeadersError(name, "a field twice")
    for name in expected:
        if name.lower() not in lower:
            raise UnsafeHeadersError(name, "a field missing")


def _same(name: str, got: object, meant: object) -> None:
    if got != meant:
        raise UnsafeHeadersError(name, f"reads back as {got!r}, not {meant!r}")


def _mailboxes(parsed: Message, fields: list[tuple[str, str]],
               name: str) -> list[tuple[str, str]]:
    """(display name, address) of an address field, read by two parsers that must agree.

    The email package's own parser gives the addresses, as relays built on it read
    them; display names come from the RFC 2047 decoder of ``email.header``, since
    the former keeps the space between two encoded words of one long name.
    """
    specs = [a.addr_spec for a in getattr(parsed[name], "addresses", ())]
    raw = next((value for n, value in fields if n.lower() == name.lower()), "")
    pairs = [(str(make_header(decode_header(display))) if display else "", address)
             for display, address in email.utils.getaddresses([raw]) if address]
    _same(name, [address for _, address in pairs], specs)
    return pairs


_PART_FIELDS = frozenset({"content-type", "content-transfer-encoding", "content-disposition",
                          "content-id", "mime-version"})


def _check_parts(raw: bytes, details: EmailDetails) -> None:
    """The body is the text, its HTML twin and the attachments meant, each part with
    MIME fields only, none holding a line break once decoded."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = list(message.walk())
    for part in parts[1:]:
        for name, value in part.items():
            if name.lower() not in _PART_FIELDS:
                raise UnsafeHeadersError(name, "a field that was not meant in a body part")
            if _BREAKS.search(str(value)):
                raise UnsafeHeadersError(name, "a line break in a body part's field")
    leaves = [p for p in parts if not p.is_multipart()]
    _same("(body)", [p.get_content_type() for p in leaves[:2]], ["text/plain", "text/html"])
    _same("Content-Disposition", [p.get_filename() for p in leaves[2:]],
          [file_name(a.filename) for a in details.attachments])


def check(raw: bytes, details: EmailDetails, envelope: Sequence[str]) -> None:
    """Raise UnsafeHeadersError unless ``raw`` and ``envelope`` are exactly the mail meant."""
    head, blank, _ = raw.partition(b"\r\n\r\n")
    if not blank:
        raise UnsafeHeadersError("(header block)", "no blank line after it")
    fields = _fields(head)
    _names_match([n for n, _ in fields], _expected(details))
    for name, value in fields:
        if _BREAKS.search(value):
            raise UnsafeHeadersError(name, "a line break in its value")
    try:
        parsed = BytesParser(policy=policy.default).parsebytes(head + b"\r\n\r\n",
                                                               headersonly=True)
        for name, _ in fields:
            try:
                decoded = str(parsed[name])
            except Exception as exc:  # e.g. an address with a CR LF in an encoded word
                raise UnsafeHeadersError(name, f"{type(exc).__name__}: {exc}") from None
            if _BREAKS.search(decoded):
                raise UnsafeHeadersError(name, "a line break once decoded")
        ids = (("Message-ID", [details.header_message_id]),
               ("In-Reply-To", [details.in_reply_to] if details.in_reply_to else []),
               ("References", details.references))
        for name, meant_ids in ids:
            if meant_ids:
                _same(name, str(parsed[name]).split(), meant_ids)
            if not all(is_msgid(i) for i in meant_ids):
                raise UnsafeHeadersError(name, "not a msg-id")
        _same("Subject", str(parsed["Subject"]).strip(), details.subject.strip())
        sender = details.from_ or EmailAddress("")
        _same("From", _mailboxes(parsed, fields, "From"), [(sender.name, sender.address)])
        if len(_mailboxes(parsed, fields, "Reply-To")) != 1:
            raise UnsafeHeadersError("Reply-To", "not one address")
        for name, meant in (("To", details.to), ("Cc", details.cc)):
            if name == "To" or meant:
                _same(name, _mailboxes(parsed, fields, name), [(a.name, a.address) for a in meant])
        if parsed.get_content_maintype() != "multipart":
            raise UnsafeHeadersError("Content-Type", "not the multipart body built")
        _check_parts(raw, details)
    except UnsafeHeadersError:
        raise
    except Exception as exc:  # the email package choked on what we wrote
        raise UnsafeHeadersError("(header block)", f"{type(exc).__name__}: {exc}") from None
    intended = list(dict.fromkeys(a.address for a in (*details.to, *details.cc, *details.bcc)))
    _same("(envelope)", list(envelope), intended)
    for address in envelope:
        if "=?" in address or not _ADDRESS.fullmatch(address):
            raise UnsafeHeadersError("(envelope)", f"{address!r} is no plain address")
