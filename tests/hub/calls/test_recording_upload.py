"""The hub's recording upload on its own (``CallRecordings.upload`` fed a request):
what it refuses, what it stores, and the ``on_recording_stored`` hook that
transcription attaches to. The same endpoints over real HTTP from a real call:
tests/integration/test_call_recording.py."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from core.call.audio_io import ToneSource
from core.call.recorder import CallRecorder
from core.protocol.call import RecordingMode, RecordingPolicy
from hub.calls.recordings import CallRecordings
from hub.store import schema as t
from hub.store.base import create_engine

AGENT = "a-lina"


def _request(call_id: str, body: bytes, agent: str = AGENT) -> Request:
    chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)] or [b""]
    messages = [{"type": "http.request", "body": c, "more_body": n < len(chunks) - 1}
                for n, c in enumerate(chunks)]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    scope = {"type": "http", "method": "PUT", "path": f"/api/calls/{call_id}/recording",
             "headers": [(b"authorization", f"Bearer {agent}".encode()),
                         (b"content-type", b"audio/ogg")],
             "query_string": b"", "path_params": {"call_id": call_id}}
    return Request(scope, receive)


def _ogg(path: Path, seconds: float = 1.0) -> bytes:
    recorder = CallRecorder(path, queue_frames=int(seconds * 50) + 1)
    recorder.start()
    customer, agent = ToneSource(440.0), ToneSource(880.0)
    for _ in range(int(seconds * 50)):
        recorder.customer_frame(customer.read_frame())
        recorder.outgoing(agent.read_frame())
    recorder.finish().result(timeout=10)
    return path.read_bytes()


@pytest.fixture
def hub(tmp_path: Path) -> tuple[CallRecordings, list[tuple[str, Path, int]]]:
    engine = create_engine(str(tmp_path / "hub.sqlite3"))
    t.migrate(engine)
    with engine.begin() as conn:
        conn.execute(t.customers.insert().values(id="cu1", name="王芳", created_at=1))
        for conv, queue in (("c-voice", "voice"), ("c-chat", "chat")):
            conn.execute(t.conversations.insert().values(
                id=conv, customer_id="cu1", channel="voice", status="closed", created_at=1,
                queue_id=queue))
            conn.execute(t.calls.insert().values(
                call_id=f"call-{queue}", agent_id=AGENT, conversation_id=conv,
                direction="inbound", started_at=1, answered_at=2, ended_at=3,
                end_reason="hung_up_by_agent"))
    policies = {"voice": (RecordingPolicy(RecordingMode.ALWAYS, True), 30),
                "chat": (RecordingPolicy(), 0)}
    recordings = CallRecordings(engine, tmp_path / "stored",
                                lambda queue: policies.get(queue or "", (RecordingPolicy(), 0)))
    recordings.bearer = lambda request: (
        "token", request.headers["authorization"].split()[1])
    stored: list[tuple[str, Path, int]] = []
    recordings.on_recording_stored.append(lambda *args: stored.append(args))
    return recordings, stored


def _put(recordings: CallRecordings, call_id: str, body: bytes, agent: str = AGENT
         ) -> Response:
    return asyncio.run(recordings.upload(_request(call_id, body, agent)))


def test_a_recording_is_stored_once_and_the_hook_runs(
        hub: tuple[CallRecordings, list[tuple[str, Path, int]]], tmp_path: Path) -> None:
    recordings, stored = hub
    data = _ogg(tmp_path / "call.ogg", 2.0)
    first = _put(recordings, "call-voice", data)
    assert first.status_code == 201
    info = json.loads(bytes(first.body))
    assert info["channels"] == 2 and info["duration_s"] == pytest.approx(2.0, abs=0.05)
    [(call_id, path, channels)] = stored
    assert call_id == "call-voice" and channels == 2 and path.read_bytes() == data
    # The desktop retries after a lost answer: the same leg is replaced, not doubled.
    assert _put(recordings, "call-voice", data).status_code == 200
    with recordings.store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.call_recordings)).all()
    assert len(rows) == 1 and rows[0].delete_after is not None
    assert not list((tmp_path / "stored").glob(".*.part"))


def test_what_the_hub_refuses(hub: tuple[CallRecordings, list[tuple[str, Path, int]]],
                              tmp_path: Path) -> None:
    recordings, stored = hub
    data = _ogg(tmp_path / "call.ogg")
    assert _put(recordings, "call-chat", data).status_code == 409  # the queue: never
    assert _put(recordings, "call-voice", data, agent="a-alex").status_code == 404
    assert _put(recordings, "no-such-call", data).status_code == 404
    assert _put(recordings, "call-voice", b"RIFF....WAVEfmt ").status_code == 400
    assert _put(recordings, "call-voice", data[: len(data) // 2][:40]).status_code == 400
    assert stored == []
    assert not list((tmp_path / "stored").glob("*"))  # nothing half-written stays


def test_a_sip_calls_upload_ahead_of_its_end_report_is_asked_again(
        hub: tuple[CallRecordings, list[tuple[str, Path, int]]], tmp_path: Path) -> None:
    """The end report travels in the outbox, the upload over HTTP: the hub still has
    the call in progress, so the desktop is told to try again (not refused)."""
    recordings, stored = hub
    engine = recordings.store.engine
    with engine.begin() as conn:
        conn.execute(t.sip_calls.insert().values(
            call_id="sip-1", agent_id=AGENT, conversation_id="c-voice", direction="inbound",
            number="+8613800138000", started_at=1, answered_at=2))
    data = _ogg(tmp_path / "call.ogg")
    early = _put(recordings, "sip-1", data)
    assert early.status_code == 503 and early.headers["retry-after"] == "1"
    assert json.loads(bytes(early.body))["error"]["code"] == "not_ended"
    assert _put(recordings, "sip-1", data, agent="a-alex").status_code == 404  # not theirs
    # The end report arrives: the call's record joins ``calls``; the retry is stored.
    with engine.begin() as conn:
        conn.execute(t.sip_calls.delete())
        conn.execute(t.calls.insert().values(
            call_id="sip-1", agent_id=AGENT, conversation_id="c-voice", direction="inbound",
            started_at=1, answered_at=2, ended_at=3, end_reason="hung_up_by_agent"))
    assert _put(recordings, "sip-1", data).status_code == 201
    assert [call_id for call_id, _path, _channels in stored] == ["sip-1"]
