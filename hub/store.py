"""The hub's store: every read and write of hub state, through SQLAlchemy Core.

Methods are synchronous and short; the hub calls them on its event loop, which
also serialises writers, so per-agent sequence numbers are assigned without races.
Each public method is one transaction.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.protocol import agent as ap
from core.protocol.models import (
    AgentInfo,
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    ConversationSummary,
    Customer,
    Identity,
    IdentityKind,
    Message,
    MessageAuthor,
    MessageStatus,
    Presence,
)
from hub import schema as t

SNAPSHOT_MESSAGES_PER_CONVERSATION = 200
HISTORY_ITEMS = 10

_event_encoder = msgspec.json.Encoder()
_event_decoder = msgspec.json.Decoder(ap.EventBody)


def now_ms() -> int:
    return int(time.time() * 1000)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def new_visitor_id() -> str:
    # A visitor id is a bearer secret kept in the customer's browser: unguessable.
    return "v_" + secrets.token_urlsafe(24)


class StoreError(Exception):
    """A request the store refuses; ``code`` is a protocol ErrorCode value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def create_engine(db: str | Path) -> Engine:
    """An engine for a SQLite file (WAL, foreign keys) or any SQLAlchemy URL."""
    url = str(db)
    if "://" not in url:
        url = f"sqlite:///{Path(db)}"
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

    return engine


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---- agents and tokens -----------------------------------------------------

    def create_agent(
        self, username: str, display_name: str, password_hash: str, role: str = "agent"
    ) -> str:
        agent_id = new_id("a")
        with self.engine.begin() as conn:
            conn.execute(
                t.agents.insert().values(
                    id=agent_id,
                    username=username,
                    display_name=display_name,
                    password_hash=password_hash,
                    role=role,
                    created_at=now_ms(),
                )
            )
        return agent_id

    def agent_by_username(self, username: str) -> sa.Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.agents).where(t.agents.c.username == username)).first()

    def agent_info(self, agent_id: str) -> AgentInfo:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()
        return AgentInfo(id=row.id, username=row.username, display_name=row.display_name)

    def agent_row(self, agent_id: str) -> sa.Row[Any]:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()

    def save_token(self, token_hash: str, agent_id: str, expires_at: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                t.tokens.insert().values(
                    token_hash=token_hash,
                    agent_id=agent_id,
                    created_at=now_ms(),
                    expires_at=expires_at,
                )
            )

    def token_row(self, token_hash: str) -> sa.Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(t.tokens).where(t.tokens.c.token_hash == token_hash)
            ).first()

    def revoke_token(self, token_hash: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                t.tokens.update()
                .where(t.tokens.c.token_hash == token_hash, t.tokens.c.revoked_at.is_(None))
                .values(revoked_at=now_ms())
            )
        return result.rowcount > 0

    # ---- event stream ------------------------------------------------------------

    def _append_event(self, conn: Connection, agent_id: str, body: ap.EventBody) -> ap.Event:
        conn.execute(
            t.agents.update()
            .where(t.agents.c.id == agent_id)
            .values(head_seq=t.agents.c.head_seq + 1)
        )
        seq = conn.execute(
            sa.select(t.agents.c.head_seq).where(t.agents.c.id == agent_id)
        ).scalar_one()
        ts = now_ms()
        conn.execute(
            t.agent_events.insert().values(
                agent_id=agent_id, seq=seq, ts=ts, body=_event_encoder.encode(body).decode()
            )
        )
        return ap.Event(seq=seq, ts=ts, body=body)

    def head_seq(self, agent_id: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(t.agents.c.head_seq).where(t.agents.c.id == agent_id)
                ).scalar_one()
            )

    def events_after(self, agent_id: str, seq: int, limit: int) -> list[ap.Event]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.agent_events)
                .where(t.agent_events.c.agent_id == agent_id, t.agent_events.c.seq > seq)
                .order_by(t.agent_events.c.seq)
                .limit(limit)
            ).all()
        return [ap.Event(seq=r.seq, ts=r.ts, body=_event_decoder.decode(r.body)) for r in rows]

    # ---- presence ----------------------------------------------------------------

    def set_presence(self, agent_id: str, presence: Presence) -> ap.Event | None:
        """Store presence; returns the event, or None when it did not change."""
        with self.engine.begin() as conn:
            current = conn.execute(
                sa.select(t.agents.c.presence).where(t.agents.c.id == agent_id)
            ).scalar_one()
            if current == presence.value:
                return None
            conn.execute(
                t.agents.update().where(t.agents.c.id == agent_id).values(presence=presence.value)
            )
            return self._append_event(conn, agent_id, ap.PresenceChanged(presence=presence))

    # ---- ops (idempotency) -----------------------------------------------------------

    def op_result(self, agent_id: str, op: str) -> sa.Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(t.ops).where(t.ops.c.agent_id == agent_id, t.ops.c.op == op)
            ).first()

    @staticmethod
    def _record_op(
        conn: Connection,
        agent_id: str,
        op: str,
        seq: int | None,
        error: StoreError | None = None,
    ) -> None:
        conn.execute(
            t.ops.insert().values(
                agent_id=agent_id,
                op=op,
                seq=seq,
                error_code=error.code if error else None,
                error_message=error.message if error else None,
                created_at=now_ms(),
            )
        )

    def record_failed_op(self, agent_id: str, op: str, error: StoreError) -> None:
        with self.engine.begin() as conn:
            self._record_op(conn, agent_id, op, None, error)

    def record_op(self, agent_id: str, op: str, seq: int | None) -> None:
        with self.engine.begin() as conn:
            self._record_op(conn, agent_id, op, seq)

    # ---- customers -----------------------------------------------------------------

    def customer(self, customer_id: str) -> Customer:
        with self.engine.connect() as conn:
            return self._customer(conn, customer_id)

    @staticmethod
    def _customer(conn: Connection, customer_id: str) -> Customer:
        row = conn.execute(sa.select(t.customers).where(t.customers.c.id == customer_id)).one()
        idents = conn.execute(
            sa.select(t.identities.c.kind, t.identities.c.value)
            .where(t.identities.c.customer_id == customer_id)
            .order_by(t.identities.c.kind, t.identities.c.value)
        ).all()
        return Customer(
            id=row.id,
            name=row.name,
            language=row.language,
            tier=row.tier,
            # Visitor ids are bearer secrets of the customer's browser: never shown.
            identities=[
                Identity(kind=IdentityKind(k), value=v)
                for k, v in idents
                if k != IdentityKind.VISITOR
            ],
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
        with self.engine.begin() as conn:
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
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(t.identities.c.customer_id).where(
                    t.identities.c.kind == kind.value, t.identities.c.value == value
                )
            ).scalar()
        return str(found) if found is not None else None

    def rename_customer(self, customer_id: str, name: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                t.customers.update().where(t.customers.c.id == customer_id).values(name=name)
            )

    # ---- conversations -------------------------------------------------------------

    @staticmethod
    def _conversation(row: sa.Row[Any]) -> Conversation:
        return Conversation(
            id=row.id,
            customer_id=row.customer_id,
            channel=Channel(row.channel),
            status=ConversationStatus(row.status),
            created_at=row.created_at,
            queue=row.queue_id,
            agent_id=row.agent_id,
            closed_at=row.closed_at,
            closed_by=ClosedBy(row.closed_by) if row.closed_by else None,
            last_message_at=row.last_message_at,
        )

    @staticmethod
    def _message(row: sa.Row[Any]) -> Message:
        return Message(
            id=row.id,
            conversation_id=row.conversation_id,
            author=MessageAuthor(row.author),
            text=row.text,
            created_at=row.created_at,
            status=MessageStatus(row.status),
            agent_id=row.agent_id,
            author_name=row.author_name,
        )

    def conversation(self, conversation_id: str) -> Conversation | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).first()
        return self._conversation(row) if row else None

    def open_conversation_of(self, customer_id: str) -> Conversation | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.conversations)
                .where(
                    t.conversations.c.customer_id == customer_id,
                    t.conversations.c.status == ConversationStatus.OPEN.value,
                    t.conversations.c.channel == Channel.CHAT.value,
                )
                .order_by(t.conversations.c.created_at.desc())
            ).first()
        return self._conversation(row) if row else None

    def create_conversation(
        self,
        customer_id: str,
        channel: Channel = Channel.CHAT,
        queue: str | None = None,
        created_at: int | None = None,
    ) -> Conversation:
        conv_id = new_id("conv")
        with self.engine.begin() as conn:
            conn.execute(
                t.conversations.insert().values(
                    id=conv_id,
                    customer_id=customer_id,
                    channel=channel.value,
                    status=ConversationStatus.OPEN.value,
                    queue_id=queue,
                    created_at=created_at or now_ms(),
                )
            )
            row = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conv_id)
            ).one()
        return self._conversation(row)

    def messages_of(self, conversation_id: str, limit: int | None = None) -> list[Message]:
        with self.engine.connect() as conn:
            return self._messages_of(conn, conversation_id, limit)

    def _messages_of(
        self, conn: Connection, conversation_id: str, limit: int | None = None
    ) -> list[Message]:
        query = (
            sa.select(t.messages)
            .where(t.messages.c.conversation_id == conversation_id)
            .order_by(t.messages.c.created_at.desc(), t.messages.c.id.desc())
        )
        if limit is not None:
            query = query.limit(limit)
        rows = conn.execute(query).all()
        return [self._message(r) for r in reversed(rows)]

    def _history(
        self, conn: Connection, customer_id: str, exclude: str
    ) -> list[ConversationSummary]:
        rows = conn.execute(
            sa.select(t.conversations)
            .where(t.conversations.c.customer_id == customer_id, t.conversations.c.id != exclude)
            .order_by(t.conversations.c.created_at.desc())
            .limit(HISTORY_ITEMS)
        ).all()
        out = []
        for r in rows:
            last = conn.execute(
                sa.select(t.messages.c.text)
                .where(t.messages.c.conversation_id == r.id)
                .order_by(t.messages.c.created_at.desc())
                .limit(1)
            ).scalar()
            out.append(
                ConversationSummary(
                    id=r.id,
                    channel=Channel(r.channel),
                    status=ConversationStatus(r.status),
                    created_at=r.created_at,
                    last_text=last,
                )
            )
        return out

    def _assigned_body(self, conn: Connection, conv_id: str) -> ap.ConversationAssigned:
        row = conn.execute(sa.select(t.conversations).where(t.conversations.c.id == conv_id)).one()
        return ap.ConversationAssigned(
            conversation=self._conversation(row),
            customer=self._customer(conn, row.customer_id),
            messages=self._messages_of(conn, conv_id, SNAPSHOT_MESSAGES_PER_CONVERSATION),
            history=self._history(conn, row.customer_id, conv_id),
        )

    def snapshot(self, agent_id: str) -> ap.Snapshot:
        with self.engine.begin() as conn:
            agent = conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()
            conv_ids = conn.execute(
                sa.select(t.conversations.c.id)
                .where(
                    t.conversations.c.agent_id == agent_id,
                    t.conversations.c.status == ConversationStatus.OPEN.value,
                )
                .order_by(t.conversations.c.created_at)
            ).scalars()
            items = [self._assigned_body(conn, c) for c in conv_ids]
            return ap.Snapshot(
                seq=agent.head_seq, conversations=items, presence=Presence(agent.presence)
            )

    def waiting_conversations(self) -> list[str]:
        """Open conversations no agent has yet, oldest first."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(t.conversations.c.id)
                    .where(
                        t.conversations.c.status == ConversationStatus.OPEN.value,
                        t.conversations.c.agent_id.is_(None),
                    )
                    .order_by(t.conversations.c.created_at)
                ).scalars()
            )

    def assign(self, conversation_id: str, agent_id: str) -> ap.Event:
        with self.engine.begin() as conn:
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id)
                .values(agent_id=agent_id)
            )
            conn.execute(
                t.agents.update().where(t.agents.c.id == agent_id).values(last_assigned_at=now_ms())
            )
            return self._append_event(conn, agent_id, self._assigned_body(conn, conversation_id))

    def routable_agents(self, agent_ids: Iterable[str]) -> list[str]:
        """Of ``agent_ids``, the available ones in round-robin order."""
        ids = list(agent_ids)
        if not ids:
            return []
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(t.agents.c.id)
                    .where(
                        t.agents.c.id.in_(ids),
                        t.agents.c.presence == Presence.AVAILABLE.value,
                    )
                    .order_by(t.agents.c.last_assigned_at, t.agents.c.id)
                ).scalars()
            )

    # ---- messages ------------------------------------------------------------------

    def customer_message_by_key(self, customer_id: str, client_id: str) -> Message | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.messages).where(t.messages.c.dedupe_key == f"{customer_id}:{client_id}")
            ).first()
        return self._message(row) if row else None

    def add_customer_message(
        self, conversation_id: str, customer_id: str, client_id: str, text: str, author_name: str
    ) -> tuple[Message, ap.Event | None]:
        """Store a customer message; returns it and the agent event, if assigned."""
        ts = now_ms()
        msg = Message(
            id=new_id("m"),
            conversation_id=conversation_id,
            author=MessageAuthor.CUSTOMER,
            text=text,
            created_at=ts,
            status=MessageStatus.SENT,
            author_name=author_name,
        )
        with self.engine.begin() as conn:
            conn.execute(
                t.messages.insert().values(
                    id=msg.id,
                    conversation_id=conversation_id,
                    author=msg.author.value,
                    author_name=author_name,
                    text=text,
                    created_at=ts,
                    status=msg.status.value,
                    dedupe_key=f"{customer_id}:{client_id}",
                )
            )
            agent_id = self._touch(conn, conversation_id, ts)
            event = (
                self._append_event(conn, agent_id, ap.MessageAdded(message=msg))
                if agent_id
                else None
            )
        return msg, event

    @staticmethod
    def _touch(conn: Connection, conversation_id: str, ts: int) -> str | None:
        conn.execute(
            t.conversations.update()
            .where(t.conversations.c.id == conversation_id)
            .values(last_message_at=ts)
        )
        agent_id = conn.execute(
            sa.select(t.conversations.c.agent_id).where(t.conversations.c.id == conversation_id)
        ).scalar()
        return str(agent_id) if agent_id else None

    def _owned_open(self, conn: Connection, agent_id: str, conversation_id: str) -> sa.Row[Any]:
        row = conn.execute(
            sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
        ).first()
        if row is None or row.agent_id != agent_id:
            # Same answer whether it exists or not: no probing other agents' work.
            raise StoreError("not_found", "no such conversation assigned to you")
        if row.status != ConversationStatus.OPEN.value:
            raise StoreError("conflict", "the conversation is closed")
        return row

    def add_agent_message(
        self, op: str, agent_id: str, conversation_id: str, message_id: str, text: str
    ) -> tuple[Message, ap.Event]:
        ts = now_ms()
        with self.engine.begin() as conn:
            self._owned_open(conn, agent_id, conversation_id)
            name = conn.execute(
                sa.select(t.agents.c.display_name).where(t.agents.c.id == agent_id)
            ).scalar_one()
            exists = conn.execute(
                sa.select(t.messages.c.id).where(t.messages.c.id == message_id)
            ).first()
            if exists:
                raise StoreError("conflict", "a message with this id exists")
            msg = Message(
                id=message_id,
                conversation_id=conversation_id,
                author=MessageAuthor.AGENT,
                text=text,
                created_at=ts,
                status=MessageStatus.SENT,
                agent_id=agent_id,
                author_name=name,
            )
            conn.execute(
                t.messages.insert().values(
                    id=message_id,
                    conversation_id=conversation_id,
                    author=msg.author.value,
                    agent_id=agent_id,
                    author_name=name,
                    text=text,
                    created_at=ts,
                    status=msg.status.value,
                )
            )
            self._touch(conn, conversation_id, ts)
            event = self._append_event(conn, agent_id, ap.MessageAdded(message=msg))
            self._record_op(conn, agent_id, op, event.seq)
        return msg, event

    def close_conversation(
        self,
        conversation_id: str,
        closed_by: ClosedBy,
        agent_id: str | None = None,
        op: str | None = None,
    ) -> tuple[Conversation, ap.Event | None]:
        """Close; ``agent_id`` given means the agent asked and must own it."""
        ts = now_ms()
        with self.engine.begin() as conn:
            if agent_id is not None:
                self._owned_open(conn, agent_id, conversation_id)
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id)
                .values(
                    status=ConversationStatus.CLOSED.value,
                    closed_at=ts,
                    closed_by=closed_by.value,
                )
            )
            row = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).one()
            event = None
            if row.agent_id:
                event = self._append_event(
                    conn,
                    row.agent_id,
                    ap.ConversationClosed(
                        conversation_id=conversation_id, closed_by=closed_by, closed_at=ts
                    ),
                )
            if op is not None and agent_id is not None:
                self._record_op(conn, agent_id, op, event.seq if event else None)
        return self._conversation(row), event

    def mark_delivered_by_agent(
        self, agent_id: str, conversation_id: str, message_ids: list[str]
    ) -> list[str]:
        """Customer messages the agent's desktop stored; returns ids newly delivered."""
        with self.engine.begin() as conn:
            conv = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).first()
            if conv is None or conv.agent_id != agent_id:
                raise StoreError("not_found", "no such conversation assigned to you")
            cond = (
                t.messages.c.conversation_id == conversation_id,
                t.messages.c.id.in_(message_ids),
                t.messages.c.author == MessageAuthor.CUSTOMER.value,
                t.messages.c.status == MessageStatus.SENT.value,
            )
            ids = list(conn.execute(sa.select(t.messages.c.id).where(*cond)).scalars())
            if ids:
                conn.execute(
                    t.messages.update()
                    .where(t.messages.c.id.in_(ids))
                    .values(status=MessageStatus.DELIVERED.value)
                )
        return ids

    def mark_delivered_by_customer(
        self, customer_id: str, message_ids: list[str]
    ) -> tuple[list[ap.Event], list[str]]:
        """Agent messages the widget showed; returns agent events and unknown ids."""
        events: list[ap.Event] = []
        with self.engine.begin() as conn:
            rows = conn.execute(
                sa.select(
                    t.messages.c.id,
                    t.messages.c.status,
                    t.messages.c.author,
                    t.conversations.c.id.label("conv_id"),
                    t.conversations.c.agent_id,
                )
                .join(t.conversations, t.messages.c.conversation_id == t.conversations.c.id)
                .where(
                    t.messages.c.id.in_(message_ids),
                    t.conversations.c.customer_id == customer_id,
                )
            ).all()
            known = {r.id for r in rows}
            for r in rows:
                if r.author != MessageAuthor.AGENT.value or r.status != MessageStatus.SENT.value:
                    continue
                conn.execute(
                    t.messages.update()
                    .where(t.messages.c.id == r.id)
                    .values(status=MessageStatus.DELIVERED.value)
                )
                if r.agent_id:
                    events.append(
                        self._append_event(
                            conn,
                            r.agent_id,
                            ap.MessageStatusChanged(
                                conversation_id=r.conv_id,
                                message_id=r.id,
                                status=MessageStatus.DELIVERED,
                            ),
                        )
                    )
        return events, [m for m in message_ids if m not in known]

    def message_counts(self) -> dict[str, int]:
        """Row counts, for /healthz and tests."""
        with self.engine.connect() as conn:
            return {
                name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for name, table in (
                    ("customers", t.customers),
                    ("conversations", t.conversations),
                    ("messages", t.messages),
                )
            }
