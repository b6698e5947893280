"""The msg-id validator over ids as mail really has them, and over a hostile corpus."""

from __future__ import annotations

import base64

import pytest

from hub.email.msgid import MAX_MSGID_CHARS, HeaderIds, header_ids, is_msgid, message_id

INJECTED = "=0D=0ABcc:_victim@evil.example=0D=0A=0D=0Aforged_body"
CRLF_B64 = base64.b64encode(b"x\r\nBcc: victim@evil.example\r\n\r\nforged body").decode()


@pytest.mark.parametrize("value", [
    "<a@b>",
    "<p1@mail.example.com>",
    "<171234567890.12345.678901234567890@example.com>",
    "<CAH+w=7Kx_Qz-9@mail.gmail.com>",  # "=" and "+" are atext
    "<DM6PR11MB4595.namprd11.prod.outlook.com@DM6PR11MB4595.namprd11.prod.outlook.com>",
    "<1a2b3c$4d5e!f6#%&'*/?^`{|}~@host.example>",
    "<raw_0123456789abcdef@zuoxi.invalid>",
    "<id@[127.0.0.1]>",  # no-fold-literal
    "<id@[IPv6:2001:db8::1]>",
])
def test_valid_ids(value: str) -> None:
    assert is_msgid(value)


@pytest.mark.parametrize("value", [
    # Encoded words, q and b, bare or inside the brackets, any case.
    f"=?utf-8?q?<a@b>{INJECTED}?=",
    f"<=?utf-8?q?x{INJECTED}?=@evil.example>",
    f"<x@=?utf-8?q?{INJECTED}?=>",
    f"<=?utf-8?b?{CRLF_B64}?=@evil.example>",
    f"<=?UTF-8?B?{CRLF_B64}?=@evil.example>",
    f"=?utf-8?b?{base64.b64encode(b'<a@b>').decode()}?=",
    "<a=?utf-8?q?=0D=0A?=b@c>",
    "<a=?@b>",
    # Line breaks and NUL, inside or after.
    "<a\r@b>", "<a\n@b>", "<a\r\n@b>", "<a@b\r\nBcc: victim@evil.example>",
    "<a@b>\r\n", "<a@b>\n", "<a\x00@b>", "<a@b>\x00",
    # Other controls, and line separators that str.splitlines() honours.
    "<a\t@b>", "<a\x7f@b>", "<a\x0b@b>", "<a\x85@b>", "<a\u2028@b>",
    # Bare unicode (no RFC 6532 in ids we write back).
    "<café@example.com>", "<用户@例子.中国>", "＜a@b＞", "<a@b\u200b>",
    # Overlong.
    "<" + "a" * MAX_MSGID_CHARS + "@b>",
    # Nested and stray angle brackets.
    "<<a@b>>", "<a<b@c>", "<a@b>>", "<a@<b>>", "<<a@b>", "<a>@b>", "<>", "<",
    # Not the msg-id grammar.
    "a@b", "<ab>", "<a@b@c>", "<@b>", "<a@>", "<a @b>", "< a@b>", '<"a b"@c>',
    "<.a@b>", "<a.@b>", "<a..b@c>", "<a@b..c>", "<a@[b]]>", "<a@[b\\c]>", "",
])
def test_hostile_or_malformed_ids_are_refused(value: str) -> None:
    assert not is_msgid(value)


def test_the_bound_is_inclusive() -> None:
    longest = "<" + "a" * (MAX_MSGID_CHARS - 4) + "@b>"
    assert len(longest) == MAX_MSGID_CHARS and is_msgid(longest)
    assert not is_msgid("<a" + longest[1:])


def test_header_ids_keep_the_valid_and_count_the_rest() -> None:
    assert header_ids(None) == HeaderIds([], 0)
    assert header_ids("") == HeaderIds([], 0)
    assert header_ids("<a@b> <c@d>") == HeaderIds(["<a@b>", "<c@d>"], 0)
    assert header_ids("<a@b>\r\n <c@d>\r\n\t<e@f>") == HeaderIds(["<a@b>", "<c@d>", "<e@f>"], 0)
    assert header_ids("<a@b><c@d>,<e@f>") == HeaderIds(["<a@b>", "<c@d>", "<e@f>"], 0)
    assert header_ids("<a@b> <a@b>") == HeaderIds(["<a@b>"], 0)
    assert header_ids("<a@b> (a (nested) comment <x@y>)") == HeaderIds(["<a@b>"], 0)
    # An encoded word is a word of its own, never decoded: even a valid-looking id
    # inside it is dropped with it.
    assert header_ids(f"<root@c> =?utf-8?q?<a@b>{INJECTED}?= <e@f>") == HeaderIds(
        ["<root@c>", "<e@f>"], 1)
    assert header_ids(f"<root@c> <=?utf-8?b?{CRLF_B64}?=@evil.example>") == HeaderIds(
        ["<root@c>"], 1)
    # The obsolete phrase form of In-Reply-To: its words are dropped and counted.
    assert header_ids('Your message of "Mon, 4 Mar" <a@b>').ids == ["<a@b>"]


def test_message_id_is_exactly_one_id() -> None:
    assert message_id("<a@b>") == "<a@b>"
    assert message_id("  <a@b> (sent by x)  ") == "<a@b>"
    assert message_id(f"=?utf-8?q?<a@b>{INJECTED}?=") is None
    assert message_id("<a@b> <c@d>") is None
    assert message_id("<a@b> junk") is None
    assert message_id("a@b") is None
    assert message_id(None) is None
