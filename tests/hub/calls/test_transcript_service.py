"""The transcription worker on a real store: submit → transcribed on its thread while
the loop keeps running → segments stored, the call's agent told; bad recordings fail
with their reason; quality inspection and assist read the transcript; only agents
who may see the customer read it; the CLI."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.models import Channel, IdentityKind, MessageAuthor
from hub.assist.suggestions import SuggestionService
from hub.calls.records import CallRecords
from hub.calls.transcripts.engine import Transcriber
from hub.calls.transcripts.service import TranscriptionService
from hub.calls.transcripts.transcript_store import (
    TranscriptJob,
    TranscriptStatus,
    TranscriptStore,
    quality_transcripts,
)
from hub.cli import main as hub_main
from hub.store import schema as t
from hub.store.base import StoreError
from hub.store.store import Store, create_engine
from testbed.speech_calls import Turn, espeak_available, make_call

pytestmark = [pytest.mark.skipif(not espeak_available(), reason="needs Debian's espeak-ng"),
              pytest.mark.timeout(600)]  # the model on a busy shared machine

TURNS = (Turn("customer", "en", "I would like a refund for my blue jacket."),
         Turn("agent", "en", "Of course, the refund is on its way."))


class FanOut:
    def __init__(self) -> None:
        self.published: list[tuple[str, ap.Event]] = []

    def publish(self, agent_id: str, *events: ap.Event | None) -> None:
        self.published += [(agent_id, e) for e in events if e is not None]


def _setup(tmp_path: Path) -> tuple[Store, dict[str, str], str]:
    db = tmp_path / "hub.sqlite3"
    engine = create_engine(db)
    t.migrate(engine)
    store = Store(engine)
    ids = {name: store.create_agent(name, name, "h") for name in ("lina", "alex")}
    ids["wang"] = store.create_agent("wang", "王伟", "h", role="supervisor")
    store.set_agent_queues(ids["lina"], ["vip"])
    store.set_agent_queues(ids["alex"], ["email"])
    customer = store.create_customer("Nana", [(IdentityKind.PHONE, "+8613800138000")])
    conv = store.create_conversation(customer, Channel.VOICE, queue="vip")
    now = int(time.time() * 1000)
    CallRecords(store).save(cl.CallRecord(
        call_id="call-1", conversation_id=conv.id, direction=cl.CallDirection.INBOUND,
        started_at=now - 60_000, answered_at=now - 55_000, ended_at=now,
        end_reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER, agent_id=ids["lina"]))
    return store, ids, conv.id


@pytest.mark.slow
@pytest.mark.serial  # times the loop's responsiveness while the model works
async def test_submitted_calls_are_transcribed_off_the_loop_and_reach_the_agent(
        tmp_path: Path) -> None:
    store, ids, conv_id = _setup(tmp_path)
    good = tmp_path / "call.ogg"
    make_call(good, TURNS)
    junk = tmp_path / "junk.ogg"
    junk.write_bytes(b"not audio" * 50)
    fanout = FanOut()
    service = TranscriptionService(TranscriptStore(store), Transcriber(), fanout)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    finished: list[TranscriptJob] = []
    both_done = asyncio.Event()

    def job_did_finish(job: TranscriptJob) -> None:
        finished.append(job)
        if len(finished) == 2:
            loop.call_soon_threadsafe(both_done.set)

    service.job_did_finish.append(job_did_finish)
    service.start(loop)
    try:
        with pytest.raises(StoreError) as unknown:
            service.submit("no-such-call", good)
        assert unknown.value.code == "not_found"
        # A broken recording first: it fails with its reason and the worker goes on.
        store_jobs = service.jobs
        store_jobs.submit("call-1", str(junk))
        with store.db.begin() as conn:  # the second job, another leg's recording
            conn.execute(t.calls.insert().values(
                call_id="call-2", agent_id=ids["lina"], conversation_id=conv_id,
                direction="inbound", started_at=1, ended_at=2, end_reason="hung_up_by_customer"))
        service.submit("call-2", good)
        gaps, last = [], loop.time()
        while not both_done.is_set():  # the loop ticks on while the model works
            await asyncio.sleep(0.02)
            gaps.append(loop.time() - last)
            last = loop.time()
            assert len(gaps) < 60 * 50, "transcription did not finish in a minute"
        await asyncio.sleep(0)  # let the published events' callback run
    finally:
        await asyncio.to_thread(service.stop)
    assert max(gaps) < 1.0  # a stalled loop would show the whole transcription here
    failed = store_jobs.job("call-1")
    assert failed is not None and failed.status is TranscriptStatus.FAILED
    assert failed.error_code == "unreadable"
    done = store_jobs.job("call-2")
    assert done is not None and done.status is TranscriptStatus.DONE
    # The call's agent got the transcript in their stream, after the commit.
    [(agent_id, event)] = fanout.published
    assert agent_id == ids["lina"] and isinstance(event.body, cl.CallTranscribed)
    segments = event.body.transcript.segments
    assert segments[0].speaker is cl.TranscriptSpeaker.CUSTOMER
    assert {s.speaker for s in segments} == set(cl.TranscriptSpeaker)
    assert "refund" in " ".join(s.text for s in segments).lower()
    # Read with the conversation: for whoever may see the customer, nobody else.
    for who in ("lina", "wang"):
        _conv, _messages, calls = store.transcript(ids[who], conv_id)
        assert [c.call_id for c in calls] == ["call-2"] and calls[0].segments == segments
    with pytest.raises(StoreError) as refused:
        store.transcript(ids["alex"], conv_id)
    assert refused.value.code == "forbidden"
    # Quality inspection reads the call's words as the customer's and the agent's.
    lines = quality_transcripts(store.db)([conv_id])[conv_id]
    assert {line.author for line in lines} == {MessageAuthor.CUSTOMER, MessageAuthor.AGENT}
    assert any("jacket" in line.text.lower() for line in lines
               if line.author is MessageAuthor.CUSTOMER)
    # Assist asks about what the customer said, like a message.
    inquiry = SuggestionService._inquiry(ids["lina"], event.body)
    assert inquiry is not None and inquiry.conversation_id == conv_id
    assert "jacket" in inquiry.text.lower() and "on its way" not in inquiry.text.lower()
    # A restart finds nothing half done.
    with store.db.connect() as conn:
        statuses = set(conn.execute(sa.select(t.call_transcripts.c.status)).scalars())
    assert statuses == {"failed", "done"}


@pytest.mark.slow
def test_cli_transcribes_a_file_and_stores_a_call(tmp_path: Path, capsys: Any) -> None:
    store, ids, conv_id = _setup(tmp_path)
    good = tmp_path / "call.wav"
    make_call(good, TURNS)
    assert hub_main(["transcribe", "--db", str(tmp_path / "hub.sqlite3"), "call-1",
                     "--file", str(good), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["segments"][0]["speaker"] == "customer"
    assert printed["audio_s"] > printed["speech_s"] > 0
    _conv, _messages, calls = store.transcript(ids["lina"], conv_id)
    assert [s.text for s in calls[0].segments] == [s["text"] for s in printed["segments"]]
    junk = tmp_path / "junk.ogg"
    junk.write_bytes(b"junk")
    assert hub_main(["transcribe", "--file", str(junk)]) == 1
    assert "not an audio file" in capsys.readouterr().err
    assert hub_main(["transcribe", "call-1"]) == 2
