"""Stored transcripts: a call's transcription state and its segments.

``submit`` records a pending row (durable: a hub that restarts picks pending and
interrupted work up again); ``finish`` stores the segments, marks the row done and
appends ``call_transcribed`` to the stream of each agent who took a leg of the
call, in one transaction. Reads for agents go through the conversation's
visibility (hub.profile.visibility): ``HistoryStore.transcript`` checks it before
``of_conversation`` is asked.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.models import MessageAuthor
from hub.store import schema as t
from hub.store.base import StoreError, now_ms
from hub.store.database import Database
from hub.supervision.quality.response_times import Utterance

if TYPE_CHECKING:
    from hub.calls.transcripts.engine import TranscriptResult
    from hub.store.store import Store


class TranscriptStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class TranscriptJob:
    call_id: str
    conversation_id: str
    recording: str
    status: TranscriptStatus
    attempts: int
    error_code: str | None = None
    error: str | None = None


class TranscriptStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    def submit(self, call_id: str, recording: str) -> TranscriptJob:
        """Queue (or queue again) the call's transcription; the call must be stored."""
        c = t.calls.c
        with self.store.db.begin() as conn:
            conversation_id = conn.execute(
                sa.select(c.conversation_id).where(c.call_id == call_id).limit(1)).scalar()
            if conversation_id is None:
                raise StoreError("not_found", f"no call {call_id}")
            x = t.call_transcripts.c
            values = {"conversation_id": conversation_id, "recording": recording,
                      "status": TranscriptStatus.PENDING.value, "error_code": None,
                      "error": None, "submitted_at": now_ms(), "finished_at": None}
            if conn.execute(sa.select(x.call_id).where(x.call_id == call_id)).first():
                conn.execute(t.call_transcripts.update().where(x.call_id == call_id)
                             .values(**values))
            else:
                conn.execute(t.call_transcripts.insert().values(call_id=call_id, **values))
        return TranscriptJob(call_id, conversation_id, recording, TranscriptStatus.PENDING, 0)

    def job(self, call_id: str) -> TranscriptJob | None:
        with self.store.db.connect() as conn:
            row = conn.execute(sa.select(t.call_transcripts)
                               .where(t.call_transcripts.c.call_id == call_id)).first()
        return None if row is None else _job(row)

    def next_pending(self, call_id: str | None = None) -> TranscriptJob | None:
        """The oldest waiting job (or ``call_id``'s, if waiting), marked running: one
        worker takes it."""
        x = t.call_transcripts.c
        with self.store.db.begin() as conn:
            query = sa.select(t.call_transcripts).where(
                x.status == TranscriptStatus.PENDING.value)
            if call_id is not None:
                query = query.where(x.call_id == call_id)
            row = conn.execute(query.order_by(x.submitted_at, x.call_id).limit(1)).first()
            if row is None:
                return None
            taken = conn.execute(
                t.call_transcripts.update()
                .where(x.call_id == row.call_id, x.status == TranscriptStatus.PENDING.value)
                .values(status=TranscriptStatus.RUNNING.value, attempts=x.attempts + 1))
            if taken.rowcount != 1:
                return None
        job = _job(row)
        return TranscriptJob(job.call_id, job.conversation_id, job.recording,
                             TranscriptStatus.RUNNING, job.attempts + 1)

    def requeue_interrupted(self) -> int:
        """Jobs a stopped hub left running are pending again (at start-up)."""
        x = t.call_transcripts.c
        with self.store.db.begin() as conn:
            return int(conn.execute(
                t.call_transcripts.update().where(x.status == TranscriptStatus.RUNNING.value)
                .values(status=TranscriptStatus.PENDING.value)).rowcount)

    def fail(self, call_id: str, code: str, message: str) -> None:
        x = t.call_transcripts.c
        with self.store.db.begin() as conn:
            conn.execute(t.call_transcripts.update().where(x.call_id == call_id).values(
                status=TranscriptStatus.FAILED.value, error_code=code, error=message[:2000],
                finished_at=now_ms()))

    def finish(self, call_id: str, result: TranscriptResult) -> list[tuple[str, ap.Event]]:
        """Store the segments; returns (agent id, event) to publish after the commit."""
        x = t.call_transcripts.c
        with self.store.db.begin() as conn:
            job = conn.execute(sa.select(t.call_transcripts).where(x.call_id == call_id)).first()
            if job is None:
                raise StoreError("not_found", f"no transcript job for {call_id}")
            agents = sorted({a for a in conn.execute(
                sa.select(t.calls.c.agent_id).where(t.calls.c.call_id == call_id)).scalars() if a})
            for agent_id in agents:  # stream locks first, in one order (PostgreSQL)
                self.store.lock_stream_in(conn, agent_id)
            s = t.call_transcript_segments.c
            conn.execute(t.call_transcript_segments.delete().where(s.call_id == call_id))
            if result.segments:
                conn.execute(t.call_transcript_segments.insert(), [
                    {"call_id": call_id, "seq": i, "speaker": seg.speaker.value,
                     "start_ms": seg.start_ms, "end_ms": seg.end_ms, "text": seg.text,
                     "language": seg.language}
                    for i, seg in enumerate(result.segments)])
            conn.execute(t.call_transcripts.update().where(x.call_id == call_id).values(
                status=TranscriptStatus.DONE.value, error_code=None, error=None,
                finished_at=now_ms(), audio_ms=round(result.audio_s * 1000),
                speech_ms=round(result.speech_s * 1000), cpu_ms=round(result.cpu_s * 1000),
                model=result.model))
            transcript = self._transcripts(conn, [call_id])[0]
            return [(agent_id, self.store.append_event(
                conn, agent_id, cl.CallTranscribed(transcript=transcript)))
                for agent_id in agents]

    @staticmethod
    def of_conversations(conn: Connection, conversation_ids: Sequence[str]
                         ) -> list[cl.CallTranscript]:
        """The finished transcripts of these conversations' calls (no permission check:
        callers check the conversation's visibility first)."""
        if not conversation_ids:
            return []
        x = t.call_transcripts.c
        ids = list(conn.execute(
            sa.select(x.call_id).where(x.conversation_id.in_(list(conversation_ids)),
                                       x.status == TranscriptStatus.DONE.value)
            .order_by(x.submitted_at)).scalars())
        return TranscriptStore._transcripts(conn, ids)

    @staticmethod
    def _transcripts(conn: Connection, call_ids: Sequence[str]) -> list[cl.CallTranscript]:
        if not call_ids:
            return []
        x, s, c = t.call_transcripts.c, t.call_transcript_segments.c, t.calls.c
        started = dict(conn.execute(
            sa.select(c.call_id, sa.func.min(c.started_at)).where(c.call_id.in_(call_ids))
            .group_by(c.call_id)).all())
        conversations = dict(conn.execute(
            sa.select(x.call_id, x.conversation_id).where(x.call_id.in_(call_ids))).all())
        segments: dict[str, list[cl.TranscriptSegment]] = {i: [] for i in call_ids}
        for row in conn.execute(sa.select(t.call_transcript_segments)
                                .where(s.call_id.in_(call_ids)).order_by(s.call_id, s.seq)):
            segments[row.call_id].append(cl.TranscriptSegment(
                speaker=cl.TranscriptSpeaker(row.speaker), start_ms=int(row.start_ms),
                end_ms=int(row.end_ms), text=row.text, language=row.language))
        return [cl.CallTranscript(call_id=i, conversation_id=conversations[i],
                                  started_at=int(started.get(i) or 0), segments=segments[i])
                for i in call_ids if i in conversations]


def _job(row: sa.Row[object]) -> TranscriptJob:
    m = row._mapping
    return TranscriptJob(m["call_id"], m["conversation_id"], m["recording"],
                         TranscriptStatus(m["status"]), int(m["attempts"]),
                         m["error_code"], m["error"])


def quality_transcripts(db: Database) -> Callable[[Sequence[str]], dict[str, list[Utterance]]]:
    """Quality inspection's view (hub.supervision.quality.facts.TranscriptSource): each
    voice conversation's transcribed calls as utterances of the customer and the
    agent, timed from the call's start, for the text rules."""

    def read(conversation_ids: Sequence[str]) -> dict[str, list[Utterance]]:
        out: dict[str, list[Utterance]] = {}
        with db.connect() as conn:
            for transcript in TranscriptStore.of_conversations(conn, conversation_ids):
                lines = out.setdefault(transcript.conversation_id, [])
                for seg in transcript.segments:
                    author = (MessageAuthor.CUSTOMER
                              if seg.speaker is cl.TranscriptSpeaker.CUSTOMER
                              else MessageAuthor.AGENT)
                    lines.append(Utterance(None, author, seg.text,
                                           transcript.started_at + seg.start_ms))
        return out

    return read
