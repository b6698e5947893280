"""A widget call whose customer is on one hub process and whose agent is on another
(one PostgreSQL database), routed by either process: real aiortc on both sides
inside a private network namespace, audio both ways, hold (an offer and an
answer crossing both ways), DTMF both ways, the agent's hang-up and the call's
record."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from core.call.analysis import has_tone
from core.call.audio_io import RecordingSink, ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.protocol import call as cl
from hub.demo.simulator import SimCustomer
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from testbed.routing_load import router_name
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.netns import netns  # noqa: F401 - fixture


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture(params=["a", "b"], ids=["router-with-customer", "router-with-agent"])
def two_hubs(request: pytest.FixtureRequest, netns: NetNamespace,  # noqa: F811
             postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess]
             ) -> tuple[str, str, HubProcess, HubProcess]:
    """Processes a (the customer's) and b (the agent's); the one started first routes."""
    db = postgres_dbs.new("shared")
    router: str = request.param
    hubs = {name: make_hub("--process-name", name, name=name, db=db)
            for name in sorted("ab", key=lambda n: n != router)}
    return db, router, hubs["a"], hubs["b"]


async def _heard(recording: RecordingSink, freq: float, timeout: float = 15) -> None:
    """Wait until the last half second of ``recording`` is the tone ``freq``."""
    async def poll() -> None:
        while not has_tone(recording.samples(0.5), freq):  # noqa: ASYNC110 - audio from another thread
            await asyncio.sleep(0.1)

    await asyncio.wait_for(poll(), timeout)


async def _answered(agent: CallAgent, purpose: cl.OfferPurpose) -> None:
    """The widget's answer reached the desktop, once, with its SDP."""
    accepted = await agent.probe.wait_for(lambda: [
        f for f in agent.probe.frames if isinstance(f, cl.CallAccepted) and f.purpose == purpose],
        timeout=10)
    assert len(accepted) == 1 and accepted[0].sdp.startswith("v=0")


async def test_a_widget_call_with_customer_and_agent_on_different_processes(
    two_hubs: tuple[str, str, HubProcess, HubProcess], media_thread: MediaThread,
) -> None:
    db, router, hub_a, hub_b = two_hubs
    assert router_name(db) == router
    agent = await CallAgent.logged_in(hub_b.url, media_thread, tone_hz=880)
    customer = SimCustomer(hub_a.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(440))
    call_id = await phone.call()

    # The desktop on b rings with the caller, answers; the widget on a gets the answer.
    ringing = await agent.wait_ringing(timeout=15)
    assert ringing.call_id == call_id and ringing.customer is not None
    assert ringing.customer.name == "王芳"
    await agent.manager.answer(call_id)
    await agent.wait_state(call_id, CallState.ACTIVE, timeout=15)
    await asyncio.wait_for(phone.answered.wait(), 15)
    await _heard(agent.recordings[call_id], 440)  # the customer's tone reaches the agent
    await _heard(phone.recording, 880)  # and the agent's reaches the customer

    # Hold: the agent's offer crosses to a, the widget's answer back to b.
    await agent.manager.hold(call_id)
    await customer.wait_for(lambda: phone.held, timeout=10)
    await _answered(agent, cl.OfferPurpose.HOLD)

    # DTMF both ways, in order.
    await phone.send_dtmf("12")
    await agent.wait(lambda: agent.manager.calls[call_id].dtmf_received == ["1", "2"])
    agent.manager.send_dtmf(call_id, "9")
    await customer.wait_for(lambda: phone.dtmf_received == ["9"], timeout=10)

    # The agent hangs up on b: the call on a ends, and its record reaches the desktop.
    await agent.manager.hang_up(call_id)
    await customer.wait_for(lambda: phone.ended == cl.CallEndReason.HUNG_UP_BY_AGENT,
                            timeout=10)
    recorded = await agent.probe.wait_for(lambda: agent.probe.bodies(cl.CallRecorded),
                                          timeout=10)
    record = recorded[-1].record
    assert record.call_id == call_id and record.end_reason == cl.CallEndReason.HUNG_UP_BY_AGENT
    assert record.answered_at is not None and record.duration_s > 0
    assert not agent.probe.errors(), agent.probe.errors()
    assert not customer.errors, customer.errors
    await customer.disconnect()
    await agent.close()
