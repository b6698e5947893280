"""`calls` suite: voice delay, impairment, answer time, CPU and send cadence.

Everything runs inside a private network namespace (aioice ignores loopback), with
its own hub inside. Delay is measured from the instant a source frame is pulled to
the instant the decoded frame reaches the sink: clicks (one per second) are found
in the received audio by cross-correlation with the click's waveform, and each is
paired with the frame that carried it. The baseline is plain aiortc, two peer
connections in the same process, measured in the same run (this file touches
aiortc directly only for that baseline).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

from bench.call_probes import ClickSource, PacedCapture, PacedPlayback, TimedSink, click_delays
from bench.stats import summary
from core.call import compat_aiortc
from core.call.analysis import rms
from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples
from core.call.audio_io import ToneSource
from core.call.call_manager import CallState
from core.call.media_session import MediaSession, PacketSend
from core.call.media_thread import MediaThread
from core.call.quality import QualityMeter
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from hub.routing.config import DEFAULT_PATH as ROUTING_DEFAULTS

# ---- baseline: plain aiortc -----------------------------------------------------------


async def _baseline(seconds: float, impair: bool = False) -> list[tuple[float, float]]:
    from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection

    from core.call.media_session import SourceTrack

    source, sink = ClickSource(), TimedSink()
    a = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    b = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    a.addTrack(SourceTrack(source.read_frame, __import__("collections").deque(maxlen=10)))
    received: asyncio.Future[MediaStreamTrack] = asyncio.get_running_loop().create_future()
    def arrived(track: MediaStreamTrack) -> None:
        if not received.done():
            received.set_result(track)

    b.on("track", arrived)
    b.addTransceiver("audio", direction="recvonly")
    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(a.localDescription)
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(b.localDescription)
    track = await received
    if impair:  # the same shim as the hub call's: 30 ms jitter, 3 % loss
        compat_aiortc.wrap_ice_send(a.getTransceivers()[0].sender.transport.transport,
                                    _impair(random.Random(5), 0.03, 30.0))

    import av

    async def pump() -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        pending = np.zeros(0, dtype=np.int16)
        while True:
            frame = await track.recv()
            for out in resampler.resample(frame):  # type: ignore[arg-type]
                pending = np.concatenate([pending, out.to_ndarray().reshape(-1)])
            while pending.size >= SAMPLES_PER_FRAME:
                sink.write_frame(pending[:SAMPLES_PER_FRAME])
                pending = pending[SAMPLES_PER_FRAME:]

    task = asyncio.ensure_future(pump())
    await asyncio.sleep(seconds)
    task.cancel()
    await a.close()
    await b.close()
    return click_delays(source, sink)[1:]


# ---- buffer sizes PortAudio grants the desktop's streams --------------------------------

NULL_DEVICE_NAME = "zuoxi_bench_null"
NULL_DEVICE = f"""pcm.{NULL_DEVICE_NAME} {{
    type null
    hint {{ show on description "Zuoxi bench null device" }}
}}
"""

# Opens the capture and playback streams through the desktop's own AudioHost (same
# blocksize, latency="low") on the null device and prints what PortAudio granted.
GRANTED_PROBE = f"""
import json
from core.call.audio_devices import AudioHost, DeviceKind
host = AudioHost()
key = next((d.key for d in host.devices.inputs if d.name == {NULL_DEVICE_NAME!r}), None)
out = {{"key": key, "error": host.devices.error}}
if key is not None and host.devices.find(DeviceKind.OUTPUT, key) is not None:
    capture = host.open_capture(key)
    playback = host.open_playback(key)
    if capture is not None and playback is not None:
        out.update(input_ms=capture.latency_ms, output_ms=playback.latency_ms)
    host.close(capture)
    host.close(playback)
print(json.dumps(out))
"""


def _granted_device_latency() -> dict[str, Any]:
    """Input and output latency PortAudio grants the desktop's streams on an ALSA null
    device defined in a private ~/.asoundrc. ALSA reads its configuration once per
    process, when PortAudio initialises, so the streams are opened in a fresh process
    whose HOME holds that file. Returns ``{"error": ...}`` when they cannot be opened."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="zx-audio-home-") as home:
        (Path(home) / ".asoundrc").write_text(NULL_DEVICE, encoding="utf-8")
        env = {**os.environ, "HOME": home,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(root),
                                                          os.environ.get("PYTHONPATH")]))}
        try:
            done = subprocess.run([sys.executable, "-c", GRANTED_PROBE], env=env, cwd=root,
                                  capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return {"error": "opening the null device timed out"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        return {"error": tail[0]}
    result: dict[str, Any] = json.loads(lines[-1])
    if "input_ms" not in result:
        return {"error": result.get("error") or f"PortAudio does not list {NULL_DEVICE_NAME}"}
    return {"input_ms": round(float(result["input_ms"]), 3),
            "output_ms": round(float(result["output_ms"]), 3)}


def _mouth_to_ear(paced: list[float], granted: dict[str, Any]) -> dict[str, Any]:
    """Measured pipeline with the desktop's queues + granted input and output latency."""
    if "error" in granted:
        return {
            **_ms(paced),
            "granted_input_ms": None,
            "granted_output_ms": None,
            "note": "could not open the ALSA null device through PortAudio "
                    f"({granted['error']}); paced 20 ms device clocks and the desktop's "
                    "3-frame queues at both ends only, device latency not included",
        }
    added = granted["input_ms"] + granted["output_ms"]
    return {
        **_ms([d + added for d in paced]),
        "paced_pipeline_ms": _ms(paced),
        "granted_input_ms": granted["input_ms"],
        "granted_output_ms": granted["output_ms"],
        "note": "paced 20 ms device clocks and the desktop's 3-frame queues at both ends "
                "(measured) + input and output latency PortAudio granted the desktop's "
                "capture and playback streams (blocksize 20 ms, latency='low') on an ALSA "
                "null device through PortAudio (no sound card here)",
    }


# ---- through the hub ----------------------------------------------------------------


async def _agent(hub: HubProcess, thread: MediaThread, username: str = "lina") -> Any:
    from testbed.call_agent import CallAgent

    return await CallAgent.logged_in(hub.url, thread, username, tone_hz=880)


def _thread_cpu_s(native_id: int) -> float:
    fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _impair(rng: random.Random, loss: float, jitter_ms: float) -> Any:
    def wrap(send: PacketSend) -> PacketSend:
        loop = asyncio.get_running_loop()

        async def late(data: bytes) -> None:
            with contextlib.suppress(ConnectionError):  # the call ended meanwhile
                await send(data)

        async def impaired(data: bytes) -> None:
            if rng.random() < loss:
                return
            delay = max(0.0, rng.gauss(jitter_ms, jitter_ms)) / 1000
            loop.call_later(delay, lambda: asyncio.ensure_future(late(data)))

        return impaired

    return wrap


async def hub_call(hub: HubProcess, thread: MediaThread, seconds: float,
                    impair: bool = False, devices: bool = False) -> dict[str, Any]:
    """Customer (simulator) sends clicks; the agent's engine receives them.

    ``devices``: both ends use paced device clocks with the desktop's queues, so
    the figure is mouth-to-ear minus the latency the devices themselves add (see
    ``_granted_device_latency``)."""
    agent = await _agent(hub, thread)
    playback = PacedPlayback()
    sink = playback.played if devices else TimedSink()
    agent.engine.sink_factory = (lambda _id: playback) if devices else (lambda _id: sink)
    customer = SimCustomer(hub.customer_ws_url, name="Bench caller")
    await customer.connect()
    source: ClickSource | PacedCapture = PacedCapture() if devices else ClickSource()
    if devices:
        source.start()
    phone = customer.phone_with(source)
    call_id = await phone.call()
    await agent.wait_ringing()
    await agent.manager.answer(call_id)
    await agent.wait_state(call_id, CallState.ACTIVE)
    await asyncio.wait_for(phone.answered.wait(), 10)
    if impair:
        assert phone.session is not None
        phone.session.wrap_transport_send(_impair(random.Random(5), 0.03, 30.0))
    await asyncio.sleep(2.0)  # settle
    media_tid = await asyncio.wrap_future(thread.submit(_native_id()))
    cpu0, t0 = _thread_cpu_s(media_tid), time.monotonic()
    meter = QualityMeter()
    meter.update(await agent.engine.stats(call_id))
    await asyncio.sleep(seconds)
    cpu = (_thread_cpu_s(media_tid) - cpu0) / (time.monotonic() - t0)
    quality = meter.update(await agent.engine.stats(call_id))  # over the whole run
    session = await asyncio.wrap_future(thread.submit(_session(agent, call_id)))
    jitter = session.jitter
    delays = click_delays(source, sink)
    source.stop()
    await agent.manager.hang_up(call_id)
    await customer.disconnect()
    await agent.close()
    return {"delays": delays, "cpu": cpu, "quality": quality,
            "jitter_buffer": None if jitter is None else {
                "lost": jitter.lost, "late": jitter.dropped_late, "trimmed": jitter.dropped_old}}


async def _native_id() -> int:
    return threading.get_native_id()


def _both_heard(a: TimedSink, b: TimedSink) -> Any:
    return lambda: a.first_sound_at is not None and b.first_sound_at is not None


async def answer_to_audio(hub: HubProcess, thread: MediaThread, runs: int) -> list[float]:
    samples: list[float] = []
    for _ in range(runs):
        agent = await _agent(hub, thread)
        agent_sink = TimedSink()
        agent.engine.sink_factory = lambda _id, s=agent_sink: s
        customer = SimCustomer(hub.customer_ws_url, name="Bench caller")
        await customer.connect()
        customer_sink = TimedSink()
        phone = customer.phone_with(ToneSource(440), recording=customer_sink)  # type: ignore[arg-type]
        call_id = await phone.call()
        await agent.wait_ringing()
        clicked = time.monotonic()
        await agent.manager.answer(call_id)
        await agent.wait(_both_heard(agent_sink, customer_sink), 10)
        assert agent_sink.first_sound_at and customer_sink.first_sound_at
        samples.append((max(agent_sink.first_sound_at, customer_sink.first_sound_at)
                        - clicked) * 1000)
        await agent.manager.hang_up(call_id)
        await customer.disconnect()
        await agent.close()
    return samples


async def _cadence_under_gui_load(hub: HubProcess, thread: MediaThread,
                                  seconds: float) -> dict[str, Any]:
    """The agent's media thread keeps 20 ms cadence while the GUI thread rebuilds a
    5,000-row list again and again; the caller (a separate process) records."""
    from PySide6.QtWidgets import QApplication, QListWidget

    app = QApplication.instance() or QApplication(["bench", "-platform", "offscreen"])
    view = QListWidget()
    rows = [f"客户 {i} · conversation {i * 7} · last message preview text" for i in range(5000)]
    agent = await _agent(hub, thread)
    with tempfile.TemporaryDirectory(prefix="zx-cadence-") as tmp:
        wav = Path(tmp) / "heard.wav"
        sim = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for off-loop
            [sys.executable, "-m", "hub.demo.simulator", "--hub", hub.url, "--customers", "1",
             "--call", str(seconds + min(10.0, seconds) + 4), "--tone", "440",
             "--record", str(wav)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        ringing = await agent.wait_ringing(30)
        await agent.manager.answer(ringing.call_id)
        await agent.wait_state(ringing.call_id, CallState.ACTIVE)
        await asyncio.sleep(1.0)
        # CPU of this process (the agent's engine: signalling, media thread,
        # aiortc's decoder thread) during one active call, the caller elsewhere.
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(min(10.0, seconds))
        cpu = (time.process_time() - cpu0) / (time.monotonic() - wall0)
        session = await asyncio.wrap_future(thread.submit(_session(agent, ringing.call_id)))
        idle = [t for t in list(session.cadence) if wall0 <= t]
        idle_gaps = [(b - a) * 1000 for a, b in itertools.pairwise(idle)]
        start = time.monotonic()
        rebuilds = 0
        stalls: list[float] = []
        while time.monotonic() - start < seconds:
            t = time.monotonic()
            view.clear()
            view.addItems(rows)
            app.processEvents()
            stalls.append((time.monotonic() - t) * 1000)
            rebuilds += 1
            await asyncio.sleep(0)
        end = time.monotonic()
        sent = [t for t in list(session.cadence) if start <= t <= end]
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(sent)]
        _, err = await asyncio.to_thread(sim.communicate, None, 60)
        heard = _read_wav(wav) if wav.exists() else np.zeros(0, dtype=np.int16)
    await agent.close()
    return {
        "cpu": cpu,
        "idle_gaps": idle_gaps,
        "gaps": gaps,
        "rebuilds": rebuilds,
        "rebuild_ms": statistics.median(stalls) if stalls else 0.0,
        "audible_gaps": _audible_gaps(heard),
        "heard_s": heard.size / SAMPLE_RATE,
        "sim_error": err.decode(errors="replace")[-300:] if sim.returncode else "",
    }


async def _session(agent: Any, call_id: str) -> MediaSession:
    session = agent.engine.session(call_id)
    assert session is not None
    return session


def _read_wav(path: Path) -> Samples:
    with wave.open(str(path), "rb") as f:
        return np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16)


def _audible_gaps(heard: Samples) -> int:
    """Silent 20 ms frames between the first and last frame of the tone."""
    n = heard.size // SAMPLES_PER_FRAME
    loud = [rms(heard[i * SAMPLES_PER_FRAME : (i + 1) * SAMPLES_PER_FRAME]) > 300
            for i in range(n)]
    if not any(loud):
        return -1
    first, last = loud.index(True), n - 1 - loud[::-1].index(True)
    return sum(1 for x in loud[first : last + 1] if not x)


def _edge(values: list[float], first: bool) -> float | None:
    if not values:
        return None
    window = max(3, len(values) // 10)
    return round(statistics.median(values[:window] if first else values[-window:]), 1)


def _ms(values: list[float]) -> dict[str, Any]:
    return summary(values, "ms") if values else {"n": 0}


async def _run(hub: HubProcess, seconds: float, impair_seconds: float) -> dict[str, Any]:
    granted = _granted_device_latency()
    thread = MediaThread()
    thread.start()
    try:
        baseline = [d for _, d in await _baseline(seconds)]
        baseline_impaired = [d for _, d in await _baseline(min(impair_seconds, 60), True)]
        piped = await hub_call(hub, thread, seconds)
        pipeline = [d for _, d in piped["delays"][1:]]
        with_devices = await hub_call(hub, thread, seconds, devices=True)
        mouth_to_ear = [d for _, d in with_devices["delays"][1:]]
        answer = await answer_to_audio(hub, thread, 5)
        impaired = await hub_call(hub, thread, impair_seconds, impair=True)
        cadence = await _cadence_under_gui_load(hub, thread, min(seconds, 15.0))
    finally:
        thread.stop()
    imp = [d for _, d in impaired["delays"][1:]]
    start_ms, end_ms = _edge(imp, first=True), _edge(imp, first=False)
    quality = impaired["quality"]
    base_median = statistics.median(baseline) if baseline else float("nan")
    pipe_median = statistics.median(pipeline) if pipeline else float("nan")
    return {
        "baseline_one_way_ms": _ms(baseline),
        "pipeline_one_way_ms": _ms(pipeline),
        "pipeline_minus_baseline_ms": round(pipe_median - base_median, 1),
        "mouth_to_ear_ms": _mouth_to_ear(mouth_to_ear, granted),
        "plain_aiortc_impaired_ms": {
            **_ms(baseline_impaired),
            "start_ms": _edge(baseline_impaired, first=True),
            "end_ms": _edge(baseline_impaired, first=False),
        },
        "impaired": {
            "seconds": impair_seconds,
            "loss_pct": 3.0,
            "jitter_ms": 30.0,
            "delays": _ms(imp),
            "start_ms": start_ms,
            "end_ms": end_ms,
            "growth_ms": (None if start_ms is None or end_ms is None
                          else round(end_ms - start_ms, 1)),
            "agent_jitter_buffer": impaired["jitter_buffer"],
            "quality": None if quality is None else {
                "rtt_ms": quality.rtt_ms, "jitter_ms": quality.jitter_ms,
                "loss_pct": quality.loss_pct, "mos": quality.mos,
            },
        },
        "answer_to_two_way_audio_ms": _ms(answer),
        "agent_media_thread_cpu_pct_of_core": round(100 * piped["cpu"], 1),
        "agent_process_cpu_pct_of_core": round(100 * cadence["cpu"], 1),
        "send_gap_under_gui_load_ms": _ms(cadence["gaps"]),
        "send_gap_no_gui_load_ms": _ms(cadence["idle_gaps"]),
        "gui_load": {
            "rebuilds": cadence["rebuilds"],
            "rebuild_5000_rows_ms_median": round(cadence["rebuild_ms"], 1),
            "audible_gaps_in_recording": cadence["audible_gaps"],
            "recording_s": round(cadence["heard_s"], 1),
            "sim_error": cadence["sim_error"],
        },
    }


def call_hub(workdir: Path) -> HubProcess:
    """A hub (not started) whose data lives in ``workdir``, set up to measure media,
    not routing: one agent takes every call of the run (the shipped file allows one
    open voice conversation per agent) and starts the next call without a minute of
    after-call work in between."""
    workdir.mkdir(parents=True, exist_ok=True)
    routing = workdir / "routing.toml"
    shipped = ROUTING_DEFAULTS.read_text(encoding="utf-8")
    changes = {"[capacity]\nvoice = 1\n": "[capacity]\nvoice = 50\n",
               "after_call_work_s = 60\n": "after_call_work_s = 0.1\n"}
    for old, new in changes.items():
        if old not in shipped:
            raise RuntimeError(f"the shipped routing.toml no longer says {old.strip()!r}")
        shipped = shipped.replace(old, new)
    routing.write_text(shipped, encoding="utf-8")
    return HubProcess(workdir / "hub.sqlite3", workdir,
                      extra_args=["--routing-config", str(routing),
                                  "--new-visitors-per-minute", "100000"])


def run_call_benchmarks(seconds: float = 20.0, impair_seconds: float = 300.0) -> dict[str, Any]:
    from testbed.netns import network_namespace, unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        return {"skipped": reason}
    with network_namespace(), tempfile.TemporaryDirectory(prefix="zx-calls-") as tmp:
        hub = call_hub(Path(tmp))
        hub.start()
        try:
            return asyncio.run(_run(hub, seconds, impair_seconds))
        finally:
            hub.stop()


if __name__ == "__main__":
    print(json.dumps(run_call_benchmarks(float(sys.argv[1]), float(sys.argv[2])), indent=2))
