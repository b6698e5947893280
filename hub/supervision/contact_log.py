"""Contacts and presence changes, written as routing sees them happen.

``ContactLog`` is told by the routing engine (hub.routing.engine.ContactWatcher)
when a conversation is queued, answered, replied to, abandoned or ends, and when
an agent's presence changes. It writes ``contact_segments`` and ``presence_log``
inside the unit of work in progress (so a command that rolls back leaves no row)
and keeps today's rows in memory for the live figures; ``load`` reads any window
back for reports. Runs on the hub's event loop; never awaits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from core.protocol.models import Channel, Presence
from hub.store import schema as t
from hub.store.database import Database
from hub.supervision.contacts import Contact, ContactKind, ContactOutcome, PresenceChange

_NEXT_KIND = {
    ContactOutcome.TRANSFERRED: ContactKind.TRANSFER,
    ContactOutcome.CLOSED: ContactKind.REOPEN,
    ContactOutcome.REQUEUED: ContactKind.REQUEUE,
}


def _contact(row: Any) -> Contact:
    return Contact(
        row.conversation_id, row.queue_id, Channel(row.channel), ContactKind(row.kind),
        row.enqueued_at, row.answered_at, row.agent_id, row.first_reply_at, row.done_at,
        ContactOutcome(row.outcome) if row.outcome else None)


def load_contacts(db: Database, since: int, until: int) -> list[Contact]:
    """Every contact that overlaps ``[since, until)``, plus the earlier contacts of
    the same conversations (so a reopen or a transfer is seen as one)."""
    s = t.contact_segments
    overlapping = sa.and_(s.c.enqueued_at < until,
                          sa.or_(s.c.done_at.is_(None), s.c.done_at >= since))
    with db.connect() as conn:
        ids = sa.select(s.c.conversation_id).where(overlapping).scalar_subquery()
        rows = conn.execute(sa.select(s).where(s.c.conversation_id.in_(ids),
                                               s.c.enqueued_at < until)
                            .order_by(s.c.id)).all()
    return [_contact(r) for r in rows]


def load_presence(db: Database, since: int, until: int) -> list[PresenceChange]:
    """Changes inside the window and each agent's last one before it."""
    p = t.presence_log
    with db.connect() as conn:
        last = (sa.select(p.c.agent_id, sa.func.max(p.c.at).label("at"))
                .where(p.c.at < since).group_by(p.c.agent_id).subquery())
        before = conn.execute(sa.select(p.c.agent_id, p.c.presence, p.c.at).join(
            last, sa.and_(last.c.agent_id == p.c.agent_id, last.c.at == p.c.at))).all()
        inside = conn.execute(sa.select(p.c.agent_id, p.c.presence, p.c.at)
                              .where(p.c.at >= since, p.c.at < until).order_by(p.c.id)).all()
    return [PresenceChange(r.agent_id, Presence(r.presence), r.at) for r in [*before, *inside]]


class ContactLog:
    """The routing engine's contact watcher: rows to the store, today's in memory."""

    def __init__(self, db: Database, changed: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.changed = changed  # something a figure depends on moved
        self.contacts: list[Contact] = []
        self.presence: list[PresenceChange] = []
        self._open: dict[str, tuple[int, int]] = {}  # conversation -> (row id, index)
        self._last_done: dict[str, ContactOutcome] = {}

    def start(self, since: int, until: int) -> None:
        """Today's rows (from ``since``) into memory, after a restart."""
        self.contacts = load_contacts(self.db, since, until)
        self.presence = load_presence(self.db, since, until)
        s = t.contact_segments
        with self.db.connect() as conn:
            open_rows = conn.execute(sa.select(s.c.id, s.c.conversation_id)
                                     .where(s.c.done_at.is_(None))).all()
        index = {c.conversation_id: i for i, c in enumerate(self.contacts) if c.done_at is None}
        self._open = {r.conversation_id: (r.id, index.get(r.conversation_id, -1))
                      for r in open_rows}

    def forget_before(self, since: int) -> None:
        """A new day: drop finished contacts and old presence from memory."""
        self._last_done.clear()  # read back from the store when needed
        keep = [c for c in self.contacts if c.done_at is None or c.done_at >= since]
        self.contacts = keep
        index = {c.conversation_id: i for i, c in enumerate(keep) if c.done_at is None}
        self._open = {k: (row, index.get(k, -1)) for k, (row, _) in self._open.items()}
        latest: dict[str, PresenceChange] = {}
        for change in self.presence:
            if change.at < since:
                latest[change.agent_id] = change
        self.presence = [*latest.values(), *(c for c in self.presence if c.at >= since)]

    # ---- what routing tells -----------------------------------------------------------

    def _update(self, conversation_id: str, **values: Any) -> Contact | None:
        entry = self._open.get(conversation_id)
        if entry is None:
            return None
        row_id, index = entry
        with self.db.begin() as conn:
            conn.execute(t.contact_segments.update().where(t.contact_segments.c.id == row_id)
                         .values(**{k: (v.value if isinstance(v, ContactOutcome) else v)
                                    for k, v in values.items()}))
        if "done_at" in values:
            del self._open[conversation_id]
            self._last_done[conversation_id] = values["outcome"]
        self.changed()
        if 0 <= index < len(self.contacts):
            self.contacts[index] = dataclasses.replace(self.contacts[index], **values)
            return self.contacts[index]
        return None

    def contact_queued(self, conversation_id: str, queue_id: str, channel: Channel,
                       at: int) -> None:
        if conversation_id in self._open:  # taken back from an agent who left
            self._update(conversation_id, done_at=at, outcome=ContactOutcome.REQUEUED)
        previous = self._last_done.pop(conversation_id, None)
        if previous is None:
            previous = self._stored_outcome(conversation_id)
        kind = _NEXT_KIND.get(previous, ContactKind.NEW) if previous else ContactKind.NEW
        with self.db.begin() as conn:
            key = conn.execute(t.contact_segments.insert().values(
                conversation_id=conversation_id, queue_id=queue_id, channel=channel.value,
                kind=kind.value, enqueued_at=at)).inserted_primary_key
            assert key is not None
            row_id = key[0]
        self.contacts.append(Contact(conversation_id, queue_id, channel, kind, at))
        self._open[conversation_id] = (int(row_id), len(self.contacts) - 1)
        self.changed()

    def _stored_outcome(self, conversation_id: str) -> ContactOutcome | None:
        s = t.contact_segments
        with self.db.connect() as conn:
            outcome = conn.execute(sa.select(s.c.outcome).where(
                s.c.conversation_id == conversation_id).order_by(s.c.id.desc()).limit(1)
            ).scalar()
        return ContactOutcome(outcome) if outcome else None

    def contact_moved(self, conversation_id: str, queue_id: str) -> None:
        """Escalated while waiting: it waits on in the escalation queue."""
        self._update(conversation_id, queue_id=queue_id)

    def contact_answered(self, conversation_id: str, agent_id: str, at: int) -> None:
        self._update(conversation_id, answered_at=at, agent_id=agent_id)

    def contact_replied(self, conversation_id: str, at: int) -> None:
        entry = self._open.get(conversation_id)
        if entry is None:
            return
        index = entry[1]
        known = self.contacts[index] if 0 <= index < len(self.contacts) else None
        if known is not None and (known.first_reply_at is not None or known.answered_at is None):
            return  # only the first reply after the answer counts
        self._update(conversation_id, first_reply_at=at)

    def contact_abandoned(self, conversation_id: str, at: int) -> None:
        self._update(conversation_id, done_at=at, outcome=ContactOutcome.ABANDONED)

    def contact_ended(self, conversation_id: str, outcome: ContactOutcome, at: int) -> None:
        self._update(conversation_id, done_at=at, outcome=outcome)

    def presence_changed(self, agent_id: str, presence: Presence, at: int) -> None:
        with self.db.begin() as conn:
            conn.execute(t.presence_log.insert().values(agent_id=agent_id,
                                                        presence=presence.value, at=at))
        self.presence.append(PresenceChange(agent_id, presence, at))
        self.changed()
