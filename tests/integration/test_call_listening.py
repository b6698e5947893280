"""A supervisor listens to a call, coaches and barges in, end to end: a real hub,
the agent's and the supervisor's call engines (real aiortc peers on a media
thread) and the customer simulator's phone, inside a private network namespace.

Each party plays its own tone: the customer 440 Hz, the agent (李娜) 880 Hz, the
supervisor (王伟) 1320 Hz; each records what it hears."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_frames import Samples
from core.call.audio_io import RecordingSink, ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.protocol import agent as ap
from core.protocol import call as cl
from core.supervision.call_listening import ListenState
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns  # noqa: F401 - fixture

CUSTOMER_HZ, AGENT_HZ, SUPERVISOR_HZ = 440.0, 880.0, 1320.0
HEARD = 0.15  # share of the energy at a tone when two or three are mixed
NEVER = 0.01  # a tone that is not there at all (noise and codec artefacts only)


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


async def _hears(recording: RecordingSink, *freqs: float, timeout: float = 10) -> None:
    """Wait until the last half second of ``recording`` holds every tone of ``freqs``."""
    async def poll() -> None:
        while not all(tone_ratio(recording.samples(0.5), f) >= HEARD  # noqa: ASYNC110
                      for f in freqs):
            await asyncio.sleep(0.1)  # audio arrives from the media thread

    await asyncio.wait_for(poll(), timeout)


async def _hears_throughout(recording: RecordingSink, freq: float, seconds: float,
                            timeout: float = 10) -> None:
    """Wait until every half second of the last ``seconds`` of ``recording`` holds ``freq``."""
    async def poll() -> None:
        while True:
            windows = _windows(recording.samples(seconds))
            if len(windows) >= int(seconds / 0.5) and all(
                    tone_ratio(w, freq) >= HEARD for w in windows):
                return
            await asyncio.sleep(0.1)  # audio arrives from the media thread

    await asyncio.wait_for(poll(), timeout)


def _since(recording: RecordingSink, frames_before: int) -> Samples:
    new = recording.frames_written - frames_before
    return recording.samples(new * 0.02) if new > 0 else np.zeros(0, dtype=np.int16)


def _windows(samples: Samples, seconds: float = 0.5) -> list[Samples]:
    n = int(seconds * 48_000)
    return [samples[i:i + n] for i in range(0, samples.size - n + 1, n)]


async def test_silent_monitor_coach_and_barge_on_a_live_call(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    lina = await CallAgent.logged_in(call_hub.url, media_thread, tone_hz=AGENT_HZ)
    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = await phone.call()
    await lina.wait_ringing()
    await lina.manager.answer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    await _hears(lina.recordings[call_id], CUSTOMER_HZ)
    await _hears(phone.recording, AGENT_HZ)
    conversation_id = lina.manager.calls[call_id].conversation_id

    wang = await CallAgent.logged_in(call_hub.url, media_thread, username="wang",
                                     tone_hz=SUPERVISOR_HZ, accept_offers=False)
    listener = wang.manager.listener
    customer_before = phone.recording.frames_written
    leg_id = await listener.listen(conversation_id)  # coach: the default
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.LISTENING)
    assert listener.legs[leg_id].call_id == call_id

    # The supervisor hears both ends; the agent hears the supervisor (and the customer).
    await _hears(wang.recordings[leg_id], CUSTOMER_HZ, AGENT_HZ)
    assert tone_ratio(wang.recordings[leg_id].samples(0.5), SUPERVISOR_HZ) < NEVER
    await _hears(lina.recordings[call_id], CUSTOMER_HZ, SUPERVISOR_HZ)
    # The barrier for what follows: the supervisor's voice has reached the agent
    # for two seconds without a break.
    await _hears_throughout(lina.recordings[call_id], SUPERVISOR_HZ, 2.0)
    call = lina.manager.calls[call_id]
    assert call.listened_by == "王伟" and call.listen_mode == cl.ListenMode.COACH

    # The customer never heard the supervisor, all the while the agent did: every
    # half second since the leg was asked for is the agent's tone alone.
    heard = _since(phone.recording, customer_before)
    windows = _windows(heard)
    assert len(windows) >= 3
    for window in windows:
        assert tone_ratio(window, SUPERVISOR_HZ) < NEVER
        assert tone_ratio(window, AGENT_HZ) >= 0.5

    # Barge: a three-way call, the customer hears the supervisor too.
    listener.set_mode(leg_id, cl.ListenMode.BARGE)
    await wang.wait(lambda: listener.legs[leg_id].mode == cl.ListenMode.BARGE)
    await _hears(phone.recording, AGENT_HZ, SUPERVISOR_HZ)
    await _hears(wang.recordings[leg_id], CUSTOMER_HZ, AGENT_HZ)
    assert call.listen_mode == cl.ListenMode.BARGE

    # Stop: the agent's call goes on without the supervisor.
    await listener.stop(leg_id)
    await lina.wait(lambda: call.listened_by is None)
    await lina.wait(lambda: lina.engine.listen_mix(leg_id) is None)  # the leg is closed
    agent_hears = lina.recordings[call_id]
    before = agent_hears.frames_written
    await lina.wait(lambda: agent_hears.frames_written >= before + 25)
    after_stop = _since(agent_hears, before)
    assert tone_ratio(after_stop, CUSTOMER_HZ) >= 0.5
    assert tone_ratio(after_stop, SUPERVISOR_HZ) < NEVER
    await _hears(phone.recording, AGENT_HZ)

    rows = hub_rows(call_hub.db_path,
                    "SELECT g.username, s.action, s.conversation_id, t.username, s.detail "
                    "FROM supervision_audit s JOIN agents g ON g.id = s.actor_id "
                    "LEFT JOIN agents t ON t.id = s.target_agent_id ORDER BY s.id")
    assert [r[:4] for r in rows] == [
        ("wang", "listen_call", conversation_id, "lina"),
        ("wang", "listen_mode", conversation_id, "lina"),
        ("wang", "stop_listening", conversation_id, "lina"),
    ]
    assert '"mode": "barge"' in rows[1][4]
    await customer.disconnect()
    await wang.close()
    await lina.close()


async def test_the_leg_ends_with_the_call(call_hub: HubProcess,
                                          media_thread: MediaThread) -> None:
    lina = await CallAgent.logged_in(call_hub.url, media_thread, tone_hz=AGENT_HZ)
    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = await phone.call()
    await lina.wait_ringing()
    await lina.manager.answer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    wang = await CallAgent.logged_in(call_hub.url, media_thread, username="wang",
                                     tone_hz=SUPERVISOR_HZ, accept_offers=False)
    listener = wang.manager.listener
    leg_id = await listener.listen(lina.manager.calls[call_id].conversation_id,
                                   cl.ListenMode.LISTEN)
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.LISTENING)
    await _hears(wang.recordings[leg_id], CUSTOMER_HZ, AGENT_HZ)
    # Listen only: the agent does not hear the supervisor.
    assert tone_ratio(lina.recordings[call_id].samples(0.5), SUPERVISOR_HZ) < NEVER

    await lina.manager.hang_up(call_id)
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.ENDED)
    assert listener.legs[leg_id].end_reason == cl.ListenEndReason.CALL_ENDED
    assert wang.engine.session(leg_id) is None  # its peer connection is closed
    await customer.disconnect()
    await wang.close()
    await lina.close()


async def test_an_agent_may_not_listen_to_a_call(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex")
    for frame in (
        cl.ListenToCall(op=uuid.uuid4().hex, conversation_id="conv-x", leg_id="leg-x",
                        sdp="v=0\r\n"),
        cl.SetListenMode(op=uuid.uuid4().hex, leg_id="leg-x", mode=cl.ListenMode.BARGE),
    ):
        refused = await alex.command(frame)
        assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    assert not [f for f in lina.frames if isinstance(f, cl.ListenRequested)]
    assert hub_rows(hub.db_path, "SELECT count(*) FROM supervision_audit") == [(0,)]
    await alex.close()
    await lina.close()
