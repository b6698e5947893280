"""Storage of monitoring and coaching: monitors, coaching notes, the audit log.

Every write joins the caller's unit of work (hub.unit_of_work) through the shared
``Database``; events go into agents' streams with ``append_event`` in the same
transaction. Coaching notes live in their own table, never in ``messages``: the
customer's widget is fed from ``messages`` only, so a note cannot reach it.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import coaching as cop
from core.protocol.models import Channel, ConversationStatus, Message, MessageAuthor, MessageStatus
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.store import schema as t
from hub.store.base import (
    SNAPSHOT_MESSAGES_PER_CONVERSATION,
    StoreBase,
    StoreError,
    message_time,
    now_ms,
)

# Voice too: a supervisor monitors a phone conversation to listen to its call.
MONITORED_CHANNELS = frozenset({Channel.CHAT.value, Channel.EMAIL.value, Channel.VOICE.value})


class CoachingStore(StoreBase):
    # ---- who may ------------------------------------------------------------------------

    def require_supervisor(self, agent_id: str) -> str:
        """The supervisor's display name; ``forbidden`` for anyone else."""
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.agents.c.role, t.agents.c.display_name)
                               .where(t.agents.c.id == agent_id)).first()
            allowed = row is not None and permits(conn, agent_id, Permission.MONITORING)
        if row is None or not allowed:
            raise StoreError("forbidden", "only supervisors and admins may do this")
        return str(row.display_name)

    def _live(self, conn: Connection, conversation_id: str) -> sa.Row[Any]:
        row = conn.execute(sa.select(t.conversations)
                           .where(t.conversations.c.id == conversation_id)).first()
        if row is None or row.channel not in MONITORED_CHANNELS:
            raise StoreError("not_found", "no such chat or email")
        if row.status != ConversationStatus.OPEN.value:
            raise StoreError("conflict", "the conversation is closed")
        return row

    # ---- monitors -----------------------------------------------------------------------

    def live_conversations(self, limit: int) -> list[cop.LiveConversation]:
        c, a, cu = t.conversations, t.agents, t.customers
        query = (
            sa.select(c.c.id, c.c.channel, c.c.queue_id, c.c.created_at, c.c.last_message_at,
                      c.c.agent_id, a.c.display_name, cu.c.name.label("customer"))
            .join(a, a.c.id == c.c.agent_id).join(cu, cu.c.id == c.c.customer_id)
            .where(c.c.status == ConversationStatus.OPEN.value,
                   c.c.channel.in_(MONITORED_CHANNELS))
            .order_by(sa.func.coalesce(c.c.last_message_at, c.c.created_at).desc())
            .limit(limit)
        )
        with self.db.connect() as conn:
            rows = conn.execute(query).all()
        return [cop.LiveConversation(
            conversation_id=r.id, channel=Channel(r.channel), customer_name=r.customer,
            agent_id=r.agent_id, agent_name=r.display_name, queue=r.queue_id,
            created_at=r.created_at, last_message_at=r.last_message_at) for r in rows]

    def start_monitor(self, supervisor_id: str, conversation_id: str) -> ap.Event:
        """Watch the conversation (again): ``monitor_started`` with it as it stands."""
        with self.db.begin() as conn:
            row = self._live(conn, conversation_id)
            have = self._monitor_row(conn, supervisor_id, conversation_id)
            if have is None:
                conn.execute(t.conversation_monitors.insert().values(
                    conversation_id=conversation_id, supervisor_id=supervisor_id,
                    since=now_ms(), barged=False))
            body = self._assigned_body(conn, conversation_id)
            agent_name = conn.execute(sa.select(t.agents.c.display_name)
                                      .where(t.agents.c.id == row.agent_id)).scalar()
            return self.append_event(conn, supervisor_id, cop.MonitorStarted(
                conversation=body.conversation, customer=body.customer, agent_name=agent_name,
                messages=self._messages_of(conn, conversation_id,
                                           SNAPSHOT_MESSAGES_PER_CONVERSATION),
                notes=self._notes_of(conn, conversation_id),
                barged=bool(have.barged) if have is not None else False))

    def stop_monitor(self, supervisor_id: str, conversation_id: str) -> ap.Event | None:
        with self.db.begin() as conn:
            gone = conn.execute(t.conversation_monitors.delete().where(
                t.conversation_monitors.c.conversation_id == conversation_id,
                t.conversation_monitors.c.supervisor_id == supervisor_id)).rowcount
            if not gone:
                return None
            return self.append_event(conn, supervisor_id, cop.MonitorEnded(
                conversation_id=conversation_id, reason=cop.MonitorEndReason.STOPPED))

    def end_monitors(self, conversation_id: str) -> list[str]:
        """The conversation closed: nobody watches it any more; who did."""
        with self.db.begin() as conn:
            ids = self._monitors(conn, conversation_id)
            conn.execute(t.conversation_monitors.delete()
                         .where(t.conversation_monitors.c.conversation_id == conversation_id))
            return ids

    def monitors_of(self, conversation_id: str) -> list[str]:
        with self.db.connect() as conn:
            return self._monitors(conn, conversation_id)

    @staticmethod
    def _monitors(conn: Connection, conversation_id: str) -> list[str]:
        m = t.conversation_monitors
        return list(conn.execute(sa.select(m.c.supervisor_id)
                                 .where(m.c.conversation_id == conversation_id)
                                 .order_by(m.c.supervisor_id)).scalars())

    @staticmethod
    def _monitor_row(conn: Connection, supervisor_id: str,
                     conversation_id: str) -> sa.Row[Any] | None:
        m = t.conversation_monitors
        return conn.execute(sa.select(m).where(m.c.conversation_id == conversation_id,
                                               m.c.supervisor_id == supervisor_id)).first()

    def owner_of(self, conversation_id: str) -> str | None:
        with self.db.connect() as conn:
            owner = conn.execute(sa.select(t.conversations.c.agent_id)
                                 .where(t.conversations.c.id == conversation_id)).scalar()
        return str(owner) if owner else None

    def mirror(self, agent_id: str, body: ap.EventBody) -> ap.Event:
        with self.db.begin() as conn:
            return self.append_event(conn, agent_id, body)

    # ---- whisper and barge ----------------------------------------------------------------

    def add_note(self, supervisor_id: str, name: str,
                 cmd: cop.Whisper) -> tuple[int, list[tuple[str, ap.Event]]]:
        """Store the note; (the author's seq, every (agent, event) to publish)."""
        with self.db.begin() as conn:
            row = self._live(conn, cmd.conversation_id)
            if conn.execute(sa.select(t.coaching_notes.c.id)
                            .where(t.coaching_notes.c.id == cmd.note_id)).first():
                raise StoreError("conflict", "a note with this id exists")
            note = cop.CoachingNote(id=cmd.note_id, conversation_id=cmd.conversation_id,
                                    author_id=supervisor_id, author_name=name, text=cmd.text,
                                    created_at=now_ms())
            conn.execute(t.coaching_notes.insert().values(
                id=note.id, conversation_id=note.conversation_id, author_id=supervisor_id,
                author_name=name, text=note.text, created_at=note.created_at))
            readers = [row.agent_id] if row.agent_id else []
            readers += [m for m in self._monitors(conn, cmd.conversation_id) if m not in readers]
            if supervisor_id not in readers:
                readers.append(supervisor_id)
            out = [(r, self.append_event(conn, r, cop.CoachingNoteAdded(note=note)))
                   for r in readers]
        return next(e.seq for r, e in out if r == supervisor_id), out

    def barge(self, supervisor_id: str, name: str,
              conversation_id: str) -> list[tuple[str, ap.Event]]:
        """Join visibly (monitoring it if not yet); events for the agent and supervisor."""
        with self.db.begin() as conn:
            row = self._live(conn, conversation_id)
            m = t.conversation_monitors
            if self._monitor_row(conn, supervisor_id, conversation_id) is None:
                conn.execute(m.insert().values(conversation_id=conversation_id,
                                               supervisor_id=supervisor_id, since=now_ms(),
                                               barged=True))
            else:
                conn.execute(m.update().where(m.c.conversation_id == conversation_id,
                                              m.c.supervisor_id == supervisor_id)
                             .values(barged=True))
            body = cop.SupervisorJoined(conversation_id=conversation_id,
                                        supervisor_id=supervisor_id, supervisor_name=name)
            readers = [r for r in (row.agent_id, supervisor_id) if r]
            return [(r, self.append_event(conn, r, body)) for r in dict.fromkeys(readers)]

    def add_barge_message(self, supervisor_id: str, name: str, cmd: cop.BargeMessage
                          ) -> tuple[Message, str, list[tuple[str, ap.Event]]]:
        """The supervisor's message to the customer: (message, customer, events)."""
        with self.db.begin() as conn:
            row = self._live(conn, cmd.conversation_id)
            joined = self._monitor_row(conn, supervisor_id, cmd.conversation_id)
            if joined is None or not joined.barged:
                raise StoreError("conflict", "barge in before writing to the customer")
            if conn.execute(sa.select(t.messages.c.id)
                            .where(t.messages.c.id == cmd.message_id)).first():
                raise StoreError("conflict", "a message with this id exists")
            ts = message_time(conn, cmd.conversation_id, now_ms())
            msg = Message(id=cmd.message_id, conversation_id=cmd.conversation_id,
                          author=MessageAuthor.AGENT, text=cmd.text, created_at=ts,
                          status=MessageStatus.SENT, agent_id=supervisor_id, author_name=name)
            conn.execute(t.messages.insert().values(
                id=msg.id, conversation_id=msg.conversation_id, author=msg.author.value,
                agent_id=supervisor_id, author_name=name, text=msg.text, created_at=ts,
                status=msg.status.value))
            self._touch(conn, cmd.conversation_id, ts)
            # The owner's copy reaches other monitors through the mirror; the
            # supervisor's own copy comes here, so the ack's seq is in their stream.
            readers = [r for r in (row.agent_id, supervisor_id) if r]
            events = [(r, self.append_event(conn, r, ap.MessageAdded(message=msg)))
                      for r in dict.fromkeys(readers)]
            return msg, str(row.customer_id), events

    def _notes_of(self, conn: Connection, conversation_id: str) -> list[cop.CoachingNote]:
        n = t.coaching_notes
        rows = conn.execute(sa.select(n).where(n.c.conversation_id == conversation_id)
                            .order_by(n.c.created_at, n.c.id)).all()
        return [cop.CoachingNote(id=r.id, conversation_id=r.conversation_id,
                                 author_id=r.author_id, author_name=r.author_name,
                                 text=r.text, created_at=r.created_at) for r in rows]

    # ---- audit ----------------------------------------------------------------------------

    def audit(self, actor_id: str, action: cop.SupervisionAction, op: str, *,
              conversation_id: str | None = None, target_agent_id: str | None = None,
              reason: str = "", **detail: Any) -> None:
        with self.db.begin() as conn:
            conn.execute(t.supervision_audit.insert().values(
                at=now_ms(), actor_id=actor_id, action=action.value, op=op,
                conversation_id=conversation_id, target_agent_id=target_agent_id,
                reason=reason, detail=json.dumps(detail, ensure_ascii=False, sort_keys=True)))
