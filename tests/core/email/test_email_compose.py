"""Composing without Qt: recipients and their checks, replies, templates, files."""

from __future__ import annotations

import pytest

from core.email.compose import (
    Draft,
    Field,
    FileToSend,
    Issue,
    Problem,
    answer,
    fill_template,
    is_executable,
    split_addresses,
    validate,
)
from core.protocol.email import MAX_ATTACHMENTS_BYTES, EmailAttachment, EmailKind
from tests.core.email_factories import SUPPORT, inbound


def draft(**fields: object) -> Draft:
    base: dict[str, object] = {"conversation_id": "e1", "to": "a@b.example", "subject": "s",
                               "text": "hi"}
    base.update(fields)
    return Draft(**base)  # type: ignore[arg-type]


def test_addresses_split_with_names_and_separators() -> None:
    assert split_addresses('王芳 <wang@mail.example>, b@x.example; "Li, Lei" <li@y.example>') \
        == ["wang@mail.example", "b@x.example", "li@y.example"]


def test_a_valid_draft_has_no_issues() -> None:
    assert validate(draft(cc="c@d.example", bcc="e@f.example")) == []


@pytest.mark.parametrize(
    ("fields", "issue"),
    [
        ({"to": ""}, Issue(Field.TO, Problem.NO_RECIPIENT)),
        ({"to": "not-an-address"}, Issue(Field.TO, Problem.BAD_ADDRESS, "not-an-address")),
        ({"cc": "x@"}, Issue(Field.CC, Problem.BAD_ADDRESS, "x@")),
        # Valid characters, but mail software would decode the encoded word.
        ({"cc": "=?utf-8?b?eA0K?=@evil.example"},
         Issue(Field.CC, Problem.BAD_ADDRESS, "=?utf-8?b?eA0K?=@evil.example")),
        ({"to": "a@b.example\r\nBcc: victim@c.example"}, Issue(Field.TO, Problem.LINE_BREAK)),
        ({"bcc": "a@b.example\nx@y.example"}, Issue(Field.BCC, Problem.LINE_BREAK)),
        ({"subject": "Hi\r\nBcc: victim@c.example"}, Issue(Field.SUBJECT, Problem.LINE_BREAK)),
        ({"subject": "x" * 999}, Issue(Field.SUBJECT, Problem.TOO_LONG)),
        ({"text": "x" * 12_001}, Issue(Field.TEXT, Problem.TOO_LONG)),
    ],
)
def test_validation_refuses(fields: dict[str, object], issue: Issue) -> None:
    assert issue in validate(draft(**fields))


def test_attachments_over_the_limit_are_refused() -> None:
    big = FileToSend("/tmp/big.bin", "big.bin", "application/octet-stream",
                     MAX_ATTACHMENTS_BYTES + 1)
    assert validate(draft(files=[big])) == [Issue(Field.FILES, Problem.FILE_TOO_LARGE, "big.bin")]
    half = FileToSend("/tmp/h.bin", "h.bin", "application/octet-stream",
                      MAX_ATTACHMENTS_BYTES // 2 + 1)
    assert validate(draft(files=[half, half])) == [Issue(Field.FILES, Problem.FILES_TOO_LARGE)]


def test_reply_quotes_and_addresses_the_sender() -> None:
    _, original = inbound("m1", text="第一行\n第二行")
    reply = answer(original, EmailKind.REPLY, [SUPPORT], date_text="2023-11-14 22:13",
                   signature="客服 小张", greeting="王芳您好，")
    assert reply.to == "wang.fang@mail.example" and reply.cc == ""
    assert reply.subject == "Re: 订单 1234 没有到"
    assert reply.in_reply_to == "m1" and reply.kind is EmailKind.REPLY
    assert reply.text == ("王芳您好，\n\n-- \n客服 小张\n\n"
                          "On 2023-11-14 22:13, 王芳 wrote:\n> 第一行\n> 第二行")


def test_reply_all_keeps_others_but_not_our_mailbox() -> None:
    _, original = inbound("m1")
    reply = answer(original, EmailKind.REPLY_ALL, [SUPPORT.upper()], date_text="d")
    assert reply.to == "wang.fang@mail.example"
    assert reply.cc == "li.lei@mail.example"


def test_forward_carries_header_and_attachments_and_no_recipient() -> None:
    files = [EmailAttachment("at1", "invoice.pdf", "application/pdf", 10),
             EmailAttachment("at2", "logo.png", "image/png", 5, content_id="logo", inline=True)]
    _, original = inbound("m1", subject="Re: 订单", attachments=files)
    forward = answer(original, EmailKind.FORWARD, [SUPPORT], date_text="d")
    assert forward.to == "" and forward.subject == "Fwd: Re: 订单"
    assert forward.forwarded_ids == ["at1"]
    assert "From: 王芳 <wang.fang@mail.example>" in forward.text
    assert validate(forward) == [Issue(Field.TO, Problem.NO_RECIPIENT)]


def test_subject_prefix_not_doubled() -> None:
    _, original = inbound("m1", subject="回复：订单")
    assert answer(original, EmailKind.REPLY, [], date_text="d").subject == "回复：订单"


def test_template_fills_names_and_leaves_other_braces() -> None:
    assert fill_template("Dear {customer_name}, {x} — {agent_name}",
                         customer_name="王芳", agent_name="Zhang") == "Dear 王芳, {x} — Zhang"


@pytest.mark.parametrize("name", ["setup.EXE", "invoice.pdf.js", "run.bat", "a.lnk", "x.ps1. "])
def test_executables_recognised(name: str) -> None:
    assert is_executable(name)


def test_documents_are_not_executables() -> None:
    assert not is_executable("invoice.pdf") and not is_executable("photo.jpeg")
