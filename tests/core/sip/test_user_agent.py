"""Calls both ways without sockets: INVITE/ACK/BYE/CANCEL, busy, re-INVITE, INFO,
REFER, OPTIONS, the transport dropping, and junk on the wire."""

from __future__ import annotations

import pytest

from core.sip.events import (
    CallDidAnswer,
    CallDidConfirm,
    CallDidEnd,
    CallDidProgress,
    CallState,
    DtmfDidArrive,
    EndReason,
    IncomingCall,
    OfferDidArrive,
    OfferWanted,
    ReofferDidComplete,
    ReofferDidFail,
    TransferDidProgress,
)
from core.sip.message import Request, Response
from core.sip.registrator import Account
from core.sip.user_agent import CallError, UserAgent
from tests.core.sip.far_end import PASSWORD, REALM, FarEnd, remote_request

OFFER = "v=0\r\no=- 1 1 IN IP4 10.9.0.2\r\ns=-\r\nc=IN IP4 10.9.0.2\r\nt=0 0\r\n" \
        "m=audio 4000 RTP/AVP 0\r\n"
ANSWER = OFFER.replace("10.9.0.2", "10.9.0.5")


@pytest.fixture
def far() -> FarEnd:
    agent = UserAgent(Account("agent", PASSWORD, REALM))
    agent.transport_did_connect(0.0)
    return FarEnd(agent)


def _inbound(far: FarEnd, call_id: str = "in-1") -> tuple[Request, Response]:
    invite = remote_request("INVITE", call_id=call_id, from_tag="ft", to_tag=None, cseq=1,
                            branch="z9hG4bKinv", body=OFFER, content_type="application/sdp")
    far.send(invite)
    ringing = far.take_one("180")
    assert isinstance(ringing, Response)
    return invite, ringing


def _established_inbound(far: FarEnd) -> str:
    _invite, _ringing = _inbound(far)
    far.agent.events()
    far.agent.answer("in-1", ANSWER, far.now)
    ok = far.take_one("200")
    assert isinstance(ok, Response)
    far.send(remote_request("ACK", call_id="in-1", from_tag="ft", to_tag=ok.to.tag, cseq=1,
                            branch="z9hG4bKack"))
    assert far.agent.events() == [CallDidConfirm("in-1")]
    return str(ok.to.tag)


def test_inbound_call_rings_answers_and_confirms(far: FarEnd) -> None:
    invite, ringing = _inbound(far)
    event = far.agent.events()[0]
    assert isinstance(event, IncomingCall)
    assert (event.caller_user, event.caller_name, event.offer_sdp) == (
        "+8613800138000", "Caller", OFFER)
    assert ringing.to.tag and ringing.header("Record-Route") is not None
    far.agent.answer("in-1", ANSWER, 1.0)
    ok = far.take_one("200")
    assert isinstance(ok, Response)
    assert ok.to.tag == ringing.to.tag and ok.text_body == ANSWER
    assert ok.header("Contact") == far.agent.contact
    assert ok.header_values("Record-Route") == invite.header_values("Record-Route")
    assert far.agent.calls["in-1"].state == CallState.RINGING
    far.send(remote_request("ACK", call_id="in-1", from_tag="ft", to_tag=ok.to.tag, cseq=1,
                            branch="z9hG4bKack"))
    assert far.agent.events() == [CallDidConfirm("in-1")]
    call = far.agent.calls["in-1"]
    assert call.state == CallState.ESTABLISHED
    with pytest.raises(CallError, match="not waiting"):
        far.agent.answer("in-1", ANSWER, 2.0)


def test_remote_bye_ends_the_call_and_our_bye_follows_the_route_set(far: FarEnd) -> None:
    tag = _established_inbound(far)
    far.send(remote_request("BYE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=2,
                            branch="z9hG4bKbye"))
    assert far.take_one("200").cseq == (2, "BYE")
    assert far.agent.events() == [CallDidEnd("in-1", EndReason.REMOTE_HANGUP)]
    # A BYE for a call that no longer exists is answered 481.
    far.send(remote_request("BYE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=3,
                            branch="z9hG4bKbye2"))
    assert far.take_one("481")


def test_local_bye_is_in_dialog(far: FarEnd) -> None:
    tag = _established_inbound(far)
    far.agent.hang_up("in-1", 5.0)
    bye = far.take_one("BYE")
    assert isinstance(bye, Request)
    assert bye.uri == "sip:caller@10.9.0.2:5060"  # the caller's Contact
    assert bye.header("Route") == "<sip:10.9.0.1:8080;transport=ws;lr>"
    assert bye.to.tag == "ft" and bye.from_.tag == tag
    assert far.agent.events() == [CallDidEnd("in-1", EndReason.LOCAL_HANGUP)]


def test_cancel_before_answer(far: FarEnd) -> None:
    _invite, _ = _inbound(far)
    far.agent.events()
    cancel = remote_request("CANCEL", call_id="in-1", from_tag="ft", to_tag=None, cseq=1,
                            branch="z9hG4bKinv")
    far.send(cancel)
    statuses = [m.status for m in far.take() if isinstance(m, Response)]
    assert sorted(statuses) == [200, 487]
    assert far.agent.events() == [CallDidEnd("in-1", EndReason.CANCELLED)]
    with pytest.raises(CallError, match="no call"):
        far.agent.answer("in-1", ANSWER, 1.0)


@pytest.mark.parametrize(("status", "reason"), [(486, EndReason.BUSY),
                                                (603, EndReason.DECLINED)])
def test_busy_and_decline(far: FarEnd, status: int, reason: EndReason) -> None:
    _inbound(far)
    far.agent.events()
    far.agent.reject("in-1", 1.0, status)
    assert far.take_one(str(status))
    assert far.agent.events() == [CallDidEnd("in-1", reason, status)]
    # The caller's ACK for the failure is absorbed, not treated as a new request.
    far.send(remote_request("ACK", call_id="in-1", from_tag="ft", to_tag="x", cseq=1,
                            branch="z9hG4bKinv"))
    assert far.take() == [] and far.agent.events() == []


def test_offerless_invite_is_refused_clearly(far: FarEnd) -> None:
    far.send(remote_request("INVITE", call_id="late", from_tag="ft", to_tag=None, cseq=1,
                            branch="z9hG4bKlate"))
    assert far.take_one("488")
    assert far.agent.events() == []


def test_their_reinvite_for_hold_is_answered_by_us(far: FarEnd) -> None:
    tag = _established_inbound(far)
    hold = OFFER + "a=sendonly\r\n"
    far.send(remote_request("INVITE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=2,
                            branch="z9hG4bKre", body=hold, content_type="application/sdp"))
    assert far.agent.events() == [OfferDidArrive("in-1", hold)]
    # A second offer while the first waits is told to try again later.
    far.send(remote_request("INVITE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=3,
                            branch="z9hG4bKre2", body=hold, content_type="application/sdp"))
    assert far.take_one("491")
    far.agent.answer_reoffer("in-1", ANSWER + "a=recvonly\r\n", 3.0)
    ok = far.take_one("200")
    assert isinstance(ok, Response) and "a=recvonly" in ok.text_body
    # An out-of-order CSeq is refused.
    far.send(remote_request("INVITE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=1,
                            branch="z9hG4bKold", body=hold, content_type="application/sdp"))
    assert far.take_one("500")


def _outbound(far: FarEnd) -> tuple[str, Request]:
    call_id = far.agent.call("2000", OFFER, far.now)
    invite = far.take_one("INVITE")
    assert isinstance(invite, Request)
    return call_id, invite


def _answer_outbound(far: FarEnd, invite: Request) -> Response:
    ok = far.reply(invite, 200, "OK", to_tag="callee", body=ANSWER.encode(), extra=[
        ("Contact", "<sip:2000@10.9.0.2:5060>"),
        ("Record-Route", "<sip:10.9.0.1:8080;transport=ws;lr>, <sip:10.9.0.1;lr>")])
    return ok


def test_outbound_call_with_proxy_challenge_rings_and_is_answered(far: FarEnd) -> None:
    call_id, invite = _outbound(far)
    assert invite.uri == "sip:2000@pbx.test" and invite.text_body == OFFER
    far.challenge(invite, 407)
    assert far.take_one("ACK").cseq == (invite.cseq[0], "ACK")  # the 407 is ACKed
    far.take()
    retry = [m for m in far.seen if isinstance(m, Request) and m.method == "INVITE"][-1]
    assert retry.cseq[0] == invite.cseq[0] + 1 and far.credentials_ok(retry)
    far.reply(retry, 180, "Ringing", to_tag="callee")
    assert far.agent.events() == [CallDidProgress(call_id, 180)]
    _answer_outbound(far, retry)
    ack = far.take_one("ACK")
    assert isinstance(ack, Request)
    assert ack.cseq == (retry.cseq[0], "ACK") and ack.uri == "sip:2000@10.9.0.2:5060"
    # Record-Route reversed into the route set on the caller's side.
    assert ack.header_values("Route") == ["<sip:10.9.0.1;lr>",
                                          "<sip:10.9.0.1:8080;transport=ws;lr>"]
    assert far.agent.events() == [CallDidAnswer(call_id, ANSWER)]


def test_outbound_busy(far: FarEnd) -> None:
    call_id, invite = _outbound(far)
    far.reply(invite, 486, "Busy Here", to_tag="b")
    assert far.take_one("ACK")
    assert far.agent.events() == [CallDidEnd(call_id, EndReason.BUSY, 486)]


def test_cancel_waits_for_a_provisional_response(far: FarEnd) -> None:
    call_id, invite = _outbound(far)
    far.agent.hang_up(call_id, 0.5)
    assert far.take() == []  # RFC 3261 §9.1: no CANCEL before a provisional
    far.reply(invite, 100, "Trying")
    cancel = far.take_one("CANCEL")
    assert isinstance(cancel, Request)
    assert cancel.top_via.branch == invite.top_via.branch and cancel.cseq == (1, "CANCEL")
    far.reply(cancel, 200, "OK")
    far.reply(invite, 487, "Request Terminated", to_tag="x")
    assert far.take_one("ACK")
    assert far.agent.events() == [CallDidEnd(call_id, EndReason.CANCELLED, 487)]


def test_answer_racing_our_cancel_is_acked_and_hung_up(far: FarEnd) -> None:
    call_id, invite = _outbound(far)
    far.reply(invite, 180, "Ringing", to_tag="callee")
    far.agent.hang_up(call_id, 1.0)
    assert far.take_one("CANCEL")
    _answer_outbound(far, invite)
    kinds = sorted(m.method for m in far.take() if isinstance(m, Request))
    assert kinds == ["ACK", "BYE"]
    assert far.agent.events()[-1] == CallDidEnd(call_id, EndReason.LOCAL_HANGUP)


def test_outbound_timeout(far: FarEnd) -> None:
    call_id, _ = _outbound(far)
    far.agent.tick(31.9)
    assert far.agent.events() == []
    far.agent.tick(32.0)
    assert far.agent.events() == [CallDidEnd(call_id, EndReason.TIMEOUT, 408)]


def _established_outbound(far: FarEnd) -> str:
    call_id, invite = _outbound(far)
    _answer_outbound(far, invite)
    far.take()
    far.agent.events()
    return call_id


def test_our_hold_and_resume_reinvites(far: FarEnd) -> None:
    call_id = _established_outbound(far)
    far.agent.reoffer(call_id, OFFER + "a=inactive\r\n", 2.0)
    with pytest.raises(CallError, match="already renegotiating"):
        far.agent.reoffer(call_id, OFFER, 2.0)
    reinvite = far.take_one("INVITE")
    assert isinstance(reinvite, Request)
    assert reinvite.cseq[0] == 2 and reinvite.to.tag == "callee"
    far.reply(reinvite, 200, "OK", body=(ANSWER + "a=inactive\r\n").encode())
    ack = far.take_one("ACK")
    assert ack.cseq == (2, "ACK")
    assert far.agent.events() == [ReofferDidComplete(call_id, ANSWER + "a=inactive\r\n")]
    far.agent.reoffer(call_id, OFFER, 3.0)
    resume = far.take_one("INVITE")
    assert isinstance(resume, Request)
    far.reply(resume, 488, "Not Acceptable Here")
    assert far.agent.events() == [ReofferDidFail(call_id, 488)]
    assert far.agent.calls[call_id].state == CallState.ESTABLISHED


def test_dtmf_by_info_both_ways(far: FarEnd) -> None:
    call_id = _established_outbound(far)
    far.agent.send_dtmf(call_id, "5", 3.0)
    info = far.take_one("INFO")
    assert isinstance(info, Request)
    assert info.header("Content-Type") == "application/dtmf-relay"
    assert "Signal=5" in info.text_body
    with pytest.raises(CallError, match="not a DTMF digit"):
        far.agent.send_dtmf(call_id, "x", 3.0)
    tag = far.agent.calls[call_id].dialog.local_tag  # type: ignore[union-attr]
    incoming = Request(method="INFO", uri=far.agent.contact.strip("<>"), body=b"Signal=#\r\n"
                       b"Duration=200\r\n", headers=[
                           ("Via", "SIP/2.0/WSS 10.9.0.1;branch=z9hG4bKi"),
                           ("From", "<sip:2000@pbx.test>;tag=callee"),
                           ("To", f"<sip:agent@pbx.test>;tag={tag}"), ("Call-ID", call_id),
                           ("CSeq", "10 INFO"), ("Content-Type", "application/dtmf-relay")])
    far.send(incoming)
    assert far.take_one("200")
    assert far.agent.events() == [DtmfDidArrive(call_id, "#", 200)]


def test_blind_transfer_by_refer_with_notify_progress(far: FarEnd) -> None:
    call_id = _established_outbound(far)
    far.agent.refer(call_id, "3000", 4.0)
    refer = far.take_one("REFER")
    assert isinstance(refer, Request)
    assert refer.header("Refer-To") == "<sip:3000@pbx.test>"
    far.reply(refer, 202, "Accepted")
    assert far.agent.events() == [TransferDidProgress(call_id, 202, final=False)]
    tag = refer.from_.tag
    for frag, state, final in [("SIP/2.0 100 Trying", "active", False),
                               ("SIP/2.0 200 OK", "terminated;reason=noresource", True)]:
        notify = Request(method="NOTIFY", uri="sip:agent@x", body=frag.encode(), headers=[
            ("Via", f"SIP/2.0/WSS 10.9.0.1;branch=z9hG4bKn{final}"),
            ("From", "<sip:2000@pbx.test>;tag=callee"), ("To", f"<sip:agent@pbx.test>;tag={tag}"),
            ("Call-ID", call_id), ("CSeq", f"{20 + final} NOTIFY"), ("Event", "refer"),
            ("Subscription-State", state), ("Content-Type", "message/sipfrag")])
        far.send(notify)
        assert far.take_one("200")
        status = int(frag.split()[1])
        assert far.agent.events() == [TransferDidProgress(call_id, status, final=final)]


def test_options_is_answered_and_unknown_methods_refused(far: FarEnd) -> None:
    options = remote_request("OPTIONS", call_id="o", from_tag="x", to_tag=None, cseq=1,
                             branch="z9hG4bKo")
    far.send(options)
    ok = far.take_one("200")
    assert "INVITE" in (ok.header("Allow") or "")
    far.send(remote_request("SUBSCRIBE", call_id="s", from_tag="x", to_tag=None, cseq=1,
                            branch="z9hG4bKs"))
    assert far.take_one("405")
    far.send(remote_request("FROBNICATE", call_id="f", from_tag="x", to_tag=None, cseq=1,
                            branch="z9hG4bKf"))
    assert far.take_one("501")


def test_transport_drop_ends_every_call(far: FarEnd) -> None:
    call_id = _established_outbound(far)
    _inbound(far, "in-2")
    far.agent.events()
    far.agent.transport_did_drop(9.0)
    ended = {e.call_id: e.reason for e in far.agent.events() if isinstance(e, CallDidEnd)}
    assert ended == {call_id: EndReason.TRANSPORT_LOST, "in-2": EndReason.TRANSPORT_LOST}
    assert far.agent.calls == {}


@pytest.mark.parametrize("junk", [
    "", "\r\n\r\n", "garbage", "SIP/2.0 200 OK\r\n\r\n", b"\xff\xfe\x00",
    "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/WSS h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
    "To: <sip:a@b>\r\nCall-ID: j\r\nCSeq: 1 INVITE\r\nContact: nonsense\r\n"
    "Content-Type: application/sdp\r\n\r\nv=0",
    "BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/WSS h;branch=z9hG4bK2\r\nFrom: \"open <sip:a@b>\r\n"
    "To: <sip:a@b>;tag=2\r\nCall-ID: j\r\nCSeq: 1 BYE\r\n\r\n",
])
def test_junk_never_crashes_and_answerable_requests_get_400(far: FarEnd,
                                                           junk: str | bytes) -> None:
    far.agent.receive(junk, 1.0)
    replies = far.take()
    # Only a request whose Via/From/To can be read can be answered (with 400).
    expected = [400] if isinstance(junk, str) and junk.startswith("INVITE") else []
    assert [m.status for m in replies if isinstance(m, Response)] == expected
    assert len(replies) == len(expected)
    assert far.agent.calls == {} and far.agent.events() == []


def test_an_answer_never_acked_ends_the_call_with_a_bye(far: FarEnd) -> None:
    _inbound(far)
    far.agent.events()
    far.agent.answer("in-1", ANSWER, 10.0)
    assert far.take_one("200")
    assert far.agent.next_deadline() == 42.0
    far.agent.tick(41.9)
    assert far.agent.events() == []
    far.agent.tick(42.0)
    assert far.take_one("BYE")
    assert far.agent.events() == [CallDidEnd("in-1", EndReason.TIMEOUT)]


def test_a_challenged_bye_moves_the_dialog_cseq_on(far: FarEnd) -> None:
    call_id = _established_outbound(far)
    far.agent.send_dtmf(call_id, "1", 2.0)
    info = far.take_one("INFO")
    assert isinstance(info, Request)
    far.challenge(info, 407)
    retry = far.take_one("INFO")
    assert isinstance(retry, Request) and far.credentials_ok(retry)
    assert retry.cseq[0] == info.cseq[0] + 1
    far.reply(retry, 200, "OK")
    far.agent.hang_up(call_id, 3.0)
    bye = far.take_one("BYE")
    assert bye.cseq[0] > retry.cseq[0]


def test_incoming_call_carries_the_number(far: FarEnd) -> None:
    _inbound(far)
    event = far.agent.events()[0]
    assert isinstance(event, IncomingCall) and event.caller_number == "+8613800138000"


def test_offerless_reinvite_gets_our_offer_and_the_answer_comes_in_the_ack(far: FarEnd) -> None:
    tag = _established_inbound(far)
    far.send(remote_request("INVITE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=2,
                            branch="z9hG4bKrefresh"))
    assert far.agent.events() == [OfferWanted("in-1")]
    far.agent.answer_reoffer("in-1", OFFER, 5.0)
    ok = far.take_one("200")
    assert isinstance(ok, Response) and ok.text_body == OFFER
    far.send(remote_request("ACK", call_id="in-1", from_tag="ft", to_tag=tag, cseq=2,
                            branch="z9hG4bKack2", body=ANSWER, content_type="application/sdp"))
    assert far.agent.events() == [ReofferDidComplete("in-1", ANSWER)]
    # A later plain ACK means nothing more.
    far.send(remote_request("ACK", call_id="in-1", from_tag="ft", to_tag=tag, cseq=2,
                            branch="z9hG4bKack3"))
    assert far.agent.events() == []


def test_update_without_body_refreshes_the_session(far: FarEnd) -> None:
    tag = _established_inbound(far)
    far.send(remote_request("UPDATE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=2,
                            branch="z9hG4bKupd"))
    assert far.take_one("200")
    far.send(remote_request("UPDATE", call_id="in-1", from_tag="ft", to_tag=tag, cseq=3,
                            branch="z9hG4bKupd2", body=OFFER, content_type="application/sdp"))
    assert far.take_one("488")
    assert far.agent.events() == []


def test_attended_transfer_refers_the_customer_to_the_consult_dialog(far: FarEnd) -> None:
    _established_inbound(far)  # the customer called in (call in-1)
    consult_id, invite = _outbound(far)  # the agent consults 2000
    _answer_outbound(far, invite)
    far.take()
    far.agent.events()
    far.agent.refer_replacing("in-1", consult_id, 5.0)
    refer = far.take_one("REFER")
    assert isinstance(refer, Request) and refer.call_id == "in-1"
    # RFC 3891 seen from the colleague: its own tag is the to-tag, ours the from-tag.
    local_tag = invite.from_.tag
    assert refer.header("Refer-To") == (
        f"<sip:2000@pbx.test?Replaces={consult_id}%3Bto-tag%3Dcallee%3Bfrom-tag%3D{local_tag}>")
    assert refer.header("Referred-By") == far.agent.account.address
    far.reply(refer, 202, "Accepted")
    assert far.agent.events() == [TransferDidProgress("in-1", 202, final=False)]


def test_attended_transfer_needs_an_established_consult_leg(far: FarEnd) -> None:
    _established_inbound(far)
    consult_id, _invite = _outbound(far)  # still calling
    with pytest.raises(CallError):
        far.agent.refer_replacing("in-1", consult_id, 1.0)
    with pytest.raises(CallError):
        far.agent.refer_replacing("in-1", "no-such-call", 1.0)
    assert not [m for m in far.take() if isinstance(m, Request) and m.method == "REFER"]
