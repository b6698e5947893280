"""Consulting a colleague on a SIP call, end to end: attended transfer by REFER
with Replaces and a three-way conference mixed on the agent's media thread.

Kamailio and rtpengine run in a network namespace the test creates; two sipp far
phones stand for the customer (440 Hz) and the colleague at 3000 (660 Hz); the
agent sends 1000 Hz. Each far phone's SDP names an ``RtpRecorder`` beside it, so
what each party hears is recorded and analysed per tone band with sox.

sipp keeps one Call-ID per scenario, so the customer's phone is two sipp
processes when it is transferred: the first holds the call with the agent,
accepts the REFER and logs its Refer-To; the second places the INVITE with the
Replaces taken from that Refer-To. The test carries the Refer-To from one to the
other and tells the first (by a SIP MESSAGE in its dialog) that the new call is
up, so it reports success by NOTIFY — what one phone does inside itself.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest

from core.call.analysis import tone_ratio
from core.call.audio_frames import SAMPLE_RATE
from core.call.audio_io import RecordingSink
from core.sip.consultation import ConsultationState, LegState
from core.sip.events import CallDidConfirm, CallDidEnd, IncomingCall
from core.sip.registrator import Account
from testbed import kamailio, sipp_scenarios
from testbed.agent_probe import eventually
from testbed.kamailio import Pbx, PbxConfig
from testbed.netns import NetNamespace
from testbed.sip_agent import SipAgent
from testbed.sipp import RtpRecorder, Sipp, make_tone_file, sox_band_rms
from tests.support.netns import netns  # noqa: F401 - fixture

pytestmark = pytest.mark.serial  # real-time audio and PBX timers on shared cores

CUSTOMER_HZ = 440.0
COLLEAGUE_HZ = 660.0
AGENT_HZ = 1000.0
CUSTOMER = "+8613800138000"
COLLEAGUE = "3000"
USERS = {"1001": "pw-1001"}
CUSTOMER_PORT, COLLEAGUE_PORT, TRANSFEREE_PORT = 5070, 5071, 5072


@dataclass
class Phone:
    """One far phone: sipp, its recorder and its tone."""

    name: str
    sipp: Sipp
    recorder: RtpRecorder
    phone: sipp_scenarios.FarPhone

    async def finished(self, scenario: str, timeout: float = 40) -> None:
        code = await asyncio.to_thread(self.sipp.wait, timeout)
        assert code == 0, f"sipp {scenario} failed ({code}):\n{self.sipp.errors(scenario)[-3000:]}"


@pytest.fixture
def pbx(netns: NetNamespace) -> Iterator[Pbx]:  # noqa: F811
    reason = kamailio.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    config = PbxConfig(address=netns.address_a, gateway=f"{netns.address_b}:{CUSTOMER_PORT}",
                       users=USERS, trunks={COLLEAGUE: f"{netns.address_b}:{COLLEAGUE_PORT}"})
    with kamailio.pbx(config) as running:
        yield running


def _phone(name: str, number: str, hz: float, port: int, media_port: int, pbx: Pbx,
           netns: NetNamespace, workdir: Path) -> Phone:  # noqa: F811
    recorder = RtpRecorder(netns.address_b)
    tone = make_tone_file(workdir / f"{name}-tone.wav", hz, 60)
    far = sipp_scenarios.FarPhone(number, pbx.config.domain, str(tone), recorder.port)
    return Phone(name, Sipp(workdir, netns.address_b, port, media_port=media_port), recorder, far)


@pytest.fixture
def phones(pbx: Pbx, netns: NetNamespace, tmp_path: Path) -> Iterator[tuple[Phone, Phone]]:  # noqa: F811
    customer = _phone("customer", CUSTOMER, CUSTOMER_HZ, CUSTOMER_PORT, 6000, pbx, netns,
                      tmp_path)
    colleague = _phone("colleague", COLLEAGUE, COLLEAGUE_HZ, COLLEAGUE_PORT, 6100, pbx, netns,
                       tmp_path)
    yield customer, colleague
    for phone in (customer, colleague):
        phone.sipp.stop()
        phone.recorder.close()


@pytest.fixture
async def agent(pbx: Pbx) -> AsyncIterator[SipAgent]:
    phone = SipAgent(Account("1001", USERS["1001"], pbx.config.domain, expires=60),
                     pbx.config.wss_url, tone_hz=AGENT_HZ, ssl_context=pbx.ssl_context())
    phone.start()
    await phone.registered()
    yield phone
    await phone.close()


def _hears(samples: np.ndarray, rate: int, *tones: float, ratio: float = 0.15) -> bool:
    """Each of ``tones`` carries at least ``ratio`` of the energy of the last half second."""
    window = samples[-rate // 2:]
    return window.size >= rate // 2 and all(tone_ratio(window, hz, rate) >= ratio
                                            for hz in tones)


async def _agent_hears(recording: RecordingSink, *tones: float, timeout: float = 10) -> None:
    await eventually(lambda: _hears(recording.samples(0.5), SAMPLE_RATE, *tones), timeout)


async def _phone_hears(phone: Phone, *tones: float, timeout: float = 10,
                       ratio: float = 0.15) -> None:
    await eventually(lambda: _hears(phone.recorder.samples(), 8000, *tones, ratio=ratio),
                     timeout)


def _bands(phone: Phone, path: Path) -> dict[float, float]:
    wav = phone.recorder.write_wav(path)
    return {hz: sox_band_rms(wav, hz - 40, hz + 40)
            for hz in (CUSTOMER_HZ, COLLEAGUE_HZ, AGENT_HZ)}


async def _customer_calls_in(agent: SipAgent, customer: Phone, pbx: Pbx, *,
                             transferee: bool) -> str:
    """The customer calls the agent, who answers and hears the customer."""
    customer.sipp.start("customer", sipp_scenarios.caller(
        customer.phone, "1001", hangup="agent", reinvites=1 if transferee else 2,
        transferee=transferee), remote=f"{pbx.config.address}:{pbx.config.sip_port}")
    ringing = await agent.next(IncomingCall)
    await agent.calls.answer(ringing.call_id)
    await agent.next(CallDidConfirm, call_id=ringing.call_id)
    await _agent_hears(agent.recording(ringing.call_id), CUSTOMER_HZ)
    return ringing.call_id


async def _consult(agent: SipAgent, colleague: Phone, call_id: str, *, calls: int) -> str:
    """The agent puts the customer on hold and calls the colleague."""
    colleague.sipp.start("colleague", sipp_scenarios.callee(colleague.phone), calls=calls)
    consult_id = await agent.calls.consult(call_id, COLLEAGUE)
    assert agent.calls.media[call_id].on_hold
    consultation = agent.calls.consultations[call_id]
    await eventually(lambda: consultation.consult == LegState.CONNECTED, 10)
    await _agent_hears(agent.recording(consult_id), COLLEAGUE_HZ)
    return consult_id


async def test_three_way_conference_every_party_hears_the_other_two(
        agent: SipAgent, phones: tuple[Phone, Phone], pbx: Pbx, tmp_path: Path) -> None:
    customer, colleague = phones
    call_id = await _customer_calls_in(agent, customer, pbx, transferee=False)
    consult_id = await _consult(agent, colleague, call_id, calls=1)
    heard_by_agent = agent.recording(call_id)  # the agent's speaker in the conference

    agent.calls.conference(call_id)
    consultation = agent.calls.consultations[call_id]
    assert consultation.state == ConsultationState.CONFERENCE
    started = time.monotonic()
    await _agent_hears(heard_by_agent, CUSTOMER_HZ, COLLEAGUE_HZ)
    customer.recorder.clear()
    colleague.recorder.clear()
    await _phone_hears(customer, AGENT_HZ, COLLEAGUE_HZ)
    await _phone_hears(colleague, AGENT_HZ, CUSTOMER_HZ)
    print(f"\nconference → every party hears the other two: "
          f"{(time.monotonic() - started) * 1000:.0f} ms")

    # (What a conference costs the desktop: bench/telephony_bench.py.)
    # Let each phone's recording hold a few seconds of the conference for sox.
    await eventually(lambda: min(customer.recorder.samples().size,
                                 colleague.recorder.samples().size) >= 3 * 8000, 15)

    # sox on what each far phone recorded: both other parties' tones are there.
    for phone, others, absent in ((customer, (AGENT_HZ, COLLEAGUE_HZ), CUSTOMER_HZ),
                                  (colleague, (AGENT_HZ, CUSTOMER_HZ), COLLEAGUE_HZ)):
        bands = _bands(phone, tmp_path / f"{phone.name}-heard.wav")
        print(f"{phone.name} heard (RMS per band): {bands}")
        for hz in others:
            assert bands[hz] > 0.02, (phone.name, bands)
            assert bands[hz] > 5 * bands[absent], (phone.name, bands)  # not its own echo
    mix = agent.calls.conferences[call_id].mix
    assert mix.customer_for_supervisor.dropped < 50  # the crossings kept up

    # The colleague leaves: the agent stays with the customer, on its own devices.
    agent.calls.back_to_customer(call_id)
    assert (await agent.next(CallDidEnd, call_id=consult_id)).call_id == consult_id
    assert call_id not in agent.calls.conferences
    assert consultation.state == ConsultationState.FINISHED
    heard_by_agent.clear()
    await _agent_hears(heard_by_agent, CUSTOMER_HZ)
    agent.calls.hang_up(call_id)
    await customer.finished("customer")
    await colleague.finished("colleague")


async def test_attended_transfer_leaves_the_customer_talking_to_the_colleague(
        agent: SipAgent, phones: tuple[Phone, Phone], pbx: Pbx, netns: NetNamespace,  # noqa: F811
        tmp_path: Path) -> None:
    customer, colleague = phones
    call_id = await _customer_calls_in(agent, customer, pbx, transferee=True)
    consult_id = await _consult(agent, colleague, call_id, calls=2)
    consult_dialog = agent.calls.phone.agent.calls[consult_id].dialog
    assert consult_dialog is not None

    agent.calls.complete_transfer(call_id)
    consultation = agent.calls.consultations[call_id]
    assert consultation.state == ConsultationState.TRANSFERRING
    # The customer's phone got a Refer-To naming the colleague and our consult dialog.
    logged = await eventually(lambda: "refer-to " in customer.sipp.logged("customer")
                              and customer.sipp.logged("customer"), 10)
    refer_to = logged.split("refer-to ", 1)[1].split()[0]
    target, _, query = refer_to.partition("?Replaces=")
    replaces = unquote(query)
    assert target == f"sip:{COLLEAGUE}@{pbx.config.domain}"
    assert replaces == (f"{consult_dialog.call_id};to-tag={consult_dialog.remote_tag};"
                        f"from-tag={consult_dialog.local_tag}")

    # The customer's phone calls the colleague, replacing the agent's consult dialog.
    transferee = Sipp(tmp_path, netns.address_b, TRANSFEREE_PORT, media_port=6200)
    transferee.start("transferred", sipp_scenarios.transferred_call(
        customer.phone, COLLEAGUE, replaces, talk_ms=5000),
        remote=f"{pbx.config.address}:{pbx.config.sip_port}")
    try:
        await eventually(lambda: "replacing call answered" in transferee.logged("transferred"),
                         10)
        _tell_customer_phone_the_new_call_is_up(customer, pbx)
        # The final NOTIFY says 200: the agent hangs up both of its legs.
        ends = {(await agent.next(CallDidEnd)).call_id for _ in range(2)}
        assert ends == {call_id, consult_id}
        assert consultation.state == ConsultationState.TRANSFERRED
        await customer.finished("customer")  # its first call ended by the agent's BYE

        # The far phones now talk to each other, without the agent.
        customer.recorder.clear()
        colleague.recorder.clear()
        await _phone_hears(customer, COLLEAGUE_HZ, ratio=0.5)
        await _phone_hears(colleague, CUSTOMER_HZ, ratio=0.5)
        for phone, other in ((customer, COLLEAGUE_HZ), (colleague, CUSTOMER_HZ)):
            bands = _bands(phone, tmp_path / f"{phone.name}-after.wav")
            print(f"{phone.name} heard after the transfer (RMS per band): {bands}")
            assert bands[other] > 0.05 and bands[AGENT_HZ] < bands[other] / 10, bands
        code = await asyncio.to_thread(transferee.wait, 30)
        assert code == 0, transferee.errors("transferred")[-3000:]
        await colleague.finished("colleague")
        assert f"invite replaces={replaces}." in colleague.sipp.logged("colleague")
        assert not agent.calls.phone.agent.calls
    finally:
        transferee.stop()


def _tell_customer_phone_the_new_call_is_up(customer: Phone, pbx: Pbx) -> None:
    """A MESSAGE in the customer's first dialog, straight to its sipp (see above)."""
    log = customer.sipp.messages("customer")
    call_id = log.split("Call-ID:", 1)[1].split()[0]
    message = (f"MESSAGE sip:{CUSTOMER}@{customer.sipp.host}:{customer.sipp.port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP {pbx.config.address}:5999;branch=z9hG4bKtestnote\r\n"
               f"From: <sip:test@{pbx.config.domain}>;tag=note\r\n"
               f"To: <sip:{CUSTOMER}@{pbx.config.domain}>\r\n"
               f"Call-ID: {call_id}\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
               f"Content-Length: 0\r\n\r\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), (customer.sipp.host, customer.sipp.port))
