"""The store's routing side: agent skills and capacity, offers, SLA, presence detail.

Part of ``hub.store.store.Store``. Every change that an agent must hear of appends an
event to that agent's stream in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import routing as rp
from core.protocol.models import (
    AgentInfo,
    Channel,
    ClosedBy,
    ConversationStatus,
    Message,
    MessageAuthor,
    Presence,
)
from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.role_store import roles_with
from hub.routing.cluster_store import ClusterStore, OfferGuard
from hub.store import schema as t
from hub.store.base import StoreBase, StoreError, message_time, new_id, now_ms


@dataclass
class AgentRoutingRow:
    id: str
    presence: Presence
    role: str
    last_assigned_at: int
    away_reason: rp.AwayReason | None
    ends_at: int | None
    missed: int
    auto_accept_chat: bool
    queues: set[str] = field(default_factory=set)
    skills: dict[str, int] = field(default_factory=dict)
    capacity: dict[Channel, int] = field(default_factory=dict)
    load: dict[Channel, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RoutingInputs:
    """What routing a conversation reads: its row and a little of its customer."""

    row: sa.Row[Any]
    tier: str | None
    language: str | None
    customer_name: str
    first_text: str  # the customer's first messages, for keywords and sentiment


# Built once: constructing a statement costs several times what running it does.
_CONVERSATION_BY_ID = sa.select(t.conversations).where(
    t.conversations.c.id == sa.bindparam("cid"))
_ROUTING_CUSTOMER = sa.select(t.customers.c.tier, t.customers.c.language,
                              t.customers.c.name).where(t.customers.c.id == sa.bindparam("cust"))
_FIRST_TEXTS = (
    sa.select(t.messages.c.text)
    .where(t.messages.c.conversation_id == sa.bindparam("cid"),
           t.messages.c.author == MessageAuthor.CUSTOMER.value)
    .order_by(t.messages.c.created_at).limit(3)
)
_SET_ROUTING = t.conversations.update().where(t.conversations.c.id == sa.bindparam("cid"))
_OFFER_BY_ID = sa.select(t.offers).where(t.offers.c.id == sa.bindparam("oid"))
_END_OFFER = t.offers.update().where(t.offers.c.id == sa.bindparam("oid"),
                                     t.offers.c.status == "open")


class RoutingStore(StoreBase):
    def routing_inputs(self, conversation_id: str) -> RoutingInputs | None:
        """The conversation, its customer's tier, language and name, its first texts."""
        with self.db.connect() as conn:
            row = conn.execute(_CONVERSATION_BY_ID, {"cid": conversation_id}).first()
            if row is None:
                return None
            customer = conn.execute(_ROUTING_CUSTOMER, {"cust": row.customer_id}).first()
            texts = conn.execute(_FIRST_TEXTS, {"cid": conversation_id}).scalars()
            return RoutingInputs(
                row=row, tier=customer.tier if customer else None,
                language=customer.language if customer else None,
                customer_name=customer.name if customer else "", first_text=" ".join(texts))

    def routing_agents(self) -> list[AgentRoutingRow]:
        with self.db.connect() as conn:
            agent_rows = conn.execute(sa.select(t.agents)).all()
            # A custom role (hub.access) routes as an agent, or a picker if it may pick
            # (the roles are read only when someone has a custom role).
            pickers = set(roles_with(conn, Permission.PICK)) if any(
                r.role not in BUILTIN_ROLES for r in agent_rows) else set()
            rows = {
                r.id: AgentRoutingRow(
                    id=r.id,
                    presence=Presence(r.presence),
                    role=r.role if r.role in BUILTIN_ROLES
                    else ("picker" if r.role in pickers else "agent"),
                    last_assigned_at=int(r.last_assigned_at),
                    away_reason=rp.AwayReason(r.away_reason) if r.away_reason else None,
                    ends_at=r.presence_ends_at,
                    missed=int(r.missed_offers or 0),
                    auto_accept_chat=bool(r.auto_accept_chat),
                )
                for r in agent_rows
            }
            for r in conn.execute(sa.select(t.agent_queues)):
                if r.agent_id in rows:
                    rows[r.agent_id].queues.add(r.queue_id)
            for r in conn.execute(sa.select(t.agent_skills)):
                if r.agent_id in rows:
                    rows[r.agent_id].skills[r.skill] = int(r.level)
            for r in conn.execute(sa.select(t.agent_capacity)):
                if r.agent_id in rows:
                    rows[r.agent_id].capacity[Channel(r.channel)] = int(r.capacity)
            c = t.conversations.c
            for r in conn.execute(
                sa.select(c.agent_id, c.channel, sa.func.count())
                .where(c.status == ConversationStatus.OPEN.value, c.agent_id.is_not(None))
                .group_by(c.agent_id, c.channel)
            ):
                if r[0] in rows:
                    rows[r[0]].load[Channel(r[1])] = int(r[2])
        return list(rows.values())

    def set_agent_skills(self, agent_id: str, skills: dict[str, int]) -> None:
        for skill, level in skills.items():
            if not 1 <= level <= 5:
                raise StoreError("invalid", f"skill {skill}: level must be 1 to 5")
        with self.db.begin() as conn:
            conn.execute(t.agent_skills.delete().where(t.agent_skills.c.agent_id == agent_id))
            if skills:
                conn.execute(t.agent_skills.insert(), [
                    {"agent_id": agent_id, "skill": s, "level": lv} for s, lv in skills.items()
                ])

    def set_agent_capacity(self, agent_id: str, channel: Channel, capacity: int) -> None:
        with self.db.begin() as conn:
            conn.execute(t.agent_capacity.delete().where(
                t.agent_capacity.c.agent_id == agent_id, t.agent_capacity.c.channel == channel))
            conn.execute(t.agent_capacity.insert().values(
                agent_id=agent_id, channel=channel.value, capacity=capacity))

    def set_auto_accept(self, agent_id: str, value: bool) -> int:
        with self.db.begin() as conn:
            conn.execute(t.agents.update().where(t.agents.c.id == agent_id)
                         .values(auto_accept_chat=value))
            return int(conn.execute(sa.select(t.agents.c.head_seq)
                                    .where(t.agents.c.id == agent_id)).scalar_one())

    def set_missed_offers(self, agent_id: str, missed: int) -> None:
        with self.db.begin() as conn:
            conn.execute(t.agents.update().where(t.agents.c.id == agent_id)
                         .values(missed_offers=missed))

    def all_agent_infos(self) -> list[AgentInfo]:
        with self.db.connect() as conn:
            rows = conn.execute(sa.select(t.agents.c.id, t.agents.c.username,
                                          t.agents.c.display_name)
                                .order_by(t.agents.c.display_name)).all()
        return [AgentInfo(id=r.id, username=r.username, display_name=r.display_name)
                for r in rows]

    def ensure_queues(self, queues: list[tuple[str, str, str]]) -> None:
        """Queues of the routing file missing from the queues table are added."""
        with self.db.begin() as conn:
            have = set(conn.execute(sa.select(t.queues.c.id)).scalars())
            rows = [{"id": q, "name": n, "channel": c} for q, n, c in queues if q not in have]
            if rows:
                conn.execute(t.queues.insert(), rows)

    # ---- conversations ---------------------------------------------------------------

    def set_routing(self, conversation_id: str, queue: str, priority: int,
                    sla_due_at: int | None) -> None:
        with self.db.begin() as conn:
            conn.execute(_SET_ROUTING, {"cid": conversation_id, "queue_id": queue,
                                        "priority": priority, "sla_due_at": sla_due_at})

    def conversation_row(self, conversation_id: str) -> sa.Row[Any] | None:
        with self.db.connect() as conn:
            return conn.execute(_CONVERSATION_BY_ID, {"cid": conversation_id}).first()

    def routing_event(self, conn: Connection, agent_id: str, row: sa.Row[Any]) -> ap.Event:
        return self.append_event(conn, agent_id, rp.ConversationRouting(
            conversation_id=row.id, queue=row.queue_id, priority=int(row.priority or 0),
            sla_due_at=row.sla_due_at, first_reply_at=row.first_reply_at,
            transfer_note=row.transfer_note))

    def mark_first_reply(self, conversation_id: str, ts: int) -> ap.Event | None:
        """The first agent reply; the event for the owner, or None if not the first."""
        with self.db.begin() as conn:
            done = conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id,
                       t.conversations.c.first_reply_at.is_(None))
                .values(first_reply_at=ts)
            )
            if done.rowcount == 0:
                return None
            row = conn.execute(sa.select(t.conversations)
                               .where(t.conversations.c.id == conversation_id)).one()
            return self.routing_event(conn, row.agent_id, row) if row.agent_id else None

    def unanswered_assigned(self) -> list[tuple[str, Channel, int]]:
        """Open conversations of agents still without a first reply, with their due time."""
        c = t.conversations.c
        with self.db.connect() as conn:
            rows = conn.execute(
                sa.select(c.id, c.channel, c.sla_due_at).where(
                    c.status == ConversationStatus.OPEN.value, c.agent_id.is_not(None),
                    c.first_reply_at.is_(None), c.sla_due_at.is_not(None),
                    c.channel != Channel.VOICE.value)
            ).all()
        return [(r.id, Channel(r.channel), int(r.sla_due_at)) for r in rows]

    def record_breach(self, conversation_id: str, kind: rp.SlaKind, at: int
                      ) -> tuple[str | None, ap.Event | None]:
        with self.db.begin() as conn:
            row = conn.execute(sa.select(t.conversations)
                               .where(t.conversations.c.id == conversation_id)).one()
            exists = conn.execute(sa.select(t.sla_breaches.c.at).where(
                t.sla_breaches.c.conversation_id == conversation_id,
                t.sla_breaches.c.kind == kind.value)).first()
            if exists:
                return None, None
            conn.execute(t.sla_breaches.insert().values(
                conversation_id=conversation_id, kind=kind.value, at=at,
                queue_id=row.queue_id, agent_id=row.agent_id))
            if not row.agent_id:
                return None, None
            body = rp.SlaBreached(conversation_id=conversation_id, sla=kind, at=at)
            return row.agent_id, self.append_event(conn, row.agent_id, body)

    def breaches(self) -> list[sa.Row[Any]]:
        with self.db.connect() as conn:
            return list(conn.execute(sa.select(t.sla_breaches)).all())

    def set_transfer(self, conversation_id: str, queue: str | None, note: str | None) -> None:
        with self.db.begin() as conn:
            values: dict[str, Any] = {"transfer_note": note or None}
            if queue is not None:
                values["queue_id"] = queue
            conn.execute(t.conversations.update()
                         .where(t.conversations.c.id == conversation_id).values(**values))

    def reopenable(self, customer_id: str, since_ms: int) -> sa.Row[Any] | None:
        """The customer's chat closed most recently, if closed after ``since_ms`` by an
        agent or the hub (a customer who ended the chat starts a new one)."""
        c = t.conversations.c
        with self.db.connect() as conn:
            row = conn.execute(
                sa.select(t.conversations)
                .where(c.customer_id == customer_id, c.channel == Channel.CHAT.value,
                       c.status == ConversationStatus.CLOSED.value, c.closed_at >= since_ms)
                .order_by(c.closed_at.desc()).limit(1)
            ).first()
        return None if row is None or row.closed_by == ClosedBy.CUSTOMER.value else row

    def reopen(self, conversation_id: str) -> None:
        with self.db.begin() as conn:
            conn.execute(t.conversations.update()
                         .where(t.conversations.c.id == conversation_id)
                         .values(status=ConversationStatus.OPEN.value, closed_at=None,
                                 closed_by=None, agent_id=None, first_reply_at=None,
                                 disposition=None, disposition_note=None))

    def add_system_message(self, conversation_id: str, text: str) -> Message:
        with self.db.begin() as conn:
            ts = message_time(conn, conversation_id, now_ms())
            msg = Message(id=new_id("m"), conversation_id=conversation_id,
                          author=MessageAuthor.SYSTEM, text=text, created_at=ts)
            conn.execute(t.messages.insert().values(
                id=msg.id, conversation_id=conversation_id, author=msg.author.value,
                text=text, created_at=ts, status=msg.status.value))
        return msg

    # ---- offers ------------------------------------------------------------------------

    def create_offer(self, conversation_id: str, agent_id: str, expires_at: int,
                     priority: int, queue: str, note: str | None, by: str | None,
                     guard: OfferGuard | None = None) -> tuple[str, ap.Event]:
        """``guard``: with several hub processes, checked first in the same
        transaction (hub.routing.cluster_store); a refusal writes nothing."""
        offer_id = new_id("of")
        with self.db.begin() as conn:
            if guard is not None:
                ClusterStore.guard_offer(conn, conversation_id, agent_id, guard)
            conn.execute(t.offers.insert().values(
                id=offer_id, conversation_id=conversation_id, agent_id=agent_id,
                created_at=now_ms(), expires_at=expires_at, status="open"))
            body = self._assigned_body(conn, conversation_id)
            event = self.append_event(conn, agent_id, rp.OfferMade(
                offer_id=offer_id, conversation=body.conversation, customer=body.customer,
                expires_at=expires_at, priority=priority, queue=queue,
                messages=body.messages, history=body.history,
                transfer_note=note, transferred_by=by))
        return offer_id, event

    def offer_row(self, offer_id: str) -> sa.Row[Any] | None:
        with self.db.connect() as conn:
            return conn.execute(_OFFER_BY_ID, {"oid": offer_id}).first()

    def end_offer(self, offer_id: str, status: str, reason: rp.WithdrawReason | None,
                  stored_reason: str | None = None) -> ap.Event | None:
        """Close an open offer; with a reason, tell its agent (``offer_withdrawn``).
        ``stored_reason`` (the agent's decline reason) is kept instead of ``reason``."""
        return self.end_open_offer(offer_id, status, reason, stored_reason)[1]

    def end_open_offer(self, offer_id: str, status: str, reason: rp.WithdrawReason | None,
                       stored_reason: str | None = None) -> tuple[bool, ap.Event | None]:
        """``end_offer``, and whether this call ended it: of an accept, a decline, a
        timeout and a withdrawal on several processes at once, one ends the offer."""
        with self.db.begin() as conn:
            row = conn.execute(_OFFER_BY_ID, {"oid": offer_id}).one()
            if row.status != "open":
                return False, None
            done = conn.execute(_END_OFFER, {
                "oid": offer_id, "status": status, "answered_at": now_ms(),
                "reason": stored_reason or (reason.value if reason else None)})
            if done.rowcount == 0:
                return False, None
            if reason is None:
                return True, None
            return True, self.append_event(conn, row.agent_id, rp.OfferWithdrawn(
                offer_id=offer_id, conversation_id=row.conversation_id, reason=reason))

    def open_offers(self, agent_id: str | None = None) -> list[sa.Row[Any]]:
        with self.db.connect() as conn:
            query = sa.select(t.offers).where(t.offers.c.status == "open")
            if agent_id is not None:
                query = query.where(t.offers.c.agent_id == agent_id)
            return list(conn.execute(query).all())

    def offer_frames(self, agent_id: str) -> list[rp.OfferMade]:
        """The offers still ringing for the agent, as their ``offer_made`` bodies."""
        frames = []
        with self.db.connect() as conn:
            for row in conn.execute(sa.select(t.offers).where(
                    t.offers.c.agent_id == agent_id, t.offers.c.status == "open")):
                conv = conn.execute(sa.select(t.conversations).where(
                    t.conversations.c.id == row.conversation_id)).one()
                body = self._assigned_body(conn, row.conversation_id)
                frames.append(rp.OfferMade(
                    offer_id=row.id, conversation=body.conversation, customer=body.customer,
                    expires_at=row.expires_at, priority=int(conv.priority or 0),
                    queue=conv.queue_id or "", messages=body.messages, history=body.history,
                    transfer_note=conv.transfer_note))
        return frames

    # ---- presence ----------------------------------------------------------------------

    def set_presence_detail(
        self, agent_id: str, presence: Presence, away_reason: rp.AwayReason | None,
        ends_at: int | None, missed: int, cause: str | None = None,
    ) -> list[ap.Event]:
        """Store the full presence; events only when something changed."""
        with self.db.begin() as conn:
            row = conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()
            same = (row.presence == presence.value and row.away_reason == (
                away_reason.value if away_reason else None) and row.presence_ends_at == ends_at)
            conn.execute(t.agents.update().where(t.agents.c.id == agent_id).values(
                presence=presence.value, away_reason=away_reason.value if away_reason else None,
                presence_ends_at=ends_at, missed_offers=missed))
            if same:
                return []
            events = []
            if row.presence != presence.value:
                events.append(self.append_event(
                    conn, agent_id, ap.PresenceChanged(presence=presence, reason=cause)))
            events.append(self.append_event(conn, agent_id, rp.PresenceDetail(
                presence=presence, away_reason=away_reason, ends_at=ends_at, missed_offers=missed)))
            return events
