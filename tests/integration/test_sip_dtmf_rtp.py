"""DTMF in the RTP stream (RFC 4733) between the agent's aiortc phone and a far
phone through Kamailio and rtpengine: the agent's digits arrive at the far
phone's RTP reader as telephone-events in the audio stream; sipp's own
``play_dtmf`` events reach the agent as digits. The agent falls back to SIP INFO
when the far side offered no telephone-event (test_sip_phone covers that)."""

from __future__ import annotations

import pytest

from core.sip.events import CallDidAnswer, CallDidConfirm, CallDidEnd, DtmfDidArrive, IncomingCall
from testbed import sipp_scenarios
from testbed.agent_probe import eventually
from testbed.sip_agent import SipAgent
from testbed.sipp import RtpEvent
from tests.integration.test_sip_phone import (  # noqa: F401 - fixtures
    FAR_HZ,
    FarEnd,
    _heard,
    agent,
    far,
    pbx,
)
from tests.support.netns import netns  # noqa: F401 - fixture

pytestmark = pytest.mark.serial


def _digits(events: list[RtpEvent]) -> str:
    """The digits of the distinct events (by timestamp), in order."""
    seen: dict[int, int] = {}
    for event in events:
        seen.setdefault(event.timestamp, event.code)
    return "".join("0123456789*#ABCD"[code] for code in seen.values())


async def test_the_agents_digits_reach_the_far_phone_as_rfc4733_events(
        agent: SipAgent, far: FarEnd) -> None:  # noqa: F811
    far.run("rtp-dtmf", sipp_scenarios.callee(far.phone, rtp_events=101), dial=False)
    call_id = await agent.calls.call("2000")
    answer = await agent.next(CallDidAnswer, call_id=call_id)
    assert "telephone-event/8000" in answer.answer_sdp  # rtpengine kept it both ways
    await _heard(agent.recording(call_id), FAR_HZ)
    media = agent.calls.media[call_id]
    assert media.events_out is not None
    info_before = len(far.sipp.messages("rtp-dtmf").split("INFO sip:"))
    agent.calls.send_dtmf(call_id, "5#")
    await eventually(lambda: len({e.timestamp for e in far.recorder.events if e.end}) >= 2, 10)
    await eventually(lambda: sum(e.end for e in far.recorder.events) >= 6, 5)
    agent.calls.hang_up(call_id)
    assert (await agent.next(CallDidEnd, call_id=call_id)).call_id == call_id
    await far.finished("rtp-dtmf")

    events = far.recorder.events
    print(f"\nRFC 4733 at the far phone: {len(events)} event packets, payload types "
          f"{sorted({e.payload_type for e in events})}")
    assert _digits(events) == "5#"
    assert {e.payload_type for e in events} == {101}
    # The events travel in the audio stream: its SSRC, its sequence numbers.
    assert {e.ssrc for e in events} <= far.recorder.audio_ssrcs
    for start in sorted({e.timestamp for e in events}):
        one = [e for e in events if e.timestamp == start]
        assert one[0].marker and not any(e.marker for e in one[1:])
        assert sum(e.end for e in one) == 3  # the end packet three times
        ends = [e for e in one if e.end]
        assert len({e.duration for e in ends}) == 1 and ends[0].duration >= 800  # ≥ 100 ms
        durations = [e.duration for e in one if not e.end]
        assert durations == sorted(durations)
        sequences = [e.sequence for e in one]
        assert sequences == list(range(sequences[0], sequences[0] + len(one)))
    # Not sent twice: no INFO went out for these digits.
    assert len(far.sipp.messages("rtp-dtmf").split("INFO sip:")) == info_before


async def test_the_far_phones_rfc4733_events_reach_the_agent_as_digits(
        agent: SipAgent, far: FarEnd) -> None:  # noqa: F811
    far.run("far-rtp-dtmf", sipp_scenarios.caller(far.phone, "1001", talk_ms=2500,
                                                  rtp_events=96, play_dtmf="42#"), dial=True)
    ringing = await agent.next(IncomingCall)
    assert "telephone-event/8000" in ringing.offer_sdp
    await agent.calls.answer(ringing.call_id)
    await agent.next(CallDidConfirm, call_id=ringing.call_id)
    digits = [(await agent.next(DtmfDidArrive, call_id=ringing.call_id)).digit
              for _ in range(3)]
    assert digits == ["4", "2", "#"]
    assert "INFO sip:" not in far.sipp.messages("far-rtp-dtmf")  # they came in the RTP stream
    await agent.next(CallDidEnd, call_id=ringing.call_id)
    await far.finished("far-rtp-dtmf")
