"""The desktop's call engine as a SIP phone: registered over a websocket to a real
Kamailio, media bridged by a real rtpengine (DTLS-SRTP + ICE ↔ plain RTP), and
sipp as the telephone on the other side — all in a network namespace the test
creates. The far phone streams a 440 Hz PCMU tone; the agent sends 1000 Hz."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.call.analysis import has_tone, rms
from core.call.audio_io import RecordingSink
from core.sip.events import (
    CallDidAnswer,
    CallDidConfirm,
    CallDidEnd,
    DtmfDidArrive,
    EndReason,
    IncomingCall,
    KeepaliveDidFail,
    OfferDidArrive,
    OfferWanted,
    RegistrationDidChange,
    RegistrationState,
    ReofferDidComplete,
    TransferDidProgress,
)
from core.sip.registrator import Account
from testbed import kamailio, sipp_scenarios
from testbed.kamailio import Pbx, PbxConfig
from testbed.netns import NetNamespace
from testbed.sip_agent import BurstSource, LoudnessClockSink, SipAgent
from testbed.sipp import RtpRecorder, Sipp, make_tone_file, sox_frequency
from tests.support.netns import netns  # noqa: F401 - fixture

pytestmark = pytest.mark.serial  # keep-alive timing; real-time audio and PBX timers on shared cores

FAR_HZ = 440.0
AGENT_HZ = 1000.0
CALLER = "+8613800138000"
USERS = {"1001": "pw-1001", "1002": "pw-1002"}


@dataclass
class FarEnd:
    pbx: Pbx
    sipp: Sipp
    recorder: RtpRecorder
    phone: sipp_scenarios.FarPhone
    workdir: Path

    def run(self, name: str, scenario: str, *, dial: bool) -> None:
        remote = f"{self.pbx.config.address}:{self.pbx.config.sip_port}" if dial else None
        self.sipp.start(name, scenario, remote=remote)

    async def finished(self, name: str, timeout: float = 30) -> None:
        code = await asyncio.to_thread(self.sipp.wait, timeout)
        assert code == 0, f"sipp {name} failed ({code}):\n{self.sipp.errors(name)[-3000:]}"


@pytest.fixture
def pbx(netns: NetNamespace, tmp_path: Path) -> Iterator[Pbx]:  # noqa: F811
    reason = kamailio.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    config = PbxConfig(address=netns.address_a, gateway=f"{netns.address_b}:5070", users=USERS)
    with kamailio.pbx(config) as running:
        yield running


@pytest.fixture
def far(pbx: Pbx, netns: NetNamespace, tmp_path: Path) -> Iterator[FarEnd]:  # noqa: F811
    recorder = RtpRecorder(netns.address_b)
    tone = make_tone_file(tmp_path / "far-tone.wav", FAR_HZ, 60)
    phone = sipp_scenarios.FarPhone(CALLER, pbx.config.domain, str(tone), recorder.port)
    sipp = Sipp(tmp_path, netns.address_b, 5070)
    yield FarEnd(pbx, sipp, recorder, phone, tmp_path)
    sipp.stop()
    recorder.close()


@pytest.fixture
async def agent(pbx: Pbx) -> AsyncIterator[SipAgent]:
    phone = SipAgent(Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                     pbx.config.wss_url, tone_hz=AGENT_HZ, ssl_context=pbx.ssl_context())
    phone.start()
    await phone.registered()
    yield phone
    await phone.close()


async def _heard(recording: RecordingSink, freq: float, timeout: float = 10) -> float:
    """Wait until the last half second of ``recording`` is the tone; returns when."""
    async def poll() -> float:
        while not has_tone(recording.samples(0.5), freq):  # noqa: ASYNC110 - audio from another thread
            await asyncio.sleep(0.05)
        return time.monotonic()

    return await asyncio.wait_for(poll(), timeout)


async def _silent(recording: RecordingSink, seconds: float = 0.8) -> bool:
    before = recording.frames_written
    await asyncio.sleep(seconds)
    new = recording.frames_written - before
    return new == 0 or rms(recording.samples(new * 0.02)) < 30


def _far_heard_agent(far: FarEnd) -> None:
    """The far phone's recording, analysed by sox, is the agent's tone."""
    wav = far.recorder.write_wav(far.workdir / "far-heard.wav")
    frequency, amplitude = sox_frequency(wav)
    assert abs(frequency - AGENT_HZ) < AGENT_HZ * 0.05, (frequency, amplitude)
    assert amplitude > 0.05


async def test_register_unregister_and_a_wrong_password(pbx: Pbx) -> None:
    # Secure websocket (the other tests use it too) and plain ws both work.
    good = SipAgent(Account("1002", USERS["1002"], pbx.config.domain, expires=60),
                    pbx.config.wss_url, ssl_context=pbx.ssl_context())
    good.start()
    registered = await good.registered()
    assert (registered.status, registered.expires) == (200, 60)
    await good.calls.phone.stop(unregister=True)
    assert good.history[-1] == RegistrationDidChange(RegistrationState.UNREGISTERED, 200)
    plain = SipAgent(Account("1002", USERS["1002"], pbx.config.domain), pbx.config.ws_url)
    plain.start()
    await plain.registered()
    await plain.close()

    bad = SipAgent(Account("1002", "not-the-password", pbx.config.domain), pbx.config.ws_url)
    bad.start()
    failed = await bad.next(RegistrationDidChange, state=RegistrationState.FAILED)
    assert failed.status == 401  # challenged again after the wrong credentials
    await bad.close()

    stranger = SipAgent(Account("9999", "x", pbx.config.domain), pbx.config.ws_url)
    stranger.start()
    assert (await stranger.next(RegistrationDidChange, state=RegistrationState.FAILED)).status \
        == 401
    await stranger.close()


async def test_inbound_call_two_way_audio_and_remote_bye(agent: SipAgent, far: FarEnd) -> None:
    far.run("inbound", sipp_scenarios.caller(far.phone, "1001", talk_ms=4000), dial=True)
    ringing = await agent.next(IncomingCall)
    assert ringing.caller_number == CALLER  # the number for the screen pop
    assert "UDP/TLS/RTP/SAVPF" in ringing.offer_sdp  # rtpengine made it WebRTC
    answered_at = time.monotonic()
    await agent.calls.answer(ringing.call_id)
    await agent.next(CallDidConfirm, call_id=ringing.call_id)
    heard_at = await _heard(agent.recording(ringing.call_id), FAR_HZ)
    print(f"inbound codec on the WebRTC leg: {agent.calls.media[ringing.call_id].codec}")
    print(f"answer → far tone heard by the agent: {(heard_at - answered_at) * 1000:.0f} ms")
    ended = await agent.next(CallDidEnd, call_id=ringing.call_id)
    assert ended.reason == EndReason.REMOTE_HANGUP
    await far.finished("inbound")
    _far_heard_agent(far)


async def test_outbound_call_dtmf_by_info_and_local_hangup(agent: SipAgent, far: FarEnd) -> None:
    far.run("outbound", sipp_scenarios.callee(far.phone, dtmf="5#"), dial=False)
    call_id = await agent.calls.call("2000")
    answer = await agent.next(CallDidAnswer, call_id=call_id)
    assert "UDP/TLS/RTP/SAVPF" in answer.answer_sdp
    await _heard(agent.recording(call_id), FAR_HZ)
    print(f"outbound codec on the WebRTC leg: {agent.calls.media[call_id].codec}")
    agent.calls.send_dtmf(call_id, "5#")
    await asyncio.sleep(1.0)  # let the agent's tone reach the far phone's recording
    agent.calls.hang_up(call_id)
    assert (await agent.next(CallDidEnd, call_id=call_id)).reason == EndReason.LOCAL_HANGUP
    await far.finished("outbound")  # the scenario checks each INFO's Signal
    logged = far.sipp.logged("outbound")
    assert "dtmf Signal=5" in logged and "dtmf Signal=#" in logged, logged
    _far_heard_agent(far)


async def test_hold_and_resume_by_reinvite(agent: SipAgent, far: FarEnd) -> None:
    far.run("hold", sipp_scenarios.callee(far.phone, reinvites=2), dial=False)
    call_id = await agent.calls.call("2000")
    await agent.next(CallDidAnswer, call_id=call_id)
    recording = agent.recording(call_id)
    await _heard(recording, FAR_HZ)
    await agent.calls.hold(call_id)
    assert agent.calls.media[call_id].on_hold
    assert await _silent(recording)
    packets = far.recorder.packets
    await asyncio.sleep(0.5)
    assert far.recorder.packets - packets <= 2  # nothing (beyond what was in flight)
    await agent.calls.resume(call_id)
    await _heard(recording, FAR_HZ)
    agent.calls.hang_up(call_id)
    await far.finished("hold")


async def test_caller_cancels_before_the_answer(agent: SipAgent, far: FarEnd) -> None:
    far.run("cancel", sipp_scenarios.caller(far.phone, "1001", outcome="cancel"), dial=True)
    ringing = await agent.next(IncomingCall)
    ended = await agent.next(CallDidEnd, call_id=ringing.call_id)
    assert ended.reason == EndReason.CANCELLED
    await far.finished("cancel")


async def test_busy_both_ways(agent: SipAgent, far: FarEnd) -> None:
    far.run("busy-in", sipp_scenarios.caller(far.phone, "1001", outcome="busy"), dial=True)
    ringing = await agent.next(IncomingCall)
    agent.calls.reject(ringing.call_id, 486)
    await far.finished("busy-in")  # the far phone got its 486
    far.run("busy-out", sipp_scenarios.callee(far.phone, outcome="busy"), dial=False)
    call_id = await agent.calls.call("2000")
    ended = await agent.next(CallDidEnd, call_id=call_id)
    assert (ended.reason, ended.status) == (EndReason.BUSY, 486)
    await far.finished("busy-out")


async def test_blind_transfer_by_refer(agent: SipAgent, far: FarEnd) -> None:
    far.run("refer", sipp_scenarios.callee(far.phone, refer_to="2001"), dial=False)
    call_id = await agent.calls.call("2000")
    await agent.next(CallDidAnswer, call_id=call_id)
    agent.calls.transfer(call_id, "2001")
    accepted = await agent.next(TransferDidProgress, call_id=call_id)
    assert (accepted.status, accepted.final) == (202, False)
    done = await agent.next(TransferDidProgress, call_id=call_id, final=True)
    assert done.status == 200
    ended = await agent.next(CallDidEnd, call_id=call_id)
    assert ended.reason == EndReason.REMOTE_HANGUP
    await far.finished("refer")


async def test_reconnects_after_the_websocket_drops(agent: SipAgent, far: FarEnd) -> None:
    assert agent.calls.phone.connections == 1
    await agent.calls.phone.drop_connection()
    lost = await agent.next(RegistrationDidChange)
    assert lost.state == RegistrationState.UNREGISTERED
    await agent.registered()
    assert agent.calls.phone.connections == 2
    # Calls reach the agent over the new connection.
    far.run("after", sipp_scenarios.caller(far.phone, "1001", talk_ms=2500), dial=True)
    ringing = await agent.next(IncomingCall)
    await agent.calls.answer(ringing.call_id)
    await _heard(agent.recording(ringing.call_id), FAR_HZ)
    await agent.next(CallDidEnd, call_id=ringing.call_id)
    await far.finished("after")


async def test_the_agents_audio_reaches_the_far_phone_only_once_it_starts(
        pbx: Pbx, far: FarEnd) -> None:
    """The agent's silence stays silence through DTLS-SRTP and rtpengine, a tone the
    agent starts mid-call reaches the far phone, and the far phone's tone (after the
    file's second of silence) reaches the agent's sink. (How long each takes, and
    the desktop's CPU per call: bench/telephony_bench.py.)"""
    burst = BurstSource(AGENT_HZ)
    agent = SipAgent(Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                     pbx.config.wss_url, ssl_context=pbx.ssl_context(), source=burst)
    agent.start()
    await agent.registered()
    padded = make_tone_file(far.workdir / "padded.wav", FAR_HZ, 20, silence_first_s=1.0)
    phone = sipp_scenarios.FarPhone(CALLER, pbx.config.domain, str(padded),
                                    far.recorder.port)
    far.run("measure", sipp_scenarios.caller(phone, "1001", talk_ms=5000), dial=True)
    ringing = await agent.next(IncomingCall)
    answered_at = time.monotonic()
    await agent.calls.answer(ringing.call_id)
    await agent.next(CallDidConfirm, call_id=ringing.call_id)
    sink = agent.recording(ringing.call_id)
    assert isinstance(sink, LoudnessClockSink)
    await _heard(sink, FAR_HZ)
    assert sink.first_loud_at is not None
    # The far phone has been receiving the agent's (silent) stream all along.
    assert far.recorder.packets > 0
    assert far.recorder.first_loud_after(answered_at) is None
    burst.arm()

    async def far_heard() -> float:
        while (at := far.recorder.first_loud_after(answered_at)) is None:  # noqa: ASYNC110 - another thread records
            await asyncio.sleep(0.02)
        return at

    far_at = await asyncio.wait_for(far_heard(), 10)
    assert burst.onset_at is not None and far_at > burst.onset_at
    await agent.next(CallDidEnd, call_id=ringing.call_id, timeout=20)
    await far.finished("measure")
    _far_heard_agent(far)
    await agent.close()


async def test_the_far_side_holds_and_resumes_by_reinvite(agent: SipAgent, far: FarEnd) -> None:
    far.run("far-hold", sipp_scenarios.caller(far.phone, "1001", talk_ms=2500, far_holds=True),
            dial=True)
    ringing = await agent.next(IncomingCall)
    await agent.calls.answer(ringing.call_id)
    hold = await agent.next(OfferDidArrive, call_id=ringing.call_id)
    assert "a=sendonly" in hold.offer_sdp
    resume = await agent.next(OfferDidArrive, call_id=ringing.call_id)
    assert "a=sendrecv" in resume.offer_sdp
    far.recorder.clear()
    await _heard(agent.recording(ringing.call_id), FAR_HZ)
    await agent.next(CallDidEnd, call_id=ringing.call_id)
    await far.finished("far-hold")  # each answer carried the direction sipp checked
    logged = far.sipp.logged("far-hold")
    assert "answered with a=recvonly" in logged and "answered with a=sendrecv" in logged
    _far_heard_agent(far)  # the agent's audio came back after the resume


async def test_far_side_dtmf_by_info_and_options_reach_the_agent(agent: SipAgent,
                                                                  far: FarEnd) -> None:
    far.run("options", sipp_scenarios.options(far.phone, "1001"), dial=True)
    await far.finished("options")  # answered by the agent's phone with its Allow list
    assert "INVITE" in far.sipp.logged("options")
    far.run("far-dtmf", sipp_scenarios.caller(far.phone, "1001", talk_ms=500, dtmf="42#"),
            dial=True)
    ringing = await agent.next(IncomingCall)
    await agent.calls.answer(ringing.call_id)
    digits = [(await agent.next(DtmfDidArrive, call_id=ringing.call_id)).digit
              for _ in range(3)]
    assert digits == ["4", "2", "#"]
    await agent.next(CallDidEnd, call_id=ringing.call_id)
    await far.finished("far-dtmf")


async def test_registration_refreshed_before_expiry_and_keepalives_answered(pbx: Pbx) -> None:
    phone = SipAgent(Account("1002", USERS["1002"], pbx.config.domain, expires=4),
                     pbx.config.wss_url, ssl_context=pbx.ssl_context(), keepalive_s=1.0)
    phone.start()
    first = await phone.registered()
    assert first.expires == 4
    started = time.monotonic()
    await phone.registered(timeout=6)  # refreshed half-way (2 s), challenged again
    await phone.registered(timeout=6)
    elapsed = time.monotonic() - started
    assert 3.0 < elapsed < 6.0, elapsed
    # OPTIONS keepalives (every second here) were answered by Kamailio all along.
    assert phone.calls.phone.agent.keepalives_answered >= 2
    assert not any(isinstance(e, KeepaliveDidFail) for e in phone.history)
    await phone.close()


async def test_a_session_refresh_without_offer_keeps_the_audio(agent: SipAgent,
                                                                far: FarEnd) -> None:
    far.run("refresh", sipp_scenarios.caller(far.phone, "1001", talk_ms=2500,
                                             far_refreshes=True), dial=True)
    ringing = await agent.next(IncomingCall)
    await agent.calls.answer(ringing.call_id)
    await agent.next(OfferWanted, call_id=ringing.call_id)
    await agent.next(ReofferDidComplete, call_id=ringing.call_id)  # the answer in the ACK
    far.recorder.clear()
    agent.recording(ringing.call_id).clear()
    await _heard(agent.recording(ringing.call_id), FAR_HZ)
    await agent.next(CallDidEnd, call_id=ringing.call_id)
    await far.finished("refresh")
    assert "refresh offered m=audio" in far.sipp.logged("refresh")
    _far_heard_agent(far)
