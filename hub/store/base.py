"""Shared parts of the hub's store: engine, ids, the event stream, row shapes.

The store is split by subject (agents, conversations, customers) over one engine.
Methods are synchronous and short; the hub calls them on its event loop. Each
public method is one transaction, or joins the unit of work in progress
(hub.store.database).

An agent's event stream stays gap-free and in order even when several hub
processes write it (PostgreSQL): the agent's row is the stream's counter, and
taking the next number updates that row in the event's own transaction, so a
second writer waits for the first to commit or roll back and then counts on from
what it left. One global sequence would not do: a later number can commit first.
"""

from __future__ import annotations

import secrets
import time
import uuid
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.protocol import agent as ap
from core.protocol.models import (
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    ConversationSummary,
    Customer,
    Message,
    MessageAuthor,
    MessageStatus,
)
from core.protocol.sentiment import EscalationReason, SentimentTrend
from hub.profile import config as profile_config
from hub.profile.config import ProfileSettings
from hub.profile.customer_records import load_customer
from hub.store import schema as t
from hub.store.database import Database

SNAPSHOT_MESSAGES_PER_CONVERSATION = 200
_AUTHORS = {a.value: a for a in MessageAuthor}
_STATUSES = {s.value: s for s in MessageStatus}
# PostgreSQL: each committed event wakes the hub processes listening here (hub.store.bus).
EVENTS_CHANNEL = "zuoxi_events"
FRAMES_CHANNEL = "zuoxi_frames"  # frames outside agents' streams (hub.store.bus)
HISTORY_ITEMS = 10

_event_encoder = msgspec.json.Encoder()
_event_decoder = msgspec.json.Decoder(ap.EventBody)


def routing_fields(row: sa.Row[Any]) -> dict[str, Any]:
    """A conversation row's routing columns (absent before schema version 4)."""
    m = row._mapping
    return {
        "priority": int(m.get("priority") or 0),
        "sla_due_at": m.get("sla_due_at"),
        "first_reply_at": m.get("first_reply_at"),
        "disposition": m.get("disposition"),
        "transfer_note": m.get("transfer_note"),
    }


_reasons_decoder = msgspec.json.Decoder(list[EscalationReason])
_scores_decoder = msgspec.json.Decoder(list[float])


def sentiment_trend(row: sa.Row[Any]) -> SentimentTrend | None:
    """A conversation row's sentiment columns (absent before schema version 8)."""
    m = row._mapping
    first = m.get("sentiment_first")
    if first is None:
        return None
    recent = m.get("sentiment_recent")
    reasons = m.get("escalation_reasons")
    return SentimentTrend(
        first=float(first),
        recent=_scores_decoder.decode(recent) if recent else [],
        escalations=_reasons_decoder.decode(reasons) if reasons else [],
    )


def now_ms() -> int:
    return int(time.time() * 1000)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def message_time(conn: Connection, conversation_id: str, ts: int) -> int:
    """The time to store a new message of a conversation at: ``ts``, or one
    millisecond after the conversation's newest message if that is not earlier.
    Messages are shown in (created_at, id) order and ids are random: two stored
    in the same millisecond (a customer's "转人工" and the bot's hand-off line)
    would otherwise come out in either order."""
    newest = conn.execute(
        sa.select(sa.func.max(t.messages.c.created_at))
        .where(t.messages.c.conversation_id == conversation_id)).scalar()
    return ts if newest is None or ts > newest else int(newest) + 1


def new_visitor_id() -> str:
    # A visitor id is a bearer secret kept in the customer's browser: unguessable.
    return "v_" + secrets.token_urlsafe(24)


def last_texts(conn: Connection, conversation_ids: list[str]) -> dict[str, str]:
    """The newest message text of each conversation, in one query."""
    if not conversation_ids:
        return {}
    m = t.messages.c
    ranked = (
        sa.select(
            m.conversation_id,
            m.text,
            sa.func.row_number()
            .over(partition_by=m.conversation_id, order_by=(m.created_at.desc(), m.id.desc()))
            .label("rank"),
        )
        .where(m.conversation_id.in_(conversation_ids))
        .subquery()
    )
    rows = conn.execute(
        sa.select(ranked.c.conversation_id, ranked.c.text).where(ranked.c.rank == 1)
    )
    return {r.conversation_id: r.text for r in rows}


class StoreError(Exception):
    """A request the store refuses; ``code`` is a protocol ErrorCode value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# A connect that gets no answer fails after 2 s (libpq's minimum); an idle
# connection whose peer vanished is found after 10 + 3 x 3 s of silence; data sent
# but not acknowledged for 10 s ends the connection (Linux TCP_USER_TIMEOUT).
PG_NETWORK_DEFAULTS = {
    "connect_timeout": "2",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "3",
    "keepalives_count": "3",
    "tcp_user_timeout": "10000",
}


def database_url(db: str | Path) -> sa.engine.URL:
    """The SQLAlchemy URL of ``db``: a SQLite file path, or a URL.

    ``postgresql://`` means PostgreSQL through psycopg 3 (SQLAlchemy's bare
    ``postgresql`` would pick psycopg2, which the hub does not ship)."""
    text = str(db)
    if "://" not in text:
        return sa.engine.make_url(f"sqlite:///{Path(db)}")
    url = sa.engine.make_url(text)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "postgresql":
        # libpq waits forever by default: a cut link would hang the caller (on the
        # event loop, the whole hub). The URL's own settings win; docs/scale-out.md
        # says why these values.
        missing = {k: v for k, v in PG_NETWORK_DEFAULTS.items() if k not in url.query}
        url = url.update_query_dict(missing)
    return url


def create_engine(db: str | Path) -> Engine:
    """An engine for a SQLite file (WAL, foreign keys) or a PostgreSQL URL."""
    url = database_url(db)
    if url.get_backend_name() == "postgresql":
        # Connections are checked before use: a hub outlives database restarts.
        return sa.create_engine(url, pool_pre_ping=True)
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


class StoreBase:
    def __init__(
        self, engine: Engine, settings: ProfileSettings | None = None, db: Database | None = None
    ) -> None:
        self.engine = engine
        # Shared by every store over this engine, so they all join one unit of work.
        self.db = db if db is not None else Database(engine)
        # Attribute definitions and automatic-tag rules (the shipped file by default).
        self.settings = settings if settings is not None else profile_config.load()

    def append_event(self, conn: Connection, agent_id: str, body: ap.EventBody) -> ap.Event:
        # The update holds the agent's row until the transaction ends (see above).
        seq = conn.execute(
            t.agents.update()
            .where(t.agents.c.id == agent_id)
            .values(head_seq=t.agents.c.head_seq + 1)
            .returning(t.agents.c.head_seq)
        ).scalar_one()
        ts = now_ms()
        if conn.dialect.name == "postgresql":  # delivered on commit, only if it commits
            conn.execute(sa.select(sa.func.pg_notify(EVENTS_CHANNEL, f"{agent_id} {seq}")))
        conn.execute(
            t.agent_events.insert().values(
                agent_id=agent_id, seq=seq, ts=ts, body=_event_encoder.encode(body).decode()
            )
        )
        return ap.Event(seq=seq, ts=ts, body=body)

    @staticmethod
    def lock_stream_in(conn: Connection, agent_id: str) -> None:
        """Hold the agent's stream (its row) until ``conn``'s transaction ends.

        A unit that writes an agent's stream takes this before writing anything
        else, so units on several hub processes take their locks in one order and
        do not deadlock (PostgreSQL; SQLite has one writer at a time anyway)."""
        if conn.dialect.name == "sqlite":
            return
        conn.execute(
            sa.select(t.agents.c.head_seq).where(t.agents.c.id == agent_id).with_for_update()
        ).first()

    @classmethod
    def lock_owner_stream_in(cls, conn: Connection, conversation_id: str) -> None:
        """``lock_stream_in`` for the agent the conversation is assigned to, if any."""
        if conn.dialect.name == "sqlite":
            return
        owner = conn.execute(
            sa.select(t.conversations.c.agent_id).where(t.conversations.c.id == conversation_id)
        ).scalar()
        if owner:
            cls.lock_stream_in(conn, str(owner))

    def head_seq(self, agent_id: str) -> int:
        with self.db.connect() as conn:
            return int(
                conn.execute(
                    sa.select(t.agents.c.head_seq).where(t.agents.c.id == agent_id)
                ).scalar_one()
            )

    def events_after(self, agent_id: str, seq: int, limit: int) -> list[ap.Event]:
        with self.db.connect() as conn:
            rows = conn.execute(
                sa.select(t.agent_events)
                .where(t.agent_events.c.agent_id == agent_id, t.agent_events.c.seq > seq)
                .order_by(t.agent_events.c.seq)
                .limit(limit)
            ).all()
        return [ap.Event(seq=r.seq, ts=r.ts, body=_event_decoder.decode(r.body)) for r in rows]

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

    @staticmethod
    def _customer(conn: Connection, customer_id: str) -> Customer:
        return load_customer(conn, customer_id)

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
            **routing_fields(row),
            sentiment=sentiment_trend(row),
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

    def notify(self, channel: str, payload: str) -> None:
        """A PostgreSQL wake-up, sent when the unit of work in progress (or this call
        alone) commits, and never if it rolls back."""
        with self.db.begin() as conn:
            conn.execute(sa.select(sa.func.pg_notify(channel, payload)))

    def message(self, message_id: str) -> Message | None:
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.messages).where(t.messages.c.id == message_id)).first()
        return None if row is None else self._message(row)

    def messages_of(self, conversation_id: str, limit: int | None = None) -> list[Message]:
        with self.db.connect() as conn:
            return self._messages_of(conn, conversation_id, limit)

    def _messages_of(
        self, conn: Connection, conversation_id: str, limit: int | None = None,
        after: int | None = None,
    ) -> list[Message]:
        """The newest ``limit`` messages (all without), oldest first; only those
        stored after ``after`` (ms) when given."""
        m = t.messages.c
        query = (
            sa.select(m.id, m.conversation_id, m.author, m.text, m.created_at, m.status,
                      m.agent_id, m.author_name)
            .where(m.conversation_id == conversation_id)
            .order_by(m.created_at.desc(), m.id.desc())
        )
        if after is not None:
            query = query.where(m.created_at > after)
        if limit is not None:
            query = query.limit(limit)
        rows = conn.execute(query).all()
        # Plain tuples and dict look-ups: a snapshot turns tens of thousands of rows
        # into messages, and Row attributes and Enum() calls were most of its time.
        return [
            Message(id_, conv, _AUTHORS[author], text, at, _STATUSES[status], agent, name)
            for id_, conv, author, text, at, status, agent, name in map(tuple, reversed(rows))
        ]

    def _history(
        self, conn: Connection, customer_id: str, exclude: str
    ) -> list[ConversationSummary]:
        rows = conn.execute(
            sa.select(t.conversations)
            .where(t.conversations.c.customer_id == customer_id, t.conversations.c.id != exclude)
            .order_by(t.conversations.c.created_at.desc())
            .limit(HISTORY_ITEMS)
        ).all()
        last = last_texts(conn, [r.id for r in rows])
        return [
            ConversationSummary(
                id=r.id,
                channel=Channel(r.channel),
                status=ConversationStatus(r.status),
                created_at=r.created_at,
                last_text=last.get(r.id),
            )
            for r in rows
        ]

    def _assigned_body(
        self, conn: Connection, conv_id: str, customer: Customer | None = None
    ) -> ap.ConversationAssigned:
        row = conn.execute(sa.select(t.conversations).where(t.conversations.c.id == conv_id)).one()
        return ap.ConversationAssigned(
            conversation=self._conversation(row),
            customer=customer or self._customer(conn, row.customer_id),
            messages=self._messages_of(conn, conv_id, SNAPSHOT_MESSAGES_PER_CONVERSATION),
            history=self._history(conn, row.customer_id, conv_id),
        )

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
