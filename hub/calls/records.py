"""Stored call records: one row per agent leg, a system line in the conversation,
and the conversation's duration/outcome, so calls show in history and timeline."""

from __future__ import annotations

import msgspec
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.models import Channel, Message, MessageAuthor, MessageStatus
from hub.store import schema as t
from hub.store.base import message_time
from hub.store.store import Store, StoreError, new_id, now_ms

_quality_encoder = msgspec.json.Encoder()
_quality_decoder = msgspec.json.Decoder(cl.CallQuality)

_REASON_TEXT = {
    cl.CallEndReason.HUNG_UP_BY_CUSTOMER: "ended by the customer",
    cl.CallEndReason.HUNG_UP_BY_AGENT: "ended by the agent",
    cl.CallEndReason.DECLINED: "declined",
    cl.CallEndReason.NO_ANSWER: "not answered",
    cl.CallEndReason.NO_AGENT: "no agent available",
    cl.CallEndReason.ANSWERED_ELSEWHERE: "answered elsewhere",
    cl.CallEndReason.TRANSFERRED: "transferred",
    cl.CallEndReason.CUSTOMER_LEFT: "the customer left",
    cl.CallEndReason.AGENT_LEFT: "the agent left",
    cl.CallEndReason.FAILED: "failed",
}


def wrap_up_line(record: cl.CallRecord) -> str:
    """The line a wrap-up adds: the call itself is already in the conversation."""
    line = f"wrap-up: {record.disposition}"
    return f"{line}\n{record.note}" if record.note else line


def summary_line(record: cl.CallRecord) -> str:
    """The system line written into the conversation (English; stored data)."""
    kind = "Inbound call" if record.direction == cl.CallDirection.INBOUND else "Outbound call"
    minutes, seconds = divmod(round(record.duration_s), 60)
    parts = [f"{kind}, {minutes}:{seconds:02d}", _REASON_TEXT[record.end_reason]]
    if record.quality is not None:
        parts.append(f"MOS {record.quality.mos:.1f}")
    if record.disposition:
        parts.append(f"wrap-up: {record.disposition}")
    line = " · ".join(parts)
    if record.note:
        line += f"\n{record.note}"
    return line


class CallRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, record: cl.CallRecord) -> list[ap.Event]:
        """Store a finished leg; returns the agent's events (record + system line)."""
        quality = _quality_encoder.encode(record.quality).decode() if record.quality else None
        ts = now_ms()
        with self.store.db.begin() as conn:
            conn.execute(
                t.calls.insert().values(
                    call_id=record.call_id,
                    agent_id=record.agent_id or "",
                    conversation_id=record.conversation_id,
                    direction=record.direction.value,
                    started_at=record.started_at,
                    answered_at=record.answered_at,
                    ended_at=record.ended_at,
                    end_reason=record.end_reason.value,
                    quality=quality,
                )
            )
            talk = t.calls.c.ended_at - t.calls.c.answered_at
            total = conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(talk), 0))
                .where(t.calls.c.conversation_id == record.conversation_id,
                       t.calls.c.answered_at.is_not(None))
            ).scalar_one()
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == record.conversation_id)
                .values(duration_s=int(total) // 1000, outcome=record.end_reason.value,
                        last_message_at=ts)
            )
            message = self._system_line(conn, record, ts)
            if not record.agent_id:
                return []
            return [
                self.store.append_event(conn, record.agent_id, cl.CallRecorded(record=record)),
                self.store.append_event(conn, record.agent_id, ap.MessageAdded(message=message)),
            ]

    def wrap_up(
        self, agent_id: str, call_id: str, disposition: str, note: str
    ) -> list[ap.Event]:
        record = self.record(call_id, agent_id)
        if record is None:
            raise StoreError("not_found", "no finished call of yours with that id")
        record.disposition = disposition
        record.note = note or None
        ts = now_ms()
        with self.store.db.begin() as conn:
            conn.execute(
                t.calls.update()
                .where(t.calls.c.call_id == call_id, t.calls.c.agent_id == agent_id)
                .values(disposition=disposition, note=note or None)
            )
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == record.conversation_id)
                .values(outcome=disposition, last_message_at=ts)
            )
            # Only the wrap-up: the call's own line went in when it ended (repeating it
            # showed one call twice in the conversation).
            message = self._system_line(conn, record, ts, wrap_up_line(record))
            return [
                self.store.append_event(conn, agent_id, cl.CallRecorded(record=record)),
                self.store.append_event(conn, agent_id, ap.MessageAdded(message=message)),
            ]

    @staticmethod
    def _system_line(conn: sa.Connection, record: cl.CallRecord, ts: int,
                     text: str | None = None) -> Message:
        ts = message_time(conn, record.conversation_id, ts)
        message = Message(
            id=new_id("m"),
            conversation_id=record.conversation_id,
            author=MessageAuthor.SYSTEM,
            text=text if text is not None else summary_line(record),
            created_at=ts,
            status=MessageStatus.SENT,
        )
        conn.execute(
            t.messages.insert().values(
                id=message.id,
                conversation_id=message.conversation_id,
                author=message.author.value,
                text=message.text,
                created_at=ts,
                status=message.status.value,
            )
        )
        return message

    def open_voice_conversation(self, customer_id: str) -> str | None:
        """The customer's latest open voice conversation (calling again continues it)."""
        c = t.conversations.c
        with self.store.db.connect() as conn:
            found = conn.execute(
                sa.select(c.id)
                .where(c.customer_id == customer_id, c.status == "open",
                       c.channel == Channel.VOICE.value)
                .order_by(c.created_at.desc())
            ).first()
        return None if found is None else str(found[0])

    def set_queue(self, conversation_id: str, queue: str) -> None:
        with self.store.db.begin() as conn:
            conn.execute(
                t.conversations.update()
                .where(t.conversations.c.id == conversation_id)
                .values(queue_id=queue)
            )

    def record(self, call_id: str, agent_id: str) -> cl.CallRecord | None:
        with self.store.db.connect() as conn:
            row = conn.execute(
                sa.select(t.calls).where(t.calls.c.call_id == call_id,
                                         t.calls.c.agent_id == agent_id)
            ).first()
        return None if row is None else _record(row)

    def of_conversation(self, conversation_id: str) -> list[cl.CallRecord]:
        with self.store.db.connect() as conn:
            rows = conn.execute(
                sa.select(t.calls).where(t.calls.c.conversation_id == conversation_id)
                .order_by(t.calls.c.started_at)
            ).all()
        return [_record(r) for r in rows]


def _record(row: sa.Row[object]) -> cl.CallRecord:
    m = row._mapping
    answered = m["answered_at"]
    return cl.CallRecord(
        call_id=m["call_id"],
        conversation_id=m["conversation_id"],
        direction=cl.CallDirection(m["direction"]),
        started_at=m["started_at"],
        ended_at=m["ended_at"],
        end_reason=cl.CallEndReason(m["end_reason"]),
        agent_id=m["agent_id"] or None,
        answered_at=answered,
        duration_s=(m["ended_at"] - answered) / 1000 if answered else 0.0,
        quality=_quality_decoder.decode(m["quality"]) if m["quality"] else None,
        disposition=m["disposition"],
        note=m["note"],
    )
