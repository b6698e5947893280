"""A supervisor listens to, coaches and joins an agent's call from the telephone
network, end to end: sipp (the caller) → Kamailio + rtpengine → the agent's SIP
phone (the desktop's call engine), a real hub that learns of the call from the
desktop's reports, and the supervisor's engine whose listening leg the agent's
engine answers — all in a network namespace the test creates.

Each party plays its own tone: the caller 440 Hz (PCMU from sipp), the agent (李娜)
1000 Hz, the supervisor (王伟) 1320 Hz. The agent's and the supervisor's engines
record what they hear; sipp's SDP names an ``RtpRecorder`` beside it, so what the
caller hears is recorded too."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import numpy as np
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_frames import SAMPLE_RATE
from core.call.audio_io import RecordingSink, ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.sip_line import SipLine
from core.protocol import agent as ap
from core.protocol import call as cl
from core.sip.events import RegistrationState
from core.sip.registrator import Account
from core.supervision.call_listening import ListenState
from testbed import sipp_scenarios
from testbed.agent_probe import AgentProbe, eventually
from testbed.call_agent import CallAgent
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.integration.test_sip_phone import FAR_HZ, USERS, FarEnd, far, pbx
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns

__all__ = ["far", "netns", "pbx"]  # fixtures used here

pytestmark = pytest.mark.serial  # real-time audio and PBX timers on shared cores

AGENT_HZ, SUPERVISOR_HZ = 1000.0, 1320.0
SUPERVISOR_LEVEL = 0.4  # of full scale (sipp's tone file is at 0.5, the agent's at 0.3)
FAR_RATE = 8000  # what sipp's recorder holds (PCMU)
HEARD = 0.15  # share of the energy at a tone when two or three are mixed
NEVER = 0.01  # a tone that is not there at all (noise and codec artefacts only)


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
async def center(netns: NetNamespace, make_hub: Callable[..., HubProcess], pbx: Pbx,
                 media_thread: MediaThread,
                 ) -> AsyncIterator[tuple[HubProcess, CallAgent, SipLine, CallAgent]]:
    """The hub; 李娜's desktop with its SIP phone registered; 王伟's desktop."""
    hub = make_hub()
    lina = await CallAgent.logged_in(hub.url, media_thread, tone_hz=AGENT_HZ)
    line = SipLine(lina.manager, lina.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, lina.send, ssl_context=pbx.ssl_context())
    await line.start()
    await lina.wait(lambda: line.registration.state is RegistrationState.REGISTERED, 15)
    # The supervisor speaks about as loud as the caller (sipp's tone is at half
    # scale), so that each tone is a fair share of what the agent hears.
    wang = CallAgent(await AgentProbe.logged_in(hub.url, "wang", accept_offers=False),
                     media_thread, lambda _id: ToneSource(SUPERVISOR_HZ, SUPERVISOR_LEVEL))
    yield hub, lina, line, wang
    await wang.close()
    await line.stop()
    await lina.close()


def _has(samples: np.ndarray, rate: int, *tones: float) -> bool:
    """Each of ``tones`` carries at least ``HEARD`` of the energy of the last 0.5 s."""
    window = samples[-rate // 2:]
    return window.size >= rate // 2 and all(tone_ratio(window, hz, rate) >= HEARD
                                            for hz in tones)


async def _hears(recording: RecordingSink, *tones: float, timeout: float = 10) -> None:
    await eventually(lambda: _has(recording.samples(0.5), SAMPLE_RATE, *tones), timeout)


async def _far_hears(far: FarEnd, *tones: float, timeout: float = 10) -> None:
    await eventually(lambda: _has(far.recorder.samples(), FAR_RATE, *tones), timeout)


async def _hears_throughout(recording: RecordingSink, hz: float, seconds: float,
                            timeout: float = 10) -> None:
    """Until every half second of the last ``seconds`` of ``recording`` holds ``hz``."""
    def steady() -> bool:
        windows = _windows(recording.samples(seconds), SAMPLE_RATE)
        return len(windows) >= int(seconds / 0.5) and all(
            tone_ratio(w, hz) >= HEARD for w in windows)

    try:
        await eventually(steady, timeout)
    except TimeoutError:
        windows = _windows(recording.samples(4 * seconds), SAMPLE_RATE)
        shares = [f"{tone_ratio(w, hz):.2f}/{tone_ratio(w, FAR_HZ):.2f}" for w in windows]
        raise AssertionError(f"{hz} Hz not heard throughout {seconds} s; per half second "
                             f"({hz:.0f}/{FAR_HZ:.0f} Hz): {shares}") from None


def _windows(samples: np.ndarray, rate: int, seconds: float = 0.5) -> list[np.ndarray]:
    n = int(seconds * rate)
    return [samples[i:i + n] for i in range(0, samples.size - n + 1, n)]


async def _pbx_call_answered(lina: CallAgent, far: FarEnd) -> tuple[str, str]:
    """sipp calls 1001; 李娜 answers once the hub has linked the call; both hear each
    other. (call id, conversation id)."""
    far.run("caller", sipp_scenarios.caller(far.phone, "1001", hangup="agent"), dial=True)
    call = await lina.wait_ringing(timeout=15)
    await lina.wait(lambda: call.conversation_id, 10)  # the hub's sip_call_linked
    await lina.manager.answer(call.call_id)
    await lina.wait_state(call.call_id, CallState.ACTIVE, timeout=15)
    await _hears(lina.recordings[call.call_id], FAR_HZ)
    await _far_hears(far, AGENT_HZ)
    assert call.conversation_id is not None
    return call.call_id, call.conversation_id


async def test_a_supervisor_listens_coaches_and_barges_into_a_pbx_call(
    center: tuple[HubProcess, CallAgent, SipLine, CallAgent], far: FarEnd,
) -> None:
    hub, lina, _line, wang = center
    call_id, conversation_id = await _pbx_call_answered(lina, far)

    # An agent may not listen: refused by the hub, nothing reaches 李娜's desktop.
    alex = await AgentProbe.logged_in(hub.url, "alex")
    refused = await alex.command(cl.ListenToCall(
        op=uuid.uuid4().hex, conversation_id=conversation_id, leg_id="leg-alex",
        sdp="v=0\r\n"))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden", refused
    await alex.close()

    listener = wang.manager.listener
    far.recorder.clear()
    asked = time.monotonic()
    leg_id = await listener.listen(conversation_id)  # coach: the default
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.LISTENING, 15)
    connected = time.monotonic()
    assert listener.legs[leg_id].call_id == call_id  # the desktop's id of the SIP call
    assert not [f for f in lina.probe.frames if isinstance(f, cl.ListenRequested)
                and f.leg_id == "leg-alex"]

    # The supervisor hears the caller and the agent; the agent hears the supervisor.
    await _hears(wang.recordings[leg_id], FAR_HZ, AGENT_HZ)
    both_heard = time.monotonic()
    assert tone_ratio(wang.recordings[leg_id].samples(0.5), SUPERVISOR_HZ) < NEVER
    heard_by_agent = lina.recordings[call_id]
    await _hears(heard_by_agent, FAR_HZ, SUPERVISOR_HZ)
    coached = time.monotonic()
    # The barrier for what follows: the supervisor's voice has reached the agent
    # for two seconds without a break.
    await _hears_throughout(heard_by_agent, SUPERVISOR_HZ, 2.0)
    call = lina.manager.calls[call_id]
    assert call.listened_by == "王伟" and call.listen_mode == cl.ListenMode.COACH

    # The caller never heard the supervisor, all the while the agent did: every half
    # second sipp received since the leg was asked for (at least three seconds of
    # it) is the agent's tone alone.
    await eventually(lambda: far.recorder.samples().size >= 3 * FAR_RATE, 10)
    windows = _windows(far.recorder.samples(), FAR_RATE)
    for window in windows:
        assert tone_ratio(window, SUPERVISOR_HZ, FAR_RATE) < NEVER
        assert tone_ratio(window, AGENT_HZ, FAR_RATE) >= 0.5

    # Barge: a three-way call, the caller hears the supervisor too.
    listener.set_mode(leg_id, cl.ListenMode.BARGE)
    await wang.wait(lambda: listener.legs[leg_id].mode == cl.ListenMode.BARGE)
    barge_at = time.monotonic()
    far.recorder.clear()
    await _far_hears(far, AGENT_HZ, SUPERVISOR_HZ)
    barged = time.monotonic()
    await _hears(wang.recordings[leg_id], FAR_HZ, AGENT_HZ)
    assert call.listen_mode == cl.ListenMode.BARGE
    print(f"\nlisten_call → leg connected {(connected - asked) * 1000:.0f} ms; → both "
          f"tones at the supervisor {(both_heard - asked) * 1000:.0f} ms; → supervisor "
          f"at the agent {(coached - asked) * 1000:.0f} ms; barge → supervisor at the "
          f"caller {(barged - barge_at) * 1000:.0f} ms")

    # The agent hangs up: the leg ends with the call.
    await lina.manager.hang_up(call_id)
    await far.finished("caller")
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.ENDED, 10)
    assert listener.legs[leg_id].end_reason == cl.ListenEndReason.CALL_ENDED
    assert wang.engine.session(leg_id) is None  # its peer connection is closed
    assert lina.engine.listen_mix(leg_id) is None

    rows = hub_rows(hub.db_path,
                    "SELECT g.username, s.action, s.conversation_id, t.username, s.reason, "
                    "s.detail FROM supervision_audit s JOIN agents g ON g.id = s.actor_id "
                    "LEFT JOIN agents t ON t.id = s.target_agent_id ORDER BY s.id")
    assert [r[:5] for r in rows] == [
        ("wang", "listen_call", conversation_id, "lina", ""),
        ("wang", "listen_mode", conversation_id, "lina", ""),
        ("wang", "stop_listening", conversation_id, "lina", "call_ended"),
    ]
    assert '"source": "sip"' in rows[0][5] and '"mode": "barge"' in rows[1][5]


async def test_the_leg_ends_when_the_pbx_call_is_transferred(
    center: tuple[HubProcess, CallAgent, SipLine, CallAgent], far: FarEnd,
) -> None:
    """李娜 dials out through the PBX; 王伟 listens (listen only: the agent does not
    hear him); 李娜 transfers the call to a number (REFER): the leg ends."""
    _hub, lina, line, wang = center
    far.run("refer", sipp_scenarios.callee(far.phone, refer_to="2001"), dial=False)
    call_id = await line.dial("2000")
    call = await lina.wait_state(call_id, CallState.ACTIVE, timeout=15)
    await lina.wait(lambda: call.conversation_id, 10)
    assert call.conversation_id is not None
    await _hears(lina.recordings[call_id], FAR_HZ)

    listener = wang.manager.listener
    leg_id = await listener.listen(call.conversation_id, cl.ListenMode.LISTEN)
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.LISTENING, 15)
    await _hears(wang.recordings[leg_id], FAR_HZ, AGENT_HZ)
    # Listen only: for the next two seconds the agent hears the caller alone.
    heard_by_agent = lina.recordings[call_id]
    before = heard_by_agent.frames_written
    await lina.wait(lambda: heard_by_agent.frames_written >= before + 100)
    assert tone_ratio(heard_by_agent.samples(2.0), SUPERVISOR_HZ) < NEVER
    assert tone_ratio(heard_by_agent.samples(2.0), FAR_HZ) >= 0.5

    lina.manager.transfer_to_number(call_id, "2001")
    await lina.wait(lambda: not lina.manager.calls[call_id].live, 15)
    assert call.end_reason is cl.CallEndReason.TRANSFERRED
    await far.finished("refer")
    await wang.wait(lambda: listener.legs[leg_id].state == ListenState.ENDED, 10)
    assert listener.legs[leg_id].end_reason == cl.ListenEndReason.CALL_ENDED
    assert wang.engine.session(leg_id) is None
