"""The mail parser (hub/email/parser.py) meets any bytes a stranger can send:
it never raises, keeps to its limits, and every id it hands on is a valid msg-id
with no line break (what a reply writes into In-Reply-To/References, finding 3)."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from hub.email.msgid import is_msgid
from hub.email.parser import MAX_TEXT_CHARS, parse
from tests.support.fuzzing import ROUND, for_a_while

HEADERS = ["From", "To", "Cc", "Reply-To", "Subject", "Message-ID", "In-Reply-To",
           "References", "Date", "Content-Type", "Content-Transfer-Encoding",
           "Content-Disposition", "Auto-Submitted", "Delivered-To", "MIME-Version"]
TYPES = ["text/plain", "text/html", "text/calendar", "message/rfc822",
         "message/delivery-status", "application/octet-stream", "image/png",
         "multipart/mixed", "multipart/alternative", "multipart/report", "text/x-unknown"]
CHARSETS = ["utf-8", "gb2312", "gbk", "big5", "iso-8859-1", "utf-7", "x-unknown", "utf-16"]


def _encoded_word(text: str) -> str:
    data = base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()
    return f"=?utf-8?b?{data}?="


header_values = st.one_of(
    st.text(max_size=80),
    st.text(max_size=40).map(_encoded_word),
    st.sampled_from(["<a@b>", "<a@b>\r\nBcc: x@y", "=?utf-8?q?<a@b>=0D=0ABcc:_x@y?=",
                     "<a@b> <c@d>", "(comment) <x@[1.2.3.4]>", "<>", "<@>", "\x00",
                     '"=?utf-8?b?PGFAYj4NCkJjYzogeEB5?=" <a@b.c>', "a@b, <c@d>, ;;,",
                     "multipart/mixed; boundary=\"b\"", "text/plain; charset=\"utf-7\"",
                     "base64", "quoted-printable", "attachment; filename*=utf-8''%E4%B8%AD"]),
)


@st.composite
def _part(draw: st.DrawFn, depth: int = 0) -> bytes:
    ctype = draw(st.sampled_from(TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from(["7bit", "base64", "quoted-printable", "8bit", "x-bad"]))
    lines = [f"Content-Type: {ctype}; charset={charset}; boundary=\"b{depth}\"".encode(),
             f"Content-Transfer-Encoding: {encoding}".encode()]
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(HEADERS))
        lines.append(f"{name}: {draw(header_values)}".encode("utf-8", "surrogatepass"))
    head = b"\r\n".join(lines)
    if ctype.startswith("multipart/") and depth < 4:
        children = draw(st.lists(_part(depth + 1), max_size=3))
        body = b"".join(b"--b%d\r\n" % depth + child + b"\r\n" for child in children)
        body += b"--b%d--\r\n" % depth
    elif ctype == "message/rfc822" and depth < 4:
        body = draw(_part(depth + 1))
    else:
        body = draw(st.binary(max_size=200) | st.text(max_size=200).map(
            lambda t: t.encode("utf-8", "surrogatepass")))
    return head + b"\r\n\r\n" + body


@st.composite
def _mail(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        name = draw(st.sampled_from(HEADERS) | st.text(min_size=1, max_size=12))
        lines.append(f"{name}: {draw(header_values)}".encode("utf-8", "surrogatepass"))
    return b"\r\n".join(lines) + b"\r\n" + draw(_part())


def _check(raw: bytes) -> None:
    out = parse(raw)  # never raises: any exception fails the harness
    assert len(out.text) <= MAX_TEXT_CHARS
    for value in [out.header_message_id, out.in_reply_to, *out.references]:
        if value is not None:
            assert is_msgid(value), value
            assert not any(c in value for c in "\r\n\x00"), value
    for address in [*out.to, *out.cc, *out.reply_to, *([out.from_] if out.from_ else [])]:
        assert not any(c in address.address for c in "\r\n\x00"), address


def test_the_mail_parser_never_raises_and_hands_on_only_valid_ids() -> None:
    @ROUND
    @given(st.binary(max_size=2000) | _mail())
    def round_(raw: bytes) -> None:
        _check(raw)

    assert for_a_while(round_) >= 1
