"""Composing a mail without Qt: drafts, recipients, checks, replies and templates.

The UI supplies every word a customer will read (the "wrote:" line, the forward
header, templates, the signature) already translated; this module only assembles
and checks. A draft is a msgspec struct so the cache can keep it as JSON.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import msgspec

from core.protocol.email import (
    MAX_ADDRESS_CHARS,
    MAX_ATTACHMENTS_BYTES,
    MAX_BODY_CHARS,
    MAX_SUBJECT_CHARS,
    MAX_UPLOAD_BYTES,
    EmailAddress,
    EmailDetails,
    EmailKind,
)

MAX_RECIPIENTS = 100
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
ANGLE = re.compile(r"<([^<>]*)>\s*$")
LINE_BREAKS = re.compile(r"[\r\n\x00]")
REPLY_PREFIX = re.compile(r"^\s*(re|aw|回复|答复)\s*[:：]", re.I)
FORWARD_PREFIX = re.compile(r"^\s*(fwd?|wg|转发)\s*[:：]", re.I)
# Executable types: opening one is a risk, so the view asks first.
EXECUTABLE_SUFFIXES = frozenset({
    ".exe", ".bat", ".js", ".vbs", ".scr", ".msi", ".jar", ".ps1", ".cmd", ".com", ".lnk",
})


class FileToSend(msgspec.Struct, frozen=True):
    """An attachment of a draft: a local file, uploaded once online."""

    path: str
    filename: str
    content_type: str
    size: int
    upload_id: str | None = None


class Draft(msgspec.Struct, frozen=True):
    conversation_id: str
    kind: EmailKind = EmailKind.REPLY
    in_reply_to: str | None = None
    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    text: str = ""
    files: list[FileToSend] = []
    forwarded_ids: list[str] = []  # the original's attachments, when forwarding


class Field(enum.StrEnum):
    TO = "to"
    CC = "cc"
    BCC = "bcc"
    SUBJECT = "subject"
    TEXT = "text"
    FILES = "files"


class Problem(enum.StrEnum):
    NO_RECIPIENT = "no_recipient"
    BAD_ADDRESS = "bad_address"
    LINE_BREAK = "line_break"  # CR/LF/NUL: header injection
    TOO_MANY_RECIPIENTS = "too_many_recipients"
    TOO_LONG = "too_long"
    FILE_TOO_LARGE = "file_too_large"
    FILES_TOO_LARGE = "files_too_large"


@dataclass(frozen=True)
class Issue:
    field: Field
    problem: Problem
    value: str = ""


@dataclass(frozen=True)
class Wording:
    """Translated words the UI hands in."""

    wrote: str = "On {date}, {name} wrote:"
    forwarded: str = "---------- Forwarded message ----------"
    from_label: str = "From"
    date_label: str = "Date"
    subject_label: str = "Subject"
    to_label: str = "To"
    reply_prefix: str = "Re: "
    forward_prefix: str = "Fwd: "


def split_addresses(text: str) -> list[str]:
    """Addresses as typed ("Name <a@b>, c@d; "Li, Lei" <e@f>") → bare addresses, in order."""
    parts, current, quoted, angle = [], "", False, False
    for char in text:
        if char == '"' and not angle:
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        if char in ",;" and not quoted and not angle:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = ANGLE.search(part)
        out.append(match.group(1).strip() if match else part)
    return out


def check_addresses(field: Field, text: str) -> list[Issue]:
    if LINE_BREAKS.search(text.strip("\n")):
        return [Issue(field, Problem.LINE_BREAK)]
    issues = [
        Issue(field, Problem.BAD_ADDRESS, a)
        for a in split_addresses(text)
        # "=?" is allowed in an address, but mail software would decode an encoded word
        # there: the hub refuses such an address, so say so before sending.
        if len(a) > MAX_ADDRESS_CHARS or not ADDRESS.match(a) or "=?" in a
    ]
    return issues


def validate(draft: Draft) -> list[Issue]:
    """Everything that stops the draft from going out; empty when it may be sent."""
    issues: list[Issue] = []
    for field, text in ((Field.TO, draft.to), (Field.CC, draft.cc), (Field.BCC, draft.bcc)):
        issues += check_addresses(field, text)
    everyone = recipients(draft)
    if not everyone:
        issues.append(Issue(Field.TO, Problem.NO_RECIPIENT))
    elif len(everyone) > MAX_RECIPIENTS:
        issues.append(Issue(Field.TO, Problem.TOO_MANY_RECIPIENTS))
    if LINE_BREAKS.search(draft.subject):
        issues.append(Issue(Field.SUBJECT, Problem.LINE_BREAK))
    elif len(draft.subject) > MAX_SUBJECT_CHARS:
        issues.append(Issue(Field.SUBJECT, Problem.TOO_LONG))
    if len(draft.text) > MAX_BODY_CHARS:
        issues.append(Issue(Field.TEXT, Problem.TOO_LONG))
    issues += check_files(draft.files)
    return issues


def check_files(files: Sequence[FileToSend]) -> list[Issue]:
    issues = [Issue(Field.FILES, Problem.FILE_TOO_LARGE, f.filename)
              for f in files if f.size > MAX_UPLOAD_BYTES]
    if not issues and sum(f.size for f in files) > MAX_ATTACHMENTS_BYTES:
        issues.append(Issue(Field.FILES, Problem.FILES_TOO_LARGE))
    return issues


def recipients(draft: Draft) -> list[str]:
    return [a for text in (draft.to, draft.cc, draft.bcc) for a in split_addresses(text)]


def is_executable(filename: str) -> bool:
    name = filename.lower().rstrip(". ")
    return any(name.endswith(suffix) for suffix in EXECUTABLE_SUFFIXES)


# ---- replies ----------------------------------------------------------------------------


def _joined(addresses: Iterable[EmailAddress]) -> str:
    return ", ".join(a.address for a in addresses)


def _display(address: EmailAddress | None) -> str:
    if address is None:
        return ""
    return f"{address.name} <{address.address}>" if address.name else address.address


def answer(
    original: EmailDetails, kind: EmailKind, own: Iterable[str], *, date_text: str,
    wording: Wording = Wording(), signature: str = "", greeting: str = "",
) -> Draft:
    """A reply, reply-all or forward of ``original``, with the original quoted.

    ``own`` are the mailbox's addresses (never answered to); ``date_text`` is the
    original's date as the UI shows it; ``greeting`` a filled-in template.
    """
    mine = {a.lower() for a in own}
    sender = original.reply_to or ([original.from_] if original.from_ else [])
    to, cc, forwarded = "", "", []
    if kind is EmailKind.FORWARD:
        subject = _prefixed(original.subject, wording.forward_prefix, FORWARD_PREFIX)
        header = [wording.forwarded,
                  f"{wording.from_label}: {_display(original.from_)}",
                  f"{wording.date_label}: {date_text}",
                  f"{wording.subject_label}: {original.subject}",
                  f"{wording.to_label}: {', '.join(_display(a) for a in original.to)}", ""]
        quoted = "\n".join(header) + "\n" + original.text
        forwarded = [a.id for a in original.attachments if not a.inline]
    else:
        subject = _prefixed(original.subject, wording.reply_prefix, REPLY_PREFIX)
        to = _joined(a for a in sender if a.address.lower() not in mine)
        if kind is EmailKind.REPLY_ALL:
            taken = mine | {a.address.lower() for a in sender}
            others: list[EmailAddress] = []
            for a in [*original.to, *original.cc]:
                if a.address.lower() not in taken:
                    taken.add(a.address.lower())
                    others.append(a)
            cc = _joined(others)
        name = original.from_.name or original.from_.address if original.from_ else ""
        # the sanitiser (nh3, its HTML parser) loads with the first mail answered
        from core.email.html_sanitiser import quote_text

        quoted = wording.wrote.format(date=date_text, name=name) + "\n" + quote_text(
            original.text)
    body = greeting + "\n\n" + signature_block(signature) + "\n\n" + quoted
    return Draft(
        conversation_id=original.conversation_id, kind=kind, in_reply_to=original.message_id,
        to=to, cc=cc, subject=subject, text=body.lstrip("\n") if not greeting else body,
        forwarded_ids=forwarded,
    )


def _prefixed(subject: str, prefix: str, already: re.Pattern[str]) -> str:
    return subject if already.match(subject) else prefix + subject


def signature_block(signature: str) -> str:
    """The conventional "-- " separator, so mail clients can recognise it."""
    return "-- \n" + signature.strip() if signature.strip() else ""


def fill_template(template: str, *, customer_name: str, agent_name: str) -> str:
    """``{customer_name}`` and ``{agent_name}`` filled in; other braces left alone."""
    return template.replace("{customer_name}", customer_name).replace(
        "{agent_name}", agent_name)
