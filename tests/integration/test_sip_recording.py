"""Telephone calls are recorded like widget calls: the hub's answer to the desktop's
report carries the voice queue's policy, the SIP line's media session records both
sides into one two-channel file (``always``: from the answer, after the
announcement the caller hears; ``on_demand``: the Record button), the file is
uploaded to the hub, and the call's record carries the worst MOS measured on the
desktop.

sipp → Kamailio + rtpengine → the desktop's SIP phone → the real hub, inside a
network namespace the test creates. The caller plays 440 Hz, the agent 1000 Hz."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import numpy as np
import pytest

from core.call.analysis import has_tone, tone_ratio
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.recorder import ANNOUNCEMENT_HZ
from core.call.recording_file import read_channels
from core.call.recording_uploads import RecordingUploads
from core.call.sip_line import SipLine
from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.sip.events import RegistrationState
from core.sip.registrator import Account
from hub.routing.config import DEFAULT_PATH
from testbed import sipp_scenarios
from testbed.call_agent import CallAgent
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.integration.test_sip_phone import AGENT_HZ, FAR_HZ, USERS, FarEnd, far, pbx
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns

__all__ = ["far", "netns", "pbx"]  # fixtures used here

pytestmark = pytest.mark.serial  # real-time audio and PBX timers on shared cores

DAY_MS = 86_400_000


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


class Recording:
    """The hub (with the voice queue's policy), the agent's engine, its SIP line and
    its recordings' upload outbox."""

    def __init__(self, hub: HubProcess, agent: CallAgent, line: SipLine,
                 uploads: RecordingUploads) -> None:
        self.hub, self.agent, self.line, self.uploads = hub, agent, line, uploads
        self.uploaded: list[str] = []
        uploads.recording_did_upload.connect(self.uploaded.append)


MakeRecording = Callable[[str], AbstractAsyncContextManager[Recording]]


@pytest.fixture
def make_recording(
    netns: NetNamespace, make_hub: Callable[..., HubProcess], media_thread: MediaThread,
    pbx: Pbx, tmp_path: Path,
) -> Iterator[MakeRecording]:
    @contextlib.asynccontextmanager
    async def start(mode: str) -> AsyncIterator[Recording]:
        routing = tmp_path / "routing.toml"
        routing.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace(
            'recording = "on_demand"', f'recording = "{mode}"'), encoding="utf-8")
        hub = make_hub("--routing-config", str(routing),
                       "--recordings-dir", str(tmp_path / "hub-recordings"))
        agent = await CallAgent.logged_in(hub.url, media_thread, username="alex",
                                          tone_hz=AGENT_HZ)
        uploads = RecordingUploads(tmp_path / "outbox")
        uploads.attach(agent.manager.recording)
        uploads.set_hub(hub.url, agent.probe.token)
        line = SipLine(agent.manager, agent.engine,
                       Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                       pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
        await line.start()
        await agent.wait(lambda: line.registration.state is RegistrationState.REGISTERED)
        try:
            yield Recording(hub, agent, line, uploads)
        finally:
            await line.stop()
            await uploads.close()
            await agent.close()

    yield start


async def _wait(predicate: Callable[[], object], timeout: float = 15) -> None:
    async def poll() -> None:
        while not predicate():  # noqa: ASYNC110 - set by other threads and tasks
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)


def _announcement_heard(samples: np.ndarray) -> float:
    """The largest share of the announcement's tone in a 100 ms window of what the
    far phone heard (8 kHz)."""
    return max((tone_ratio(samples[i:i + 800], ANNOUNCEMENT_HZ, 8000, band_hz=30.0)
                for i in range(0, max(samples.size - 800, 0), 400)), default=0.0)


def _channels_hold(path: Path, skip_s: float) -> None:
    """Channel 1 the caller's 440 Hz, channel 2 the agent's 1000 Hz, nothing crossed."""
    audio = read_channels(path)
    start = int(skip_s * 48_000)
    caller = (audio[0, start:] * 32767).astype(np.int16)
    agent = (audio[1, start:] * 32767).astype(np.int16)
    assert caller.size >= 48_000, caller.size
    print(f"caller channel: {tone_ratio(caller, FAR_HZ):.2f} at 440 Hz; agent channel: "
          f"{tone_ratio(agent, AGENT_HZ):.2f} at 1000 Hz")
    assert tone_ratio(caller, FAR_HZ) > 0.8 and tone_ratio(caller, AGENT_HZ) < 0.01
    assert tone_ratio(agent, AGENT_HZ) > 0.8 and tone_ratio(agent, FAR_HZ) < 0.01


async def test_an_always_recorded_pbx_call_is_uploaded_with_both_sides_and_its_mos(
    make_recording: MakeRecording, far: FarEnd, tmp_path: Path,
) -> None:
    async with make_recording("always") as it:
        agent, probe = it.agent, it.agent.probe
        far.run("recorded", sipp_scenarios.caller(far.phone, "1001", hangup="agent"),
                dial=True)
        call = await agent.wait_ringing(timeout=15)
        # The hub's answer to the report carries the voice queue's policy.
        await agent.wait(lambda: call.customer is not None, 10)
        [linked] = [f for f in probe.frames if isinstance(f, sp.SipCallLinked)]
        assert linked.recording == cl.RecordingPolicy(cl.RecordingMode.ALWAYS, announce=True)
        assert agent.manager.recording.policy(call.call_id) == linked.recording

        await agent.manager.answer(call.call_id)
        await agent.wait_state(call.call_id, CallState.ACTIVE, timeout=15)
        heard = agent.recordings[call.call_id]
        await agent.wait(lambda: has_tone(heard.samples(0.5), FAR_HZ), 10)
        # The caller hears the announcement before anything is recorded.
        recorder = await agent.wait(lambda: agent.engine.recorder(call.call_id))
        await _wait(lambda: recorder.announced >= 10)
        await _wait(lambda: _announcement_heard(far.recorder.samples()) > 0.2)
        # Three seconds recorded and the quality measured at least once.
        await _wait(lambda: recorder.queued >= 150 and call.quality is not None, 20)
        worst = call.quality
        assert worst is not None
        await agent.manager.hang_up(call.call_id)
        await far.finished("recorded")
        await _wait(lambda: it.uploaded == [call.call_id], 30)
        assert not list((tmp_path / "outbox").glob("*.ogg"))

        [(path, channels, duration, delete_after)] = hub_rows(
            it.hub.db_path, "SELECT path, channels, duration_s, delete_after "
            "FROM call_recordings WHERE call_id = :c", c=call.call_id)
        assert channels == 2 and duration >= 3.0
        assert delete_after > time.time() * 1000 + 89 * DAY_MS  # the voice queue's 90 days
        _channels_hold(tmp_path / "hub-recordings" / path, skip_s=0.5)

        # The record has the call's worst MOS, as a widget call's has.
        recorded = await probe.wait_body(
            cl.CallRecorded, lambda b: b.record.call_id == call.call_id, timeout=10)
        quality = recorded.record.quality
        assert quality is not None and 1.0 <= quality.mos <= 4.5
        assert quality.mos <= worst.mos
        print(f"SIP call's MOS in the hub's record: {quality.mos:.2f} "
              f"(loss {quality.loss_pct:.1f} %, jitter {quality.jitter_ms:.1f} ms)")
        [(stored,)] = hub_rows(it.hub.db_path, "SELECT quality FROM calls WHERE call_id = :c",
                               c=call.call_id)
        assert stored and '"mos"' in stored
        assert not [f for f in probe.frames if isinstance(f, ap.Error)]


async def test_an_on_demand_pbx_call_is_recorded_from_the_record_button_on(
    make_recording: MakeRecording, far: FarEnd, tmp_path: Path,
) -> None:
    async with make_recording("on_demand") as it:
        agent, probe = it.agent, it.agent.probe
        far.run("on-demand", sipp_scenarios.caller(far.phone, "1001", hangup="agent"),
                dial=True)
        call = await agent.wait_ringing(timeout=15)
        await agent.wait(lambda: call.customer is not None, 10)
        await agent.manager.answer(call.call_id)
        await agent.wait_state(call.call_id, CallState.ACTIVE, timeout=15)
        heard = agent.recordings[call.call_id]
        await agent.wait(lambda: has_tone(heard.samples(0.5), FAR_HZ), 10)
        assert agent.engine.recorder(call.call_id) is None  # nothing until asked
        control = agent.manager.recording
        assert control.can_toggle(call)  # the panel shows Record

        await control.start(call)
        recorder = agent.engine.recorder(call.call_id)
        assert recorder is not None
        await _wait(lambda: recorder.queued >= 100)
        control.stop(call)
        stopped_at = recorder.queued
        await agent.manager.hang_up(call.call_id)
        await far.finished("on-demand")
        assert recorder.queued == stopped_at  # nothing after Stop
        await _wait(lambda: it.uploaded == [call.call_id], 30)
        [(path,)] = hub_rows(it.hub.db_path, "SELECT path FROM call_recordings "
                             "WHERE call_id = :c", c=call.call_id)
        _channels_hold(tmp_path / "hub-recordings" / path, skip_s=0.2)
        # Start and Stop are not reported to the hub for a telephone call (no widget
        # to tell): no error came back for them.
        assert not [f for f in probe.frames if isinstance(f, ap.Error)]
