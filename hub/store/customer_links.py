"""Which hub process holds which customer's widget (PostgreSQL, several processes).

A process adds a row when a customer's first widget socket opens there and removes
it when the last one closes. A feature that chooses between the widget and another
way of reaching the customer (a follow-up's notice or a mail) asks ``online``: a
socket here, or a row of a process that is alive (its routing connection open). Rows
of processes that died are deleted when met.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from hub.store import schema as t
from hub.store.base import now_ms
from hub.store.database import Database
from hub.transport.peers import PeerRegistry

log = logging.getLogger(__name__)


class CustomerLinks:
    def __init__(self, db: Database, process: str, customers: PeerRegistry,
                 live_processes: Callable[[], set[str]]) -> None:
        self.db = db
        self.process = process
        self.customers = customers
        self.live_processes = live_processes

    def joined(self, customer_id: str) -> None:
        """The customer's first socket on this process opened."""
        try:
            with self.db.begin() as conn:
                conn.execute(postgresql.insert(t.customer_links).values(
                    customer_id=customer_id, process=self.process, since=now_ms())
                    .on_conflict_do_nothing())
        except sa.exc.SQLAlchemyError as exc:  # the socket works; others see it offline
            log.warning("customer link not recorded: %s", exc)

    def left(self, customer_id: str) -> None:
        """The customer's last socket on this process closed."""
        try:
            with self.db.begin() as conn:
                conn.execute(t.customer_links.delete().where(
                    t.customer_links.c.customer_id == customer_id,
                    t.customer_links.c.process == self.process))
        except sa.exc.SQLAlchemyError as exc:  # a dead process's rows are dropped when met
            log.warning("customer link not removed: %s", exc)

    def online(self, customer_id: str) -> bool:
        """Does a widget socket of the customer exist on this or another live process?"""
        if self.customers.connected(customer_id):
            return True
        c = t.customer_links.c
        with self.db.connect() as conn:
            processes = set(conn.execute(
                sa.select(c.process).where(c.customer_id == customer_id)).scalars())
        if not processes:
            return False
        dead = processes - self.live_processes() - {self.process}
        if dead:
            with self.db.begin() as conn:
                conn.execute(t.customer_links.delete().where(c.process.in_(sorted(dead))))
        return bool(processes - dead - {self.process})
