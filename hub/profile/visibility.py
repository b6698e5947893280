"""Which customers an agent may see: the one rule behind profile reads and edits,
search, walk-in visits and store mode's pages.

An agent may see a customer when the agent's role grants ``customers.all``
(supervisors, admins; hub.access); or one of the
customer's conversations (open or past) is in a queue the agent serves or was the
agent's; or the agent serves the store's queue and the customer is a regular of a
store (carries a ``store:`` tag). Walk-in visits count for nobody: a visit is
recorded only where the agent already sees the customer, so it must not show the
customer to anyone new (its recorder after leaving the store, or the store's
staff).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol.models import Channel
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.store import schema as t
from hub.store.base import StoreError

STORE_QUEUE = "store"
STORE_TAG_PREFIX = "store:"


def is_supervisor(conn: Connection, agent_id: str) -> bool:
    """Whether the agent sees every customer (the ``customers.all`` permission)."""
    return permits(conn, agent_id, Permission.CUSTOMERS_ALL)


def visible_clause(agent_id: str, customer_id: Any) -> sa.ColumnElement[bool]:
    """True where a non-supervisor agent may see the customer; ``customer_id`` is a
    value or a column (to filter a query of customers)."""
    v = t.conversations.c
    q = t.agent_queues.c
    queues = sa.select(q.queue_id).where(q.agent_id == agent_id)
    through_work = sa.exists().where(
        v.customer_id == customer_id,
        v.channel != Channel.STORE.value,
        sa.or_(v.queue_id.in_(queues), v.agent_id == agent_id),
    )
    store_staff = sa.exists().where(q.agent_id == agent_id, q.queue_id == STORE_QUEUE)
    # An alias: the caller may be reading customer_tags itself (store mode's pages).
    tags = t.customer_tags.alias("regular_tags").c
    store_regular = sa.exists().where(
        tags.customer_id == customer_id,
        # Case-sensitive on every database, as store mode's own tag check is.
        sa.func.substr(tags.tag, 1, len(STORE_TAG_PREFIX)) == STORE_TAG_PREFIX,
    )
    return sa.or_(through_work, sa.and_(store_staff, store_regular))


def may_see(conn: Connection, agent_id: str, customer_id: str) -> bool:
    if is_supervisor(conn, agent_id):
        return True
    return bool(conn.execute(sa.select(visible_clause(agent_id, customer_id))).scalar())


def visible_customer(conn: Connection, agent_id: str | None, customer_id: str) -> Any:
    """The customer's row if it exists, is not merged away and the agent (None: the
    hub itself) may see it; else ``not_found`` or ``forbidden``."""
    row = conn.execute(sa.select(t.customers).where(t.customers.c.id == customer_id)).first()
    if row is None or row.merged_into is not None:
        raise StoreError("not_found", "no such customer")
    if agent_id is not None and not may_see(conn, agent_id, customer_id):
        raise StoreError("forbidden", "this customer is outside your queues")
    return row
