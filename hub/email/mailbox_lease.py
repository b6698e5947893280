"""Which hub process imports a mailbox: a lease row per mailbox in the database.

Several hub processes on one database may be started with the same IMAP settings;
only the holder of the mailbox's lease imports. Taking it is one conditional UPDATE
(free, run out, or already this process's), so of two processes trying at once one
gets it. The holder renews it while it imports and gives it back when it stops; a
holder that dies (SIGKILL) stops renewing, and another process takes the mailbox
once the lease has run out. The import's progress (UIDVALIDITY, last UID) is in
``email_mailboxes`` and each mail's source key is unique, so the next holder goes
on from there and a mail fetched again by it is not stored twice.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from hub.store import schema as t
from hub.store.base import now_ms
from hub.store.database import Database

log = logging.getLogger(__name__)

LEASE_S = 30.0  # a mailbox is its importer's for this long after the last renewal


def process_holder(name: str | None = None) -> str:
    """This process's name on the lease: unique among the hub's processes (64 chars)."""
    base = (name or socket.gethostname())[:32]
    return f"{base}-{os.getpid()}-{secrets.token_hex(4)}"


class MailboxLease:
    """One mailbox's lease for one process (``holder``)."""

    def __init__(self, db: Database, mailbox: str, holder: str, lease_s: float = LEASE_S) -> None:
        if lease_s <= 0:
            raise ValueError("the mailbox lease must last longer than 0 s")
        self.db = db
        self.mailbox = mailbox
        self.holder = holder[:64]
        self.lease_ms = int(lease_s * 1000)

    def take(self) -> bool:
        """Take or renew the lease if it is free, ran out or is ours; whether we hold it."""
        c = t.email_mailbox_leases.c
        now = now_ms()
        with self.db.begin() as conn:
            taken = conn.execute(
                t.email_mailbox_leases.update()
                .where(c.mailbox == self.mailbox,
                       sa.or_(c.lease_until < now, c.holder == self.holder))
                .values(holder=self.holder, lease_until=now + self.lease_ms)).rowcount
        if taken:
            return True
        try:  # the mailbox's first importer: no row yet
            with self.db.begin() as conn:
                conn.execute(t.email_mailbox_leases.insert().values(
                    mailbox=self.mailbox, holder=self.holder, lease_until=now + self.lease_ms))
        except IntegrityError:  # another process inserted it first: it holds the lease
            return False
        return True

    def renew(self) -> bool:
        """Extend the lease if it is still ours; False when another process has it."""
        c = t.email_mailbox_leases.c
        with self.db.begin() as conn:
            return bool(conn.execute(
                t.email_mailbox_leases.update()
                .where(c.mailbox == self.mailbox, c.holder == self.holder)
                .values(lease_until=now_ms() + self.lease_ms)).rowcount)

    def release(self) -> None:
        """Give the lease back (a stopping process): the next one takes it at once."""
        c = t.email_mailbox_leases.c
        with self.db.begin() as conn:
            conn.execute(
                t.email_mailbox_leases.update()
                .where(c.mailbox == self.mailbox, c.holder == self.holder)
                .values(holder=None, lease_until=0))

    def current_holder(self) -> str | None:
        """Who holds the lease now (None: nobody, or it ran out)."""
        c = t.email_mailbox_leases.c
        with self.db.connect() as conn:
            row = conn.execute(sa.select(c.holder, c.lease_until)
                               .where(c.mailbox == self.mailbox)).first()
        if row is None or row.holder is None or row.lease_until < now_ms():
            return None
        return str(row.holder)
