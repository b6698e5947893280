"""The store's conversations and messages, and the events they produce."""

from __future__ import annotations

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol.digest import StateDigest, conversation_line, message_line, table_digest
from core.protocol.models import (
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    MessageAuthor,
    MessageStatus,
    Presence,
)
from hub.profile import visibility
from hub.profile.customer_records import load_customers
from hub.store import schema as t
from hub.store.base import (
    StoreBase,
    StoreError,
    message_time,
    new_id,
    now_ms,
)

# A snapshot part stays well under a few MB so no frame is huge to decode.
SNAPSHOT_PART_CONVERSATIONS = 50
SNAPSHOT_PART_MESSAGES = 5000


# A conversation's newest messages in a snapshot's first parts: at least these many.
SNAPSHOT_HEAD_MESSAGES = 10


def snapshot_head_start(messages: list[Message]) -> int:
    """Where a conversation's newest messages begin (``messages`` oldest first): its
    last agent message and everything after it (what the unread count and the waiting
    time are computed from), and at least the newest ``SNAPSHOT_HEAD_MESSAGES``."""
    start = max(0, len(messages) - SNAPSHOT_HEAD_MESSAGES)
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].author is MessageAuthor.AGENT:
            return min(i, start)
    return 0


class ConversationStore(StoreBase):
    def conversation(self, conversation_id: str) -> Conversation | None:
        with self.db.connect() as conn:
            row = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).first()
        return self._conversation(row) if row else None

    def open_conversation_of(self, customer_id: str) -> Conversation | None:
        with self.db.connect() as conn:
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

    def missed_since(
        self,
        customer_ids: set[str],
        seen: dict[str, str],
        closed_since: int,
        limit: int,
    ) -> list[tuple[Conversation, list[Message]]]:
        """Chat conversations of ``customer_ids`` named in ``seen`` (conversation id ->
        the last message id shown) and closed at or after ``closed_since``, oldest close
        first, each with its messages stored after that message (at most the newest
        ``limit``). A conversation of another customer, still open, closed earlier, or
        whose named message is not its own is left out."""
        if not seen or not customer_ids:
            return []
        c, m = t.conversations.c, t.messages.c
        with self.db.connect() as conn:
            rows = conn.execute(
                sa.select(t.conversations)
                .where(
                    c.id.in_(list(seen)),
                    c.customer_id.in_(list(customer_ids)),
                    c.channel == Channel.CHAT.value,
                    c.status == ConversationStatus.CLOSED.value,
                    c.closed_at >= closed_since,
                )
                .order_by(c.closed_at, c.id)
            ).all()
            out: list[tuple[Conversation, list[Message]]] = []
            for row in rows:
                shown_at = conn.execute(
                    sa.select(m.created_at).where(
                        m.id == seen[row.id], m.conversation_id == row.id)
                ).scalar()
                if shown_at is None:
                    continue
                out.append((self._conversation(row),
                            self._messages_of(conn, row.id, limit, after=int(shown_at))))
        return out

    def create_conversation(
        self,
        customer_id: str,
        channel: Channel = Channel.CHAT,
        queue: str | None = None,
        created_at: int | None = None,
    ) -> Conversation:
        conv_id = new_id("conv")
        with self.db.begin() as conn:
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

    def snapshot_parts(
        self,
        agent_id: str,
        max_conversations: int = SNAPSHOT_PART_CONVERSATIONS,
        max_messages: int = SNAPSHOT_PART_MESSAGES,
    ) -> list[ap.Snapshot]:
        """The agent's open state as of its head seq, cut into parts of bounded size."""
        with self.db.begin() as conn:
            agent = conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()
            presence = Presence(agent.presence)
            parts: list[list[ap.ConversationAssigned]] = []
            current: list[ap.ConversationAssigned] = []
            messages = 0
            open_ids = self._open_of_agent(conn, agent_id)
            owners = {
                r.id: r.customer_id
                for r in conn.execute(
                    sa.select(t.conversations.c.id, t.conversations.c.customer_id).where(
                        t.conversations.c.id.in_(open_ids)
                    )
                )
            }
            # Every customer of the snapshot in one batch, not a few queries each.
            customers = load_customers(conn, owners.values())
            # Newest messages first: every conversation with what the agent needs to
            # see it in the inbox and answer (unread count, waiting time), then their
            # older messages in parts of their own ("older"), so a long-history inbox
            # is whole after the first parts instead of the last.
            older: list[ap.ConversationAssigned] = []
            for conv_id in open_ids:
                item = self._assigned_body(conn, conv_id, customers.get(owners[conv_id]))
                cut = snapshot_head_start(item.messages)
                if cut:
                    older.append(ap.ConversationAssigned(
                        conversation=item.conversation, customer=item.customer,
                        messages=item.messages[:cut]))
                    item.messages = item.messages[cut:]
                if current and (
                    len(current) >= max_conversations
                    or messages + len(item.messages) > max_messages
                ):
                    parts.append(current)
                    current, messages = [], 0
                current.append(item)
                messages += len(item.messages)
            parts.append(current)
            heads = len(parts)
            current, messages = [], 0
            for item in older:
                for start in range(0, len(item.messages), max_messages):
                    chunk = item.messages[start:start + max_messages]
                    if current and messages + len(chunk) > max_messages:
                        parts.append(current)
                        current, messages = [], 0
                    current.append(ap.ConversationAssigned(
                        conversation=item.conversation, customer=item.customer,
                        messages=chunk))
                    messages += len(chunk)
            if current:
                parts.append(current)
            return [
                ap.Snapshot(seq=agent.head_seq, conversations=items, presence=presence,
                            part=n, last=n == len(parts) - 1, older=n >= heads)
                for n, items in enumerate(parts)
            ]

    @staticmethod
    def _open_of_agent(conn: Connection, agent_id: str) -> list[str]:
        return list(
            conn.execute(
                sa.select(t.conversations.c.id)
                .where(
                    t.conversations.c.agent_id == agent_id,
                    t.conversations.c.status == ConversationStatus.OPEN.value,
                )
                .order_by(t.conversations.c.created_at, t.conversations.c.id)
            ).scalars()
        )

    def open_conversations_of_agent(self, agent_id: str) -> list[str]:
        with self.db.connect() as conn:
            return self._open_of_agent(conn, agent_id)

    def unassign(
        self, conversation_id: str, reason: ap.UnassignReason
    ) -> tuple[str, ap.Event] | None:
        """Take an open conversation from its agent; returns (agent, event) or None."""
        with self.db.begin() as conn:
            row = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).first()
            if row is None or row.agent_id is None or row.status != "open":
                return None
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id)
                .values(agent_id=None)
            )
            event = self.append_event(
                conn,
                row.agent_id,
                ap.ConversationUnassigned(conversation_id=conversation_id, reason=reason),
            )
            return str(row.agent_id), event

    def record_visit(self, agent_id: str, cmd: ap.RecordVisit) -> ap.Event:
        """Store a walk-in visit as a closed ``store`` conversation with one note.

        Only where the agent already sees the customer: a visit grants no access
        (visits count for nobody's view, see hub.profile.visibility)."""
        with self.db.begin() as conn:
            visibility.visible_customer(conn, agent_id, cmd.customer_id)
            if (
                conn.execute(
                    sa.select(t.conversations.c.id).where(
                        t.conversations.c.id == cmd.conversation_id
                    )
                ).first()
                is not None
            ):
                raise StoreError("conflict", "a conversation with this id exists")
            name = conn.execute(
                sa.select(t.agents.c.display_name).where(t.agents.c.id == agent_id)
            ).scalar_one()
            conn.execute(
                t.conversations.insert().values(
                    id=cmd.conversation_id,
                    customer_id=cmd.customer_id,
                    channel=Channel.STORE.value,
                    status=ConversationStatus.CLOSED.value,
                    queue_id=visibility.STORE_QUEUE,
                    agent_id=agent_id,
                    created_at=cmd.visited_at,
                    closed_at=cmd.visited_at,
                    closed_by=ClosedBy.AGENT.value,
                    last_message_at=cmd.visited_at,
                )
            )
            conn.execute(
                t.messages.insert().values(
                    id=new_id("m"),
                    conversation_id=cmd.conversation_id,
                    author=MessageAuthor.AGENT.value,
                    agent_id=agent_id,
                    author_name=name,
                    text=cmd.note,
                    created_at=cmd.visited_at,
                    status=MessageStatus.SENT.value,
                )
            )
            event = self.append_event(
                conn, agent_id, self._assigned_body(conn, cmd.conversation_id)
            )
            self._record_op(conn, agent_id, cmd.op, event.seq)
            return event

    def digest(self, agent_id: str) -> StateDigest:
        """What the agent's cache must hold: see core.protocol.digest."""
        with self.db.begin() as conn:
            head = conn.execute(
                sa.select(t.agents.c.head_seq).where(t.agents.c.id == agent_id)
            ).scalar_one()
            rows = conn.execute(
                sa.select(
                    t.conversations.c.id, t.conversations.c.customer_id, t.conversations.c.status
                ).where(
                    t.conversations.c.agent_id == agent_id,
                    t.conversations.c.status == ConversationStatus.OPEN.value,
                )
            ).all()
            ids = [r.id for r in rows]
            messages = conn.execute(
                sa.select(
                    t.messages.c.id,
                    t.messages.c.conversation_id,
                    t.messages.c.author,
                    t.messages.c.status,
                    t.messages.c.text,
                ).where(t.messages.c.conversation_id.in_(ids))
            ).all()
        return StateDigest(
            head_seq=int(head),
            conversations=table_digest(
                conversation_line(r.id, r.customer_id, r.status) for r in rows
            ),
            messages=table_digest(
                message_line(m.id, m.conversation_id, m.author, m.status, m.text) for m in messages
            ),
        )

    def waiting_conversations(self) -> list[str]:
        """Open conversations no agent has yet, oldest first; not those the
        self-service bot holds (routed when it hands them off)."""
        bot = t.bot_conversations.c
        held = sa.exists().where(bot.conversation_id == t.conversations.c.id,
                                 bot.handoff_reason.is_(None), bot.released_at.is_(None))
        with self.db.connect() as conn:
            return list(
                conn.execute(
                    sa.select(t.conversations.c.id)
                    .where(
                        t.conversations.c.status == ConversationStatus.OPEN.value,
                        t.conversations.c.agent_id.is_(None),
                        ~held,
                    )
                    .order_by(t.conversations.c.created_at)
                ).scalars()
            )

    def assign(
        self, conversation_id: str, agent_id: str, customer: Customer | None = None
    ) -> ap.Event:
        """``customer``: the record if the caller has it fresh (an offer just made)."""
        with self.db.begin() as conn:
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id)
                .values(agent_id=agent_id)
            )
            conn.execute(
                t.agents.update().where(t.agents.c.id == agent_id).values(last_assigned_at=now_ms())
            )
            return self.append_event(
                conn, agent_id, self._assigned_body(conn, conversation_id, customer)
            )

    def customer_message_by_key(self, customer_id: str, client_id: str) -> Message | None:
        with self.db.connect() as conn:
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
        with self.db.begin() as conn:
            # The agent's stream first, as an agent's own command takes it: the
            # same order everywhere, so two hub processes cannot deadlock on it.
            self.lock_owner_stream_in(conn, conversation_id)
            at = message_time(conn, conversation_id, ts)
            if at != ts:
                ts = at
                msg = msgspec.structs.replace(msg, created_at=ts)
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
                self.append_event(conn, agent_id, ap.MessageAdded(message=msg))
                if agent_id
                else None
            )
        return msg, event

    def add_agent_message(
        self, op: str, agent_id: str, conversation_id: str, message_id: str, text: str
    ) -> tuple[Message, ap.Event]:
        ts = now_ms()
        with self.db.begin() as conn:
            self._owned_open(conn, agent_id, conversation_id)
            name = conn.execute(
                sa.select(t.agents.c.display_name).where(t.agents.c.id == agent_id)
            ).scalar_one()
            exists = conn.execute(
                sa.select(t.messages.c.id).where(t.messages.c.id == message_id)
            ).first()
            if exists:
                raise StoreError("conflict", "a message with this id exists")
            ts = message_time(conn, conversation_id, ts)
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
            event = self.append_event(conn, agent_id, ap.MessageAdded(message=msg))
            self._record_op(conn, agent_id, op, event.seq)
        return msg, event

    def close_conversation(
        self,
        conversation_id: str,
        closed_by: ClosedBy,
        agent_id: str | None = None,
        op: str | None = None,
        disposition: str | None = None,
        note: str | None = None,
    ) -> tuple[Conversation, ap.Event | None]:
        """Close; ``agent_id`` given means the agent asked and must own it."""
        ts = now_ms()
        with self.db.begin() as conn:
            if agent_id is not None:
                self._owned_open(conn, agent_id, conversation_id)
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id)
                .values(
                    status=ConversationStatus.CLOSED.value,
                    closed_at=ts,
                    closed_by=closed_by.value,
                    disposition=disposition,
                    disposition_note=note or None,
                )
            )
            row = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).one()
            event = None
            if row.agent_id:
                event = self.append_event(
                    conn,
                    row.agent_id,
                    ap.ConversationClosed(
                        conversation_id=conversation_id, closed_by=closed_by, closed_at=ts,
                        disposition=disposition, note=note or None,
                    ),
                )
            if op is not None and agent_id is not None:
                self._record_op(conn, agent_id, op, event.seq if event else None)
        return self._conversation(row), event

    def mark_delivered_by_agent(
        self, agent_id: str, conversation_id: str, message_ids: list[str]
    ) -> tuple[list[str], list[ap.Event]]:
        """Customer messages the agent's desktop stored: newly delivered ids, and the
        events that confirm them to the desktop (so a lost receipt is sent again)."""
        with self.db.begin() as conn:
            conv = conn.execute(
                sa.select(t.conversations).where(t.conversations.c.id == conversation_id)
            ).first()
            if conv is None or conv.agent_id != agent_id:
                # Late receipts for a conversation that moved on change nothing.
                return [], []
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
            events = [
                self.append_event(
                    conn,
                    agent_id,
                    ap.MessageStatusChanged(
                        conversation_id=conversation_id,
                        message_id=message_id,
                        status=MessageStatus.DELIVERED,
                    ),
                )
                for message_id in ids
            ]
        return ids, events

    def mark_delivered_by_customer(
        self, customer_id: str, message_ids: list[str]
    ) -> tuple[list[ap.Event], list[str]]:
        """Agent messages the widget showed; returns agent events and unknown ids."""
        events: list[ap.Event] = []
        with self.db.begin() as conn:
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
                        self.append_event(
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
