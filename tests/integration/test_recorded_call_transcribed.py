"""A recorded widget call is transcribed by the hub that stores its recording: the
customer's phone speaks a sentence, the agent's engine speaks its answer, the
desktop uploads the two-channel file, and the hub's worker (no CLI) stores the
transcript and tells the call's agent with ``call_transcribed``."""

from __future__ import annotations

import asyncio
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from core.call.audio_frames import SAMPLE_RATE
from core.call.audio_io import WavSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.recording_uploads import RecordingUploads
from core.protocol import call as cl
from hub.demo.simulator import SimCustomer
from hub.routing.config import DEFAULT_PATH
from testbed.agent_probe import AgentProbe
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from testbed.speech_calls import RATE, Turn, _resample, espeak_available, speak
from testbed.transcript_accuracy import error_rate
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns  # noqa: F401 - fixture

# serial: live audio between two engines and the model on the hub's worker
pytestmark = [pytest.mark.serial, pytest.mark.timeout(600),
              pytest.mark.skipif(not espeak_available(), reason="needs Debian's espeak-ng")]

CUSTOMER = Turn("customer", "en", "I would like a refund for my blue jacket.")
AGENT = Turn("agent", "en", "Of course, the refund is on its way.")


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


def _voice(path: Path, turn: Turn, lead_s: float) -> float:
    """The turn as a 48 kHz WAV after ``lead_s`` of silence; its length in seconds."""
    spoken = _resample(speak(turn), RATE, SAMPLE_RATE)
    samples = np.concatenate([np.zeros(int(lead_s * SAMPLE_RATE), np.float32), spoken * 0.8])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return len(samples) / SAMPLE_RATE


async def _wait(predicate: Callable[[], object], timeout: float = 15) -> None:
    async def poll() -> None:
        while not predicate():  # noqa: ASYNC110 - set by other threads and tasks
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)


async def test_a_recorded_widget_call_is_transcribed_and_its_agent_told(
    netns: NetNamespace, make_hub: Callable[..., HubProcess],  # noqa: F811
    media_thread: MediaThread, tmp_path: Path,
) -> None:
    routing = tmp_path / "routing.toml"
    routing.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'recording = "on_demand"', 'recording = "always"').replace(
        "recording_announcement = true", "recording_announcement = false"), encoding="utf-8")
    hub = make_hub("--routing-config", str(routing),
                   "--recordings-dir", str(tmp_path / "hub-recordings"))
    # The customer speaks first; the agent answers once the customer has finished.
    customer_s = _voice(tmp_path / "customer.wav", CUSTOMER, lead_s=1.0)
    agent_s = _voice(tmp_path / "agent.wav", AGENT, lead_s=customer_s + 0.5)
    probe = await AgentProbe.logged_in(hub.url, "lina")
    lina = CallAgent(probe, media_thread,
                     lambda _id: WavSource(tmp_path / "agent.wav", loop=False))
    uploads = RecordingUploads(tmp_path / "outbox")
    uploads.attach(lina.manager.recording)
    uploads.set_hub(hub.url, probe.token)
    uploaded: list[str] = []
    uploads.recording_did_upload.connect(uploaded.append)
    customer = SimCustomer(hub.customer_ws_url, name="Emma")
    await customer.connect()
    # No announcement: recording starts as the media connects, within the lead.
    phone = customer.phone_with(WavSource(tmp_path / "customer.wav", loop=False))
    call_id = await phone.call()
    await lina.wait_ringing()
    await lina.manager.answer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    await asyncio.wait_for(phone.answered.wait(), 10)
    recorder = await lina.wait(lambda: lina.engine.recorder(call_id))
    # Both sentences recorded (50 pairs a second), then the call ends.
    await _wait(lambda: recorder.queued >= int((agent_s + 0.5) * 50), 60)
    await lina.manager.hang_up(call_id)
    await _wait(lambda: uploaded == [call_id], 30)
    stored_at = time.monotonic()

    # The hub's worker transcribes it without being asked; the agent is told.
    told: cl.CallTranscribed = await probe.wait_body(
        cl.CallTranscribed, lambda b: b.transcript.call_id == call_id, timeout=300)
    print(f"\nrecording stored → call_transcribed at the agent: "
          f"{time.monotonic() - stored_at:.1f} s ({recorder.queued / 50:.1f} s of call)")
    said = {speaker: " ".join(s.text for s in told.transcript.segments if s.speaker == speaker)
            for speaker in cl.TranscriptSpeaker}
    print(f"customer heard as {said[cl.TranscriptSpeaker.CUSTOMER]!r}, "
          f"agent as {said[cl.TranscriptSpeaker.AGENT]!r}")
    # Each side's words on its own channel (a swapped channel scores 1.0 or more);
    # the bound is loose: the audio went through Opus twice and espeak's voice.
    assert error_rate(CUSTOMER.text, said[cl.TranscriptSpeaker.CUSTOMER], "en") <= 0.5
    assert error_rate(AGENT.text, said[cl.TranscriptSpeaker.AGENT], "en") <= 0.5
    [(status, segments)] = hub_rows(
        hub.db_path, "SELECT x.status, (SELECT count(*) FROM call_transcript_segments s "
        "WHERE s.call_id = x.call_id) FROM call_transcripts x WHERE x.call_id = :c", c=call_id)
    assert status == "done" and segments == len(told.transcript.segments) >= 2
    await customer.disconnect()
    await uploads.close()
    await lina.close()
