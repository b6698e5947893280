"""The parser over a corpus of awkward mail, and over hostile input."""

from __future__ import annotations

import re

import pytest

from core.protocol.email import EmailAddress, EmailProblem
from hub.email import parser
from hub.email.charsets import Decoding, decode_bytes, decode_header_value
from hub.email.msgid import is_msgid
from testbed.email_corpus import (
    HIDDEN_ID,
    INJECTED,
    Case,
    Hostile,
    bounce_for,
    cases,
    hostile,
    simple,
)


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_corpus_is_parsed_without_loss(case: Case) -> None:
    parsed = parser.parse(case.raw)
    assert parsed.subject == case.subject
    assert parsed.from_ is not None and parsed.from_.address == case.sender
    for piece in case.text_contains:
        assert piece in parsed.text
    for piece in case.html_contains:
        assert parsed.html is not None and piece in parsed.html
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == case.attachments
    assert [a.content_id for a in parsed.attachments if a.inline] == case.inline_cids
    assert parsed.calendar_summary == case.calendar
    assert parsed.problems == case.problems
    # Never silently garbled: no replacement character unless flagged.
    if EmailProblem.CHARSET_UNDECODABLE not in parsed.problems:
        assert "\ufffd" not in parsed.text + parsed.subject


def test_encoded_word_sender_name_is_decoded() -> None:
    words = next(c for c in cases() if c.name == "encoded-words")
    parsed = parser.parse(words.raw)
    assert parsed.from_ is not None and parsed.from_.name == "张伟"


def test_raw_8bit_headers_in_gbk_and_utf8() -> None:
    gbk = "Subject: 退货".encode("gbk").decode("ascii", "surrogateescape")
    assert decode_header_value(gbk.split(": ", 1)[1]) == ("退货", Decoding.MISLABELED)
    utf8 = "退货".encode().decode("ascii", "surrogateescape")
    assert decode_header_value(utf8) == ("退货", Decoding.CLEAN)


def test_big5_without_label_is_not_read_as_gbk() -> None:
    text, outcome = decode_bytes("臺灣繁體中文的客戶來信".encode("big5"), None)
    assert (text, outcome) == ("臺灣繁體中文的客戶來信", Decoding.MISLABELED)


def test_real_latin1_stays_latin1() -> None:
    assert decode_bytes("café crème brûlée".encode("latin-1"), "iso-8859-1") == (
        "café crème brûlée", Decoding.CLEAN)


def test_unknown_charset_label_is_flagged_not_fatal() -> None:
    text, outcome = decode_bytes("未知字符集".encode(), "x-unknown-charset")
    assert text == "未知字符集" and outcome is Decoding.MISLABELED


def test_bounce_names_the_original_message() -> None:
    parsed = parser.parse(bounce_for("<out-1@example.com>"))
    assert parsed.bounce is not None
    assert parsed.bounce.original_message_id == "<out-1@example.com>"
    assert parsed.bounce.failed and "550 5.1.1" in parsed.bounce.detail


# ---- bad input -------------------------------------------------------------------------


def test_missing_headers_are_flagged() -> None:
    parsed = parser.parse(b"Subject: no sender\r\n\r\nbody only\r\n")
    assert parsed.from_ is None and parsed.header_message_id is None
    assert EmailProblem.MISSING_HEADERS in parsed.problems
    assert parsed.text.strip() == "body only"


def test_malformed_mime_is_flagged_and_text_kept() -> None:
    raw = (b"From: a@example.com\r\nMessage-ID: <m@x>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
           b"Content-Type: multipart/mixed\r\n\r\nno boundary at all, still text\r\n")
    parsed = parser.parse(raw)
    assert EmailProblem.MALFORMED_MIME in parsed.problems


def test_garbage_bytes_do_not_raise() -> None:
    for raw in (b"", b"\x00\xff" * 1000, b"\r\n\r\n\r\n", b"Content-Type: multipart/x; b=\r\n"):
        parser.parse(raw)  # any outcome but an exception


def test_ten_thousand_parts_are_capped() -> None:
    parts = b"".join(
        b"--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
        b"filename=f%d.txt\r\n\r\nx%d\r\n" % (i, i) for i in range(10_000))
    raw = simple("many", "many", extra='Content-Type: multipart/mixed; boundary="B"\r\n')
    raw = raw.split(b"Content-Type: text/plain")[0] + b"\r\n" + parts + b"--B--\r\n"
    parsed = parser.parse(raw)
    assert EmailProblem.TOO_MANY_PARTS in parsed.problems
    assert len(parsed.attachments) < parser.MAX_PARTS
    assert parsed.subject == "many"


def test_deep_nesting_keeps_the_headers() -> None:
    head = (b"From: deep@example.com\r\nMessage-ID: <deep@x>\r\nSubject: deep\r\n"
            b"Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n")
    body = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                    for i in range(3000))
    parsed = parser.parse(head + body + b"Content-Type: text/plain\r\n\r\nhi\r\n")
    assert parsed.problems & {EmailProblem.TOO_DEEP, EmailProblem.UNPARSEABLE}
    assert parsed.subject == "deep" and parsed.header_message_id == "<deep@x>"


def test_html_bomb_is_kept_bounded() -> None:
    bomb = "<div>" * 200_000 + "boom" + "</div>" * 200_000
    raw = simple("bomb", "bomb").split(b"Content-Type:")[0] + (
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + bomb.encode())
    parsed = parser.parse(raw)
    assert parsed.html is not None and len(parsed.html) <= parser.MAX_HTML_CHARS
    assert EmailProblem.TOO_LARGE in parsed.problems
    assert "boom" not in parsed.text or len(parsed.text) < 100


def test_over_the_size_limit_keeps_headers_only() -> None:
    big = b"A" * (parser.MAX_MESSAGE_BYTES + 10)
    raw = simple("huge", "huge").split(b"Content-Type:")[0] + (
        b"Content-Type: application/octet-stream\r\n\r\n" + big)
    parsed = parser.parse(raw)
    assert EmailProblem.TOO_LARGE in parsed.problems
    assert parsed.subject == "huge" and parsed.attachments == []


# ---- hostile headers (ids, subject, names, addresses) -----------------------------------

_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


@pytest.mark.parametrize("case", hostile(), ids=lambda c: c.name)
def test_hostile_headers_leave_no_break_and_no_unsafe_id(case: Hostile) -> None:
    parsed = parser.parse(case.raw)
    people = [a for a in (parsed.from_, *parsed.to, *parsed.cc, *parsed.reply_to) if a]
    for text in [parsed.subject, *(a.name for a in people)]:
        assert not _LINE_BREAKING.search(text), text
    for address in (a.address for a in people):
        assert "=?" not in address and not re.search(r"[\s\x00-\x1f]", address), address
    ids = [parsed.header_message_id, parsed.in_reply_to, *parsed.references]
    assert all(is_msgid(i) for i in ids if i is not None), ids
    assert parsed.from_ is not None and parsed.text.strip() == "Please call me back."


def _hostile(name: str) -> parser.ParsedEmail:
    return parser.parse(next(c for c in hostile() if c.name == name).raw)


def test_an_id_in_an_encoded_word_is_dropped_counted_and_never_decoded() -> None:
    for name in ("message-id-q", "message-id-b", "message-id-hidden-b", "message-id-hidden-q",
                 "message-id-raw-encoded-word", "message-id-unicode", "message-id-overlong",
                 "message-id-nested"):
        parsed = _hostile(name)
        assert parsed.header_message_id is None, name
        assert parsed.invalid == {"message-id": 1}, name
        assert EmailProblem.INVALID_HEADERS in parsed.problems, name
        assert EmailProblem.MISSING_HEADERS not in parsed.problems, name  # it was there
    refs = _hostile("references-mixed")
    assert refs.references == ["<root@customer.example>"]
    assert refs.invalid == {"references": 3}
    assert _hostile("in-reply-to-hidden").in_reply_to is None


def test_text_is_decoded_once_and_kept_on_one_line() -> None:
    assert _hostile("subject-hidden").subject == f"Order =?utf-8?q?x{INJECTED}?="
    assert _hostile("subject-break").subject == "Order Bcc: victim@evil.example forged body"
    assert _hostile("subject-unicode-breaks").subject == "Order Bcc: v x y"
    sender = _hostile("from-name-break").from_
    assert sender == EmailAddress("eve@customer.example", "Eve Bcc: victim@evil.example "
                                                          "forged body")


def test_addresses_with_encoded_words_or_breaks_are_dropped_and_counted() -> None:
    friend = EmailAddress("friend@customer.example")
    for name in ("cc-address-break", "cc-address-hidden", "cc-address-raw-encoded-word"):
        parsed = _hostile(name)
        assert parsed.cc == [friend], name
        assert parsed.invalid == {"cc": 1}, name
    reply_to = _hostile("reply-to-address-break")
    assert reply_to.reply_to == [] and reply_to.invalid == {"reply-to": 1}
    to = _hostile("to-address-hidden")
    assert [a.address for a in to.to] == ["support@example.com"]


def test_a_bounce_naming_a_hidden_id_names_none() -> None:
    parsed = parser.parse(bounce_for(HIDDEN_ID))
    assert parsed.bounce is not None and parsed.bounce.original_message_id is None
