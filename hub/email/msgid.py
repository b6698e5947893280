"""Message ids taken from mail: RFC 5322 msg-id syntax only, never encoded words.

Ids read from a customer's Message-ID, In-Reply-To and References are stored and
later written into the In-Reply-To and References of our replies. The email
package decodes RFC 2047 encoded words in header values it writes, and before
CPython 3.11.10 / 3.12.5 it writes a decoded CR LF as it is (CVE-2024-6923): an
id hiding ``=?utf-8?q?...=0D=0A...?=`` would add headers, or a body, to a reply
that goes to every Cc. So these headers are read raw, never decoded, and an id is
kept only when it is exactly ``"<" dot-atom-text "@" (dot-atom-text /
no-fold-literal) ">"``: printable ASCII, bounded, and without ``=?`` (which the
dot-atom grammar allows, and which opens an encoded word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Real ids are well under 100 characters; this leaves room and keeps a References
# line of 20 ids within what mail servers accept.
MAX_MSGID_CHARS = 250

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_ATOM_TEXT = rf"{_ATEXT}+(?:\.{_ATEXT}+)*"
_NO_FOLD_LITERAL = r"\[[!-Z^-~]*\]"  # dtext: printable ASCII but "[", "]" and "\"
_MSG_ID = re.compile(rf"<{_DOT_ATOM_TEXT}@(?:{_DOT_ATOM_TEXT}|{_NO_FOLD_LITERAL})>", re.ASCII)
_COMMENT = re.compile(r"\([^()]*\)")
_SEPARATORS = re.compile(r"[\s,]+")
_ADJACENT = re.compile(r"(?<=>)(?=<)")


def is_msgid(value: str) -> bool:
    """``value`` is one msg-id, angle brackets included, safe to write into a header."""
    return (len(value) <= MAX_MSGID_CHARS and "=?" not in value
            and _MSG_ID.fullmatch(value) is not None)


@dataclass(frozen=True)
class HeaderIds:
    ids: list[str]  # the valid msg-ids, in order, without repeats
    dropped: int  # words of the header that were not a valid msg-id


def header_ids(raw: str | None) -> HeaderIds:
    """The msg-ids of a raw (undecoded) Message-ID, In-Reply-To or References value.

    Comments are skipped; ids may be separated by white space or commas (some
    mailers use them) or not at all. Every other word — an encoded word, a phrase
    of the obsolete In-Reply-To syntax, an id with a CR, a NUL or non-ASCII — is
    dropped and counted.
    """
    if not raw:
        return HeaderIds([], 0)
    value = raw
    for _ in range(10):  # nested comments, innermost first; deeper nesting is junk
        stripped = _COMMENT.sub(" ", value)
        if stripped == value:
            break
        value = stripped
    ids: list[str] = []
    dropped = 0
    for word in _SEPARATORS.split(value):
        for piece in _ADJACENT.split(word):
            if not piece:
                continue
            if is_msgid(piece):
                if piece not in ids:
                    ids.append(piece)
            else:
                dropped += 1
    return HeaderIds(ids, dropped)


def message_id(raw: str | None) -> str | None:
    """The Message-ID: exactly one valid msg-id (comments aside), else None."""
    found = header_ids(raw)
    return found.ids[0] if len(found.ids) == 1 and not found.dropped else None
