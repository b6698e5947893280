"""The store's customer side: customers, identities and tags."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol.models import (
    Customer,
    IdentityKind,
    Message,
)
from hub.profile import visibility
from hub.profile.customer_records import load_customers
from hub.store import schema as t
from hub.store.base import (
    StoreBase,
    StoreError,
    new_id,
    now_ms,
)


class CustomerStore(StoreBase):
    def customer(self, customer_id: str) -> Customer:
        with self.db.connect() as conn:
            return self._customer(conn, customer_id)

    def customer_name(self, customer_id: str) -> str:
        """Just the name: one column, for paths that run on every message."""
        with self.db.connect() as conn:
            return str(
                conn.execute(
                    sa.select(t.customers.c.name).where(t.customers.c.id == customer_id)
                ).scalar_one()
            )

    def create_customer(
        self,
        name: str,
        identities: Iterable[tuple[IdentityKind, str]] = (),
        language: str | None = None,
        tier: str | None = None,
        created_at: int | None = None,
    ) -> str:
        customer_id = new_id("c")
        with self.db.begin() as conn:
            conn.execute(
                t.customers.insert().values(
                    id=customer_id,
                    name=name,
                    language=language,
                    tier=tier,
                    created_at=created_at or now_ms(),
                )
            )
            for kind, value in identities:
                conn.execute(
                    t.identities.insert().values(
                        kind=kind.value, value=value, customer_id=customer_id
                    )
                )
        return customer_id

    def customer_by_identity(self, kind: IdentityKind, value: str) -> str | None:
        with self.db.connect() as conn:
            found = conn.execute(
                sa.select(t.identities.c.customer_id).where(
                    t.identities.c.kind == kind.value, t.identities.c.value == value
                )
            ).scalar()
        return str(found) if found is not None else None

    def owner_or_new_customer(self, kind: IdentityKind, value: str, name: str) -> str:
        """The customer who owns ``(kind, value)`` (a normalised, proven contact point,
        e.g. the address a mail came from), or a new customer who owns it now.

        Only owned identities hold the key (claims never do), so the insert can only
        lose to another process creating the same owner at the same moment: then
        that customer is the answer."""
        found = self.customer_by_identity(kind, value)
        if found is not None:
            return found
        try:
            with self.db.savepoint():
                return self.create_customer(name, [(kind, value)])
        except sa.exc.IntegrityError:
            found = self.customer_by_identity(kind, value)
            if found is None:
                raise
            return found

    def rename_customer(self, customer_id: str, name: str) -> None:
        with self.db.begin() as conn:
            conn.execute(
                t.customers.update().where(t.customers.c.id == customer_id).values(name=name)
            )

    def add_tags(self, customer_id: str, tags: Iterable[str]) -> None:
        with self.db.begin() as conn:
            have = set(
                conn.execute(
                    sa.select(t.customer_tags.c.tag).where(
                        t.customer_tags.c.customer_id == customer_id
                    )
                ).scalars()
            )
            for tag in dict.fromkeys(tags):
                if tag not in have:
                    conn.execute(t.customer_tags.insert().values(customer_id=customer_id, tag=tag))

    def customers_by_tag(
        self, agent_id: str, tag: str, after: str | None, limit: int, recent_messages: int = 20
    ) -> tuple[list[ap.CustomerRecord], str | None]:
        """One page of the customers carrying ``tag`` that the agent may see, with
        their recent history."""
        if not tag.startswith(visibility.STORE_TAG_PREFIX):
            # Agents may copy a store's or region's customers, not arbitrary segments.
            raise StoreError(
                "forbidden", f"only {visibility.STORE_TAG_PREFIX}* tags can be fetched"
            )
        with self.db.connect() as conn:
            tagged = t.customer_tags.c
            query = (
                sa.select(tagged.customer_id)
                .where(tagged.tag == tag)
                .order_by(tagged.customer_id)
                .limit(limit + 1)
            )
            if after is not None:
                query = query.where(tagged.customer_id > after)
            if not visibility.is_supervisor(conn, agent_id):
                # Filtered in the query, so every page is full and paging stays exact.
                query = query.where(visibility.visible_clause(agent_id, tagged.customer_id))
            ids = list(conn.execute(query).scalars())
            more = len(ids) > limit
            ids = ids[:limit]
            loaded = load_customers(conn, ids)
            records = [
                ap.CustomerRecord(
                    customer=loaded[cid],
                    history=self._history(conn, cid, exclude=""),
                    messages=self._recent_messages(conn, cid, recent_messages),
                )
                for cid in ids
            ]
        return records, (ids[-1] if more and ids else None)

    def _recent_messages(self, conn: sa.Connection, customer_id: str, limit: int) -> list[Message]:
        rows = conn.execute(
            sa.select(t.messages)
            .join(t.conversations, t.messages.c.conversation_id == t.conversations.c.id)
            .where(t.conversations.c.customer_id == customer_id)
            .order_by(t.messages.c.created_at.desc(), t.messages.c.id.desc())
            .limit(limit)
        ).all()
        return [self._message(r) for r in reversed(rows)]
