"""Parsing and serialising SIP messages, good and bad."""

from __future__ import annotations

import pytest

from core.sip.message import (
    Request,
    Response,
    SipParseError,
    parse_message,
    parse_name_addr,
    parse_via,
    split_header_list,
)

INVITE = (
    "INVITE sip:agent@pbx.test SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK776;rport, "
    "SIP/2.0/WSS x.invalid;branch=z9hG4bK1\r\n"
    "v: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK9\r\n"
    'f: "Wang, Li" <sip:+8613800138000@pbx.test>;tag=abc\r\n'
    "t: <sip:agent@pbx.test>\r\n"
    "i: c1@10.0.0.2\r\n"
    "CSeq: 7 INVITE\r\n"
    "Subject: a long\r\n"
    " folded line\r\n"
    "Record-Route: <sip:10.0.0.1;lr>, <sip:10.0.0.3;lr>\r\n"
    "m: <sip:caller@10.0.0.2:5060>\r\n"
    "c: application/sdp\r\n"
    "l: 4\r\n"
    "\r\n"
    "v=0\nextra after the declared length"
)


def test_request_with_compact_and_folded_headers() -> None:
    message = parse_message(INVITE)
    assert isinstance(message, Request)
    assert (message.method, message.uri) == ("INVITE", "sip:agent@pbx.test")
    assert message.call_id == "c1@10.0.0.2"
    assert message.cseq == (7, "INVITE")
    assert message.header_values("Via")[1] == "SIP/2.0/WSS x.invalid;branch=z9hG4bK1"
    assert len(message.header_values("Via")) == 3
    assert message.top_via.branch == "z9hG4bK776"
    assert message.header("Subject") == "a long folded line"
    assert message.header_values("Record-Route") == ["<sip:10.0.0.1;lr>", "<sip:10.0.0.3;lr>"]
    assert message.from_.display == "Wang, Li"
    assert message.from_.tag == "abc"
    assert message.from_.user == "+8613800138000"
    assert message.to.tag is None
    assert message.body == b"v=0\n"


def test_response_roundtrip() -> None:
    text = ("SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/WSS h.invalid;branch=z9hG4bKx\r\n"
            "From: <sip:a@b>;tag=1\r\nTo: <sip:c@b>;tag=2\r\nCall-ID: q\r\n"
            "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
    message = parse_message(text)
    assert isinstance(message, Response)
    assert (message.status, message.reason) == (486, "Busy Here")
    again = parse_message(message.to_text())
    assert isinstance(again, Response)
    assert again.headers == message.headers
    assert message.to_text().endswith("Content-Length: 0\r\n\r\n")


def test_serialise_counts_the_body_in_bytes() -> None:
    request = Request(method="MESSAGE", uri="sip:a@b", body="你好".encode(), headers=[
        ("Via", "SIP/2.0/WSS h.invalid;branch=z9hG4bKq"), ("From", "<sip:x@b>;tag=1"),
        ("To", "<sip:a@b>"), ("Call-ID", "z"), ("CSeq", "1 MESSAGE")])
    text = request.to_text()
    assert "Content-Length: 6\r\n" in text
    assert parse_message(text).body == "你好".encode()


@pytest.mark.parametrize(("text", "complaint"), [
    ("", "no blank line"),
    ("\r\n\r\n", "empty message"),
    ("HELLO\r\n\r\n", "not a request or status line"),
    ("SIP/2.0 999 Odd\r\n\r\n", "not a request or status line"),
    ("INVITE sip:a@b SIP/3.0\r\n\r\n", "not a request or status line"),
    ("INVITE sip:a@b SIP/2.0\r\nno colon here\r\n\r\n", "bad header line"),
    ("INVITE sip:a@b SIP/2.0\r\n folded first\r\n\r\n", "continuation line"),
    ("INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n", "missing CSeq"),
])
def test_malformed_messages_are_clear_errors(text: str, complaint: str) -> None:
    with pytest.raises(SipParseError, match=complaint):
        parse_message(text)


def _headers(**overrides: str) -> str:
    base = {"Via": "SIP/2.0/UDP h;branch=z9hG4bK1", "From": "<sip:a@b>;tag=1",
            "To": "<sip:c@b>", "Call-ID": "x", "CSeq": "1 OPTIONS"}
    base.update(overrides)
    return "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in base.items())


@pytest.mark.parametrize(("overrides", "complaint"), [
    ({"CSeq": "one OPTIONS"}, "bad CSeq"),
    ({"CSeq": "99999999999 OPTIONS"}, "too large"),
    ({"CSeq": "1 INVITE"}, "does not match"),
    ({"Via": "HTTP/1.1 host"}, "bad Via"),
    ({"Via": "SIP/2.0/UDP ;branch=1"}, "without host"),
    ({"Content_Length": "12"}, "Content-Length 12 but 0"),
    ({"Content_Length": "-1"}, "Content-Length -1"),
    ({"Content_Length": "lots"}, "bad Content-Length"),
])
def test_bad_header_values(overrides: dict[str, str], complaint: str) -> None:
    with pytest.raises(SipParseError, match=complaint):
        parse_message("OPTIONS sip:c@b SIP/2.0\r\n" + _headers(**overrides) + "\r\n")


def test_binary_and_oversized_input() -> None:
    with pytest.raises(SipParseError, match="not UTF-8"):
        parse_message(b"OPTIONS sip:a@b SIP/2.0\r\nX: \xff\xfe\r\n\r\n")
    with pytest.raises(SipParseError, match="too large"):
        parse_message("OPTIONS sip:a@b SIP/2.0\r\n" + "X: y\r\n" * 20000 + "\r\n")


def test_name_addr_forms() -> None:
    plain = parse_name_addr("sip:bob@b.test;tag=9")
    assert (plain.uri, plain.tag) == ("sip:bob@b.test", "9")
    bracketed = parse_name_addr('Bob <sip:bob@b.test;transport=ws>;expires=60')
    assert bracketed.display == "Bob"
    assert bracketed.uri == "sip:bob@b.test;transport=ws"
    assert bracketed.params == {"expires": "60"}
    escaped = parse_name_addr(r'"say \"hi\"" <tel:+861234>')
    assert escaped.uri == "tel:+861234"
    for bad, complaint in [('"open <sip:a@b>', "unterminated"), ("<sip:a@b", "missing '>'"),
                           ("just-text", "not a URI")]:
        with pytest.raises(SipParseError, match=complaint):
            parse_name_addr(bad)


def test_header_list_split_respects_quotes_and_brackets() -> None:
    value = '"a, b" <sip:x@y;p=1,2>, <sip:z@y>'
    assert split_header_list(value) == ['"a, b" <sip:x@y;p=1,2>', "<sip:z@y>"]
    assert parse_via("SIP/2.0/wss h.invalid;branch=z9hG4bKa;rport").transport == "WSS"
