"""Header and body injection through replies, end to end: a hostile mail comes in over
real SMTP, an agent answers it to all through a real hub, and what the real outbound
SMTP server receives is exactly the mail meant — its recipients, its headers, its
body — whatever the customer's Message-ID, References, Subject, names and addresses
hid in encoded words."""

from __future__ import annotations

import asyncio
import email.utils
import smtplib
import uuid
from collections.abc import Callable, Iterator
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest

from core.email.compose import answer, split_addresses, validate
from core.protocol import agent as ap
from core.protocol import email as ep
from core.protocol.models import Channel
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from testbed.dovecot import free_port
from testbed.email_corpus import (
    BREAK,
    FORGED,
    HIDDEN_ID,
    HIDDEN_NAME,
    INJECTED,
    b_word,
    q_word,
)
from tests.support.smtp_server import Delivery, SmtpServer

SUPPORT = "support@example.com"
ONE_LINE = "Bcc: victim@evil.example forged body"  # BREAK, as the hub shows it


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _hub(make_hub: Callable[..., HubProcess], relay: SmtpServer) -> tuple[HubProcess, int]:
    receiver = free_port()
    hub = make_hub(
        "--email-mailbox", SUPPORT,
        "--smtp-host", "127.0.0.1", "--smtp-port", str(relay.port), "--smtp-security", "plain",
        "--smtp-backoff", "0.2", "--smtp-receiver-port", str(receiver),
    )
    return hub, receiver


def _smtp_send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("eve@customer.example", [SUPPORT], raw)


def _mail(headers: list[str], body: str = "Please call me back.") -> bytes:
    return ("\r\n".join([*headers, "Date: Mon, 04 Mar 2024 10:00:00 +0800",
                         "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"])
            + "\r\n\r\n" + body + "\r\n").encode()


async def _received(agent: AgentProbe, subject_part: str) -> ep.EmailDetails:
    assigned = await agent.wait_body(
        ap.ConversationAssigned,
        lambda b: b.conversation.channel is Channel.EMAIL
        and any(subject_part in m.text for m in b.messages), timeout=15)
    op = uuid.uuid4().hex
    await agent.send(ep.FetchEmails(op=op, conversation_id=assigned.conversation.id))
    emails = await agent.wait_for(lambda: next(
        (f for f in agent.frames if isinstance(f, ep.Emails | ap.Error) and f.op == op), None))
    assert isinstance(emails, ep.Emails), emails
    [mail] = emails.emails
    return mail


async def _reply_all(agent: AgentProbe, original: ep.EmailDetails, *,
                     names: bool = False) -> str:
    """Reply to all as the desktop composes it; ``names``: keep display names in To."""
    draft = answer(original, ep.EmailKind.REPLY_ALL, [SUPPORT], date_text="2024-03-04 10:00",
                   greeting="Hello,")
    assert validate(draft) == []
    to = split_addresses(draft.to)
    if names:
        sender = original.reply_to or ([original.from_] if original.from_ else [])
        to = [email.utils.formataddr((a.name, a.address)) for a in sender]
    message_id = uuid.uuid4().hex
    ack = await agent.command(ep.SendEmail(
        op=uuid.uuid4().hex, conversation_id=original.conversation_id, message_id=message_id,
        kind=ep.EmailKind.REPLY_ALL, to=to, cc=split_addresses(draft.cc),
        subject=draft.subject, text="We will call you today.\n\n" + draft.text,
        in_reply_to=original.message_id))
    assert isinstance(ack, ap.Ack), ack
    status = await agent.wait_body(ep.EmailStatusChanged,
                                   lambda b: b.message_id == message_id, timeout=15)
    assert status.status is ep.EmailStatus.SENT, status
    return draft.subject


def _header_block(delivery: Delivery) -> list[bytes]:
    head, blank, _ = delivery.raw.partition(b"\r\n\r\n")
    assert blank
    return head.split(b"\r\n")


def _raw_value(delivery: Delivery, name: str) -> str:
    """A header as it went over the wire, unfolded."""
    value: list[bytes] = []
    for line in _header_block(delivery):
        if line[:1] in (b" ", b"\t"):
            if value:
                value.append(line)
        elif value:
            break
        elif line.lower().startswith(name.lower().encode() + b":"):
            value.append(line.split(b":", 1)[1])
    return b"".join(value).decode("ascii")


def _assert_only_what_was_meant(delivery: Delivery, *, to: list[str], cc: list[str],
                                subject: str) -> EmailMessage:
    lines = _header_block(delivery)
    for line in lines:
        assert b"\r" not in line and b"\n" not in line and b"\x00" not in line, line
    names = sorted(line.split(b":", 1)[0].decode().lower() for line in lines
                   if line[:1] not in (b" ", b"\t"))
    assert names == sorted([
        "message-id", "date", "from", "reply-to", "to", "cc", "subject", "in-reply-to",
        "references", "auto-submitted", "x-zuoxi-conversation", "mime-version",
        "content-type"])
    assert sorted(delivery.recipients) == sorted(to + cc)
    sent = delivery.message
    assert [a.addr_spec for a in sent["To"].addresses] == to
    assert [a.addr_spec for a in sent["Cc"].addresses] == cc
    assert "Bcc" not in sent
    for name, value in sent.items():
        assert "\r" not in str(value) and "\n" not in str(value), (name, value)
    assert str(sent["Subject"]).startswith(subject + " [#ZX-")
    for name in ("In-Reply-To", "References"):
        for msg_id in str(sent[name]).split():
            assert msg_id.startswith("<") and msg_id.endswith(">") and "=?" not in msg_id
    assert sent.get_content_type() == "multipart/alternative"
    plain = sent.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert text.startswith("We will call you today.")
    parts = [p.get_content() for p in sent.walk() if not p.is_multipart()]
    assert len(parts) == 2  # the text and its HTML twin, nothing forged beside them
    assert not any(FORGED in p for p in parts)
    return sent


async def test_hidden_ids_and_subject_do_not_reach_the_reply(
        make_hub: Callable[..., HubProcess], relay: SmtpServer) -> None:
    hub, receiver = _hub(make_hub, relay)
    lina = await AgentProbe.logged_in(hub.url)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    await alex.command(ap.SetPresence(op="away", presence=ap.Presence.AWAY))
    try:
        subject = f"Order 1234 =?utf-8?q?{INJECTED}?="
        await asyncio.to_thread(_smtp_send, receiver, _mail([
            "From: Eve <eve@customer.example>",
            f"To: {SUPPORT}",
            "Cc: Friend <friend@customer.example>, colleague@customer.example",
            f"Subject: {b_word(subject)}",
            # An id hidden in an encoded word that survives one decoding (b and q), and
            # a plain id next to CR LF inside one.
            f"Message-ID: {b_word(HIDDEN_ID)}",
            f"In-Reply-To: {q_word(HIDDEN_ID)}",
            f"References: <root@customer.example> {b_word(HIDDEN_ID)}"
            f" =?utf-8?q?<a@b>{INJECTED}?=",
        ]))
        original = await _received(lina, "Order 1234")
        assert original.subject == subject  # shown as the text it is, never decoded twice
        reply_subject = await _reply_all(lina, original)
        [delivery] = relay.deliveries
        sent = _assert_only_what_was_meant(
            delivery, to=["eve@customer.example"],
            cc=["friend@customer.example", "colleague@customer.example"],
            subject=reply_subject)
        # Threaded as best it can: the valid reference is kept, the hidden ids are not.
        assert "<root@customer.example>" in str(sent["References"]).split()
        assert str(sent["In-Reply-To"]) == original.header_message_id
        assert str(sent["Subject"]).startswith(f"Re: Order 1234 =?utf-8?q?{INJECTED}?=")
        assert ep.EmailProblem.INVALID_HEADERS in original.problems
    finally:
        await lina.close()
        await alex.close()


async def test_hidden_names_and_addresses_do_not_reach_the_reply(
        make_hub: Callable[..., HubProcess], relay: SmtpServer) -> None:
    hub, receiver = _hub(make_hub, relay)
    lina = await AgentProbe.logged_in(hub.url)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    await alex.command(ap.SetPresence(op="away", presence=ap.Presence.AWAY))
    crlf_local = b_word("x" + BREAK)
    try:
        await asyncio.to_thread(_smtp_send, receiver, _mail([
            # A display name whose encoded word survives one decoding.
            f"From: {b_word(HIDDEN_NAME)} <eve@customer.example>",
            f"Reply-To: {q_word('Eve')} <{crlf_local}@evil.example>",
            f"To: {SUPPORT}, {b_word(HIDDEN_NAME)} <{crlf_local}@evil.example>",
            f"Cc: {b_word('Friend' + BREAK)} <friend@customer.example>,"
            f" {b_word(crlf_local)}@evil.example",
            f"Subject: Refund {b_word('please' + BREAK)}",
            "Message-ID: <ok-1@customer.example>",
        ]))
        original = await _received(lina, "Refund")
        assert original.from_ == ep.EmailAddress("eve@customer.example", HIDDEN_NAME)
        assert [a.address for a in original.to] == [SUPPORT]
        assert original.cc == [ep.EmailAddress("friend@customer.example", f"Friend {ONE_LINE}")]
        assert original.reply_to == []
        await _reply_all(lina, original, names=True)
        [delivery] = relay.deliveries
        sent = _assert_only_what_was_meant(
            delivery, to=["eve@customer.example"], cc=["friend@customer.example"],
            subject=f"Re: Refund please {ONE_LINE}")
        # The names arrive as the text they are: one line, no header of their own. (Read
        # with the RFC 2047 decoder: the email package's keeps the space it folded at.)
        [(name, address)] = email.utils.getaddresses([_raw_value(delivery, "To")])
        assert (str(make_header(decode_header(name))), address) == (
            HIDDEN_NAME, "eve@customer.example")
        assert str(sent["In-Reply-To"]) == "<ok-1@customer.example>"
    finally:
        await lina.close()
        await alex.close()
