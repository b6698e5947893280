"""The email channel end to end: a real hub process, a real Dovecot mailbox, a real
SMTP server for outgoing mail, and an agent on the websocket."""

from __future__ import annotations

import asyncio
import http.client
import json
import smtplib
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import email as ep
from core.protocol.models import Channel
from hub.process import HubProcess
from hub.store.store import create_engine
from testbed.agent_probe import AgentProbe
from testbed.dovecot import Dovecot, free_port
from testbed.email_corpus import cases, simple
from tests.support.routing_files import routing_variant
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.skipif(not Path("/usr/sbin/dovecot").exists(),
                                reason="needs Debian's dovecot-imapd")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot.create()
    server.start()
    yield server
    server.close()


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _email_hub(make_hub: Callable[..., HubProcess], dovecot: Dovecot, relay: SmtpServer,
               tmp_path: Path, receiver_port: int) -> HubProcess:
    secret = tmp_path / "imap-password"
    secret.write_text(dovecot.password)
    secret.chmod(0o600)
    # One agent takes every mail of the corpus: room for them all (default: 5 emails).
    routing = routing_variant(tmp_path, {"email = 5": "email = 50"})
    return make_hub(
        "--routing-config", str(routing),
        "--email-mailbox", "support@example.com",
        "--imap-host", "127.0.0.1", "--imap-port", str(dovecot.port),
        "--imap-user", dovecot.user, "--imap-password-file", str(secret),
        "--imap-ca-file", str(dovecot.cert), "--imap-poll", "0.5",
        "--smtp-host", "127.0.0.1", "--smtp-port", str(relay.port), "--smtp-security", "plain",
        "--smtp-backoff", "0.2",
        "--smtp-receiver-port", str(receiver_port),
    )


def _http(url: str, token: str, method: str = "GET", data: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, err.read(), {k.lower(): v for k, v in err.headers.items()}


async def _emails(agent: AgentProbe, conversation_id: str) -> list[ep.EmailDetails]:
    op = uuid.uuid4().hex
    await agent.send(ep.FetchEmails(op=op, conversation_id=conversation_id))
    answer = await agent.wait_for(lambda: next(
        (f for f in agent.frames if isinstance(f, ep.Emails | ap.Error) and f.op == op), None))
    assert isinstance(answer, ep.Emails), answer
    return answer.emails


def _email_assigned(agent: AgentProbe, subject_part: str) -> Any:
    return agent.wait_body(
        ap.ConversationAssigned,
        lambda b: b.conversation.channel is Channel.EMAIL
        and any(subject_part in m.text for m in b.messages), timeout=15)


async def test_mailbox_to_agent_and_reply_back(
        make_hub: Callable[..., HubProcess], dovecot: Dovecot, relay: SmtpServer,
        tmp_path: Path) -> None:
    hub = _email_hub(make_hub, dovecot, relay, tmp_path, free_port())
    lina = await AgentProbe.logged_in(hub.url)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    await alex.command(ap.SetPresence(op="away", presence=ap.Presence.AWAY))
    try:
        dovecot.deliver(simple("我的快递在哪里？", "cust1", sender="王芳 <fang@example.com>",
                               body="订单号 12345，三天了还没到。"))
        assigned = await _email_assigned(lina, "我的快递在哪里")
        conv_id = assigned.conversation.id
        assert assigned.customer.name == "王芳"
        [first] = await _emails(lina, conv_id)
        assert first.text.strip() == "订单号 12345，三天了还没到。"
        assert first.header_message_id == "<cust1@mail.example.com>"

        # Raw mail over HTTP, for the assigned agent only.
        status, body, headers = _http(f"{hub.url}/api/email/raw/{first.message_id}",
                                      lina_token(lina))
        assert status == 200 and headers["content-type"].startswith("message/rfc822")
        assert b"cust1@mail.example.com" in body
        assert _http(f"{hub.url}/api/email/raw/{first.message_id}", alex.token)[0] == 404
        assert _http(f"{hub.url}/api/email/raw/{first.message_id}", "nonsense")[0] == 401

        # Upload an attachment, reply with it.
        status, body, _ = _http(f"{hub.url}/api/email/uploads?filename=%E5%9B%9E%E6%89%A7.txt",
                                lina_token(lina), "POST", "快递单号 SF123".encode(),
                                {"Content-Type": "text/plain; charset=utf-8"})
        assert status == 201, body
        upload = json.loads(body)
        assert upload["filename"] == "回执.txt" and upload["size"] == len("快递单号 SF123".encode())
        assert _http(f"{hub.url}/api/email/attachments/{upload['id']}", alex.token)[0] == 404
        message_id = uuid.uuid4().hex
        ack = await lina.command(ep.SendEmail(
            op=uuid.uuid4().hex, conversation_id=conv_id, message_id=message_id,
            kind=ep.EmailKind.REPLY, to=["王芳 <fang@example.com>"],
            subject="Re: 我的快递在哪里？", text="您好，快递已发出，单号见附件。",
            attachment_ids=[upload["id"]], in_reply_to=first.message_id))
        assert isinstance(ack, ap.Ack) and ack.seq is not None
        sent_event = await lina.wait_body(ep.EmailSent)
        assert sent_event.email.status is ep.EmailStatus.QUEUED
        await lina.wait_body(ep.EmailStatusChanged,
                             lambda b: b.message_id == message_id
                             and b.status is ep.EmailStatus.SENT, timeout=10)
        [delivery] = relay.deliveries
        sent = delivery.message
        assert delivery.recipients == ["fang@example.com"]
        assert sent["In-Reply-To"] == "<cust1@mail.example.com>"
        assert sent["References"] == "<cust1@mail.example.com>"
        assert "[#ZX-" in sent["Subject"]
        assert [a.get_filename() for a in sent.iter_attachments()] == ["回执.txt"]

        # The customer answers from their mail client: same conversation, live event.
        dovecot.deliver(simple("Re: 我的快递在哪里？", "cust2", sender="fang@example.com",
                               body="收到，谢谢！",
                               extra=f"In-Reply-To: {sent['Message-ID']}\r\n"
                                     f"References: <cust1@mail.example.com> "
                                     f"{sent['Message-ID']}\r\n"))
        received = await lina.wait_body(ep.EmailReceived, timeout=15)
        assert received.email.conversation_id == conv_id
        assert received.email.text.strip() == "收到，谢谢！"
        assert [e.direction for e in await _emails(lina, conv_id)] == [
            ep.EmailDirection.INBOUND, ep.EmailDirection.OUTBOUND, ep.EmailDirection.INBOUND]

        # Header injection in a command is refused by the decoder, with a clear code.
        await lina.send_raw(json.dumps({
            "type": "send_email", "op": "inj", "conversation_id": conv_id, "message_id": "inj",
            "kind": "reply", "to": ["fang@example.com\r\nBcc: victim@example.com"],
            "subject": "x", "text": "y"}))
        err = await lina.wait_for(lambda: next(
            (f for f in lina.errors() if "to" in f.message and f.code == "invalid"), None))
        assert err is not None
        assert len(relay.deliveries) == 1
    finally:
        await lina.close()
        await alex.close()


def lina_token(agent: AgentProbe) -> str:
    return agent.token


async def test_embedded_receiver_and_restart_imports_nothing_twice(
        make_hub: Callable[..., HubProcess], dovecot: Dovecot, relay: SmtpServer,
        tmp_path: Path) -> None:
    receiver = free_port()
    corpus = cases()
    dovecot.deliver(*(c.raw for c in corpus))
    hub = _email_hub(make_hub, dovecot, relay, tmp_path, receiver)
    lina = await AgentProbe.logged_in(hub.url)
    try:
        await lina.wait_for(lambda: len([
            b for b in lina.bodies(ap.ConversationAssigned)
            if b.conversation.channel is Channel.EMAIL]) == len(corpus), timeout=20)
        # The embedded receiver (on-premises/demo): plain SMTP on loopback.
        await asyncio.to_thread(_smtp_send, receiver, simple("via smtp", "rx1"))
        await _email_assigned(lina, "via smtp")
        # Oversized mail is refused at the protocol level (552), nothing stored.
        with pytest.raises(smtplib.SMTPException):
            await asyncio.to_thread(
                _smtp_send, receiver, simple("huge", "rx2") + b"A" * (26 * 1024 * 1024))
        # Upload over the limit: 413 before the body is read.
        conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=10)
        conn.putrequest("POST", "/api/email/uploads?filename=big.bin")
        conn.putheader("Authorization", f"Bearer {lina.token}")
        conn.putheader("Content-Length", str(30 * 1024 * 1024))
        conn.endheaders()
        assert conn.getresponse().status == 413
        conn.close()
    finally:
        await lina.close()
    hub.stop()
    hub.start()
    # The restarted hub's importer has been through the mailbox twice: had it lost
    # its place, the mail would be stored again by now.
    await _imap_passes(hub, 2)
    hub.stop()
    engine = create_engine(hub.db_path)
    with engine.connect() as conn:
        inbound = conn.execute(sa.text(
            "SELECT count(*) FROM email_messages WHERE direction = 'inbound'")).scalar()
        # (the demo data has past email conversations of its own, without mail rows)
        conversations = conn.execute(sa.text(
            "SELECT count(DISTINCT conversation_id) FROM email_messages")).scalar()
    engine.dispose()
    assert inbound == len(corpus) + 1 and conversations == len(corpus) + 1


async def _imap_passes(hub: HubProcess, passes: int, timeout: float = 20) -> None:
    """Until /healthz says the IMAP importer completed ``passes`` passes since start."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status, body, _ = await asyncio.to_thread(_http, hub.url + "/healthz", "")
        done = json.loads(body).get("email", {}).get("imap_passes", 0) if status == 200 else 0
        if done >= passes:
            return
        assert loop.time() < deadline, f"the importer made {done} of {passes} passes"
        await asyncio.sleep(0.1)


def _smtp_send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("customer@example.com", ["support@example.com"], raw)
