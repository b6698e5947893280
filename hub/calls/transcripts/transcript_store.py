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
import os
import secrets
import socket
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


class LeaseLostError(Exception):
    """The job's lease ran out and another process took it over."""

    def __init__(self, call_id: str, holder: str | None) -> None:
        super().__init__(f"call {call_id}: the transcription is no longer this process's"
                         f" (held by {holder or 'none'})")
        self.call_id = call_id
        self.holder = holder


@dataclass(frozen=True)
class TranscriptJob:
    call_id: str
    conversation_id: str
    recording: str
    status: TranscriptStatus
    attempts: int
    error_code: str | None = None
    error: str | None = None


LEASE_MS = 30_000  # a running job is another process's for this long after its last renewal


def process_holder() -> str:
    """This process's name on the jobs it runs: unique among the hub's processes."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{secrets.token_hex(4)}"


class TranscriptStore:
    """The jobs' table. With several hub processes on one database each job that runs
    is leased to one process (``holder``), which renews the lease while it works; a
    job whose lease ran out (its process died) is taken again by the next worker."""

    def __init__(self, store: Store, holder: str | None = None,
                 lease_ms: int = LEASE_MS) -> None:
        self.store = store
        self.holder = holder or process_holder()
        self.lease_ms = lease_ms

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

    def _takeable(self, now: int) -> sa.ColumnElement[bool]:
        """Waiting, or left running by a process whose lease ran out."""
        x = t.call_transcripts.c
        return sa.or_(x.status == TranscriptStatus.PENDING.value, sa.and_(
            x.status == TranscriptStatus.RUNNING.value,
            sa.or_(x.lease_until.is_(None), x.lease_until < now)))

    def next_pending(self, call_id: str | None = None) -> TranscriptJob | None:
        """The oldest waiting job (or ``call_id``'s, if waiting), marked running and
        leased to this process: one worker of one process takes it. A job whose
        process stopped renewing its lease counts as waiting."""
        x = t.call_transcripts.c
        now = now_ms()
        with self.store.db.begin() as conn:
            query = sa.select(t.call_transcripts).where(self._takeable(now))
            if call_id is not None:
                query = query.where(x.call_id == call_id)
            row = conn.execute(query.order_by(x.submitted_at, x.call_id).limit(1)).first()
            if row is None:
                return None
            # The condition again: of two processes updating the row at once (the
            # second waits for the first's row lock, then re-reads it), one takes it.
            taken = conn.execute(
                t.call_transcripts.update()
                .where(x.call_id == row.call_id, self._takeable(now))
                .values(status=TranscriptStatus.RUNNING.value, attempts=x.attempts + 1,
                        lease_holder=self.holder, lease_until=now + self.lease_ms))
            if taken.rowcount != 1:
                return None
        job = _job(row)
        return TranscriptJob(job.call_id, job.conversation_id, job.recording,
                             TranscriptStatus.RUNNING, job.attempts + 1)

    def renew(self, call_id: str | None = None) -> int:
        """Extend this process's leases (of one job, or all it runs); how many."""
        x = t.call_transcripts.c
        where = [x.lease_holder == self.holder, x.status == TranscriptStatus.RUNNING.value]
        if call_id is not None:
            where.append(x.call_id == call_id)
        with self.store.db.begin() as conn:
            return int(conn.execute(t.call_transcripts.update().where(*where).values(
                lease_until=now_ms() + self.lease_ms)).rowcount)

    def requeue_interrupted(self) -> int:
        """At start-up: jobs left running whose lease ran out (their process stopped
        or died) are pending again. A job another live process is running keeps its
        lease and is not touched."""
        x = t.call_transcripts.c
        now = now_ms()
        with self.store.db.begin() as conn:
            return int(conn.execute(
                t.call_transcripts.update().where(
                    x.status == TranscriptStatus.RUNNING.value,
                    sa.or_(x.lease_until.is_(None), x.lease_until < now))
                .values(status=TranscriptStatus.PENDING.value, lease_holder=None,
                        lease_until=None)).rowcount)

    def release(self) -> int:
        """A process stopping: the jobs it leased and did not finish are pending again
        at once (not only after the lease runs out)."""
        x = t.call_transcripts.c
        with self.store.db.begin() as conn:
            return int(conn.execute(
                t.call_transcripts.update().where(
                    x.lease_holder == self.holder, x.status == TranscriptStatus.RUNNING.value)
                .values(status=TranscriptStatus.PENDING.value, lease_holder=None,
                        lease_until=None)).rowcount)

    def _ours(self, call_id: str) -> sa.ColumnElement[bool]:
        """The job is still this process's: running under its lease, or waiting (a
        caller that ran it without taking it from the queue). A job another process
        took over (this one's lease ran out) is theirs to finish; a finished one is
        done."""
        x = t.call_transcripts.c
        return sa.and_(x.call_id == call_id, sa.or_(
            x.status == TranscriptStatus.PENDING.value,
            sa.and_(x.status == TranscriptStatus.RUNNING.value, x.lease_holder == self.holder)))

    def fail(self, call_id: str, code: str, message: str) -> None:
        with self.store.db.begin() as conn:
            conn.execute(t.call_transcripts.update().where(self._ours(call_id)).values(
                status=TranscriptStatus.FAILED.value, error_code=code, error=message[:2000],
                finished_at=now_ms(), lease_holder=None, lease_until=None))

    def finish(self, call_id: str, result: TranscriptResult) -> list[tuple[str, ap.Event]]:
        """Store the segments; returns (agent id, event) to publish after the commit.
        Raises ``LeaseLostError`` (nothing written) when the job is no longer this
        process's."""
        x = t.call_transcripts.c
        with self.store.db.begin() as conn:
            job = conn.execute(sa.select(t.call_transcripts).where(x.call_id == call_id)
                               .with_for_update()).first()
            if job is None:
                raise StoreError("not_found", f"no transcript job for {call_id}")
            if job.status != TranscriptStatus.PENDING.value and (
                    job.status != TranscriptStatus.RUNNING.value
                    or job.lease_holder != self.holder):
                raise LeaseLostError(call_id, job.lease_holder)
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
                finished_at=now_ms(), lease_holder=None, lease_until=None,
                audio_ms=round(result.audio_s * 1000),
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
