"""Voice calls end to end: a real hub, the agent's call engine (media thread) and
the customer simulator's aiortc phone, all inside a private network namespace."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.call.analysis import has_tone, rms
from core.call.audio_io import RecordingSink, ToneSource
from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.models import Presence
from hub.demo.simulator import SimCustomer
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.support.routing_files import routing_variant

RING_TIMEOUT_S = 1.5


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub("--call-ring-timeout", str(RING_TIMEOUT_S))


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


async def _heard(recording: RecordingSink, freq: float, timeout: float = 10) -> None:
    """Wait until the last half second of ``recording`` is the tone ``freq``."""
    async def poll() -> None:
        while not has_tone(recording.samples(0.5), freq):  # noqa: ASYNC110 - audio from another thread
            await asyncio.sleep(0.1)

    await asyncio.wait_for(poll(), timeout)


async def _silent(recording: RecordingSink, seconds: float = 0.6) -> bool:
    """True when nothing but silence arrives during ``seconds``."""
    before = recording.frames_written
    await asyncio.sleep(seconds)
    new = recording.frames_written - before
    return new == 0 or rms(recording.samples(new * 0.02)) < 30


async def _connected_call(hub: HubProcess, thread: MediaThread
                          ) -> tuple[CallAgent, SimCustomer, str]:
    agent = await CallAgent.logged_in(hub.url, thread, tone_hz=880)
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(440))
    call_id = await phone.call()
    ringing = await agent.wait_ringing()
    assert ringing.call_id == call_id and ringing.customer is not None
    assert ringing.customer.name == "王芳"  # the screen pop has the caller at once
    await agent.manager.answer(call_id)
    await agent.wait_state(call_id, CallState.ACTIVE)
    await asyncio.wait_for(phone.answered.wait(), 10)
    return agent, customer, call_id


async def test_two_way_audio_dtls_and_call_record(call_hub: HubProcess,
                                                  media_thread: MediaThread) -> None:
    agent, customer, call_id = await _connected_call(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    await _heard(agent.recordings[call_id], 440)  # the customer's tone reaches the agent
    await _heard(phone.recording, 880)  # and the agent's reaches the customer
    # Every SDP both ways is DTLS-SRTP: a fingerprint, never SDES keys.
    assert len(phone.sdps) >= 2
    for sdp in phone.sdps:
        assert "a=fingerprint:sha-256" in sdp and "a=crypto" not in sdp
        assert "UDP/TLS/RTP/SAVPF" in sdp
    assert "opus/48000" in phone.sdps[0]

    await agent.wait(lambda: agent.manager.calls[call_id].quality is not None, 10)
    await agent.manager.hang_up(call_id)
    await customer.wait_for(lambda: phone.ended == cl.CallEndReason.HUNG_UP_BY_AGENT)
    recorded = await agent.probe.wait_for(lambda: agent.probe.bodies(cl.CallRecorded))
    record = recorded[-1].record
    assert record.call_id == call_id and record.end_reason == cl.CallEndReason.HUNG_UP_BY_AGENT
    assert record.answered_at is not None and record.duration_s > 0
    assert record.quality is not None and 1.0 <= record.quality.mos <= 4.5

    # Wrap-up from the hub's list is saved on the record and in the conversation.
    assert {d.code for d in agent.manager.dispositions} >= {"resolved"}
    agent.manager.wrap_up(call_id, "resolved", "客户满意")
    await agent.probe.wait_for(
        lambda: any(b.record.disposition == "resolved" for b in
                    agent.probe.bodies(cl.CallRecorded))
    )
    lines = [b.message.text for b in agent.probe.bodies(ap.MessageAdded)]
    assert any("wrap-up: resolved" in line and "客户满意" in line for line in lines)
    await customer.disconnect()
    await agent.close()


async def test_hold_stops_media_both_ways_and_resume_restores(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    agent, customer, call_id = await _connected_call(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    agent_hears = agent.recordings[call_id]
    await _heard(agent_hears, 440)
    await _heard(phone.recording, 880)

    await agent.manager.hold(call_id)
    assert agent.manager.calls[call_id].state == CallState.HELD
    await customer.wait_for(lambda: phone.held)
    await asyncio.sleep(0.3)  # packets already in flight
    assert await _silent(agent_hears) and await _silent(phone.recording)

    await agent.manager.resume(call_id)
    await customer.wait_for(lambda: not phone.held)
    await _heard(agent_hears, 440)
    await _heard(phone.recording, 880)
    await customer.disconnect()
    await agent.close()


async def test_mute_silences_only_the_agent(call_hub: HubProcess,
                                            media_thread: MediaThread) -> None:
    agent, customer, call_id = await _connected_call(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    await _heard(phone.recording, 880)
    agent.manager.set_muted(call_id, True)
    await asyncio.sleep(0.4)  # real time: audio already in flight drains
    assert await _silent(phone.recording)
    await _heard(agent.recordings[call_id], 440)  # the customer is still heard
    agent.manager.set_muted(call_id, False)
    await _heard(phone.recording, 880)
    await customer.disconnect()
    await agent.close()


async def test_dtmf_digits_arrive_in_order(call_hub: HubProcess,
                                           media_thread: MediaThread) -> None:
    agent, customer, call_id = await _connected_call(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    for digits in ("1", "23", "*", "#9A"):
        await phone.send_dtmf(digits)
    await agent.wait(lambda: len(agent.manager.calls[call_id].dtmf_received) == 7)
    assert "".join(agent.manager.calls[call_id].dtmf_received) == "123*#9A"
    agent.manager.send_dtmf(call_id, "0")
    agent.manager.send_dtmf(call_id, "55")
    await customer.wait_for(lambda: len(phone.dtmf_received) == 3)
    assert phone.dtmf_received == ["0", "5", "5"]
    await customer.disconnect()
    await agent.close()


async def test_blind_transfer_moves_the_call_with_audio_to_agent_b(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    agent_a, customer, call_id = await _connected_call(call_hub, media_thread)
    agent_b = await CallAgent.logged_in(call_hub.url, media_thread, "alex", tone_hz=660)
    phone = customer.phone
    assert phone is not None and agent_b.probe.welcome is not None
    await _heard(agent_a.recordings[call_id], 440)

    agent_a.manager.transfer(call_id, to_agent=agent_b.probe.welcome.agent.id)
    ringing = await agent_b.wait_ringing()
    assert ringing.call_id == call_id and ringing.transferred_from is not None
    await agent_a.wait_state(call_id, CallState.ENDED)
    assert agent_a.manager.calls[call_id].end_reason == cl.CallEndReason.TRANSFERRED
    assert phone.transfers == 1  # the customer did not redial: same call id

    await agent_b.manager.answer(call_id)
    await agent_b.wait_state(call_id, CallState.ACTIVE)
    await _heard(agent_b.recordings[call_id], 440)
    await _heard(phone.recording, 660)
    await customer.disconnect()
    await agent_b.close()
    await agent_a.close()


async def test_transfer_to_a_queue_reaches_an_agent_of_that_queue_with_audio(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    agent_a, customer, call_id = await _connected_call(call_hub, media_thread)
    agent_b = await CallAgent.logged_in(call_hub.url, media_thread, "alex", tone_hz=660)
    phone = customer.phone
    assert phone is not None
    # The queue comes from the hub's list of transfer targets (the call panel's menu).
    config = await agent_a.probe.wait_for(lambda: agent_a.probe.routing_config)
    voice_queues = [q.id for q in config.all_queues if q.channel == "voice"]
    assert voice_queues == ["voice"]
    await _heard(agent_a.recordings[call_id], 440)

    agent_a.manager.transfer(call_id, to_queue=voice_queues[0])
    ringing = await agent_b.wait_ringing()  # the router picks alex (lina handed it on)
    assert ringing.call_id == call_id and ringing.transferred_from is not None
    await agent_a.wait_state(call_id, CallState.ENDED)
    assert agent_a.manager.calls[call_id].end_reason == cl.CallEndReason.TRANSFERRED
    await agent_b.manager.answer(call_id)
    await agent_b.wait_state(call_id, CallState.ACTIVE)
    await _heard(agent_b.recordings[call_id], 440)
    await _heard(phone.recording, 660)
    assert phone.transfers == 1 and phone.queued == 0
    await customer.disconnect()
    await agent_b.close()
    await agent_a.close()


async def test_a_busy_agent_s_caller_holds_and_is_answered_with_audio_once_she_is_free(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    agent, first, first_id = await _connected_call(call_hub, media_thread)
    second = SimCustomer(call_hub.customer_ws_url, name="等待的客户")
    await second.connect()
    waiting = second.phone_with(ToneSource(660))
    second_id = await waiting.call()
    await second.wait_for(lambda: waiting.queued >= 1)  # "please hold"
    assert waiting.ended is None and not any(c.call_id == second_id for c in agent.rung)

    await agent.manager.hang_up(first_id)
    assigned = agent.manager.calls[first_id].conversation_id
    closed = await agent.probe.command(ap.CloseConversation(
        op="close-first", conversation_id=assigned, disposition="resolved"))
    assert isinstance(closed, ap.Ack), closed
    await agent.probe.command(ap.SetPresence(op="ready", presence=Presence.AVAILABLE))
    ringing = await agent.wait(lambda: next((c for c in agent.rung if c.call_id == second_id),
                                            None))
    await agent.manager.answer(ringing.call_id)
    await _heard(agent.recordings[second_id], 660)
    await _heard(waiting.recording, 880)
    await first.disconnect()
    await second.disconnect()
    await agent.close()


async def test_decline_and_no_answer_ring_the_next_agent(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    lina = await CallAgent.logged_in(call_hub.url, media_thread, "lina")
    alex = await CallAgent.logged_in(call_hub.url, media_thread, "alex")
    customer = SimCustomer(call_hub.customer_ws_url, name="Caller")
    await customer.connect()
    phone = customer.phone_with(ToneSource(440))
    call_id = await phone.call()

    first = await asyncio.wait_for(_first_ringing(lina, alex), 10)
    second = alex if first is lina else lina
    first.manager.decline(call_id)
    ringing = await second.wait_ringing()
    assert ringing.call_id == call_id
    # Nobody answers: after the ring timeout the call ends (nobody else is left).
    await customer.wait_for(lambda: phone.ended is not None, timeout=RING_TIMEOUT_S + 10)
    assert phone.ended == cl.CallEndReason.NO_AGENT
    await second.wait_state(call_id, CallState.ENDED)
    assert second.manager.calls[call_id].end_reason == cl.CallEndReason.NO_ANSWER

    # A second call continues the same (still open) voice conversation: the first
    # agent misses it, the other one answers.
    phone2 = customer.phone_with(ToneSource(440))
    call2 = await phone2.call()
    first = await asyncio.wait_for(_first_ringing(lina, alex, call2), 10)
    second = alex if first is lina else lina
    rung = await second.wait(lambda: any(c.call_id == call2 for c in second.rung),
                             RING_TIMEOUT_S + 10)
    assert rung
    await first.wait_state(call2, CallState.ENDED)
    assert first.manager.calls[call2].end_reason == cl.CallEndReason.NO_ANSWER
    await second.manager.answer(call2)
    await _heard(second.recordings[call2], 440)
    first_call = second.manager.calls[call_id]
    assert second.manager.calls[call2].conversation_id == first_call.conversation_id
    await customer.disconnect()
    await lina.close()
    await alex.close()


async def _first_ringing(a: CallAgent, b: CallAgent, call_id: str | None = None) -> CallAgent:
    while True:
        for agent in (a, b):
            if any(c.call_id == call_id or call_id is None for c in agent.rung
                   if c.state == CallState.RINGING_IN):
                return agent
        await asyncio.sleep(0.02)


async def test_agent_calls_an_online_customer(call_hub: HubProcess,
                                              media_thread: MediaThread) -> None:
    agent = await CallAgent.logged_in(call_hub.url, media_thread, tone_hz=880)
    customer = SimCustomer(call_hub.customer_ws_url, name="回拨客户")
    await customer.connect()
    phone = customer.phone_with(ToneSource(440))
    await customer.send("请给我回电话")
    assigned = await agent.probe.wait_for(
        lambda: [b for b in agent.probe.events
                 if getattr(b.body, "customer", None) is not None
                 and b.body.customer.name == "回拨客户"]
    )
    conversation_id = assigned[0].body.conversation.id
    call_id = await agent.manager.start_call(conversation_id)
    await asyncio.wait_for(phone.answered.wait(), 10)
    await agent.wait_state(call_id, CallState.ACTIVE)
    await _heard(agent.recordings[call_id], 440)
    await _heard(phone.recording, 880)
    assert all("a=crypto" not in s and "a=fingerprint" in s for s in phone.sdps)
    await customer.disconnect()
    await agent.wait_state(call_id, CallState.ENDED)
    assert agent.manager.calls[call_id].end_reason == cl.CallEndReason.CUSTOMER_LEFT
    await agent.close()


async def test_call_waiting_answering_the_second_call_holds_the_first(
    netns: NetNamespace, make_hub: Callable[..., HubProcess],  # noqa: F811
    media_thread: MediaThread, tmp_path: Path,
) -> None:
    # Call waiting needs room for a second call: the router never offers work past
    # an agent's capacity, and the default voice capacity is one call.
    config = routing_variant(tmp_path, {"voice = 1": "voice = 2"})  # [capacity]
    call_hub = make_hub("--call-ring-timeout", str(RING_TIMEOUT_S), "--routing-config",
                        str(config))
    agent, first, first_id = await _connected_call(call_hub, media_thread)
    first_phone = first.phone
    assert first_phone is not None
    second = SimCustomer(call_hub.customer_ws_url, name="第二位")
    await second.connect()
    second_phone = second.phone_with(ToneSource(660))
    second_id = await second_phone.call()
    ringing = await agent.wait(
        lambda: next((c for c in agent.rung if c.call_id == second_id), None)
    )
    assert agent.manager.calls[first_id].state == CallState.ACTIVE  # still talking
    await agent.manager.answer(ringing.call_id)
    assert agent.manager.calls[first_id].state == CallState.HELD
    await first.wait_for(lambda: first_phone.held)
    await agent.wait_state(second_id, CallState.ACTIVE)
    await _heard(agent.recordings[second_id], 660)

    await agent.manager.hang_up(second_id)
    await agent.manager.resume(first_id)
    await _heard(agent.recordings[first_id], 440)
    await _heard(first_phone.recording, 880)
    await second.disconnect()
    await first.disconnect()
    await agent.close()
