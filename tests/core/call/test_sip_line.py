"""The desktop side of SIP calls without sockets: the ids they get, how their end
reasons read, the reports going through the outbox, the account's checks."""

from __future__ import annotations

import asyncio
from typing import Annotated

import msgspec
import pytest

from core.cache.cache import Cache
from core.call.call_state import Call, CallState
from core.call.sip_account import (
    AccountProblem,
    RegistrationOutcome,
    SipAccountSettings,
    check_registration,
)
from core.call.sip_line import desktop_call_id, end_reason
from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.protocol.models import Id
from core.sip.events import EndReason
from core.sync.outbox import Outbox


class _IdHolder(msgspec.Struct):
    id: Annotated[str, Id]


def test_a_sip_call_id_becomes_a_valid_protocol_id() -> None:
    sip_ids = ["a84b4c76e66710@pc33.atlanta.com", "x" * 300, "中文@例子"]
    made = [desktop_call_id(s) for s in sip_ids]
    assert len(set(made)) == 3 and made[0] == desktop_call_id(sip_ids[0])
    checked = msgspec.json.Decoder(_IdHolder)
    for value in made:
        assert checked.decode(msgspec.json.encode({"id": value})).id == value


@pytest.mark.parametrize(("direction", "reason", "transferred", "expected"), [
    (cl.CallDirection.INBOUND, EndReason.REMOTE_HANGUP, False,
     cl.CallEndReason.HUNG_UP_BY_CUSTOMER),
    (cl.CallDirection.INBOUND, EndReason.CANCELLED, False, cl.CallEndReason.HUNG_UP_BY_CUSTOMER),
    (cl.CallDirection.INBOUND, EndReason.LOCAL_HANGUP, False, cl.CallEndReason.HUNG_UP_BY_AGENT),
    (cl.CallDirection.INBOUND, EndReason.REMOTE_HANGUP, True, cl.CallEndReason.TRANSFERRED),
    (cl.CallDirection.OUTBOUND, EndReason.BUSY, False, cl.CallEndReason.DECLINED),
    (cl.CallDirection.OUTBOUND, EndReason.TIMEOUT, False, cl.CallEndReason.NO_ANSWER),
    (cl.CallDirection.INBOUND, EndReason.TRANSPORT_LOST, False, cl.CallEndReason.AGENT_LEFT),
])
def test_sip_end_reasons_read_as_widget_call_reasons(
    direction: cl.CallDirection, reason: EndReason, transferred: bool,
    expected: cl.CallEndReason,
) -> None:
    call = Call("sip-1", "", direction, CallState.ACTIVE, sip_number="+8613800138000")
    assert end_reason(call, reason, transferred) is expected


def test_reports_wait_in_the_outbox_in_order() -> None:
    cache = Cache(":memory:")
    outbox = Outbox(cache)
    reports: list[sp.SipCallReport] = [
        sp.SipCallStarted(op="o1", call_id="sip-1", direction=cl.CallDirection.INBOUND,
                          number="+8613800138000", started_at=1, name="Customer"),
        sp.SipCallAnswered(op="o2", call_id="sip-1", answered_at=2),
        sp.SipCallEnded(op="o3", call_id="sip-1", ended_at=3,
                        reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER),
    ]
    for report in reports:
        outbox.queue(report)
    assert outbox.pending() == reports
    outbox.resolve("o1")
    assert outbox.pending() == reports[1:]


def test_the_account_says_what_is_wrong_with_it() -> None:
    good = SipAccountSettings(url="wss://pbx.example.com:8443", username="1001",
                              domain="pbx.example.com", enabled=True)
    assert good.problems() == []
    assert good.account("pw").aor == "sip:1001@pbx.example.com"
    bad = SipAccountSettings(url="https://pbx.example.com", username="10 01", domain="")
    assert bad.problems() == [AccountProblem.URL, AccountProblem.USERNAME, AccountProblem.DOMAIN]


async def test_a_check_with_bad_settings_opens_nothing() -> None:
    check = await check_registration(SipAccountSettings(url="wss://", username="1001",
                                                        domain="d"), "pw")
    assert check.outcome is RegistrationOutcome.BAD_SETTINGS and check.detail == "url"
    unreadable = SipAccountSettings(url="wss://pbx.example.com", username="1001", domain="d",
                                    ca_file="/nonexistent/ca.pem")
    assert (await check_registration(unreadable, "pw")).outcome \
        is RegistrationOutcome.BAD_SETTINGS


async def test_a_check_against_a_closed_port_is_unreachable_quickly() -> None:
    settings = SipAccountSettings(url="ws://127.0.0.1:9", username="1001", domain="d")
    started = asyncio.get_running_loop().time()
    check = await check_registration(settings, "pw", timeout=10)
    assert check.outcome is RegistrationOutcome.UNREACHABLE
    assert asyncio.get_running_loop().time() - started < 5  # not the whole timeout
