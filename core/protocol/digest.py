"""Digests of an agent's state, computed the same way by the hub and the client.

Used by the consistency check: equal digests mean the client's cache holds
exactly what the hub holds for that agent (open conversations and their messages,
with their statuses). Each row is one canonical text line; the digest is the
SHA-256 of the sorted lines, so order of storage does not matter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import msgspec


class TableDigest(msgspec.Struct):
    count: int
    sha256: str


class StateDigest(msgspec.Struct):
    """What ``GET /api/digest`` returns, and what the client computes."""

    head_seq: int
    conversations: TableDigest
    messages: TableDigest


def conversation_line(conversation_id: str, customer_id: str, status: str) -> str:
    return f"{conversation_id}|{customer_id}|{status}"


def message_line(message_id: str, conversation_id: str, author: str, status: str, text: str) -> str:
    text_hash = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{message_id}|{conversation_id}|{author}|{status}|{text_hash}"


def table_digest(lines: Iterable[str]) -> TableDigest:
    ordered = sorted(lines)
    h = hashlib.sha256()
    for line in ordered:
        h.update(line.encode())
        h.update(b"\n")
    return TableDigest(count=len(ordered), sha256=h.hexdigest())


def differences(local: StateDigest, remote: StateDigest) -> list[str]:
    """Names of the parts that differ (empty when the two agree)."""
    out = []
    if local.head_seq != remote.head_seq:
        out.append(f"head_seq: local {local.head_seq}, hub {remote.head_seq}")
    for name in ("conversations", "messages"):
        a, b = getattr(local, name), getattr(remote, name)
        if a != b:
            out.append(
                f"{name}: local {a.count} rows, hub {b.count} rows, digests differ"
                if a.count == b.count
                else f"{name}: local {a.count} rows, hub {b.count}"
            )
    return out
