"""One phone, two sources: a call from the telephone network (sipp → Kamailio +
rtpengine → the desktop's SIP phone) goes through the same call manager as widget
calls, and the real hub learns of it: the caller's number pops the customer, the
call is in the customer's timeline, counts for presence while it lasts and leads
to after-call work. A report for another agent's call is refused.

Everything runs inside a network namespace the test creates: the PBX, the far
phone, the hub (on loopback) and the agent's engine with its media thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

import pytest

from core.call.analysis import has_tone
from core.call.audio_io import ToneSource
from core.call.call_manager import CallError, CallState
from core.call.media_thread import MediaThread
from core.call.sip_line import SipLine
from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import profile as pp
from core.protocol import routing as rp
from core.protocol import sip_calls as sp
from core.protocol.models import Channel, IdentityKind, Presence
from core.sip.events import RegistrationState
from core.sip.registrator import Account
from hub.demo.simulator import SimCustomer
from testbed import sipp_scenarios
from testbed.agent_probe import AgentProbe
from testbed.call_agent import CallAgent
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.integration.test_sip_phone import CALLER, FAR_HZ, USERS, FarEnd, far, pbx
from tests.support.netns import netns

__all__ = ["far", "netns", "pbx"]  # fixtures used here

T = TypeVar("T")

pytestmark = pytest.mark.serial  # real-time audio and PBX timers on shared cores


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
async def alex(netns: NetNamespace, make_hub: Callable[..., HubProcess],
               media_thread: MediaThread) -> AsyncIterator[tuple[HubProcess, CallAgent]]:
    hub = make_hub()
    agent = await CallAgent.logged_in(hub.url, media_thread, username="alex", tone_hz=1000)
    yield hub, agent
    await agent.close()


async def _read(agent: AgentProbe, frame: pp.ProfileRead, kind: type[T]) -> T:
    """A profile read's answer (or fail with the hub's error)."""
    await agent.send(frame)

    def answered() -> T | ap.Error | None:
        for f in agent.frames:
            if isinstance(f, kind | ap.Error) and getattr(f, "op", None) == frame.op:
                return f
        return None

    found = await agent.wait_for(answered, 10)
    assert isinstance(found, kind), found
    return found


async def _known_customer(hub: HubProcess) -> str:
    """A demo customer who owns the caller's number from now on (the supervisor
    adds it: an agent sees only the customers of their own conversations)."""
    agent = await AgentProbe.logged_in(hub.url, "wang")
    found = await _read(agent, pp.SearchCustomers(op="find", query="+86"), pp.CustomerResults)
    assert found.customers, "no demo customer"
    customer_id = found.customers[0].id
    added = await agent.command(pp.AddIdentity(op="own-number", customer_id=customer_id,
                                               kind=IdentityKind.PHONE, value="138-0013-8000"))
    assert isinstance(added, ap.Ack), added
    await agent.close()
    return customer_id


def _presence(agent: AgentProbe) -> list[Presence]:
    return [d.presence for d in agent.bodies(rp.PresenceDetail)]


async def test_a_pbx_call_from_a_known_number_pops_the_customer_and_the_hub_keeps_it(
    alex: tuple[HubProcess, CallAgent], pbx: Pbx, far: FarEnd,
) -> None:
    hub, agent = alex
    probe = agent.probe
    known = await _known_customer(hub)
    line = SipLine(agent.manager, agent.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
    await line.start()
    await agent.wait(lambda: line.registration.state is RegistrationState.REGISTERED)
    presence_before = len(_presence(probe))

    far.run("known", sipp_scenarios.caller(far.phone, "1001", hangup="agent"), dial=True)
    call = await agent.wait_ringing(timeout=15)
    assert call.sip_number == CALLER and call.direction is cl.CallDirection.INBOUND
    # The hub resolved the number: the screen pop has the customer while it rings.
    await agent.wait(lambda: call.customer is not None, 10)
    linked_ms = (time.time() - call.started_at) * 1000  # polled every 20 ms
    print(f"ring → customer linked for the screen pop: {linked_ms:.0f} ms")
    assert call.customer is not None and call.customer.id == known
    assert call.state is CallState.RINGING_IN
    linked = [f for f in probe.frames if isinstance(f, sp.SipCallLinked)]
    assert [(f.call_id, f.known) for f in linked] == [(call.call_id, True)]
    conversation = linked[0].conversation
    assert conversation.channel is Channel.VOICE and conversation.agent_id == probe.welcome.agent.id  # type: ignore[union-attr]
    # The conversation is Alex's, in the inbox like any other.
    assigned = await probe.wait_body(ap.ConversationAssigned,
                                     lambda b: b.conversation.id == conversation.id)
    assert assigned.customer.id == known

    await agent.manager.answer(call.call_id)
    await agent.wait_state(call.call_id, CallState.ACTIVE, timeout=15)
    recording = agent.recordings[call.call_id]
    await agent.wait(lambda: has_tone(recording.samples(0.5), FAR_HZ), 10)
    # While the call lasts it counts: voice is full and blocks chat, so Alex (chat,
    # billing and voice) is busy.
    await probe.wait_for(lambda: Presence.BUSY in _presence(probe)[presence_before:], 10)

    # Another agent cannot report Alex's call (nor end it at the hub).
    lina = await AgentProbe.logged_in(hub.url, "lina")
    for forged in (
        sp.SipCallEnded(op="forged-end", call_id=call.call_id, ended_at=1,
                        reason=cl.CallEndReason.HUNG_UP_BY_AGENT),
        sp.SipCallStarted(op="forged-start", call_id=call.call_id,
                          direction=cl.CallDirection.INBOUND, number=CALLER, started_at=1),
    ):
        refused = await lina.command(forged)
        assert isinstance(refused, ap.Error) and refused.code == "forbidden", refused
    await lina.close()
    assert agent.manager.calls[call.call_id].state is CallState.ACTIVE

    await asyncio.sleep(1.0)  # some talk time, so the record has a duration
    await agent.manager.hang_up(call.call_id)
    await far.finished("known")

    recorded = await probe.wait_body(cl.CallRecorded,
                                     lambda b: b.record.call_id == call.call_id, timeout=10)
    record = recorded.record
    assert record.conversation_id == conversation.id
    assert record.end_reason is cl.CallEndReason.HUNG_UP_BY_AGENT
    assert record.answered_at is not None and record.duration_s >= 1.0
    await probe.wait_for(lambda: _presence(probe)[-1] is Presence.AFTER_CALL_WORK, 10)

    timeline = await _read(probe, pp.FetchTimeline(op="timeline", customer_id=known),
                           pp.Timeline)
    item = next(i for i in timeline.items if i.id == conversation.id)
    assert item.channel is Channel.VOICE and item.duration_s is not None \
        and item.duration_s >= 1
    assert item.preview is not None and item.preview.startswith("Inbound call")
    await line.stop()


async def test_a_pbx_call_during_a_widget_call_waits_and_answering_it_holds_the_other(
    alex: tuple[HubProcess, CallAgent], pbx: Pbx, far: FarEnd,
) -> None:
    """Call waiting is the same whichever source the second call comes from: it rings
    while the first goes on; answering it puts the first on hold; hanging it up and
    resuming brings the first back."""
    hub, agent = alex
    line = SipLine(agent.manager, agent.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
    await line.start()
    await agent.wait(lambda: line.registration.state is RegistrationState.REGISTERED)
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(440))
    widget_call = await phone.call()
    assert (await agent.wait_ringing(timeout=15)).call_id == widget_call
    await agent.manager.answer(widget_call)
    await agent.wait_state(widget_call, CallState.ACTIVE, timeout=15)
    await asyncio.wait_for(phone.answered.wait(), 10)

    far.run("waiting", sipp_scenarios.caller(far.phone, "1001", hangup="agent"), dial=True)
    sip_call = await agent.wait(lambda: next(
        (c for c in agent.rung if c.sip_number is not None and c.state is CallState.RINGING_IN),
        None), 15)
    assert agent.manager.calls[widget_call].state is CallState.ACTIVE  # it only waits

    await agent.manager.answer(sip_call.call_id)
    await agent.wait_state(sip_call.call_id, CallState.ACTIVE, timeout=15)
    assert agent.manager.calls[widget_call].state is CallState.HELD
    await customer.wait_for(lambda: phone.held)  # the customer is really on hold
    recording = agent.recordings[sip_call.call_id]
    await agent.wait(lambda: has_tone(recording.samples(0.5), FAR_HZ), 10)

    await agent.manager.hang_up(sip_call.call_id)
    await far.finished("waiting")
    await agent.manager.resume(widget_call)
    await customer.wait_for(lambda: not phone.held)
    assert agent.manager.calls[widget_call].state is CallState.ACTIVE
    await agent.manager.hang_up(widget_call)
    await customer.disconnect()
    await line.stop()


async def test_a_dialled_pbx_call_is_transferred_by_refer_and_recorded_as_transferred(
    alex: tuple[HubProcess, CallAgent], pbx: Pbx, far: FarEnd,
) -> None:
    """Outbound through the PBX from the call manager, blind transfer to a number
    (REFER, the far end's NOTIFYs, then its BYE): the hub records an outbound call
    ended ``transferred``, with after-call work for the agent."""
    _hub, agent = alex
    probe = agent.probe
    line = SipLine(agent.manager, agent.engine,
                   Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                   pbx.config.wss_url, agent.send, ssl_context=pbx.ssl_context())
    await line.start()
    await agent.wait(lambda: line.registration.state is RegistrationState.REGISTERED)
    far.run("refer", sipp_scenarios.callee(far.phone, refer_to="2001"), dial=False)
    call_id = await line.dial("2000")
    call = await agent.wait_state(call_id, CallState.ACTIVE, timeout=15)
    assert call.direction is cl.CallDirection.OUTBOUND and call.answered_at is not None
    with pytest.raises(CallError):
        agent.manager.transfer(call_id, to_agent="someone")  # not a hub call
    agent.manager.transfer_to_number(call_id, "2001")
    await agent.wait(lambda: not agent.manager.calls[call_id].live, 15)
    assert call.end_reason is cl.CallEndReason.TRANSFERRED
    await far.finished("refer")
    recorded = await probe.wait_body(cl.CallRecorded, lambda b: b.record.call_id == call_id,
                                     timeout=10)
    assert recorded.record.direction is cl.CallDirection.OUTBOUND
    assert recorded.record.end_reason is cl.CallEndReason.TRANSFERRED
    await probe.wait_for(lambda: _presence(probe)[-1] is Presence.AFTER_CALL_WORK, 10)
    await line.stop()
