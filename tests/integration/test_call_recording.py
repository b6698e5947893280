"""Call recording end to end: a real hub, the agent's call engine (real aiortc on a
media thread) and the customer simulator's phone in a private network namespace.
The customer plays 440 Hz, the agent 880 Hz; the uploaded file must hold each in
its own channel. Then who may fetch it, the audit, and retention."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_io import ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.recorder import ANNOUNCEMENT_HZ
from core.call.recording_file import read_channels
from core.call.recording_uploads import RecordingUploads
from hub.access import audit_log
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from hub.routing.config import DEFAULT_PATH
from hub.store import schema as t
from hub.store.base import create_engine
from hub.supervision.reports import retention
from hub.supervision.reports.settings import DataKind, RetentionSettings
from testbed.agent_probe import login
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns  # noqa: F401 - fixture

# serial: live audio between two engines, and the retries' backoff is timed
pytestmark = pytest.mark.serial

CUSTOMER_HZ, AGENT_HZ = 440.0, 880.0
DAY_MS = 86_400_000


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def _routing_file(tmp_path: Path, mode: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert 'recording = "on_demand"' in text
    path = tmp_path / "routing.toml"
    path.write_text(text.replace('recording = "on_demand"', f'recording = "{mode}"'),
                    encoding="utf-8")
    return path


def _get(url: str, token: str | None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                    timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


async def _recording_agent(hub: HubProcess, thread: MediaThread, outbox: Path,
                           hub_url: str | None = None) -> tuple[CallAgent, RecordingUploads]:
    lina = await CallAgent.logged_in(hub.url, thread, tone_hz=AGENT_HZ)
    uploads = RecordingUploads(outbox)
    uploads.attach(lina.manager.recording)
    uploads.set_hub(hub_url or hub.url, lina.probe.token)
    return lina, uploads


async def _wait(predicate: Callable[[], object], timeout: float = 15) -> None:
    async def poll() -> None:
        while not predicate():  # noqa: ASYNC110 - set by other threads and tasks
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)


async def test_an_always_recorded_call_has_each_side_in_its_channel(
    netns: NetNamespace, make_hub: Callable[..., HubProcess],  # noqa: F811
    media_thread: MediaThread, tmp_path: Path,
) -> None:
    stored = tmp_path / "hub-recordings"
    hub = make_hub("--routing-config", str(_routing_file(tmp_path, "always")),
                   "--recordings-dir", str(stored))
    lina, uploads = await _recording_agent(hub, media_thread, tmp_path / "outbox")
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = await phone.call()
    await lina.wait_ringing()
    assert lina.manager.recording.policy(call_id).mode.value == "always"
    await lina.manager.answer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    await asyncio.wait_for(phone.answered.wait(), 10)
    assert phone.recorded  # the widget shows "this call is recorded"

    # The customer hears the announcement before anything is recorded.
    recorder = await lina.wait(lambda: lina.engine.recorder(call_id))
    await _wait(lambda: recorder.announced >= 10)
    await _wait(lambda: tone_ratio(phone.recording.samples(0.3), ANNOUNCEMENT_HZ) > 0.2)
    # Three seconds of call recorded, with both tones flowing.
    await _wait(lambda: recorder.queued >= 150)
    await lina.manager.hang_up(call_id)
    uploaded: list[str] = []
    uploads.recording_did_upload.connect(uploaded.append)
    await _wait(lambda: uploaded == [call_id], 20)
    assert not list((tmp_path / "outbox").glob("*.ogg"))  # sent: the outbox is empty

    [(path, channels, duration, delete_after)] = hub_rows(
        hub.db_path, "SELECT path, channels, duration_s, delete_after FROM call_recordings "
        "WHERE call_id = :c", c=call_id)
    assert channels == 2 and duration >= 3.0
    assert delete_after > time.time() * 1000 + 89 * DAY_MS  # the queue's 90 days
    audio = read_channels(stored / path)
    customer_side = (audio[0, 24_000:] * 32767).astype(np.int16)
    agent_side = (audio[1, 24_000:] * 32767).astype(np.int16)
    assert tone_ratio(customer_side, CUSTOMER_HZ) > 0.8
    assert tone_ratio(customer_side, AGENT_HZ) < 0.01
    assert tone_ratio(agent_side, AGENT_HZ) > 0.8
    assert tone_ratio(agent_side, CUSTOMER_HZ) < 0.01

    # Who may fetch it: the agent, a supervisor; not another agent, not without a token.
    url = f"{hub.url}/api/calls/{call_id}/recording"
    wang = login(hub.url, "wang", DEMO_PASSWORD)["token"]
    alex = login(hub.url, "alex", DEMO_PASSWORD)["token"]
    status, body = _get(url, wang)
    assert status == 200 and body == (stored / path).read_bytes()
    assert _get(url + "?download=1", lina.probe.token)[0] == 200
    assert _get(url, alex)[0] == 403
    assert _get(url, None)[0] == 401
    assert _get(url, "not-a-token")[0] == 401
    assert _get(f"{hub.url}/api/calls/no-such-call/recording", wang)[0] == 404
    access = hub_rows(hub.db_path,
                      "SELECT g.username, x.action FROM recording_access x "
                      "JOIN agents g ON g.id = x.by_agent_id ORDER BY x.id")
    assert access == [("wang", "play"), ("lina", "download"), ("alex", "refused")]
    # The fetches served are also in the hash-chained audit log, which still verifies.
    ids = dict(hub_rows(hub.db_path, "SELECT username, id FROM agents"))
    wang_id, lina_id = ids["wang"], ids["lina"]
    chained = hub_rows(hub.db_path, "SELECT actor, target FROM audit_log "
                       "WHERE action = 'recording_fetched' ORDER BY id")
    assert [(actor, target.split("?")[0]) for actor, target in chained] == [
        (f"agent:{wang_id}", f"GET /api/calls/{call_id}/recording"),
        (f"agent:{lina_id}", f"GET /api/calls/{call_id}/recording")]
    audit_engine = create_engine(hub.db_path)
    with audit_engine.connect() as conn:
        assert audit_log.verify(conn).ok
    audit_engine.dispose()

    # Retention: past the queue's 90 days the file and the row are gone; the audit stays.
    engine = create_engine(hub.db_path)
    settings = RetentionSettings(days={DataKind.CONVERSATIONS: 0, DataKind.TRANSCRIPTS: 0,
                                       DataKind.RECORDINGS: 0, DataKind.SCORES: 0})
    [run] = retention.enforce(engine, settings, int(time.time() * 1000) + 91 * DAY_MS,
                              trigger="command", recordings_dir=stored)
    assert run.detail["call_recordings"] == 1 and run.detail["recording_files"] == 1
    assert not (stored / path).exists()
    assert hub_rows(hub.db_path, "SELECT count(*) FROM call_recordings") == [(0,)]
    assert len(hub_rows(hub.db_path, "SELECT id FROM recording_access")) == 3
    with engine.connect() as conn:
        assert conn.execute(t.retention_runs.select()).first() is not None
    engine.dispose()
    await customer.disconnect()
    await uploads.close()
    await lina.close()


async def test_on_demand_start_stop_and_an_upload_that_waits_for_the_hub(
    netns: NetNamespace, make_hub: Callable[..., HubProcess],  # noqa: F811
    media_thread: MediaThread, tmp_path: Path,
) -> None:
    stored = tmp_path / "hub-recordings"
    hub = make_hub("--recordings-dir", str(stored))  # the demo routing: voice on demand
    # The desktop first knows only an address where no hub answers.
    lina, uploads = await _recording_agent(hub, media_thread, tmp_path / "outbox",
                                           hub_url="http://10.0.0.1:9")
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = await phone.call()
    await lina.wait_ringing()
    await lina.manager.answer(call_id)
    call = await lina.wait_state(call_id, CallState.ACTIVE)
    await asyncio.wait_for(phone.answered.wait(), 10)
    assert not phone.recorded and lina.engine.recorder(call_id) is None
    assert lina.manager.recording.can_toggle(call)

    await lina.manager.recording.start(call)
    await _wait(lambda: phone.recorded)  # the hub told the widget
    recorder = lina.engine.recorder(call_id)
    assert recorder is not None
    await _wait(lambda: recorder.queued >= 50)  # a second after the announcement
    lina.manager.recording.stop(call)
    await _wait(lambda: not phone.recorded)
    stopped_at = recorder.queued
    frames_before = phone.recording.frames_written
    await _wait(lambda: phone.recording.frames_written >= frames_before + 50)
    assert recorder.queued == stopped_at  # nothing recorded while stopped
    await lina.manager.hang_up(call_id)

    # The hub is "down": the file waits in the outbox, tried again and again.
    await _wait(lambda: uploads.retry_s >= 2.0)
    assert uploads.pending() == [call_id]
    assert (tmp_path / "outbox" / f"{call_id}.ogg").exists()
    uploaded: list[str] = []
    uploads.recording_did_upload.connect(uploaded.append)
    uploads.set_hub(hub.url, lina.probe.token)
    await _wait(lambda: uploaded == [call_id], 20)
    [(channels, duration)] = hub_rows(
        hub.db_path, "SELECT channels, duration_s FROM call_recordings WHERE call_id = :c",
        c=call_id)
    assert channels == 2 and 0.9 <= duration <= stopped_at * 0.02 + 0.1
    await customer.disconnect()
    await uploads.close()
    await lina.close()
