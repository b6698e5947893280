"""Outbound mail through real SMTP servers on loopback: headers, TLS, AUTH, retries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from email.utils import getaddresses
from pathlib import Path

import pytest

from core.protocol import email as ep
from hub.email.config import Secret, Security, SmtpSettings
from hub.email.inbound import Outcome
from testbed.dovecot import make_certificate
from testbed.email_corpus import simple
from tests.hub.email.conftest import EmailHub, open_email_hub
from tests.support.smtp_server import SmtpServer


@pytest.fixture
def cert(tmp_path: Path) -> tuple[Path, Path]:
    return make_certificate(tmp_path)


@pytest.fixture
def servers() -> Iterator[list[SmtpServer]]:
    started: list[SmtpServer] = []
    yield started
    for server in started:
        server.stop()


def _hub(db: str, server: SmtpServer, cert: Path | None = None,
         security: Security = Security.PLAIN, **kw: object) -> EmailHub:
    settings = SmtpSettings(host="127.0.0.1", port=server.port, security=security,
                            ca_file=str(cert) if cert else None, backoff_s=0.0, timeout_s=10,
                            **kw)  # type: ignore[arg-type]
    return open_email_hub(db, smtp=settings)


def _conversation(hub: EmailHub) -> tuple[str, str]:
    got = hub.channel.inbound.receive("t:1", simple("Where is my parcel?", "p1"))
    assert got.conversation_id and got.message_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    return got.conversation_id, got.message_id


def _reply(hub: EmailHub, conv_id: str, parent: str | None, **kw: object) -> str:
    message_id = uuid.uuid4().hex
    hub.channel.send(hub.agent_id, ep.SendEmail(
        op=uuid.uuid4().hex, conversation_id=conv_id, message_id=message_id,
        kind=ep.EmailKind.REPLY, to=["Customer <customer@example.com>"],
        subject="Re: Where is my parcel?", text="It left the warehouse today.",
        in_reply_to=parent, **kw))  # type: ignore[arg-type]
    return message_id


def _status(hub: EmailHub, message_id: str) -> ep.EmailDetails:
    details = hub.channel.emails.details(message_id)
    assert details is not None
    return details


async def test_reply_threads_in_the_customers_client_and_back(hub_db: str,
        tmp_path: Path, servers: list[SmtpServer], cert: tuple[Path, Path]) -> None:
    server = SmtpServer(cert=cert[0], key=cert[1], mode="starttls", user="hub",
                        password="s3cret").start()
    servers.append(server)
    hub = _hub(hub_db, server, cert[0], Security.STARTTLS, username="hub",
               password=Secret("s3cret"))
    conv_id, first = _conversation(hub)
    upload = hub.channel.emails.put_upload(hub.agent_id, "回执.pdf", "application/pdf", b"%PDF")
    m1 = _reply(hub, conv_id, first, html="<p>It left the warehouse today.</p>",
                cc=["boss@example.com"], bcc=["audit@example.com"], attachment_ids=[upload])
    assert await hub.channel.submit_due() == 1
    assert _status(hub, m1).status is ep.EmailStatus.SENT
    [delivery] = server.deliveries
    sent = delivery.message
    parent = hub.channel.emails.details(first)
    assert parent is not None
    assert sent["Message-ID"] == _status(hub, m1).header_message_id
    assert sent["In-Reply-To"] == parent.header_message_id == "<p1@mail.example.com>"
    assert sent["References"] == "<p1@mail.example.com>"
    assert sent["Date"] and "Bcc" not in sent
    thread = hub.channel.emails.thread(conv_id)
    assert thread is not None
    assert sent["Subject"] == f"Re: Where is my parcel? [#{thread.token}]"
    assert getaddresses([str(sent["Reply-To"])])[0][1] == \
        f"support+{thread.token.lower()}@example.com"
    assert sorted(delivery.recipients) == [
        "audit@example.com", "boss@example.com", "customer@example.com"]
    assert sent.get_content_type() == "multipart/mixed"
    body = sent.get_body(("plain",))
    assert body is not None and "warehouse" in body.get_content()
    assert sent.get_body(("html",)) is not None
    [attachment] = list(sent.iter_attachments())
    assert attachment.get_filename() == "回执.pdf"
    # The customer's client answers our mail: it threads back, and our next reply
    # carries the whole chain.
    answer = simple("Re: Where is my parcel?", "p2",
                    extra=f"In-Reply-To: {sent['Message-ID']}\r\n"
                          f"References: <p1@mail.example.com> {sent['Message-ID']}\r\n")
    got = hub.channel.inbound.receive("t:2", answer)
    assert got.outcome is Outcome.CONTINUED and got.conversation_id == conv_id
    m2 = _reply(hub, conv_id, got.message_id)
    await hub.channel.submit_due()
    second = server.deliveries[1].message
    assert second["In-Reply-To"] == "<p2@mail.example.com>"
    assert second["References"].split() == [
        "<p1@mail.example.com>", str(sent["Message-ID"]), "<p2@mail.example.com>"]
    assert _status(hub, m2).status is ep.EmailStatus.SENT
    # Raw of what we sent is kept, byte for byte.
    assert hub.channel.emails.raw_of_message(m1) == delivery.raw.replace(b"\r\n", b"\n") or \
        hub.channel.emails.raw_of_message(m1) == delivery.raw


async def test_implicit_tls(hub_db: str, tmp_path: Path, servers: list[SmtpServer],
                            cert: tuple[Path, Path]) -> None:
    server = SmtpServer(cert=cert[0], key=cert[1], mode="tls").start()
    servers.append(server)
    hub = _hub(hub_db, server, cert[0], Security.TLS)
    conv_id, first = _conversation(hub)
    sent = _reply(hub, conv_id, first)
    await hub.channel.submit_due()
    assert _status(hub, sent).status is ep.EmailStatus.SENT and len(server.deliveries) == 1


async def test_temporary_failures_are_retried_then_sent(hub_db: str,
        tmp_path: Path, servers: list[SmtpServer]) -> None:
    server = SmtpServer(answers=["451 4.3.0 try again later", "421 4.4.2 busy"]).start()
    servers.append(server)
    hub = _hub(hub_db, server)
    conv_id, first = _conversation(hub)
    sent = _reply(hub, conv_id, first)
    for _ in range(3):
        await hub.channel.submit_due()
    assert _status(hub, sent).status is ep.EmailStatus.SENT
    assert hub.channel.emails.attempts(sent) == 2 and len(server.deliveries) == 1


async def test_permanent_failure_is_visible_to_the_agent(hub_db: str,
        tmp_path: Path, servers: list[SmtpServer]) -> None:
    server = SmtpServer(answers=["550 5.7.1 relaying denied"]).start()
    servers.append(server)
    hub = _hub(hub_db, server)
    conv_id, first = _conversation(hub)
    sent = _reply(hub, conv_id, first)
    await hub.channel.submit_due()
    details = _status(hub, sent)
    assert details.status is ep.EmailStatus.FAILED
    assert details.failure is ep.EmailFailure.PERMANENT and "550" in (details.failure_detail or "")
    changes = [e.body for e in hub.store.events_after(hub.agent_id, 0, 100)
               if isinstance(e.body, ep.EmailStatusChanged)]
    assert [(c.message_id, c.status) for c in changes] == [(sent, ep.EmailStatus.FAILED)]
    assert await hub.channel.submit_due() == 0  # not retried


async def test_retries_run_out(hub_db: str, tmp_path: Path, servers: list[SmtpServer]) -> None:
    server = SmtpServer(answers=["451 4.3.0 later"] * 10).start()
    servers.append(server)
    hub = _hub(hub_db, server, max_attempts=3)
    conv_id, first = _conversation(hub)
    sent = _reply(hub, conv_id, first)
    for _ in range(5):
        await hub.channel.submit_due()
    details = _status(hub, sent)
    assert details.status is ep.EmailStatus.FAILED
    assert details.failure is ep.EmailFailure.RETRIES_EXHAUSTED


async def test_unreachable_server_is_a_temporary_failure(hub_db: str, tmp_path: Path) -> None:
    dead = SmtpServer().start()
    dead.stop()  # nothing listens there now
    hub = _hub(hub_db, dead)
    conv_id, first = _conversation(hub)
    sent = _reply(hub, conv_id, first)
    await hub.channel.submit_due()
    assert _status(hub, sent).status is ep.EmailStatus.QUEUED
    assert hub.channel.emails.attempts(sent) == 1


async def test_wrong_smtp_password_fails_permanently(hub_db: str,
        tmp_path: Path, servers: list[SmtpServer], cert: tuple[Path, Path]) -> None:
    server = SmtpServer(cert=cert[0], key=cert[1], mode="starttls", user="hub",
                        password="right").start()
    servers.append(server)
    hub = _hub(hub_db, server, cert[0], Security.STARTTLS, username="hub",
               password=Secret("wrong"))
    conv_id, first = _conversation(hub)
    sent = _reply(hub, conv_id, first)
    await hub.channel.submit_due()
    details = _status(hub, sent)
    assert details.status is ep.EmailStatus.FAILED and "535" in (details.failure_detail or "")
    assert "wrong" not in (details.failure_detail or "")
