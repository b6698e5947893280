"""Transactions driven by explicit time: retransmissions, time-outs, ACK, absorption."""

from __future__ import annotations

import itertools

from core.sip.message import Request, Response
from core.sip.transaction import (
    ClientTransaction,
    ServerTransaction,
    Timers,
    TransactionLayer,
    TxState,
    make_response,
)


def _request(method: str, branch: str = "z9hG4bKt1") -> Request:
    return Request(method=method, uri="sip:b@pbx.test", headers=[
        ("Via", f"SIP/2.0/UDP h.invalid;branch={branch}"), ("From", "<sip:a@pbx.test>;tag=f"),
        ("To", "<sip:b@pbx.test>"), ("Call-ID", "cid"), ("CSeq", f"3 {method}"),
        ("Route", "<sip:proxy;lr>")])


def _state(tx: ClientTransaction | ServerTransaction) -> TxState:
    return tx.state  # read through a call: the state changes behind mypy's narrowing


def _response(request: Request, status: int) -> Response:
    return make_response(request, status, "X", to_tag="tt")


def test_unreliable_non_invite_retransmits_with_backoff_capped_at_t2() -> None:
    tx = ClientTransaction(_request("OPTIONS"), 0.0, reliable=False)
    sent_at = [0.0]
    tx.outbox.clear()
    now = 0.0
    while tx.state != TxState.TERMINATED:
        deadline = tx.next_deadline()
        assert deadline is not None
        now = deadline
        tx.tick(now)
        if tx.outbox:
            sent_at.append(now)
            tx.outbox.clear()
    intervals = [round(b - a, 3) for a, b in itertools.pairwise(sent_at)]
    assert intervals[:5] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert tx.timed_out and now == 32.0


def test_reliable_invite_never_retransmits_and_times_out_at_64_t1() -> None:
    tx = ClientTransaction(_request("INVITE"), 10.0, reliable=True)
    assert tx.outbox == [tx.request]
    assert tx.next_deadline() == 42.0
    tx.tick(41.9)
    assert not tx.timed_out
    tx.tick(42.0)
    assert tx.timed_out and tx.state == TxState.TERMINATED


def test_invite_failure_is_acked_with_the_response_to_tag_and_same_route() -> None:
    request = _request("INVITE")
    tx = ClientTransaction(request, 0.0, reliable=False)
    tx.outbox.clear()
    assert tx.receive(_response(request, 180), 0.1)
    assert tx.state == TxState.PROCEEDING
    assert tx.receive(_response(request, 486), 0.2)
    ack = tx.outbox[-1]
    assert isinstance(ack, Request) and ack.method == "ACK"
    assert ack.to.tag == "tt" and ack.cseq == (3, "ACK") and ack.uri == request.uri
    assert ack.top_via.branch == request.top_via.branch
    assert ack.header("Route") == "<sip:proxy;lr>"
    # A retransmitted 486 is ACKed again but not delivered twice.
    assert not tx.receive(_response(request, 486), 0.3)
    assert [m for m in tx.outbox if isinstance(m, Request)] and len(tx.outbox) == 2
    tx.tick(0.2 + 32.0)
    assert _state(tx) == TxState.TERMINATED


def test_invite_2xx_ends_the_transaction_for_the_dialog_to_ack() -> None:
    request = _request("INVITE")
    tx = ClientTransaction(request, 0.0)
    tx.outbox.clear()
    assert tx.receive(_response(request, 200), 1.0)
    assert tx.state == TxState.TERMINATED and tx.outbox == []


def test_server_invite_failure_waits_for_ack_and_retransmits_until_then() -> None:
    request = _request("INVITE")
    tx = ServerTransaction(request, 0.0, reliable=False)
    tx.respond(_response(request, 603), 0.0)
    tx.outbox.clear()
    tx.tick(0.5)
    tx.tick(1.5)
    assert [m.status for m in tx.outbox if isinstance(m, Response)] == [603, 603]
    ack = Request(method="ACK", uri=request.uri, headers=[*request.headers[:4], ("CSeq", "3 ACK")])
    tx.receive_retransmission(ack, 2.0)
    assert tx.state == TxState.CONFIRMED
    tx.tick(2.0 + Timers().t4)
    assert _state(tx) == TxState.TERMINATED and not tx.timed_out


def test_server_invite_without_ack_times_out() -> None:
    request = _request("INVITE")
    tx = ServerTransaction(request, 0.0, reliable=True)
    tx.respond(_response(request, 486), 0.0)
    tx.tick(32.0)
    assert tx.timed_out and tx.state == TxState.TERMINATED


def test_layer_absorbs_request_retransmissions_and_repeats_the_answer() -> None:
    layer = TransactionLayer(reliable=False)
    request = _request("BYE")
    tx = layer.receive_request(request, 0.0)
    assert tx is not None
    tx.respond(_response(request, 200), 0.0)
    assert [m.status for m in layer.take_outgoing() if isinstance(m, Response)] == [200]
    assert layer.receive_request(_request("BYE"), 0.5) is None
    assert [m.status for m in layer.take_outgoing() if isinstance(m, Response)] == [200]
    # Timer J (64·T1 on an unreliable transport) ends it; then the branch is new again.
    layer.tick(32.0)
    layer.take_outgoing()
    assert layer.receive_request(_request("BYE"), 33.0) is not None


def test_layer_matches_responses_by_branch_and_method() -> None:
    layer = TransactionLayer()
    invite = _request("INVITE", "z9hG4bKsame")
    layer.send_request(invite, 0.0)
    cancel = _request("CANCEL", "z9hG4bKsame")
    layer.send_request(cancel, 0.1)
    assert len(layer.take_outgoing()) == 2
    delivered = layer.receive_response(_response(cancel, 200), 0.2)
    assert delivered is not None and delivered.request.method == "CANCEL"
    delivered = layer.receive_response(_response(invite, 487), 0.3)
    assert delivered is not None and delivered.request.method == "INVITE"
    acks = [m for m in layer.take_outgoing() if isinstance(m, Request)]
    assert [m.method for m in acks] == ["ACK"]
    assert layer.receive_response(_response(_request("INFO", "z9hG4bKother"), 200), 0.4) is None


def test_next_deadline_reflects_the_earliest_timer() -> None:
    layer = TransactionLayer(reliable=False)
    layer.send_request(_request("OPTIONS", "z9hG4bKa"), 0.0)
    layer.send_request(_request("OPTIONS", "z9hG4bKb"), 0.2)
    assert layer.next_deadline() == 0.5
    assert layer.tick(32.0) != []
    layer.take_outgoing()
    assert layer.next_deadline() == 32.2
