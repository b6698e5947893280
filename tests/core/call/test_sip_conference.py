"""The three-way conference's wiring on two real media sessions, frame by frame:
what each session sends and what reaches the agent's speaker (no network)."""

from __future__ import annotations

import numpy as np

from core.call.analysis import has_tone, rms
from core.call.audio_frames import Samples
from core.call.audio_io import RecordingSink, ToneSource
from core.call.conference_mix import Conference
from core.call.media_session import MediaSession

CUSTOMER_HZ, COLLEAGUE_HZ, AGENT_HZ, OTHER_MIC_HZ = 440.0, 660.0, 1000.0, 1500.0


def _has(samples: Samples, freq: float) -> bool:
    return has_tone(samples, freq, min_ratio=0.2)


async def test_each_party_gets_the_other_two_and_the_devices_come_back() -> None:
    speaker, consult_speaker = RecordingSink(), RecordingSink()
    mic, consult_mic = ToneSource(AGENT_HZ), ToneSource(OTHER_MIC_HZ)
    customer = MediaSession(mic, speaker)
    consult = MediaSession(consult_mic, consult_speaker)
    heard_customer, heard_colleague = ToneSource(CUSTOMER_HZ), ToneSource(COLLEAGUE_HZ)
    conference = Conference(customer, consult)
    to_customer: list[Samples] = []
    to_colleague: list[Samples] = []

    def tick(n: int = 50) -> None:
        for _ in range(n):  # one 20 ms frame of each of the four streams
            consult.sink.write_frame(heard_colleague.read_frame())    # the consult decoder
            customer.sink.write_frame(heard_customer.read_frame())    # the customer decoder
            to_customer.append(customer._next_frame())               # the customer's track
            to_colleague.append(consult._next_frame())               # the consult's track

    tick()
    customer_hears = np.concatenate(to_customer[-25:])
    colleague_hears = np.concatenate(to_colleague[-25:])
    agent_hears = speaker.samples(0.5)
    assert _has(customer_hears, AGENT_HZ) and _has(customer_hears, COLLEAGUE_HZ)
    assert not _has(customer_hears, CUSTOMER_HZ)
    assert _has(colleague_hears, AGENT_HZ) and _has(colleague_hears, CUSTOMER_HZ)
    assert not _has(colleague_hears, COLLEAGUE_HZ)
    assert _has(agent_hears, CUSTOMER_HZ) and _has(agent_hears, COLLEAGUE_HZ)
    # The consult session's own devices are not used during the conference.
    assert consult_speaker.frames_written == 0
    assert not any(_has(frame, OTHER_MIC_HZ) for frame in to_colleague)

    # The agent's mute holds towards both parties.
    customer.set_muted(True)
    tick()
    assert not _has(np.concatenate(to_customer[-25:]), AGENT_HZ)
    assert not _has(np.concatenate(to_colleague[-25:]), AGENT_HZ)
    assert _has(np.concatenate(to_colleague[-25:]), CUSTOMER_HZ)
    customer.set_muted(False)

    conference.end()
    assert (customer.source, customer.sink, consult.source, consult.sink) == (
        mic, speaker, consult_mic, consult_speaker)
    assert customer.outgoing is None
    frame = consult._next_frame()
    assert _has(frame, OTHER_MIC_HZ) and rms(frame) > 1000
    await customer.close()
    await consult.close()
