"""A real browser calls the agent through the widget: headless Chromium against a real
hub and the agent's call engine, all inside a private network namespace.

Chromium's fake microphone plays a generated 440 Hz WAV file. The customer presses
Call; the agent's engine answers, hears 440 Hz (FFT) and sends 880 Hz back, which the
page measures on the remote track with a WebAudio analyser. Mute in the widget silences
the customer at the agent, Hang up ends the call on both sides, a second tab cannot
start a second call, a lost link ends the call with its reason, a call hung up before
the microphone was granted never rings, the agent's call-back can be answered, and a
refused microphone or an insecure page shows a clear error instead of calling.

call_flow.mjs drives the browser (playwright-core) in lockstep with this test: it stops
at each checkpoint until the test has checked the agent's side and says "go".
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.call.analysis import has_tone, rms
from core.call.audio_io import RecordingSink
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.protocol import agent as ap
from core.protocol import call as cl
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.browser.test_widget import CHROMIUM, HERE, NODE, browser_tools  # noqa: F401 - fixture
from tests.conftest import HubProcess
from tests.support.netns import netns  # noqa: F401 - fixture

FLOW = HERE / "call_flow.mjs"
CUSTOMER_HZ = 440.0
AGENT_HZ = 880.0
RUN_TIMEOUT_S = 50.0

# serial: live audio between chromium and the desktop
pytestmark = [pytest.mark.browser, pytest.mark.serial]

DENIED_TEXT = (
    "Microphone access was blocked. Allow the microphone for this site and try again."
)
INSECURE_TEXT = "Voice calls need a secure (https) page. Please use the https address."


@pytest.fixture
def lan_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    """The hub on the namespace's veth address over plain http: the page is not a secure
    context unless Chromium is told to treat the origin as one."""
    return make_hub("--host", netns.address_a, "--insecure")


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def write_tone_wav(path: Path, hz: float, seconds: float = 4.0, rate: int = 48_000) -> Path:
    """A mono 16-bit sine (a whole number of cycles, so Chromium's loop has no click)."""
    cycles = round(hz * seconds)
    n = round(cycles * rate / hz)
    samples = (0.5 * 32767 * np.sin(2 * np.pi * hz * np.arange(n) / rate)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


async def _until(check: Callable[[], bool], what: str, timeout: float = 8.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        await asyncio.sleep(0.1)


def _hears(recording: RecordingSink, hz: float) -> bool:
    return has_tone(recording.samples(0.5), hz)


class AgentChecks:
    """The agent's side of each checkpoint call_flow.mjs stops at."""

    def __init__(self, agent: CallAgent) -> None:
        self.agent = agent
        self.call_id = ""
        self.conversation_id = ""
        self.seen: dict[str, Any] = {}
        self.recordings = Path(tempfile.mkdtemp(prefix="zuoxi-test-recordings-"))

    async def on_step(self, step: str, data: dict[str, Any]) -> None:
        agent = self.agent
        if step == "calling":
            ringing = await agent.wait_ringing(timeout=15)
            self.call_id = ringing.call_id
            self.conversation_id = ringing.conversation_id
            self.seen.setdefault("first_conversation_id", ringing.conversation_id)
            assert ringing.offer is not None and "a=fingerprint:sha-256" in ringing.offer
            assert "a=crypto" not in ringing.offer and "opus/48000" in ringing.offer
            await agent.manager.answer(self.call_id)
            await agent.wait_state(self.call_id, CallState.ACTIVE)
        elif step == "active":
            # the browser's fake microphone (the 440 Hz WAV) reaches the agent's engine
            await _until(lambda: _hears(self.recording, CUSTOMER_HZ), "the agent hears 440 Hz")
        elif step == "second_tab":
            # the refused second call never rang, and the first goes on undisturbed
            assert [c.call_id for c in agent.rung] == [self.call_id]
            assert self.call.state is CallState.ACTIVE
            await _until(lambda: _hears(self.recording, CUSTOMER_HZ), "the first call still flows")
        elif step == "muted":
            await _until(lambda: self.call.remote_muted, "the hub relays the widget's mute")
            await _until(lambda: not _hears(self.recording, CUSTOMER_HZ),
                         "the muted customer's tone stops at the agent")
            await asyncio.sleep(0.5)
            last = self.recording.samples(0.5)
            self.seen["muted_rms"] = rms(last)
            assert not has_tone(last, CUSTOMER_HZ) and rms(last) < 30, "still hears the customer"
            assert self.call.state is CallState.ACTIVE  # mute is not hold or hang-up
        elif step == "unmuted":
            await _until(lambda: not self.call.remote_muted, "the hub relays the unmute")
            await _until(lambda: _hears(self.recording, CUSTOMER_HZ), "440 Hz comes back")
        elif step == "record":
            recording = agent.manager.recording
            recording.directory = self.recordings
            assert recording.policy(self.call_id).mode == cl.RecordingMode.ON_DEMAND
            await recording.start(self.call)
        elif step == "recorded":
            recorder = agent.engine.recorder(self.call_id)
            await _until(lambda: recorder is not None and recorder.queued >= 25,
                         "the agent's engine records after the announcement")
            agent.manager.recording.stop(self.call)
        elif step == "hung_up":
            ended = await agent.wait_state(self.call_id, CallState.ENDED)
            assert ended.end_reason == cl.CallEndReason.HUNG_UP_BY_CUSTOMER
        elif step == "cut":
            ended = await agent.wait_state(self.call_id, CallState.ENDED)
            assert ended.end_reason == cl.CallEndReason.CUSTOMER_LEFT
        elif step in ("abandoned", "denied", "insecure"):
            # The page's chat message after the call it must not place is stored, so a
            # call it had started is queued to the agent's socket by now; the answer to
            # a read the agent sends now comes after it on that socket.
            answer = await agent.probe.command(
                ap.FetchCustomers(op=f"marker-{step}", tag="store:marker", limit=1))
            assert isinstance(answer, ap.Customers), answer
            self.seen[f"{step}_rung"] = len(agent.rung)
            if step == "abandoned":  # now the agent calls the customer back
                self.call_id = await agent.manager.start_call(self.conversation_id)
        elif step == "answered":
            await agent.wait_state(self.call_id, CallState.ACTIVE)
            await _until(lambda: _hears(self.recording, CUSTOMER_HZ),
                         "the agent hears the customer who answered")
        else:
            raise AssertionError(f"unknown checkpoint {step}: {data}")

    @property
    def call(self) -> Any:
        return self.agent.manager.calls[self.call_id]

    @property
    def recording(self) -> RecordingSink:
        return self.agent.recordings[self.call_id]


def _dominant(measured: dict[str, Any]) -> float:
    """The tone the page's analyser heard: the median peak of snapshots where one
    frequency holds most of the energy (0.0 when too few do)."""
    snapshots = measured["snapshots"]
    clear = [s["peak_hz"] for s in snapshots if s["share"] > 0.5]
    return statistics.median(clear) if len(clear) >= len(snapshots) // 2 else 0.0


async def _drive(node: asyncio.subprocess.Process, checks: AgentChecks) -> dict[str, Any]:
    assert node.stdout is not None and node.stdin is not None
    while line := await node.stdout.readline():
        message = json.loads(line)
        if "report" in message:
            return dict(message["report"])
        await checks.on_step(message["step"], message)
        node.stdin.write(b"go\n")
        await node.stdin.drain()
    raise AssertionError(f"call_flow.mjs ended without a report (exit {await node.wait()})")


async def test_widget_call_from_chromium_to_the_agent_engine(
    browser_tools: None,  # noqa: F811
    lan_hub: HubProcess,
    media_thread: MediaThread,
    tmp_path: Path,
) -> None:
    agent = await CallAgent.logged_in(lan_hub.url, media_thread, tone_hz=AGENT_HZ)
    checks = AgentChecks(agent)
    origin = lan_hub.url.rstrip("/")
    env = {
        **os.environ,
        "WIDGET_URL": lan_hub.widget_url,
        "ORIGIN": origin,
        "TONE_WAV": str(write_tone_wav(tmp_path / "tone-440.wav", CUSTOMER_HZ)),
        "CHROMIUM": CHROMIUM,
        "SCREENSHOT_DIR": os.environ.get("ZUOXI_SCREENSHOT_DIR", ""),
    }
    node = await asyncio.create_subprocess_exec(
        NODE or "node", str(FLOW), cwd=HERE, env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        report = await asyncio.wait_for(_drive(node, checks), RUN_TIMEOUT_S)
        await asyncio.wait_for(node.wait(), 10)
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        stderr = (await node.stderr.read()).decode(errors="replace") if node.stderr else ""
        await agent.close()
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    print(context, file=sys.stderr)
    assert report["errors"] == [] and report["page_errors"] == [], context
    assert report["console_errors"] == [], context  # CSP violations land here

    # The flag makes the plain-http LAN origin a secure context, so the microphone works.
    assert report["secure"] is True
    assert report["idle"]["call_visible"] and not report["idle"]["hangup_visible"]
    assert report["active"]["phase"] == "active" and report["active"]["hangup_visible"]
    assert report["active"]["status"] == "In call with 李娜 · 0:00", context
    # the call is a conversation of the inbox, the same one on both sides
    assert report["active"]["conversation_id"] == checks.seen["first_conversation_id"]

    # The agent's 880 Hz, measured in the page by a WebAudio analyser on the remote track.
    assert _dominant(report["remote"]) == pytest.approx(AGENT_HZ, abs=11), context

    assert (report["muted"]["mute_label"], report["muted"]["mute_pressed"]) == ("Unmute", "true")
    assert (report["unmuted"]["mute_label"], report["unmuted"]["mute_pressed"]) == (
        "Mute", "false"
    )
    # Recording on demand: the widget says so while it lasts.
    assert report["recorded"]["status"].endswith(" · This call is recorded"), context
    assert "recorded" not in report["not_recorded"]["status"], context
    hung_up = report["hung_up"]
    assert hung_up["phase"] == "idle" and hung_up["pc"] and hung_up["status"] == "Call ended"
    assert hung_up["call_visible"] and not hung_up["hangup_visible"]

    # Refused microphone, insecure page: a clear sentence, no call placed, button back.
    assert report["denied"]["error"] == DENIED_TEXT, context
    assert report["insecure"]["error"] == INSECURE_TEXT, context
    for key in ("denied", "insecure"):
        assert report[key]["phase"] == "idle" and report[key]["call_visible"], context
        assert report[key]["status"] == "", "no stale 'Calling…' next to the error"
    assert checks.seen["denied_rung"] == checks.seen["insecure_rung"] == 2

    second_tab = report["second_tab"]
    assert second_tab["status"] == "You are already in a call in another window.", context
    assert second_tab["call_visible"] and not second_tab["hangup_visible"]
    # The link cut mid-call: the widget ends the call with a reason, and after the
    # reconnect the hub's answer to its late hang-up is not shown as an error.
    cut = report["cut"]
    assert cut["status"] == "The call was cut off: the connection was lost.", context
    assert cut["call_visible"] and not cut["hangup_visible"]
    assert report["reconnected"]["error"] is None
    assert report["reconnected"]["status"] == cut["status"]
    abandoned = report["abandoned"]
    assert abandoned["phase"] == "idle" and abandoned["mic_released"], context
    assert checks.seen["abandoned_rung"] == 2, "a call hung up before it started never rings"

    incoming = report["incoming"]
    assert incoming["status"] == "李娜 is calling you" and incoming["call_label"] == "Answer"
    assert incoming["hangup_visible"]  # the customer can refuse the call-back
    assert _dominant(report["callback_remote"]) == pytest.approx(AGENT_HZ, abs=11), context
    assert report["callback_hung_up"]["status"] == "Call ended"
