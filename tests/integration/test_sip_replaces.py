"""The desktop as the target of someone else's attended transfer (RFC 3891), end to
end: a colleague's phone (sipp, 440 Hz) calls the agent, who answers; then the
customer's phone (a second sipp, 660 Hz) calls the agent with ``Replaces`` naming
that dialog, as a PBX phone does when the colleague completes an attended
transfer to us. The desktop takes the new call at once (no ringing), hangs up the
colleague's dialog, and the hub records the first call as transferred and links
the new one to the customer. Kamailio + rtpengine, both sipp phones, the hub and
the agent's engine run in a network namespace the test creates."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_frames import SAMPLE_RATE
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.call.sip_line import SipLine
from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.sip.events import RegistrationState
from core.sip.registrator import Account
from testbed import sipp_scenarios
from testbed.agent_probe import eventually
from testbed.call_agent import CallAgent
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from testbed.sipp import RtpRecorder, Sipp, make_tone_file
from tests.conftest import HubProcess
from tests.integration.test_sip_phone import FAR_HZ, USERS, FarEnd, far, pbx
from tests.support.netns import netns

__all__ = ["far", "netns", "pbx"]  # fixtures used here

pytestmark = pytest.mark.serial  # real-time audio and PBX timers on shared cores

AGENT_HZ, CUSTOMER_HZ = 1000.0, 660.0
CUSTOMER = "+8613900139000"
CUSTOMER_PORT, CUSTOMER_MEDIA_PORT = 5072, 6200


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
async def lina(netns: NetNamespace, make_hub: Callable[..., HubProcess], pbx: Pbx,
               media_thread: MediaThread) -> AsyncIterator[tuple[CallAgent, SipLine]]:
    hub = make_hub()
    agent = await CallAgent.logged_in(hub.url, media_thread, tone_hz=AGENT_HZ)
    line = SipLine(agent.manager, agent.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
    await line.start()
    await agent.wait(lambda: line.registration.state is RegistrationState.REGISTERED, 15)
    yield agent, line
    await line.stop()
    await agent.close()


@pytest.fixture
def customer(pbx: Pbx, netns: NetNamespace, tmp_path: Path,
             ) -> Iterator[tuple[Sipp, RtpRecorder, sipp_scenarios.FarPhone]]:
    recorder = RtpRecorder(netns.address_b)
    tone = make_tone_file(tmp_path / "customer-tone.wav", CUSTOMER_HZ, 60)
    phone = sipp_scenarios.FarPhone(CUSTOMER, pbx.config.domain, str(tone), recorder.port)
    sipp = Sipp(tmp_path, netns.address_b, CUSTOMER_PORT, media_port=CUSTOMER_MEDIA_PORT)
    yield sipp, recorder, phone
    sipp.stop()
    recorder.close()


def _has(samples: np.ndarray, rate: int, hz: float) -> bool:
    window = samples[-rate // 2:]
    return window.size >= rate // 2 and tone_ratio(window, hz, rate) >= 0.5


def _replaces_of_answered_call(messages: str) -> str:
    """The Replaces value naming the dialog of sipp's answered INVITE, from the 200
    it received: its Call-ID, the agent's tag (to-tag) and its own (from-tag)."""
    for message in messages.split("\n\n"):
        if message.lstrip().startswith("SIP/2.0 200") and "CSeq: 1 INVITE" in message:
            call_id = re.search(r"^Call-ID:\s*(\S+)", message, re.M | re.I)
            to_tag = re.search(r"^To:.*;tag=([^;\s]+)", message, re.M | re.I)
            from_tag = re.search(r"^From:.*;tag=([^;\s]+)", message, re.M | re.I)
            assert call_id and to_tag and from_tag, message
            return f"{call_id[1]};to-tag={to_tag[1]};from-tag={from_tag[1]}"
    raise AssertionError(f"no 200 to the INVITE in sipp's log:\n{messages[-3000:]}")


async def test_an_invite_with_replaces_takes_over_the_answered_call(
    lina: tuple[CallAgent, SipLine], far: FarEnd,
    customer: tuple[Sipp, RtpRecorder, sipp_scenarios.FarPhone], pbx: Pbx,
) -> None:
    agent, _line = lina
    customer_sipp, customer_heard, customer_phone = customer
    # The colleague calls in and the agent answers (the consultation of their transfer).
    far.run("colleague", sipp_scenarios.caller(far.phone, "1001", hangup="agent"), dial=True)
    first = await agent.wait_ringing(timeout=15)
    await agent.manager.answer(first.call_id)
    await agent.wait_state(first.call_id, CallState.ACTIVE, timeout=15)
    await eventually(lambda: _has(agent.recordings[first.call_id].samples(0.5), SAMPLE_RATE,
                                  FAR_HZ), 10)
    replaces = await eventually(
        lambda: "SIP/2.0 200" in far.sipp.messages("colleague")
        and _replaces_of_answered_call(far.sipp.messages("colleague")), 10)

    # The customer's phone calls the agent, replacing the colleague's dialog.
    customer_sipp.start("customer", sipp_scenarios.transferred_call(
        customer_phone, "1001", replaces, talk_ms=5000),
        remote=f"{pbx.config.address}:{pbx.config.sip_port}")
    # The colleague's call ends by our BYE, as a transfer.
    await agent.wait(lambda: not first.live, 15)
    assert first.end_reason is cl.CallEndReason.TRANSFERRED
    await far.finished("colleague")
    second = await agent.wait(lambda: next(
        (c for c in agent.manager.calls.values() if c.sip_number == CUSTOMER), None), 10)
    await agent.wait_state(second.call_id, CallState.ACTIVE, timeout=15)
    assert second.answered_at is not None
    assert [c.call_id for c in agent.rung] == [first.call_id]  # the new one never rang

    # The agent and the customer hear each other.
    await eventually(lambda: _has(agent.recordings[second.call_id].samples(0.5), SAMPLE_RATE,
                                  CUSTOMER_HZ), 10)
    await eventually(lambda: _has(customer_heard.samples(), 8000, AGENT_HZ), 10)

    # The hub: the first call recorded as transferred; the new one linked to the
    # customer of its number.
    probe = agent.probe
    recorded = await probe.wait_body(cl.CallRecorded,
                                     lambda b: b.record.call_id == first.call_id, timeout=10)
    assert recorded.record.end_reason is cl.CallEndReason.TRANSFERRED
    await agent.wait(lambda: second.customer is not None, 10)
    assert [f.call_id for f in probe.frames if isinstance(f, sp.SipCallLinked)] == [
        first.call_id, second.call_id]

    # The customer hangs up after talking.
    code = await asyncio.to_thread(customer_sipp.wait, 30)
    assert code == 0, customer_sipp.errors("customer")[-3000:]
    await agent.wait(lambda: not second.live, 10)
    assert second.end_reason is cl.CallEndReason.HUNG_UP_BY_CUSTOMER
