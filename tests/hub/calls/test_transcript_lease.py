"""Transcription jobs with several hub processes on one PostgreSQL database: a job
that one process is running is leased to it; another process that starts leaves it
alone for as long as the lease is renewed, and takes it over only once the lease
ran out (its process died). Each call is transcribed, stored and announced once.

Each "process" here is a store on its own connection pool with its own holder
name, as separate hub processes have; the transcriber is a stand-in that holds a
job until the test lets it go (the speech model is not what is under test)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.models import Channel, IdentityKind
from hub.calls.records import CallRecords
from hub.calls.transcripts.engine import Segment, TranscriptResult
from hub.calls.transcripts.service import TranscriptionService
from hub.calls.transcripts.transcript_store import (
    LeaseLostError,
    TranscriptStatus,
    TranscriptStore,
)
from hub.store import schema as t
from hub.store.base import create_engine, now_ms
from hub.store.store import Store
from testbed.agent_probe import eventually
from tests.support.databases import DatabaseMaker

RESULT = TranscriptResult(
    segments=(Segment(cl.TranscriptSpeaker.CUSTOMER, 0, 900, "I want a refund", "en"),),
    audio_s=1.0, speech_s=0.9, cpu_s=0.1, model="stand-in")


class HeldTranscriber:
    """Transcribes nothing until released; says when it has started."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def transcribe_file(self, path: str) -> TranscriptResult:
        self.calls += 1
        self.started.set()
        assert self.release.wait(60)
        return RESULT


class FanOut:
    def __init__(self) -> None:
        self.published: list[tuple[str, ap.Event]] = []

    def publish(self, agent_id: str, *events: ap.Event | None) -> None:
        self.published += [(agent_id, e) for e in events if e is not None]


@pytest.fixture
def database(postgres_dbs: DatabaseMaker) -> Iterator[tuple[str, str]]:
    """A shared database with an agent's recorded call; (url, agent id)."""
    url = postgres_dbs.new("lease")
    engine = create_engine(url)
    store = Store(engine)
    agent = store.create_agent("lina", "Lina", "h")
    customer = store.create_customer("Nana", [(IdentityKind.PHONE, "+8613800138000")])
    conversation = store.create_conversation(customer, Channel.VOICE, queue="vip")
    now = int(time.time() * 1000)
    for call_id in ("call-1", "call-2"):
        CallRecords(store).save(cl.CallRecord(
            call_id=call_id, conversation_id=conversation.id,
            direction=cl.CallDirection.INBOUND, started_at=now - 60_000,
            answered_at=now - 55_000, ended_at=now,
            end_reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER, agent_id=agent))
    engine.dispose()
    yield url, agent


def _process(url: str, name: str, lease_ms: int = 30_000) -> TranscriptStore:
    return TranscriptStore(Store(create_engine(url)), holder=name, lease_ms=lease_ms)


def _transcribed_events(url: str, agent_id: str) -> list[str]:
    """The call ids of the agent's ``call_transcribed`` events, as stored."""
    engine = create_engine(url)
    try:
        return [e.body.transcript.call_id for e in Store(engine).events_after(agent_id, 0, 1000)
                if isinstance(e.body, cl.CallTranscribed)]
    finally:
        engine.dispose()


def _lease(jobs: TranscriptStore, call_id: str) -> tuple[str | None, int | None]:
    with jobs.store.db.connect() as conn:
        row = conn.execute(sa.select(t.call_transcripts.c.lease_holder,
                                     t.call_transcripts.c.lease_until)
                           .where(t.call_transcripts.c.call_id == call_id)).one()
    return row.lease_holder, row.lease_until


async def test_a_starting_process_leaves_a_job_another_process_runs_alone(
    database: tuple[str, str], tmp_path: Path,
) -> None:
    url, agent = database
    lease_ms = 900  # renewed every 0.3 s
    a_jobs, b_jobs = _process(url, "a", lease_ms), _process(url, "b", lease_ms)
    a_transcriber, b_transcriber = HeldTranscriber(), HeldTranscriber()
    a_fanout, b_fanout = FanOut(), FanOut()
    a = TranscriptionService(a_jobs, a_transcriber, a_fanout)  # type: ignore[arg-type]
    b = TranscriptionService(b_jobs, b_transcriber, b_fanout)  # type: ignore[arg-type]
    a.start()
    try:
        a.submit("call-1", tmp_path / "call-1.ogg")
        assert await asyncio.to_thread(a_transcriber.started.wait, 30)
        holder, first_until = _lease(a_jobs, "call-1")
        assert holder == "a" and first_until is not None
        b.start()  # a process starting while a works: it must not re-queue a's job
        # Past the first lease's end, a has renewed it; b, asked now, finds nothing.
        await eventually(lambda: now_ms() > first_until + lease_ms, timeout=10)
        holder, until = _lease(a_jobs, "call-1")
        assert holder == "a" and until is not None and until > first_until
        assert b_jobs.requeue_interrupted() == 0
        assert b_jobs.next_pending() is None
        job = a_jobs.job("call-1")
        assert job is not None and job.status is TranscriptStatus.RUNNING
        assert job.attempts == 1
        a_transcriber.release.set()
        await eventually(lambda: (j := a_jobs.job("call-1")) is not None
                         and j.status is TranscriptStatus.DONE, timeout=10)
    finally:
        b_transcriber.release.set()
        await asyncio.to_thread(a.stop)
        await asyncio.to_thread(b.stop)
    assert b_transcriber.calls == 0 and a_transcriber.calls == 1
    assert _transcribed_events(url, agent) == ["call-1"]
    assert [(agent_id, type(e.body)) for agent_id, e in a_fanout.published] == [
        (agent, cl.CallTranscribed)]
    assert b_fanout.published == []


def test_a_job_of_a_dead_process_is_taken_over_and_finished_once(
    database: tuple[str, str],
) -> None:
    url, agent = database
    lease_ms = 300
    a_jobs, b_jobs = _process(url, "a", lease_ms), _process(url, "b", lease_ms)
    a_jobs.submit("call-2", "/recordings/call-2.ogg")
    taken = a_jobs.next_pending()
    assert taken is not None and taken.call_id == "call-2"
    assert b_jobs.next_pending() is None  # a's lease holds
    # a dies here: nobody renews its lease. Once it has run out, b takes the job.
    _, until = _lease(a_jobs, "call-2")
    assert until is not None
    while now_ms() <= until:
        time.sleep(0.02)
    again = b_jobs.next_pending()
    assert again is not None and again.call_id == "call-2" and again.attempts == 2
    assert _lease(b_jobs, "call-2")[0] == "b"
    # a, frozen rather than dead, comes back with its result: refused, nothing written.
    with pytest.raises(LeaseLostError):
        a_jobs.finish("call-2", RESULT)
    a_jobs.fail("call-2", "failed", "too late")  # neither does its failure count
    job = b_jobs.job("call-2")
    assert job is not None and job.status is TranscriptStatus.RUNNING
    assert _transcribed_events(url, agent) == []
    b_jobs.finish("call-2", RESULT)
    job = b_jobs.job("call-2")
    assert job is not None and job.status is TranscriptStatus.DONE
    assert _lease(b_jobs, "call-2") == (None, None)
    assert _transcribed_events(url, agent) == ["call-2"]


def test_a_process_stopping_hands_its_job_back_at_once(database: tuple[str, str]) -> None:
    url, _ = database
    a_jobs, b_jobs = _process(url, "a"), _process(url, "b")
    a_jobs.submit("call-1", "/recordings/call-1.ogg")
    assert a_jobs.next_pending() is not None
    assert b_jobs.next_pending() is None
    assert a_jobs.release() == 1  # a stops with the job unfinished
    again = b_jobs.next_pending()
    assert again is not None and again.call_id == "call-1"
