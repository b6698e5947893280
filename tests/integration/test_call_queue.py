"""Calls that find no free agent wait in the queue ("please hold") and ring the first
agent who becomes free; after-call work follows an answered call; agents hear when
the customers of their conversations come and go in the widget. Real hub, real
websockets, signalling only (the hub never touches media)."""

from __future__ import annotations

import json
from collections.abc import Callable

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import routing as rp
from core.protocol.models import Presence
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess

OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"


def _of(frames: list[object], kind: type, call_id: str) -> list[object]:
    return [f for f in frames if isinstance(f, kind) and getattr(f, "call_id", None) == call_id]


async def _call(customer: SimCustomer, call_id: str) -> None:
    await customer.send_raw(json.dumps({"type": "call_start", "call_id": call_id, "sdp": OFFER}))


async def _busy_with_a_call(hub: HubProcess) -> tuple[AgentProbe, SimCustomer]:
    """lina (the only agent online) answers a call: at her voice capacity (one call)."""
    lina = await AgentProbe.logged_in(hub.url)
    first = SimCustomer(hub.customer_ws_url, name="第一位")
    await first.connect()
    await _call(first, "call-a")
    await lina.wait_for(lambda: _of(lina.frames, cl.CallRinging, "call-a"))
    ack = await lina.command(cl.AnswerCall(op="answer-a", call_id="call-a", sdp="answer-a"))
    assert isinstance(ack, ap.Ack)
    await first.wait_for(lambda: _of(first.frames, cl.CallAnsweredNotice, "call-a"))
    return lina, first


def _presence(agent: AgentProbe) -> list[rp.PresenceDetail]:
    return agent.bodies(rp.PresenceDetail)


async def test_a_call_holds_while_the_agent_is_busy_and_rings_when_she_is_free(
    hub: HubProcess,
) -> None:
    lina, first = await _busy_with_a_call(hub)
    second = SimCustomer(hub.customer_ws_url, name="第二位")
    await second.connect()
    await _call(second, "call-b")
    queued = await second.wait_for(lambda: _of(second.frames, cl.CallQueuedNotice, "call-b"))
    assert queued[0].max_wait_s == 120.0  # the hub's default longest wait
    assert not _of(second.frames, cl.CallEndedNotice, "call-b")  # it waits, not ends
    assert not _of(lina.frames, cl.CallRinging, "call-b")  # she is on a call

    # The first call ends: after-call work starts by itself, with its end time.
    ack = await lina.command(cl.HangupCall(op="hang-a", call_id="call-a"))
    assert isinstance(ack, ap.Ack)
    acw = await lina.wait_for(
        lambda: [p for p in _presence(lina) if p.presence == Presence.AFTER_CALL_WORK])
    record = (await lina.wait_for(lambda: lina.bodies(cl.CallRecorded)))[-1].record
    assert record.call_id == "call-a" and acw[-1].ends_at is not None
    # The routing file's after_call_work_s (60 s) from the call's end.
    assert abs(acw[-1].ends_at - record.ended_at - 60_000) < 5_000
    ringing = [f for f in lina.frames if isinstance(f, cl.CallRinging)]
    assert [r.call_id for r in ringing] == ["call-a"]  # nobody rings her in after-call work

    # Done: she closes the first conversation and says she is ready again; the
    # waiting call rings her at once and connects.
    conversation_id = ringing[0].conversation.id
    closed = await lina.command(ap.CloseConversation(
        op="close-a", conversation_id=conversation_id, disposition="resolved"))
    assert isinstance(closed, ap.Ack), closed
    ready = await lina.command(ap.SetPresence(op="ready", presence=Presence.AVAILABLE))
    assert isinstance(ready, ap.Ack), ready
    await lina.wait_for(lambda: _of(lina.frames, cl.CallRinging, "call-b"))
    await second.wait_for(lambda: _of(second.frames, cl.CallRingingNotice, "call-b"))
    ack = await lina.command(cl.AnswerCall(op="answer-b", call_id="call-b", sdp="answer-b"))
    assert isinstance(ack, ap.Ack)
    answered = await second.wait_for(
        lambda: _of(second.frames, cl.CallAnsweredNotice, "call-b"))
    assert answered[0].sdp == "answer-b"
    await first.disconnect()
    await second.disconnect()
    await lina.close()


async def test_a_call_ends_with_no_agent_after_the_longest_queue_wait(
    make_hub: Callable[..., HubProcess],
) -> None:
    hub = make_hub("--call-queue-timeout", "1")
    lina, first = await _busy_with_a_call(hub)
    second = SimCustomer(hub.customer_ws_url, name="第二位")
    await second.connect()
    await _call(second, "call-b")
    queued = await second.wait_for(lambda: _of(second.frames, cl.CallQueuedNotice, "call-b"))
    assert queued[0].max_wait_s == 1.0
    ended = await second.wait_for(lambda: _of(second.frames, cl.CallEndedNotice, "call-b"))
    assert ended[0].reason == cl.CallEndReason.NO_AGENT
    # The first call is untouched.
    assert not _of(first.frames, cl.CallEndedNotice, "call-a")
    await first.disconnect()
    await second.disconnect()
    await lina.close()


async def test_a_call_with_nobody_to_wait_for_ends_at_once(hub: HubProcess) -> None:
    caller = SimCustomer(hub.customer_ws_url, name="没人")
    await caller.connect()
    await _call(caller, "call-x")
    ended = await caller.wait_for(lambda: _of(caller.frames, cl.CallEndedNotice, "call-x"))
    assert ended[0].reason == cl.CallEndReason.NO_AGENT
    assert not _of(caller.frames, cl.CallQueuedNotice, "call-x")
    await caller.disconnect()


async def test_agents_hear_when_their_customers_come_and_go_in_the_widget(
    hub: HubProcess,
) -> None:
    lina = await AgentProbe.logged_in(hub.url)
    customer = SimCustomer(hub.customer_ws_url, name="在线客户")
    await customer.connect()
    await customer.send("能给我打个电话吗？")

    def online_frames(agent: AgentProbe) -> list[cl.CustomerOnline]:
        return [f for f in agent.frames if isinstance(f, cl.CustomerOnline)]

    # The chat becomes hers: she is told the customer is in the widget.
    first = await lina.wait_for(lambda: online_frames(lina))
    customer_id = first[0].customer_id
    assert first[0].online
    await customer.disconnect()
    await lina.wait_for(lambda: not online_frames(lina)[-1].online)
    await customer.connect()  # the same visitor comes back
    await lina.wait_for(lambda: len(online_frames(lina)) == 3 and online_frames(lina)[-1].online)
    assert {f.customer_id for f in online_frames(lina)} == {customer_id}

    # Another agent, who has no conversation with the customer, hears nothing;
    # a desktop that connects again is told at once.
    alex = await AgentProbe.logged_in(hub.url, "alex")
    again = await AgentProbe.logged_in(hub.url)
    told = await again.wait_for(lambda: online_frames(again))
    assert told[0].customer_id == customer_id and told[0].online
    await customer.disconnect()
    await again.wait_for(lambda: not online_frames(again)[-1].online)
    assert online_frames(alex) == []
    await alex.close()
    await again.close()
    await lina.close()
