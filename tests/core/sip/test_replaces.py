"""This phone as the target of someone else's attended transfer (RFC 3891): an
INVITE with Replaces takes the place of one of our confirmed dialogs, sans-I/O."""

from __future__ import annotations

import pytest

from core.sip.events import CallDidEnd, EndReason, IncomingCall
from core.sip.message import Request, Response, SipParseError
from core.sip.replaces import Replaces, parse_replaces
from core.sip.user_agent import CallError
from tests.core.sip.far_end import FarEnd, remote_request
from tests.core.sip.test_user_agent import (
    ANSWER,
    OFFER,
    _answer_outbound,
    _established_inbound,
    _inbound,
    _outbound,
    far,
)

__all__ = ["far"]  # the fixture


def _replacing(far: FarEnd, replaces: str | list[str], call_id: str = "xfer-1") -> None:
    values = [replaces] if isinstance(replaces, str) else replaces
    far.send(remote_request("INVITE", call_id=call_id, from_tag="newft", to_tag=None, cseq=1,
                            branch=f"z9hG4bK{call_id}", body=OFFER,
                            content_type="application/sdp",
                            extra=[("Replaces", v) for v in values]))


def test_the_header_is_parsed_and_bad_ones_are_refused() -> None:
    assert parse_replaces("abc@host;to-tag=7743;from-tag=6472") == Replaces(
        "abc@host", "7743", "6472")
    assert parse_replaces("abc; from-tag=b ;to-tag=a;early-only").early_only
    for bad in ("", ";to-tag=a;from-tag=b", "abc;to-tag=a", "abc;to-tag=;from-tag=b",
                "abc;to-tag=a;to-tag=c;from-tag=b"):
        with pytest.raises(SipParseError):
            parse_replaces(bad)


def test_an_invite_replacing_our_confirmed_call_is_answered_and_ends_the_old(
        far: FarEnd) -> None:
    our_tag = _established_inbound(far)  # in-1: e.g. the colleague who consulted us
    far.take()
    _replacing(far, f"in-1;to-tag={our_tag};from-tag=ft")
    # It does not ring: the agent already took the call it replaces.
    assert not [m for m in far.take() if isinstance(m, Response) and m.status == 180]
    [incoming] = far.agent.events()
    assert isinstance(incoming, IncomingCall)
    assert (incoming.call_id, incoming.replaces, incoming.offer_sdp) == ("xfer-1", "in-1", OFFER)
    assert "in-1" in far.agent.calls  # the old call goes on until the new one is answered

    far.agent.answer("xfer-1", ANSWER, 2.0)
    sent = far.take()
    ok = next(m for m in sent if isinstance(m, Response) and m.status == 200)
    assert ok.call_id == "xfer-1" and ok.text_body == ANSWER
    bye = next(m for m in sent if isinstance(m, Request) and m.method == "BYE")
    assert bye.call_id == "in-1" and bye.from_.tag == our_tag and bye.to.tag == "ft"
    assert far.agent.events() == [CallDidEnd("in-1", EndReason.REPLACED)]
    assert "in-1" not in far.agent.calls and "xfer-1" in far.agent.calls


def test_our_own_outbound_call_can_be_replaced(far: FarEnd) -> None:
    """The consult leg we placed: our tag is the From tag of our INVITE."""
    call_id, invite = _outbound(far)
    _answer_outbound(far, invite)
    far.take()
    far.agent.events()
    _replacing(far, f"{call_id};to-tag={invite.from_.tag};from-tag=callee")
    [incoming] = far.agent.events()
    assert isinstance(incoming, IncomingCall) and incoming.replaces == call_id


@pytest.mark.parametrize(("replaces", "status"), [
    ("in-1;to-tag=wrong;from-tag=ft", "481"),        # no such dialog
    ("in-1;to-tag=ft;from-tag={tag}", "481"),        # tags seen from the wrong side
    ("other;to-tag={tag};from-tag=ft", "481"),
    ("in-1;to-tag={tag};from-tag=ft;early-only", "486"),  # ours is confirmed
    ("in-1;to-tag={tag}", "400"),                    # malformed
])
def test_an_invite_that_replaces_nothing_of_ours_is_refused(far: FarEnd, replaces: str,
                                                            status: str) -> None:
    our_tag = _established_inbound(far)
    far.take()
    _replacing(far, replaces.format(tag=our_tag))
    assert far.take_one(status)
    assert far.agent.events() == []
    assert list(far.agent.calls) == ["in-1"]


def test_two_replaces_headers_or_a_second_replacing_invite_are_refused(far: FarEnd) -> None:
    our_tag = _established_inbound(far)
    far.take()
    value = f"in-1;to-tag={our_tag};from-tag=ft"
    _replacing(far, [value, value], call_id="xfer-0")
    assert far.take_one("400")
    _replacing(far, value, call_id="xfer-1")
    far.agent.events()
    _replacing(far, value, call_id="xfer-2")
    assert far.take_one("486")


def test_a_ringing_call_is_not_replaced(far: FarEnd) -> None:
    """Early dialogs (call pick-up) are not replaced: 481."""
    _invite, ringing = _inbound(far)
    far.agent.events()
    _replacing(far, f"in-1;to-tag={ringing.to.tag};from-tag=ft")
    assert far.take_one("481")
    assert far.agent.events() == []


def test_when_the_replaced_call_ended_first_the_new_one_is_declined(far: FarEnd) -> None:
    our_tag = _established_inbound(far)
    far.take()
    _replacing(far, f"in-1;to-tag={our_tag};from-tag=ft")
    far.agent.events()
    far.send(remote_request("BYE", call_id="in-1", from_tag="ft", to_tag=our_tag, cseq=2,
                            branch="z9hG4bKbye"))
    far.take()
    far.agent.events()
    with pytest.raises(CallError, match="has ended"):
        far.agent.answer("xfer-1", ANSWER, 3.0)
    assert far.take_one("603").call_id == "xfer-1"
    assert far.agent.events() == [CallDidEnd("xfer-1", EndReason.DECLINED, 603)]
