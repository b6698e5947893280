"""The database side of routing with several hub processes (PostgreSQL).

The router's term and its fence, the waiting conversations as the router holds
them, which process holds which agent's sockets, and agents gone from every
process. See hub.routing.cluster and docs/scale-out.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from core.protocol.models import Channel, ConversationStatus
from hub.store import schema as t
from hub.store.base import StoreBase, StoreError, now_ms
from hub.store.database import Database

ROUTING_CHANNEL = "zuoxi_routing"
APP_PREFIX = "zuoxi-hub/"  # application_name of each process's routing connection


class DeposedError(StoreError):
    """The router's term has moved on: another process routes now."""

    def __init__(self, term: int, current: int | None) -> None:
        super().__init__("conflict", f"routing term {term} ended (now {current})")


@dataclass(frozen=True)
class OfferGuard:
    """Checked in the transaction that makes an offer, under the rows' locks."""

    term: int | None  # the router's term; None for an offer an agent asked for (a pick)
    channel: Channel
    capacity: int  # the agent's capacity on the channel


@dataclass(frozen=True)
class WaitingRow:
    conversation_id: str
    queue_id: str
    base: float
    enqueued_at: int
    preferred_agent: str | None
    transferred_by: str | None
    customer_name: str
    excluded: frozenset[str]
    declined: frozenset[str]
    strict: bool
    transfer_note: str | None
    first_reply_at: int | None
    sla_due_at: int | None


@dataclass(frozen=True)
class AbsenceRow:
    agent_id: str
    since: int
    graced: bool
    auto_away: bool


class ClusterStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- the router's term -----------------------------------------------------------

    def take_term(self, holder: str) -> int:
        """The next term, for a router just elected. Waits for every offer of the
        previous term still being made (they hold the row in share mode)."""
        with self.db.begin() as conn:
            conn.execute(postgresql.insert(t.routing_lease).values(
                id=1, term=0, holder=holder, since=now_ms()).on_conflict_do_nothing())
            return int(conn.execute(
                t.routing_lease.update().where(t.routing_lease.c.id == 1)
                .values(term=t.routing_lease.c.term + 1, holder=holder, since=now_ms())
                .returning(t.routing_lease.c.term)).scalar_one())

    def current_term(self) -> int | None:
        with self.db.connect() as conn:
            value = conn.execute(sa.select(t.routing_lease.c.term)).scalar()
        return None if value is None else int(value)

    @staticmethod
    def guard_offer(conn: Connection, conversation_id: str, agent_id: str,
                    guard: OfferGuard) -> None:
        """Refuse an offer a deposed router makes, a second open offer of the
        conversation, an offer of a conversation someone has, and an offer over the
        agent's capacity. Runs first in the offer's transaction: the agent's row, then
        the conversation's, then the term row (share), the order every router and
        agent unit takes them in."""
        StoreBase.lock_stream_in(conn, agent_id)
        row = conn.execute(
            sa.select(t.conversations.c.status, t.conversations.c.agent_id)
            .where(t.conversations.c.id == conversation_id).with_for_update()).first()
        if guard.term is not None:
            term = conn.execute(sa.select(t.routing_lease.c.term)
                                .where(t.routing_lease.c.id == 1).with_for_update(read=True)
                                ).scalar()
            if term != guard.term:
                raise DeposedError(guard.term, None if term is None else int(term))
        if row is None or row.status != ConversationStatus.OPEN.value or row.agent_id:
            raise StoreError("conflict", "the conversation is no longer waiting")
        o, c = t.offers.c, t.conversations.c
        offered = conn.execute(sa.select(sa.func.count()).select_from(t.offers).where(
            o.conversation_id == conversation_id, o.status == "open")).scalar_one()
        if offered:
            raise StoreError("conflict", "the conversation is being offered already")
        held = conn.execute(sa.select(sa.func.count()).select_from(t.conversations).where(
            c.agent_id == agent_id, c.status == ConversationStatus.OPEN.value,
            c.channel == guard.channel.value)).scalar_one()
        ringing = conn.execute(
            sa.select(sa.func.count()).select_from(t.offers.join(
                t.conversations, c.id == o.conversation_id))
            .where(o.agent_id == agent_id, o.status == "open",
                   c.channel == guard.channel.value)).scalar_one()
        if held + ringing >= guard.capacity:
            raise StoreError("conflict", f"the agent is at capacity for {guard.channel.value}")

    # ---- waiting conversations -------------------------------------------------------

    def save_waiting(self, values: dict[str, Any]) -> None:
        row = dict(values)
        row["excluded"] = json.dumps(sorted(row["excluded"]))
        row["declined"] = json.dumps(sorted(row["declined"]))
        with self.db.begin() as conn:
            stmt = postgresql.insert(t.routing_waiting).values(**row)
            conn.execute(stmt.on_conflict_do_update(
                index_elements=[t.routing_waiting.c.conversation_id],
                set_={k: stmt.excluded[k] for k in row if k != "conversation_id"}))

    def drop_waiting(self, conversation_id: str) -> None:
        with self.db.begin() as conn:
            conn.execute(t.routing_waiting.delete().where(
                t.routing_waiting.c.conversation_id == conversation_id))

    def waiting(self) -> tuple[list[WaitingRow], list[str]]:
        """The conversations waiting for an agent as the router left them, and
        those waiting with no such row (routed by no router yet); rows of
        conversations that were taken or closed meanwhile are dropped."""
        w, c = t.routing_waiting.c, t.conversations.c
        with self.db.begin() as conn:
            conn.execute(t.routing_waiting.delete().where(~sa.exists().where(
                c.id == w.conversation_id, c.status == ConversationStatus.OPEN.value,
                c.agent_id.is_(None))))
            rows = conn.execute(
                sa.select(t.routing_waiting, c.transfer_note, c.first_reply_at, c.sla_due_at)
                .join(t.conversations, c.id == w.conversation_id)).all()
            bare = list(conn.execute(
                sa.select(c.id).where(c.status == ConversationStatus.OPEN.value,
                                      c.agent_id.is_(None),
                                      ~sa.exists().where(w.conversation_id == c.id))
                .order_by(c.created_at)).scalars())
        return [WaitingRow(
            conversation_id=r.conversation_id, queue_id=r.queue_id, base=float(r.base),
            enqueued_at=int(r.enqueued_at), preferred_agent=r.preferred_agent,
            transferred_by=r.transferred_by, customer_name=r.customer_name,
            excluded=frozenset(json.loads(r.excluded)), declined=frozenset(json.loads(r.declined)),
            strict=bool(r.strict), transfer_note=r.transfer_note,
            first_reply_at=r.first_reply_at, sla_due_at=r.sla_due_at,
        ) for r in rows], bare

    def unbreached_waiting(self) -> list[tuple[str, Channel, int]]:
        """Waiting conversations with a service level still to be met, and its due time."""
        c, b = t.conversations.c, t.sla_breaches.c
        with self.db.connect() as conn:
            rows = conn.execute(sa.select(c.id, c.channel, c.sla_due_at).where(
                c.status == ConversationStatus.OPEN.value, c.agent_id.is_(None),
                c.first_reply_at.is_(None), c.sla_due_at.is_not(None),
                ~sa.exists().where(b.conversation_id == c.id))).all()
        return [(r.id, Channel(r.channel), int(r.sla_due_at)) for r in rows]

    # ---- who is connected where ------------------------------------------------------

    def live_processes(self) -> set[str]:
        """Tokens of the hub processes whose routing connection is open."""
        with self.db.connect() as conn:
            names = conn.execute(sa.text(
                "SELECT application_name FROM pg_stat_activity "
                "WHERE application_name LIKE :p"), {"p": APP_PREFIX + "%"}).scalars()
            return {n[len(APP_PREFIX):] for n in names}

    def link(self, agent_id: str, process: str) -> None:
        with self.db.begin() as conn:
            conn.execute(postgresql.insert(t.agent_links).values(
                agent_id=agent_id, process=process, since=now_ms()).on_conflict_do_nothing())

    def unlink(self, agent_id: str, process: str) -> None:
        with self.db.begin() as conn:
            conn.execute(t.agent_links.delete().where(t.agent_links.c.agent_id == agent_id,
                                                      t.agent_links.c.process == process))

    def links(self) -> list[tuple[str, str]]:
        with self.db.connect() as conn:
            return [(r.agent_id, r.process) for r in conn.execute(sa.select(t.agent_links))]

    def drop_links_of(self, processes: set[str]) -> None:
        if processes:
            with self.db.begin() as conn:
                conn.execute(t.agent_links.delete().where(
                    t.agent_links.c.process.in_(sorted(processes))))

    # ---- agents gone from every process ------------------------------------------------

    def absence_start(self, agent_id: str, since: int) -> None:
        with self.db.begin() as conn:
            conn.execute(postgresql.insert(t.agent_absence).values(
                agent_id=agent_id, since=since).on_conflict_do_nothing())

    def absence_end(self, agent_id: str) -> AbsenceRow | None:
        with self.db.begin() as conn:
            row = conn.execute(t.agent_absence.delete()
                               .where(t.agent_absence.c.agent_id == agent_id)
                               .returning(*t.agent_absence.c)).first()
        return None if row is None else AbsenceRow(row.agent_id, int(row.since),
                                                    bool(row.graced), bool(row.auto_away))

    def absence_mark(self, agent_id: str, **values: bool) -> None:
        with self.db.begin() as conn:
            conn.execute(t.agent_absence.update()
                         .where(t.agent_absence.c.agent_id == agent_id).values(**values))

    def absences(self) -> list[AbsenceRow]:
        with self.db.connect() as conn:
            return [AbsenceRow(r.agent_id, int(r.since), bool(r.graced), bool(r.auto_away))
                    for r in conn.execute(sa.select(t.agent_absence))]

    # ---- wake-ups ----------------------------------------------------------------------

    def notify(self, process: str) -> None:
        """Tell the other processes routing changed, when the current transaction commits."""
        with self.db.begin() as conn:
            conn.execute(sa.select(sa.func.pg_notify(ROUTING_CHANNEL, process)))

