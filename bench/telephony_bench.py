"""`telephony` suite: the issue's telephony figures with the real parts.

Inside a private network namespace (aioice ignores loopback):

- **SIP** — Kamailio (websocket registrar/proxy) and rtpengine (DTLS-SRTP + ICE ↔
  plain RTP) started here, sipp as the far phones streaming PCMU tones, and the
  agent's ``SipCalls`` (core/call/sip_media.py: the phone and one aiortc
  ``MediaSession`` per call) in this process. Per run: answer → two-way audio;
  one-way delay each way through rtpengine; this process's CPU during an
  established call; this process's CPU during a three-way conference mixed on the
  agent's side (customer and colleague are two sipp phones).
- **Widget** — a hub process, the agent's ``CallManager`` with its ``MediaThread``
  (testbed/call_agent.py) in this process, the customer (``hub.demo.simulator``)
  and the colleague (bench/telephony_colleague.py) each in a process of their own,
  so that this process's CPU is the agent's alone. Per run: CPU during the call,
  then during the three-way conference (consult through the hub, then conference);
  answer → two-way audio and one-way delay with the calls suite's probes, beside the
  SIP figures in the same run.

CPU is process CPU time over wall time in a fixed window of the established call
(100 % = one core), less the far phones' RTP recorder threads, which live in this
process only because sipp cannot record. Every figure is a median / p95 over the
runs, with the machine's 1-minute load average at each window (the machine is
shared). Targets (issue 17): ≤ 10 % of a core per call, ≤ 20 % per conference.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import summary
from core.call.analysis import tone_ratio
from core.call.audio_frames import SAMPLE_RATE
from core.call.audio_io import RecordingSink
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.sip.consultation import ConsultationState, LegState
from core.sip.events import CallDidConfirm, CallDidEnd, IncomingCall
from core.sip.registrator import Account
from hub.process import HubProcess
from testbed import kamailio, sipp_scenarios
from testbed.kamailio import Pbx, PbxConfig
from testbed.netns import NetNamespace
from testbed.sip_agent import BurstSource, SipAgent
from testbed.sipp import RtpRecorder, Sipp, make_tone_file

CUSTOMER_HZ, AGENT_HZ, COLLEAGUE_HZ = 440.0, 1000.0, 660.0
WIDGET_AGENT_HZ = 880.0
CUSTOMER_NUMBER = "+8613800138000"
COLLEAGUE = "3000"
USERS = {"1001": "pw-1001", "1002": "pw-1002"}
CUSTOMER_PORT, COLLEAGUE_PORT = 5070, 5071
HEARD = 0.15  # share of a half second's energy at a tone when two or three are mixed
CALL_CPU_TARGET, CONFERENCE_CPU_TARGET = 10.0, 20.0  # % of a core

# ---- CPU of this process ------------------------------------------------------------


def _thread_cpu_s(native_id: int) -> float:
    try:
        stat = Path(f"/proc/self/task/{native_id}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def cpu_window(seconds: float, excluded: Callable[[], list[int]] = list,
                     still_up: Callable[[], bool] = lambda: True) -> dict[str, float]:
    """This process's CPU (% of one core) over ``seconds`` of wall time, less the
    threads ``excluded`` names, with the load average when the window opened.
    ``still_up`` must hold at the end (the call did not end inside the window)."""
    load = os.getloadavg()[0]
    others = excluded()
    cpu0, other0, wall0 = time.process_time(), sum(map(_thread_cpu_s, others)), time.monotonic()
    await asyncio.sleep(seconds)  # the call runs: this is what it costs
    cpu = time.process_time() - cpu0 - (sum(map(_thread_cpu_s, others)) - other0)
    wall = time.monotonic() - wall0
    if not still_up():
        raise RuntimeError("the call ended inside the CPU window")
    return {"cpu_pct": 100 * cpu / wall, "load_1min": load}


async def eventually(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.05)  # audio arrives from other threads and processes


def _hears(samples: np.ndarray, rate: int, *tones: float) -> bool:
    window = samples[-rate // 2:]
    return window.size >= rate // 2 and all(tone_ratio(window, hz, rate) >= HEARD
                                            for hz in tones)


def _agent_hears(recording: RecordingSink, *tones: float) -> Callable[[], bool]:
    return lambda: _hears(recording.samples(0.5), SAMPLE_RATE, *tones)


def _phone_hears(recorder: RtpRecorder, *tones: float) -> Callable[[], bool]:
    return lambda: _hears(recorder.samples(), 8000, *tones)


# ---- SIP ----------------------------------------------------------------------------


class _FarPhones:
    """The customer's and the colleague's sipp phones, each with its RTP recorder."""

    def __init__(self, pbx: Pbx, ns: NetNamespace, workdir: Path) -> None:
        self.pbx = pbx
        self.workdir = workdir
        self.customer_rec = RtpRecorder(ns.address_b)
        self.colleague_rec = RtpRecorder(ns.address_b)
        self.customer = Sipp(workdir, ns.address_b, CUSTOMER_PORT, media_port=6000)
        self.colleague = Sipp(workdir, ns.address_b, COLLEAGUE_PORT, media_port=6100)
        domain = pbx.config.domain
        tone = make_tone_file(workdir / "customer.wav", CUSTOMER_HZ, 120)
        padded = make_tone_file(workdir / "padded.wav", CUSTOMER_HZ, 120, silence_first_s=1.0)
        colleague_tone = make_tone_file(workdir / "colleague.wav", COLLEAGUE_HZ, 120)
        self.tone = sipp_scenarios.FarPhone(CUSTOMER_NUMBER, domain, str(tone),
                                            self.customer_rec.port)
        self.padded = sipp_scenarios.FarPhone(CUSTOMER_NUMBER, domain, str(padded),
                                              self.customer_rec.port)
        self.colleague_phone = sipp_scenarios.FarPhone(COLLEAGUE, domain, str(colleague_tone),
                                                       self.colleague_rec.port)

    @property
    def remote(self) -> str:
        return f"{self.pbx.config.address}:{self.pbx.config.sip_port}"

    def recorder_threads(self) -> list[int]:
        return [self.customer_rec.thread_id, self.colleague_rec.thread_id]

    async def finished(self, sipp: Sipp, name: str) -> None:
        code = await asyncio.to_thread(sipp.wait, 60)
        if code != 0:
            raise RuntimeError(f"sipp {name} failed ({code}):\n{sipp.errors(name)[-2000:]}")

    def close(self) -> None:
        for sipp in (self.customer, self.colleague):
            sipp.stop()
        self.customer_rec.close()
        self.colleague_rec.close()


async def _sip_answer_to_audio(agent: SipAgent, far: _FarPhones, run: int) -> float:
    """sipp calls, the agent answers: answer → both ends hear the other's tone."""
    name = f"setup-{run}"
    far.customer.start(name, sipp_scenarios.caller(far.tone, "1001", talk_ms=2500),
                       remote=far.remote)
    ringing = await agent.next(IncomingCall, timeout=20)
    answered_at = time.monotonic()
    await agent.calls.answer(ringing.call_id)
    sink = agent.recording(ringing.call_id)
    heard: dict[str, float] = {}

    def both() -> bool:
        if "agent" not in heard and getattr(sink, "first_loud_at", None) is not None:
            heard["agent"] = sink.first_loud_at  # type: ignore[attr-defined]
        if "far" not in heard and (at := far.customer_rec.first_loud_after(answered_at)):
            heard["far"] = at
        return len(heard) == 2

    await eventually(both, 10, "two-way audio on the SIP call")
    await agent.next(CallDidEnd, call_id=ringing.call_id, timeout=20)
    await far.finished(far.customer, name)
    return (max(heard.values()) - answered_at) * 1000


async def _sip_call(agent: SipAgent, far: _FarPhones, run: int,
                    window_s: float) -> dict[str, Any]:
    """One established call: one-way delay each way, then the CPU window."""
    burst = BurstSource(AGENT_HZ)
    agent.source = burst
    name = f"call-{run}"
    talk_ms = int((1.0 + 4.0 + window_s + 3.0) * 1000)
    far.customer.start(name, sipp_scenarios.caller(far.padded, "1002", talk_ms=talk_ms),
                       remote=far.remote)
    ringing = await agent.next(IncomingCall, timeout=20)
    call_id = ringing.call_id
    answered_at = time.monotonic()
    await agent.calls.answer(call_id)
    confirmed = await agent.next(CallDidConfirm, call_id=call_id)
    sink = agent.recording(call_id)
    await eventually(_agent_hears(sink, CUSTOMER_HZ), 10, "the far phone's tone at the agent")
    first_loud = getattr(sink, "first_loud_at", None)
    assert first_loud is not None
    # sipp starts its stream right after its ACK; the file begins with 1 s of silence
    far_to_agent = (first_loud - agent.arrived_at[id(confirmed)] - 1.0) * 1000
    burst.arm()
    await eventually(lambda: far.customer_rec.first_loud_after(answered_at) is not None, 10,
                     "the agent's tone at the far phone")
    far_at = far.customer_rec.first_loud_after(answered_at)
    assert far_at is not None and burst.onset_at is not None
    agent_to_far = (far_at - burst.onset_at) * 1000
    ended = lambda: any(isinstance(e, CallDidEnd) and e.call_id == call_id  # noqa: E731
                        for e in agent.history)
    cpu = await cpu_window(window_s, far.recorder_threads, lambda: not ended())
    await agent.next(CallDidEnd, call_id=call_id, timeout=30)
    await far.finished(far.customer, name)
    return {"far_to_agent_ms": far_to_agent, "agent_to_far_ms": agent_to_far, **cpu}


async def _sip_conference(agent: SipAgent, far: _FarPhones, run: int,
                          window_s: float) -> dict[str, float]:
    """Customer calls in, the agent consults the colleague at 3000 and brings the
    three together (mixed on the agent's side); every party hears the other two,
    then the CPU window."""
    customer, colleague = f"conf-customer-{run}", f"conf-colleague-{run}"
    far.customer.start(customer, sipp_scenarios.caller(far.tone, "1001", hangup="agent",
                                                       reinvites=2), remote=far.remote)
    far.colleague.start(colleague, sipp_scenarios.callee(far.colleague_phone))
    ringing = await agent.next(IncomingCall, timeout=20)
    call_id = ringing.call_id
    await agent.calls.answer(call_id)
    await agent.next(CallDidConfirm, call_id=call_id)
    heard_by_agent = agent.recording(call_id)
    await eventually(_agent_hears(heard_by_agent, CUSTOMER_HZ), 10, "the customer at the agent")
    consult_id = await agent.calls.consult(call_id, COLLEAGUE)
    consultation = agent.calls.consultations[call_id]
    await eventually(lambda: consultation.consult == LegState.CONNECTED, 10,
                     "the colleague answers")
    agent.calls.conference(call_id)
    if consultation.state != ConsultationState.CONFERENCE:
        raise RuntimeError(f"no conference: {consultation.state}")
    await eventually(_agent_hears(heard_by_agent, CUSTOMER_HZ, COLLEAGUE_HZ), 10,
                     "the agent hears both")
    far.customer_rec.clear()
    far.colleague_rec.clear()
    await eventually(_phone_hears(far.customer_rec, AGENT_HZ, COLLEAGUE_HZ), 10,
                     "the customer hears the agent and the colleague")
    await eventually(_phone_hears(far.colleague_rec, AGENT_HZ, CUSTOMER_HZ), 10,
                     "the colleague hears the agent and the customer")
    cpu = await cpu_window(
        window_s, far.recorder_threads,
        lambda: consultation.state == ConsultationState.CONFERENCE)
    agent.calls.back_to_customer(call_id)
    await agent.next(CallDidEnd, call_id=consult_id, timeout=20)
    agent.calls.hang_up(call_id)
    await agent.next(CallDidEnd, call_id=call_id, timeout=20)
    await far.finished(far.customer, customer)
    await far.finished(far.colleague, colleague)
    return cpu


async def _sip(ns: NetNamespace, workdir: Path, runs: int, window_s: float) -> dict[str, Any]:
    config = PbxConfig(address=ns.address_a, gateway=f"{ns.address_b}:{CUSTOMER_PORT}",
                       users=USERS, trunks={COLLEAGUE: f"{ns.address_b}:{COLLEAGUE_PORT}"})
    setup: list[float] = []
    calls: list[dict[str, Any]] = []
    conferences: list[dict[str, float]] = []
    with kamailio.pbx(config) as pbx:
        far = _FarPhones(pbx, ns, workdir)
        tone_agent = SipAgent(Account("1001", USERS["1001"], config.domain, expires=300),
                              config.wss_url, tone_hz=AGENT_HZ, ssl_context=pbx.ssl_context())
        burst_agent = SipAgent(Account("1002", USERS["1002"], config.domain, expires=300),
                               config.wss_url, ssl_context=pbx.ssl_context(),
                               source=BurstSource(AGENT_HZ))
        try:
            for agent in (tone_agent, burst_agent):
                agent.start()
                await agent.registered()
            for run in range(runs):
                print(f"   SIP run {run + 1}/{runs}", file=sys.stderr, flush=True)
                setup.append(await _sip_answer_to_audio(tone_agent, far, run))
                calls.append(await _sip_call(burst_agent, far, run, window_s))
                conferences.append(await _sip_conference(tone_agent, far, run, window_s))
        finally:
            for agent in (tone_agent, burst_agent):
                with contextlib.suppress(Exception):
                    await agent.close()
            far.close()
    return {
        "answer_to_two_way_audio_ms": summary(setup, "ms"),
        "agent_to_far_one_way_ms": summary([c["agent_to_far_ms"] for c in calls], "ms"),
        "far_to_agent_one_way_ms": summary([c["far_to_agent_ms"] for c in calls], "ms"),
        "call_cpu_pct_of_core": _cpu(calls, CALL_CPU_TARGET),
        "conference_cpu_pct_of_core": _cpu(conferences, CONFERENCE_CPU_TARGET),
    }


def _cpu(windows: list[dict[str, Any]], target: float) -> dict[str, Any]:
    values = [w["cpu_pct"] for w in windows]
    loads = [w["load_1min"] for w in windows]
    return {**summary(values, "% of a core"), "target": target,
            "samples": [round(v, 1) for v in values],
            "load_1min": {"median": round(float(np.median(loads)), 2),
                          "max": round(max(loads), 2)}}


# ---- widget calls -------------------------------------------------------------------


async def _spawn(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdin=subprocess.PIPE,  # noqa: ASYNC220 - waited for off-loop
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def _ended(process: subprocess.Popen[str], timeout: float) -> str:
    """Close its stdin and wait; returns its stderr."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        await asyncio.to_thread(process.wait, timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait, 10)
    assert process.stderr is not None
    return process.stderr.read()


async def _widget_run(hub: HubProcess, thread: MediaThread, run: int,
                      window_s: float) -> tuple[dict[str, float], dict[str, float]]:
    from testbed.call_agent import CallAgent

    lina = await CallAgent.logged_in(hub.url, thread, tone_hz=WIDGET_AGENT_HZ)
    talk_s = 3 * window_s + 40  # the agent hangs up long before
    customer = await _spawn(["-m", "hub.demo.simulator", "--hub", hub.url, "--customers", "1",
                             "--call", str(talk_s), "--tone", str(CUSTOMER_HZ)])
    colleague: subprocess.Popen[str] | None = None
    try:
        ringing = await lina.wait_ringing(30)
        call_id = ringing.call_id
        await lina.manager.answer(call_id)
        await lina.wait_state(call_id, CallState.ACTIVE)
        await eventually(_agent_hears(lina.recordings[call_id], CUSTOMER_HZ), 15,
                         "the customer at the agent")
        call = await cpu_window(window_s, still_up=lambda: lina.manager.calls[call_id].state
                                == CallState.ACTIVE)
        # The colleague signs in once the call is lina's (the router would offer it to
        # either of them) and answers the consultation.
        colleague = await _spawn(["-m", "bench.telephony_colleague", "--hub", hub.url,
                                  "--tone", str(COLLEAGUE_HZ)])
        assert colleague.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(colleague.stdout.readline), 60)
        if not line.startswith("ready "):
            raise RuntimeError(f"the colleague did not sign in: {await _ended(colleague, 10)}")
        await lina.manager.consult(call_id, line.split()[1], "Alex")
        consultation = lina.manager.consultations[call_id]
        await lina.wait(lambda: consultation.consult == LegState.CONNECTED, 30)
        await lina.manager.conference(call_id)
        if consultation.state != ConsultationState.CONFERENCE:
            raise RuntimeError(f"no conference: {consultation.state}")
        await eventually(_agent_hears(lina.recordings[call_id], CUSTOMER_HZ, COLLEAGUE_HZ), 15,
                         "the agent hears the customer and the colleague")
        conference = await cpu_window(
            window_s, still_up=lambda: consultation.state == ConsultationState.CONFERENCE)
        await lina.manager.back_to_customer(call_id)
        await lina.manager.hang_up(call_id)
    finally:
        errors = [await _ended(p, 30) for p in (colleague, customer) if p is not None]
        await lina.close()
    for text in errors:
        if "Traceback" in text:
            raise RuntimeError(f"a party failed:\n{text[-2000:]}")
    return call, conference


async def _widget(hub: HubProcess, runs: int, window_s: float) -> dict[str, Any]:
    from bench.call_bench import answer_to_audio, hub_call

    thread = MediaThread()
    thread.start()
    try:
        calls: list[dict[str, float]] = []
        conferences: list[dict[str, float]] = []
        for run in range(runs):
            print(f"   widget run {run + 1}/{runs}", file=sys.stderr, flush=True)
            call, conference = await _widget_run(hub, thread, run, window_s)
            calls.append(call)
            conferences.append(conference)
        setup = await answer_to_audio(hub, thread, runs)
        piped = await hub_call(hub, thread, max(window_s, 6.0))
    finally:
        thread.stop()
    return {
        "answer_to_two_way_audio_ms": summary(setup, "ms"),
        "customer_to_agent_one_way_ms": summary([d for _, d in piped["delays"][1:]], "ms"),
        "call_cpu_pct_of_core": _cpu(calls, CALL_CPU_TARGET),
        "conference_cpu_pct_of_core": _cpu(conferences, CONFERENCE_CPU_TARGET),
    }


# ---- the suite ----------------------------------------------------------------------


def run(runs: int = 5, window_s: float = 8.0) -> dict[str, Any]:
    from bench.call_bench import call_hub
    from testbed.netns import network_namespace
    from testbed.netns import unavailable_reason as netns_unavailable

    reason = netns_unavailable() or kamailio.unavailable_reason()
    if reason is not None:
        return {"skipped": reason}
    started = time.monotonic()
    with network_namespace() as ns, tempfile.TemporaryDirectory(prefix="zx-tel-") as tmp:
        workdir = Path(tmp)
        sip = asyncio.run(_sip(ns, workdir, runs, window_s))
        hub = call_hub(workdir / "hub")
        hub.start()
        try:
            widget = asyncio.run(_widget(hub, runs, window_s))
        finally:
            hub.stop()
    return {
        "runs": runs,
        "cpu_window_s": window_s,
        "sip": sip,
        "widget": widget,
        "seconds": round(time.monotonic() - started, 1),
    }
