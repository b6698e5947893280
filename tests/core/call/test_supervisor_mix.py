"""The mixing of a supervisor's listening leg, frame by frame (no aiortc)."""

from __future__ import annotations

import time

import numpy as np

from core.call.analysis import has_tone, rms
from core.call.audio_frames import Samples
from core.call.audio_io import RecordingSink, ToneSource
from core.call.supervisor_mix import (
    LegSink,
    LegSource,
    MixedMicrophone,
    MixedSpeaker,
    SupervisorMix,
    mix,
)
from core.protocol.call import ListenMode

CUSTOMER_HZ, AGENT_HZ, SUPERVISOR_HZ = 440.0, 880.0, 1320.0


class Wiring:
    """The agent's engine during a call with a listening leg, driven by hand: each
    ``step`` is one 20 ms tick of all four streams."""

    def __init__(self, mode: ListenMode) -> None:
        self.speaker = RecordingSink()
        self.mix = SupervisorMix(self.speaker, mode)
        self.microphone = MixedMicrophone(ToneSource(AGENT_HZ), self.mix)
        self.call_speaker = MixedSpeaker(self.speaker, self.mix)
        self.leg_source = LegSource(self.mix)
        self.leg_sink = LegSink(self.mix)
        self.customer = ToneSource(CUSTOMER_HZ)
        self.supervisor = ToneSource(SUPERVISOR_HZ)
        self.to_customer: list[Samples] = []
        self.to_supervisor: list[Samples] = []

    def step(self, n: int = 50, customer_flows: bool = True) -> None:
        for _ in range(n):
            self.leg_sink.write_frame(self.supervisor.read_frame())
            if customer_flows:
                self.call_speaker.write_frame(self.customer.read_frame())
            self.to_customer.append(self.mix.to_customer(self.microphone.read_frame()))
            self.to_supervisor.append(self.leg_source.read_frame())

    def customer_hears(self) -> Samples:
        return np.concatenate(self.to_customer[-25:])

    def supervisor_hears(self) -> Samples:
        return np.concatenate(self.to_supervisor[-25:])


def _has(samples: Samples, freq: float) -> bool:
    return has_tone(samples, freq, min_ratio=0.2)


def test_coach_the_supervisor_hears_both_the_agent_hears_the_supervisor_not_the_customer(
) -> None:
    w = Wiring(ListenMode.COACH)
    w.step()
    assert _has(w.supervisor_hears(), CUSTOMER_HZ) and _has(w.supervisor_hears(), AGENT_HZ)
    assert not _has(w.supervisor_hears(), SUPERVISOR_HZ)
    agent_hears = w.speaker.samples(0.5)
    assert _has(agent_hears, CUSTOMER_HZ) and _has(agent_hears, SUPERVISOR_HZ)
    assert _has(w.customer_hears(), AGENT_HZ)
    assert not _has(w.customer_hears(), SUPERVISOR_HZ)
    # Not a trace of the supervisor's tone in what goes to the customer: it is the
    # agent's microphone, sample for sample.
    expected = ToneSource(AGENT_HZ)
    for frame in w.to_customer:
        assert np.array_equal(frame, expected.read_frame())


def test_barge_puts_the_supervisor_into_the_customer_s_audio() -> None:
    w = Wiring(ListenMode.COACH)
    w.step(10)
    w.mix.set_mode(ListenMode.BARGE)
    w.step()
    assert _has(w.customer_hears(), SUPERVISOR_HZ) and _has(w.customer_hears(), AGENT_HZ)
    assert _has(w.speaker.samples(0.5), SUPERVISOR_HZ)
    w.mix.set_mode(ListenMode.COACH)  # and back: gone from the customer's at once
    w.step(25)
    assert not _has(w.customer_hears(), SUPERVISOR_HZ)


def test_listen_keeps_the_supervisor_silent_for_everyone() -> None:
    w = Wiring(ListenMode.LISTEN)
    w.step()
    assert not _has(w.speaker.samples(0.5), SUPERVISOR_HZ)
    assert not _has(w.customer_hears(), SUPERVISOR_HZ)
    assert _has(w.supervisor_hears(), CUSTOMER_HZ)


def test_the_agent_hears_the_supervisor_while_no_customer_audio_arrives() -> None:
    w = Wiring(ListenMode.COACH)
    w.step(customer_flows=False)  # a call on hold: the call's decoder writes nothing
    assert w.mix.direct_to_speaker > 40
    assert _has(w.speaker.samples(0.5), SUPERVISOR_HZ)
    assert _has(w.supervisor_hears(), AGENT_HZ)


def test_a_burst_of_customer_frames_cannot_build_up_delay() -> None:
    w = Wiring(ListenMode.COACH)
    for _ in range(100):  # the decoder catches up after a stall
        w.call_speaker.write_frame(w.customer.read_frame())
    assert len(w.mix.customer_for_supervisor) == w.mix.customer_for_supervisor.max_frames


def test_mixing_clips_instead_of_wrapping() -> None:
    loud = np.full(960, 30000, dtype=np.int16)
    assert int(mix(loud, loud).max()) == 32767
    assert int(mix(-loud, -loud).min()) == -32768
    assert rms(mix(loud, -loud)) == 0.0


def test_a_mixed_frame_costs_microseconds() -> None:
    w = Wiring(ListenMode.BARGE)
    start = time.perf_counter()
    w.step(500)  # 10 s of call audio, all four streams
    per_tick_us = (time.perf_counter() - start) / 500 * 1e6
    # Each tick also synthesises three sine tones; the mixing is a fraction of it.
    assert per_tick_us < 2000, per_tick_us


async def test_a_muted_agent_s_customer_still_hears_the_barging_supervisor() -> None:
    from core.call.media_session import MediaSession

    speaker = RecordingSink()
    session = MediaSession(ToneSource(AGENT_HZ), speaker)
    w = Wiring(ListenMode.BARGE)
    session.source = MixedMicrophone(session.source, w.mix)
    session.outgoing = w.mix.to_customer
    session.set_muted(True)
    supervisor = ToneSource(SUPERVISOR_HZ)
    sent = []
    for _ in range(50):
        w.leg_sink.write_frame(supervisor.read_frame())
        sent.append(session._next_frame())
    heard = np.concatenate(sent[-25:])
    assert _has(heard, SUPERVISOR_HZ) and not _has(heard, AGENT_HZ)
    # The supervisor still hears the agent (a muted agent may ask the coach).
    assert _has(np.concatenate([w.leg_source.read_frame() for _ in range(3)]), AGENT_HZ)
    await session.close()
