"""Whole customer records (profile, identities, tags, notes, stats), loaded in batches.

Every frame that carries a ``Customer`` gets it from here, so all of them carry the
same complete record. One call loads any number of customers with a fixed number
of queries (no query per customer), which keeps a 200-conversation snapshot fast.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol.models import (
    AutoTag,
    Channel,
    ConversationStatus,
    Customer,
    CustomerStats,
    Identity,
    IdentityKind,
    MessageAuthor,
    Note,
)
from hub.profile.auto_tags import DAY_MS, CustomerFacts, complaint_keyword, evaluate
from hub.profile.config import ProfileSettings
from hub.store import schema as t

NOTES_PER_CUSTOMER = 50
STATS_WINDOW_MS = 30 * 86_400_000
# Stay well below any database's limit on bound parameters.
_CHUNK = 500

_auto_tags_decoder = msgspec.json.Decoder(list[AutoTag])


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _json_object(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def load_customers(
    conn: Connection, customer_ids: Iterable[str], now: int | None = None
) -> dict[str, Customer]:
    """Records of the given customers by id (unknown ids are left out)."""
    ids = list(dict.fromkeys(customer_ids))
    out: dict[str, Customer] = {}
    for chunk in _chunks(ids):
        out.update(_load_chunk(conn, chunk, now if now is not None else int(time.time() * 1000)))
    return out


def load_customer(conn: Connection, customer_id: str) -> Customer:
    found = load_customers(conn, [customer_id])
    if customer_id not in found:
        raise LookupError(customer_id)
    return found[customer_id]


def _load_chunk(conn: Connection, ids: list[str], now: int) -> dict[str, Customer]:
    c = t.customers.c
    rows = conn.execute(sa.select(t.customers).where(c.id.in_(ids))).all()
    if not rows:
        return {}
    identities = _identities(conn, ids)
    tags: dict[str, list[str]] = {}
    for tr in conn.execute(
        sa.select(t.customer_tags.c.customer_id, t.customer_tags.c.tag)
        .where(t.customer_tags.c.customer_id.in_(ids))
        .order_by(t.customer_tags.c.tag)
    ):
        tags.setdefault(tr.customer_id, []).append(tr.tag)
    notes = _notes(conn, ids)
    stats = _stats(conn, ids, now)
    out = {}
    for r in rows:
        stat = stats.get(r.id, CustomerStats())
        stat.avg_csat = r.avg_csat
        stat.last_nps = r.last_nps
        out[r.id] = Customer(
            id=r.id,
            name=r.name,
            identities=identities.get(r.id, []),
            language=r.language,
            tier=r.tier,
            tags=tags.get(r.id, []),
            preferred_channel=Channel(r.preferred_channel) if r.preferred_channel else None,
            auto_tags=_auto_tags_decoder.decode(r.auto_tags) if r.auto_tags else [],
            attributes=_json_object(r.attributes),
            consent=_json_object(r.consent),
            notes=notes.get(r.id, []),
            stats=stat,
        )
    return out


def _identities(conn: Connection, ids: list[str]) -> dict[str, list[Identity]]:
    """Owned identities (verified) and claims (unverified), by kind and value; a claim
    the customer also owns is shown once, as owned."""
    i, cl = t.identities.c, t.identity_claims.c
    owned = sa.select(i.customer_id, i.kind, i.value, sa.true().label("verified")).where(
        # Visitor ids are bearer secrets of the customer's browser: never shown.
        i.customer_id.in_(ids), i.kind != IdentityKind.VISITOR.value)
    claimed = sa.select(cl.customer_id, cl.kind, cl.value, sa.false().label("verified")).where(
        cl.customer_id.in_(ids))
    both = sa.union_all(owned, claimed).subquery()
    out: dict[str, dict[tuple[str, str], Identity]] = {}
    for r in conn.execute(sa.select(both).order_by(both.c.kind, both.c.value,
                                                   both.c.verified.desc())):
        out.setdefault(r.customer_id, {}).setdefault(
            (r.kind, r.value),
            Identity(kind=IdentityKind(r.kind), value=r.value, verified=bool(r.verified)))
    return {cid: list(found.values()) for cid, found in out.items()}


def _notes(conn: Connection, ids: list[str]) -> dict[str, list[Note]]:
    n = t.notes.c
    ranked = (
        sa.select(
            n.id, n.customer_id, n.text, n.created_at, n.updated_at, n.author_id,
            sa.func.row_number()
            .over(partition_by=n.customer_id, order_by=(n.created_at.desc(), n.id.desc()))
            .label("rank"),
        )
        .where(n.customer_id.in_(ids))
        .subquery()
    )
    query = (
        sa.select(ranked, t.agents.c.display_name)
        .select_from(ranked.outerjoin(t.agents, t.agents.c.id == ranked.c.author_id))
        .where(ranked.c.rank <= NOTES_PER_CUSTOMER)
        .order_by(ranked.c.customer_id, ranked.c.created_at.desc(), ranked.c.id.desc())
    )
    out: dict[str, list[Note]] = {}
    for r in conn.execute(query):
        out.setdefault(r.customer_id, []).append(
            Note(id=r.id, customer_id=r.customer_id, text=r.text, created_at=r.created_at,
                 author_id=r.author_id, author_name=r.display_name, updated_at=r.updated_at)
        )
    return out


def _stats(conn: Connection, ids: list[str], now: int) -> dict[str, CustomerStats]:
    v = t.conversations.c
    since = now - STATS_WINDOW_MS
    out: dict[str, CustomerStats] = {}
    for r in conn.execute(
        sa.select(
            v.customer_id,
            sa.func.sum(sa.case((v.created_at >= since, 1), else_=0)).label("recent"),
            sa.func.max(v.created_at).label("last_at"),
            sa.func.sum(
                sa.case((v.status == ConversationStatus.OPEN.value, 1), else_=0)
            ).label("open"),
        )
        .where(v.customer_id.in_(ids))
        .group_by(v.customer_id)
    ):
        out[r.customer_id] = CustomerStats(
            contacts_30d=int(r.recent or 0),
            last_contact_at=r.last_at,
            open_conversations=int(r.open or 0),
        )
    ranked = (
        sa.select(
            v.customer_id, v.channel,
            sa.func.row_number()
            .over(partition_by=v.customer_id, order_by=(v.created_at.desc(), v.id.desc()))
            .label("rank"),
        )
        .where(v.customer_id.in_(ids))
        .subquery()
    )
    for lr in conn.execute(sa.select(ranked.c.customer_id, ranked.c.channel)
                           .where(ranked.c.rank == 1)):
        out[lr.customer_id].last_channel = Channel(lr.channel)
    return out


def gather_facts(
    conn: Connection, customer_id: str, settings: ProfileSettings, now: int
) -> CustomerFacts:
    """What the automatic-tag rules look at, for one customer."""
    row = conn.execute(
        sa.select(t.customers.c.tier, t.customers.c.last_nps, t.customers.c.avg_csat)
        .where(t.customers.c.id == customer_id)
    ).one()
    v = t.conversations.c
    recent = 0
    if settings.frequent_contact is not None:
        since = now - settings.frequent_contact.days * DAY_MS
        recent = int(conn.execute(
            sa.select(sa.func.count()).where(v.customer_id == customer_id, v.created_at >= since)
        ).scalar_one())
    complaint_at = keyword = None
    rule = settings.recent_complaint
    if rule is not None:
        m = t.messages.c
        since = now - rule.days * DAY_MS
        found = conn.execute(
            sa.select(m.text, m.created_at)
            .join(t.conversations, m.conversation_id == v.id)
            .where(
                v.customer_id == customer_id,
                m.author == MessageAuthor.CUSTOMER.value,
                m.created_at >= since,
                sa.or_(*(sa.func.lower(m.text).contains(k, autoescape=True)
                         for k in rule.keywords)),
            )
            .order_by(m.created_at.desc())
            .limit(1)
        ).first()
        if found is not None:
            complaint_at, keyword = found.created_at, complaint_keyword(settings, found.text)
    return CustomerFacts(
        tier=row.tier,
        recent_contacts=recent,
        complaint_at=complaint_at,
        complaint_keyword=keyword,
        last_nps=row.last_nps,
        avg_csat=row.avg_csat,
    )


def refresh_auto_tags(
    conn: Connection, customer_id: str, settings: ProfileSettings, now: int | None = None
) -> bool:
    """Re-evaluate and store the customer's automatic tags; True when they changed."""
    at = now if now is not None else int(time.time() * 1000)
    tags = evaluate(settings, gather_facts(conn, customer_id, settings, at))
    encoded = msgspec.json.encode(tags).decode()
    stored = conn.execute(
        sa.select(t.customers.c.auto_tags).where(t.customers.c.id == customer_id)
    ).scalar()
    if stored == encoded:
        return False
    conn.execute(
        t.customers.update().where(t.customers.c.id == customer_id).values(auto_tags=encoded)
    )
    return True
