"""Call signalling through a real hub without media: bad input gets clear errors,
nobody touches another customer's call, and the relay keeps working."""

from __future__ import annotations

import asyncio
import json

from core.protocol import agent as ap
from core.protocol import call as cl
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess

OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"


async def test_bad_call_frames_get_clear_errors(hub: HubProcess) -> None:
    customer = SimCustomer(hub.customer_ws_url, name="Bad input")
    await customer.connect()
    await customer.send_raw(json.dumps({"type": "call_dtmf", "call_id": "c1", "digits": "12x"}))
    await customer.send_raw(json.dumps({"type": "call_start", "call_id": "c1", "sdp": ""}))
    await customer.send_raw(json.dumps({"type": "call_start", "call_id": "c1",
                                        "sdp": "x" * (cl.MAX_SDP_CHARS + 1)}))
    await customer.send_raw(json.dumps({"type": "call_hangup", "call_id": "nope"}))
    await customer.wait_for(lambda: len(customer.errors) >= 4)
    codes = [e.code for e in customer.errors]
    assert codes[:3] == ["invalid", "invalid", "invalid"]
    assert codes[3] == "not_found" and customer.errors[3].ref == "nope"
    # The connection still works for chat.
    sent = await customer.send("still here")
    assert sent.text == "still here"
    await customer.disconnect()


async def test_ringing_screen_pop_and_other_customers_cannot_touch_the_call(
    hub: HubProcess,
) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    config = await agent.wait_for(
        lambda: next((f for f in agent.frames if isinstance(f, cl.CallConfig)), None)
    )
    assert config.ice_servers == []  # none unless configured: never a public STUN server
    assert "resolved" in {d.code for d in config.dispositions}

    caller = SimCustomer(hub.customer_ws_url, name="来电客户")
    await caller.connect()
    await caller.send_raw(json.dumps({"type": "call_start", "call_id": "call-1", "sdp": OFFER}))
    ringing = await agent.wait_for(
        lambda: next((f for f in agent.frames if isinstance(f, cl.CallRinging)), None)
    )
    assert ringing.customer.name == "来电客户" and ringing.sdp == OFFER
    assert ringing.conversation.channel == "voice"
    await caller.wait_for(lambda: any(isinstance(f, cl.CallRingingNotice) for f in caller.frames))

    intruder = SimCustomer(hub.customer_ws_url, name="Intruder")
    await intruder.connect()
    await intruder.send_raw(json.dumps({"type": "call_hangup", "call_id": "call-1"}))
    await intruder.wait_for(lambda: intruder.errors)
    assert intruder.errors[0].code == "not_found"

    # Answering someone else's (unknown) call is refused; the real one connects.
    error = await agent.command(cl.AnswerCall(op="op-a", call_id="call-x", sdp=OFFER))
    assert isinstance(error, ap.Error) and error.code == "not_found"
    ack = await agent.command(cl.AnswerCall(op="op-b", call_id="call-1", sdp="answer-sdp"))
    assert isinstance(ack, ap.Ack)
    answered = await caller.wait_for(
        lambda: next((f for f in caller.frames if isinstance(f, cl.CallAnsweredNotice)), None)
    )
    assert answered.sdp == "answer-sdp" and answered.agent_name == "李娜"

    # DTMF from the customer reaches the agent in order.
    for digits in ("4", "56"):
        await caller.send_raw(json.dumps({"type": "call_dtmf", "call_id": "call-1",
                                          "digits": digits}))
    await agent.wait_for(lambda: len([f for f in agent.frames if isinstance(f, cl.CallDtmf)]) == 2)
    assert [f.digits for f in agent.frames if isinstance(f, cl.CallDtmf)] == ["4", "56"]

    # A wrap-up needs a finished call and a code from the hub's list.
    early = await agent.command(cl.WrapUpCall(op="op-c", call_id="call-1", disposition="resolved"))
    assert isinstance(early, ap.Error) and early.code == "not_found"
    await caller.send_raw(json.dumps({"type": "call_hangup", "call_id": "call-1"}))
    ended = await agent.wait_for(
        lambda: next((f for f in agent.frames if isinstance(f, cl.CallEnded)), None)
    )
    assert ended.reason == cl.CallEndReason.HUNG_UP_BY_CUSTOMER
    bad = await agent.command(cl.WrapUpCall(op="op-d", call_id="call-1", disposition="bogus"))
    assert isinstance(bad, ap.Error) and bad.code == "invalid"
    good = await agent.command(cl.WrapUpCall(op="op-e", call_id="call-1",
                                             disposition="follow_up", note="回电"))
    assert isinstance(good, ap.Ack)
    records = await agent.wait_for(
        lambda: [b.record for b in agent.bodies(cl.CallRecorded) if b.record.disposition]
    )
    assert records[-1].note == "回电" and records[-1].answered_at is not None
    await caller.disconnect()
    await intruder.disconnect()
    await agent.close()


async def test_calling_a_customer_who_is_offline_is_refused(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    customer = SimCustomer(hub.customer_ws_url, name="Gone soon")
    await customer.connect()
    await customer.send("please call me back")
    assigned = await agent.wait_body(ap.ConversationAssigned,
                                     lambda b: b.customer.name == "Gone soon")
    await customer.disconnect()
    # The hub hears of the disconnect on another socket: ask until it has.
    for attempt in range(50):
        answer = await agent.command(cl.StartCall(op=f"op-s{attempt}", call_id=f"out-{attempt}",
                                                  conversation_id=assigned.conversation.id,
                                                  sdp=OFFER))
        if isinstance(answer, ap.Error) and "not online" in answer.message:
            break
        await asyncio.sleep(0.1)
    assert isinstance(answer, ap.Error) and answer.code == "conflict"
    await agent.close()
