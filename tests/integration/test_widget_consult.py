"""Consulting a colleague on a widget call, end to end: a real hub, two agents' call
engines (real aiortc on a media thread) and the customer simulator's aiortc phone,
inside a private network namespace. Attended transfer, the three-way conference,
back to the customer, and what the hub refuses.

Each party plays its own tone: the customer 440 Hz, the first agent (李娜) 880 Hz,
the colleague (Alex) 660 Hz; each records what it hears."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_io import RecordingSink, ToneSource
from core.call.call_manager import CallError, CallState
from core.call.media_thread import MediaThread
from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.codec import encode_text
from core.protocol.models import Presence
from core.sip.consultation import ConsultationState, LegState
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, login
from testbed.call_agent import CallAgent
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows
from tests.support.netns import netns  # noqa: F401 - fixture

CUSTOMER_HZ, AGENT_HZ, COLLEAGUE_HZ = 440.0, 880.0, 660.0
HEARD = 0.15  # share of the energy at a tone when two or three are mixed
NEVER = 0.01  # a tone that is not there at all (noise and codec artefacts only)


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def media_thread(netns: NetNamespace) -> Iterator[MediaThread]:  # noqa: F811
    thread = MediaThread()
    thread.start()
    yield thread
    thread.stop()


async def _hears(recording: RecordingSink, *freqs: float, timeout: float = 15) -> None:
    """Wait until the last half second of ``recording`` holds every tone of ``freqs``."""
    async def poll() -> None:
        while not all(tone_ratio(recording.samples(0.5), f) >= HEARD  # noqa: ASYNC110
                      for f in freqs):
            await asyncio.sleep(0.1)  # audio arrives from the media thread

    await asyncio.wait_for(poll(), timeout)


async def _hears_only(recording: RecordingSink, freq: float, absent: float,
                      seconds: float = 1.5, timeout: float = 15) -> None:
    """Wait until every half second of the last ``seconds`` holds ``freq`` and
    nothing of ``absent``."""
    async def poll() -> None:
        n = 24_000
        while True:
            samples = recording.samples(seconds)
            windows = [samples[i:i + n] for i in range(0, samples.size - n + 1, n)]
            if len(windows) >= int(seconds / 0.5) and all(
                    tone_ratio(w, freq) >= HEARD and tone_ratio(w, absent) < NEVER
                    for w in windows):
                return
            await asyncio.sleep(0.1)  # audio arrives from the media thread

    await asyncio.wait_for(poll(), timeout)


async def _consulting(hub: HubProcess, thread: MediaThread
                      ) -> tuple[CallAgent, CallAgent, SimCustomer, str, str]:
    """李娜 talks with the customer, consults Alex, and Alex answers: (lina, alex,
    customer, the customer's call id, the consult leg's id)."""
    lina = await CallAgent.logged_in(hub.url, thread, tone_hz=AGENT_HZ)
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = await phone.call()
    await lina.wait_ringing()
    await lina.manager.answer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    await _hears(phone.recording, AGENT_HZ)
    # The colleague signs in once the call is lina's (the router would offer it to
    # either of them).
    alex = await CallAgent.logged_in(hub.url, thread, "alex", tone_hz=COLLEAGUE_HZ,
                                     accept_offers=False)
    assert alex.probe.welcome is not None
    alex_id = alex.probe.welcome.agent.id

    await lina.manager.consult(call_id, alex_id, "Alex")
    consultation = lina.manager.consultations[call_id]
    assert consultation.consult == LegState.RINGING
    assert lina.manager.calls[call_id].state == CallState.HELD
    await customer.wait_for(lambda: phone.held)
    leg = await alex.wait_ringing()
    assert leg.consult_for == call_id and leg.consult_from == "李娜"
    assert leg.customer is not None and leg.customer.name == "王芳"  # the context comes along
    await alex.manager.answer(leg.call_id)
    await alex.wait_state(leg.call_id, CallState.ACTIVE)
    await lina.wait(lambda: consultation.consult == LegState.CONNECTED)
    leg_id = consultation.consult_call_id
    assert leg_id == leg.call_id
    await _hears(lina.recordings[leg_id], COLLEAGUE_HZ)
    await _hears(alex.recordings[leg_id], AGENT_HZ)
    return lina, alex, customer, call_id, leg_id


async def _close(*parties: CallAgent | SimCustomer) -> None:
    for party in parties:
        if isinstance(party, SimCustomer):
            await party.disconnect()
        else:
            await party.close()


async def test_attended_transfer_leaves_the_customer_with_the_colleague(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    lina, alex, customer, call_id, leg_id = await _consulting(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    # The customer on hold heard neither agent talk about them.
    await _hears_only(lina.recordings[leg_id], COLLEAGUE_HZ, CUSTOMER_HZ, seconds=1.0)

    started = asyncio.get_running_loop().time()
    await lina.manager.complete_transfer(call_id)
    await lina.wait_state(call_id, CallState.ENDED)
    assert lina.manager.calls[call_id].end_reason == cl.CallEndReason.TRANSFERRED
    # Alex's desktop took the customer's call without ringing: Alex agreed already.
    await alex.wait_state(call_id, CallState.ACTIVE)
    assert not any(c.call_id == call_id for c in alex.rung)
    assert alex.manager.calls[leg_id].state == CallState.ENDED
    assert phone.transfers == 1  # same call id, a fresh peer connection
    await _hears(phone.recording, COLLEAGUE_HZ)
    await _hears(alex.recordings[call_id], CUSTOMER_HZ)
    elapsed = asyncio.get_running_loop().time() - started
    print(f"complete_transfer() to the customer and the colleague hearing each other: "
          f"{elapsed * 1000:.0f} ms")
    # The customer and the colleague hear each other; the first agent is gone.
    await _hears_only(phone.recording, COLLEAGUE_HZ, AGENT_HZ)
    await _hears_only(alex.recordings[call_id], CUSTOMER_HZ, AGENT_HZ)
    assert lina.engine.session(call_id) is None and lina.engine.session(leg_id) is None
    assert not lina.manager.consultations

    # The hub: lina's leg recorded as transferred, the conversation is Alex's, lina
    # is in after-call work and Alex is busy with the call.
    recorded = await lina.probe.wait_for(lambda: [
        b.record for b in lina.probe.bodies(cl.CallRecorded)
        if b.record.call_id == call_id])
    assert recorded[-1].end_reason == cl.CallEndReason.TRANSFERRED
    conversation_id = lina.manager.calls[call_id].conversation_id
    assert hub_rows(call_hub.db_path, "SELECT a.username FROM conversations c "
                    "JOIN agents a ON a.id = c.agent_id WHERE c.id = :id",
                    id=conversation_id) == [("alex",)]
    await lina.probe.wait_for(lambda: [
        b for b in lina.probe.bodies(ap.PresenceChanged) if b.presence == "after_call_work"])

    await alex.manager.hang_up(call_id)
    await customer.wait_for(lambda: phone.ended == cl.CallEndReason.HUNG_UP_BY_AGENT)
    alex_records = await alex.probe.wait_for(lambda: [
        b.record for b in alex.probe.bodies(cl.CallRecorded) if b.record.call_id == call_id])
    assert alex_records[-1].end_reason == cl.CallEndReason.HUNG_UP_BY_AGENT
    assert alex_records[-1].answered_at is not None
    await _close(customer, alex, lina)


async def test_three_way_conference_then_the_first_agent_leaves(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    lina, alex, customer, call_id, leg_id = await _consulting(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    consultation = lina.manager.consultations[call_id]

    started = asyncio.get_running_loop().time()
    await lina.manager.conference(call_id)
    assert consultation.state == ConsultationState.CONFERENCE
    await customer.wait_for(lambda: not phone.held)
    # Everyone hears the other two.
    await _hears(phone.recording, AGENT_HZ, COLLEAGUE_HZ)
    await _hears(lina.recordings[call_id], CUSTOMER_HZ, COLLEAGUE_HZ)
    await _hears(alex.recordings[leg_id], AGENT_HZ, CUSTOMER_HZ)
    elapsed = asyncio.get_running_loop().time() - started
    print(f"conference() to every party hearing the other two: {elapsed * 1000:.0f} ms")

    # The first agent leaves: the other two go on.
    await lina.manager.complete_transfer(call_id)
    await lina.wait_state(call_id, CallState.ENDED)
    await alex.wait_state(call_id, CallState.ACTIVE)
    await _hears_only(phone.recording, COLLEAGUE_HZ, AGENT_HZ)
    await _hears_only(alex.recordings[call_id], CUSTOMER_HZ, AGENT_HZ)
    assert lina.engine.conference_mix(call_id) is None
    await _close(customer, alex, lina)


async def test_back_to_the_customer_ends_the_consultation(
    call_hub: HubProcess, media_thread: MediaThread
) -> None:
    lina, alex, customer, call_id, leg_id = await _consulting(call_hub, media_thread)
    phone = customer.phone
    assert phone is not None
    consultation = lina.manager.consultations[call_id]

    await lina.manager.back_to_customer(call_id)
    assert consultation.state == ConsultationState.FINISHED
    await alex.wait_state(leg_id, CallState.ENDED)
    assert alex.manager.calls[leg_id].end_reason == cl.CallEndReason.HUNG_UP_BY_AGENT
    await lina.wait_state(call_id, CallState.ACTIVE)
    await customer.wait_for(lambda: not phone.held)
    await _hears_only(phone.recording, AGENT_HZ, COLLEAGUE_HZ)
    await _hears_only(lina.recordings[call_id], CUSTOMER_HZ, COLLEAGUE_HZ)
    await lina.wait(lambda: lina.engine.session(leg_id) is None)
    assert alex.engine.session(leg_id) is None
    assert not any(c.call_id == call_id for c in alex.manager.calls.values())

    # A consultation the colleague declines: back to the customer as well.
    await lina.manager.consult(call_id, alex.probe.welcome.agent.id, "Alex")  # type: ignore[union-attr]
    second = lina.manager.consultations[call_id]
    ringing = await alex.wait(lambda: next(
        (c for c in alex.rung if c.state == CallState.RINGING_IN and c.call_id != leg_id),
        None))
    alex.manager.decline(ringing.call_id)
    await lina.wait(lambda: second.consult == LegState.ENDED)
    await lina.manager.back_to_customer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    await _hears_only(phone.recording, AGENT_HZ, COLLEAGUE_HZ)
    await _close(customer, alex, lina)


async def test_a_refused_consultation_raises_and_resumes_the_customer(
    call_hub: HubProcess, media_thread: MediaThread, tmp_path: Path
) -> None:
    _add_people(call_hub, tmp_path)
    lina = await CallAgent.logged_in(call_hub.url, media_thread, tone_hz=AGENT_HZ)
    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    await customer.connect()
    phone = customer.phone_with(ToneSource(CUSTOMER_HZ))
    call_id = await phone.call()
    await lina.wait_ringing()
    await lina.manager.answer(call_id)
    await lina.wait_state(call_id, CallState.ACTIVE)
    rita = AgentProbe(call_hub.url, login(call_hub.url, "rita", PASSWORD)["token"],
                      accept_offers=False)
    await rita.connect()
    assert rita.welcome is not None

    # Rita's role takes no calls: the hub says no, the desktop says why and the
    # customer comes off hold.
    with pytest.raises(CallError, match="role does not take calls"):
        await lina.manager.consult(call_id, rita.welcome.agent.id, "Rita")
    consultation = lina.manager.consultations[call_id]
    assert consultation.state == ConsultationState.FINISHED
    assert consultation.consult == LegState.ENDED
    await lina.wait_state(call_id, CallState.ACTIVE)
    await customer.wait_for(lambda: not phone.held)
    await _hears(phone.recording, AGENT_HZ)
    await lina.wait(lambda: lina.engine.session(consultation.consult_call_id) is None)
    assert not [f for f in rita.frames if isinstance(f, cl.ConsultRinging)]
    await rita.close()
    await _close(customer, lina)


# ---- what the hub refuses (signalling only: the SDP is not looked at) ----------------

PASSWORD = "a-long-password"
ROLES = """\
[roles.no_transfer]
description = "Takes calls, transfers nothing"
like = "agent"
without = ["transfer"]

[roles.reader]
description = "Reads customers, takes no calls"
permissions = ["customers.read"]
"""
FAKE_SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"


def _add_people(hub: HubProcess, tmp_path: Path) -> None:
    db = str(hub.db_path)
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES)
    env = {**os.environ, "ZUOXI_NEW_PASSWORD": PASSWORD}
    for args in (["roles", "--db", db, "load", str(roles)],
                 ["create-agent", "--db", db, "nora", "--name", "Nora", "--role",
                  "no_transfer"],
                 ["create-agent", "--db", db, "rita", "--name", "Rita", "--role", "reader"]):
        done = subprocess.run([sys.executable, "-m", "hub", *args], env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr


async def test_consulting_needs_transfer_a_colleague_who_takes_calls_and_no_customer_reaches_the_leg(  # noqa: E501
    hub: HubProcess, tmp_path: Path
) -> None:
    _add_people(hub, tmp_path)
    lina = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex", accept_offers=False)
    nora = AgentProbe(hub.url, login(hub.url, "nora", PASSWORD)["token"])
    await nora.connect()
    rita = AgentProbe(hub.url, login(hub.url, "rita", PASSWORD)["token"])
    await rita.connect()
    assert alex.welcome is not None and rita.welcome is not None and lina.welcome is not None

    # Without ``transfer`` nobody consults (the gate answers before any call lookup).
    refused = await nora.command(cl.ConsultCall(
        op=uuid.uuid4().hex, call_id="call-x", leg_id="leg-x", to_agent=alex.welcome.agent.id,
        sdp=FAKE_SDP))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    assert "transfer" in refused.message
    refused = await nora.command(cl.CompleteConsult(op=uuid.uuid4().hex, call_id="call-x",
                                                    leg_id="leg-x"))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    # ... and someone who takes no calls neither answers nor ends a consult leg.
    refused = await rita.command(cl.AnswerConsult(op=uuid.uuid4().hex, leg_id="leg-x",
                                                  sdp=FAKE_SDP))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"

    # A connected call of lina's (signalling only). The router would offer it to any
    # available agent who takes calls: the others step away first.
    for other in (alex, nora):
        away = await other.command(ap.SetPresence(op=uuid.uuid4().hex, presence=Presence.AWAY))
        assert isinstance(away, ap.Ack), away
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    await customer.send_raw(cl_frame(cl.CustomerCallStart(call_id="c1", sdp=FAKE_SDP)))
    ringing = await _frame(lina, cl.CallRinging)
    answered = await lina.command(cl.AnswerCall(op=uuid.uuid4().hex, call_id=ringing.call_id,
                                                sdp=FAKE_SDP))
    assert isinstance(answered, ap.Ack), answered
    call_id = ringing.call_id

    # A colleague whose role takes no calls is not consulted.
    refused = await lina.command(cl.ConsultCall(
        op=uuid.uuid4().hex, call_id=call_id, leg_id="leg-1", to_agent=rita.welcome.agent.id,
        sdp=FAKE_SDP))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    assert not [f for f in rita.frames if isinstance(f, cl.ConsultRinging)]
    # Nor oneself, nor about someone else's call.
    for frame, probe in (
        (cl.ConsultCall(op=uuid.uuid4().hex, call_id=call_id, leg_id="leg-1",
                        to_agent=lina.welcome.agent.id, sdp=FAKE_SDP), lina),
        (cl.ConsultCall(op=uuid.uuid4().hex, call_id=call_id, leg_id="leg-1",
                        to_agent=lina.welcome.agent.id, sdp=FAKE_SDP), alex),
    ):
        refused = await probe.command(frame)
        assert isinstance(refused, ap.Error) and refused.code == "not_found"

    ok = await lina.command(cl.ConsultCall(
        op=uuid.uuid4().hex, call_id=call_id, leg_id="leg-1", to_agent=alex.welcome.agent.id,
        sdp=FAKE_SDP))
    assert isinstance(ok, ap.Ack), ok
    consult = await _frame(alex, cl.ConsultRinging)
    assert consult.leg_id == "leg-1" and consult.from_agent_name == "李娜"

    # The customer cannot name the leg: it is no call of theirs.
    before = len(customer.errors)
    for frame in (cl.CustomerCallHangup(call_id="leg-1"),
                  cl.CustomerCallAnswer(call_id="leg-1", sdp=FAKE_SDP)):
        await customer.send_raw(cl_frame(frame))
    await customer.wait_for(lambda: len(customer.errors) >= before + 2)
    assert all(e.code == "not_found" for e in customer.errors[before:])
    # Completing before the colleague answered is refused; the call stays lina's.
    refused = await lina.command(cl.CompleteConsult(op=uuid.uuid4().hex, call_id=call_id,
                                                    leg_id="leg-1"))
    assert isinstance(refused, ap.Error) and refused.code == "conflict"
    # Only the colleague answers it.
    refused = await lina.command(cl.AnswerConsult(op=uuid.uuid4().hex, leg_id="leg-1",
                                                  sdp=FAKE_SDP))
    assert isinstance(refused, ap.Error) and refused.code == "not_found"
    # The colleague's desktop going away ends the leg for the consulting agent.
    await alex.close()
    ended = await _frame(lina, cl.ConsultEnded)
    assert ended.leg_id == "leg-1" and ended.reason == cl.CallEndReason.AGENT_LEFT
    await customer.disconnect()
    await nora.close()
    await rita.close()
    await lina.close()


def cl_frame(frame: msgspec.Struct) -> str:
    return encode_text(frame)


async def _frame(probe: AgentProbe, kind: type) -> Any:
    """The first frame of ``kind`` the hub sent ``probe`` (call signalling is live:
    no event)."""
    return await probe.wait_for(
        lambda: next((f for f in probe.frames if isinstance(f, kind)), None))
