"""Global search over the cache: customers (name, contact points), message text and
what was said in transcribed calls (core/call/transcript_cache.py).

Both indexes are FTS5 tables with the ``trigram`` tokenizer, so any substring of
three or more characters matches — Chinese text included, which word tokenizers
cannot segment. Shorter queries ("王", "芳芳") fall back to LIKE: on names, and
on the newest 50,000 messages (a bounded scan, so a keystroke never stalls).
Phone numbers are indexed with their digits too, so "13800138000", "138 0013"
and "+86 138" all find "+8613800138000". Results come grouped by
customer: customers whose profile matched first, then those with matching
messages, most recent first.
"""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database

from core.profile.profile_cache import _run, phone_digits
from core.protocol.models import Channel, Identity, IdentityKind
from core.records import CustomerHit, MessageHit

MIN_TRIGRAM = 3
IDENTITY_KINDS = frozenset(k.value for k in IdentityKind)
CUSTOMER_LIMIT = 20
MESSAGE_SCAN = 200  # newest matching messages considered
MESSAGES_PER_CUSTOMER = 3
# One or two characters cannot use the trigram index: scan only the newest messages.
SHORT_RECENT_MESSAGES = 50_000
_PHONE_LIKE = re.compile(r"[\d\s+()\-.]+")


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def phone_query(text: str) -> str | None:
    """The digits to look for when ``text`` reads like (part of) a phone number."""
    if not _PHONE_LIKE.fullmatch(text):
        return None
    digits = phone_digits(text)
    return digits if len(digits) >= MIN_TRIGRAM else None


def _customer_ids(db: Database, text: str, limit: int) -> list[str]:
    digits = phone_query(text)
    if len(text) >= MIN_TRIGRAM:
        terms = [_phrase(text)]
        if digits and digits != text:
            terms.append(_phrase(digits))
        rows = _run(
            db,
            "SELECT c.id FROM customer_fts f JOIN customers c ON c.rowid = f.rowid "
            "WHERE customer_fts MATCH ? LIMIT ?",
            [" OR ".join(terms), limit],
        ).fetchall()
        return [r[0] for r in rows]
    # One or two characters: a name ("王", "Li"); contact points need three.
    rows = _run(
        db, "SELECT id FROM customers WHERE name LIKE ? ESCAPE '\\' LIMIT ?",
        [_like(text), limit],
    ).fetchall()
    return [r[0] for r in rows]


def _message_hits(db: Database, text: str) -> list[tuple[str, MessageHit]]:
    if len(text) >= MIN_TRIGRAM:
        sql = (
            "SELECT m.id, m.conversation_id, m.text, m.created_at, v.channel, v.customer_id "
            "FROM (SELECT rowid FROM message_fts WHERE message_fts MATCH :q "
            # Messages stored but not indexed yet (see core.cache.search_upkeep).
            "      UNION SELECT rowid FROM messages WHERE indexed = 0 "
            "            AND text LIKE :like ESCAPE '\\' "
            "      ORDER BY rowid DESC LIMIT :n) f "
            "JOIN messages m ON m.rowid = f.rowid "
            "JOIN conversations v ON v.id = m.conversation_id ORDER BY f.rowid DESC"
        )
        params: dict[str, Any] = {"q": _phrase(text), "like": _like(text), "n": MESSAGE_SCAN}
    else:
        sql = (
            "SELECT m.id, m.conversation_id, m.text, m.created_at, v.channel, v.customer_id "
            "FROM (SELECT rowid FROM messages WHERE rowid > "
            "      (SELECT COALESCE(MAX(rowid), 0) FROM messages) - :recent "
            "      AND text LIKE :q ESCAPE '\\' ORDER BY rowid DESC LIMIT :n) f "
            "JOIN messages m ON m.rowid = f.rowid "
            "JOIN conversations v ON v.id = m.conversation_id ORDER BY f.rowid DESC"
        )
        params = {"q": _like(text), "n": MESSAGE_SCAN, "recent": SHORT_RECENT_MESSAGES}
    hits = []
    for mid, cid, body, at, channel, customer_id in _run(db, sql, params).fetchall():
        hit = MessageHit(mid, cid, body, at, Channel(channel) if channel else None)
        hits.append((customer_id, hit))
    return hits


def _segment_hits(db: Database, text: str) -> list[tuple[str, MessageHit]]:
    """Call transcript segments: trigram index, or for one or two characters a LIKE
    over the newest segments (as for messages)."""
    if len(text) >= MIN_TRIGRAM:
        sql = ("SELECT s.call_id, s.seq, s.conversation_id, s.text, s.at, v.customer_id "
               "FROM (SELECT rowid FROM call_segment_fts WHERE call_segment_fts MATCH :q "
               "      ORDER BY rowid DESC LIMIT :n) f "
               "JOIN call_segments s ON s.rowid = f.rowid "
               "JOIN conversations v ON v.id = s.conversation_id ORDER BY s.at DESC")
        params: dict[str, Any] = {"q": _phrase(text), "n": MESSAGE_SCAN}
    else:
        sql = ("SELECT s.call_id, s.seq, s.conversation_id, s.text, s.at, v.customer_id "
               "FROM (SELECT rowid FROM call_segments WHERE text LIKE :q ESCAPE '\\' "
               "      ORDER BY rowid DESC LIMIT :n) f "
               "JOIN call_segments s ON s.rowid = f.rowid "
               "JOIN conversations v ON v.id = s.conversation_id ORDER BY s.at DESC")
        params = {"q": _like(text), "n": MESSAGE_SCAN}
    return [(customer_id, MessageHit(f"{call_id}#{seq}", cid, body, at, Channel.VOICE))
            for call_id, seq, cid, body, at, customer_id in _run(db, sql, params).fetchall()]


def search(db: Database, text: str, limit: int = CUSTOMER_LIMIT) -> list[CustomerHit]:
    """Customers matching ``text`` by profile or message text, grouped by customer."""
    text = " ".join(text.split())
    if not text:
        return []
    profile_ids = _customer_ids(db, text, limit)
    by_customer: dict[str, list[MessageHit]] = {}
    for customer_id, hit in _message_hits(db, text) + _segment_hits(db, text):
        found = by_customer.setdefault(customer_id, [])
        if len(found) < MESSAGES_PER_CUSTOMER:
            found.append(hit)
    order = list(dict.fromkeys([*_rank(db, profile_ids, text), *by_customer]))[:limit]
    matched = set(profile_ids)
    hits = []
    for customer_id in order:
        row = _run(db, "SELECT name, tier FROM customers WHERE id=?", [customer_id]).fetchone()
        if row is None:
            continue
        identities = tuple(
            Identity(IdentityKind(kind), value, bool(verified))
            for kind, value, verified in _run(
                db, "SELECT kind, value, verified FROM identities WHERE customer_id=? "
                "AND kind != 'visitor' ORDER BY kind, value", [customer_id],
            ).fetchall()
            if kind in IDENTITY_KINDS
        )
        hits.append(CustomerHit(customer_id, row[0] or "", row[1], identities,
                                customer_id in matched, tuple(by_customer.get(customer_id, ()))))
    return hits


def _rank(db: Database, customer_ids: list[str], text: str) -> list[str]:
    """Exact names first, then names starting with the text, then the rest by name."""
    if not customer_ids:
        return []
    marks = ", ".join("?" * len(customer_ids))
    names = dict(_run(db, f"SELECT id, COALESCE(name, '') FROM customers WHERE id IN ({marks})",
                      customer_ids).fetchall())
    folded = text.casefold()

    def key(cid: str) -> tuple[int, str]:
        name = names.get(cid, "").casefold()
        return (0 if name == folded else 1 if name.startswith(folded) else 2, name)

    return sorted(customer_ids, key=key)
