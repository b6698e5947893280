"""Which conversation a mail belongs to.

Header references first (In-Reply-To, then References from the newest back): they
name a mail we stored, so its conversation. Then the conversation token Zuoxi puts
in every subject it sends ("[#ZX-ABCD2345]") and in its Reply-To plus-address
("support+zx-abcd2345@…"), which survive clients that drop the headers. A mail
that matches nothing — a new subject — starts a new conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from hub.email.parser import ParsedEmail

_SUBJECT_TOKEN = re.compile(r"\[#(ZX-[A-Z2-9]{8})\]", re.IGNORECASE)
_ADDRESS_TOKEN = re.compile(r"\+(zx-[a-z2-9]{8})@", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|回复|答复|转发)\s*(\[\d+\])?\s*[:：]\s*)+",
                           re.IGNORECASE)


class ThreadLookup(Protocol):
    def conversation_by_header_ids(self, header_ids: Iterable[str]) -> str | None: ...

    def conversation_by_token(self, token: str) -> str | None: ...


@dataclass(frozen=True)
class ThreadMatch:
    conversation_id: str
    by: str  # "headers", "subject-token" or "address-token"


def subject_token(subject: str) -> str | None:
    found = _SUBJECT_TOKEN.search(subject)
    return found.group(1).upper() if found else None


def address_token(addresses: Iterable[str]) -> str | None:
    for address in addresses:
        found = _ADDRESS_TOKEN.search(address)
        if found:
            return found.group(1).upper()
    return None


def with_token(subject: str, token: str) -> str:
    """The subject Zuoxi sends: the token once, at the end."""
    if subject_token(subject) == token:
        return subject
    base = _SUBJECT_TOKEN.sub("", subject).strip()
    return f"{base} [#{token}]" if base else f"[#{token}]"


def plus_address(mailbox: str, token: str) -> str:
    """support@example.com + ZX-ABCD2345 -> support+zx-abcd2345@example.com."""
    local, _, domain = mailbox.partition("@")
    local = local.split("+", 1)[0]
    return f"{local}+{token.lower()}@{domain}"


def reply_subject(subject: str) -> str:
    """'Re: ' once, whatever prefixes (English or Chinese) were there."""
    return "Re: " + _REPLY_PREFIX.sub("", subject).strip()


def forward_subject(subject: str) -> str:
    return "Fwd: " + _REPLY_PREFIX.sub("", subject).strip()


def find_thread(parsed: ParsedEmail, lookup: ThreadLookup) -> ThreadMatch | None:
    ids: list[str] = []
    if parsed.in_reply_to:
        ids.append(parsed.in_reply_to)
    ids.extend(reversed(parsed.references))
    found = lookup.conversation_by_header_ids(ids)
    if found:
        return ThreadMatch(found, "headers")
    token = subject_token(parsed.subject)
    if token:
        found = lookup.conversation_by_token(token)
        if found:
            return ThreadMatch(found, "subject-token")
    recipients = [a.address for a in (*parsed.to, *parsed.cc)] + parsed.delivered_to
    token = address_token(recipients)
    if token:
        found = lookup.conversation_by_token(token)
        if found:
            return ThreadMatch(found, "address-token")
    return None


def references_chain(parent_references: list[str], parent_id: str) -> list[str]:
    """References of a reply: the parent's chain plus the parent (RFC 5322 3.6.4)."""
    chain = [r for r in parent_references if r != parent_id]
    chain.append(parent_id)
    # Long chains keep the first (the thread's root) and the latest ones.
    return chain if len(chain) <= 20 else [chain[0], *chain[-19:]]
