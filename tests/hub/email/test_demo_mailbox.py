"""The demo mailbox: seeded mail through the real pipeline, the embedded receiver and
the demo sink of a real `zuoxi-hub serve` process, and the options that guard it."""

from __future__ import annotations

import email
import email.policy
import json
import smtplib
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import email as ep
from hub.email.cli_options import email_config
from hub.email.config import ConfigError, DemoSinkSettings
from hub.email.demo_mail import seed_demo_mail
from hub.email.demo_sink import kept_mail
from hub.email.email_store import EmailStore
from hub.process import HubProcess
from hub.store import schema as t
from hub.store.store import Store, create_engine
from tests.hub.email.conftest import EmailHub
from tests.hub.email.test_config import _args


def _by_subject(hub: EmailHub, conversations: list[str]) -> dict[str, list[ep.EmailDetails]]:
    out = {}
    for conv in conversations:
        mails = hub.channel.emails.emails_of(conv)
        out[mails[0].subject] = mails
    return out


@pytest.fixture
def demo_email_hub(email_hub: EmailHub, tmp_path: Path) -> EmailHub:
    email_hub.channel.config.demo_sink = DemoSinkSettings(str(tmp_path / "sent"))
    return email_hub


def test_no_demo_mail_without_the_demo_sink(email_hub: EmailHub) -> None:
    # Its reply would go to whatever real SMTP server the hub is given.
    assert seed_demo_mail(email_hub.channel) == []
    assert not email_hub.channel.emails.has_raw("demo:thread-1")


def test_seeded_mail_goes_through_the_inbound_pipeline(demo_email_hub: EmailHub) -> None:
    email_hub = demo_email_hub
    conversations = seed_demo_mail(email_hub.channel)
    assert len(conversations) == 3
    for conv in conversations:
        row = email_hub.store.conversation(conv)
        assert row is not None and row.agent_id == email_hub.agent_id
        assert row.status.value == "open"
    threads = _by_subject(email_hub, conversations)

    chinese = threads["蓝牙耳机左耳没有声音"]
    assert len(chinese) == 1
    assert "左耳没有声音" in (chinese[0].text or "") and "𠮷祥电子" in (chinese[0].text or "")
    assert not chinese[0].charset_problem and not chinese[0].problems
    raw = email_hub.channel.emails.raw_of_message(chinese[0].message_id)
    assert raw is not None and b"charset=GB18030" in raw  # kept as received
    assert "蓝牙耳机".encode("gb18030") not in raw  # (base64 on the wire)

    invoice = threads["Invoice for order 48213 looks wrong"][0]
    assert invoice.html and "https://shop.example.com/newsletter/logo.png" in invoice.html
    assert [(a.filename, a.content_type) for a in invoice.attachments] == [
        ("invoice-48213.pdf", "application/pdf")]

    lamp = threads["Change of delivery address"]
    assert [m.direction for m in lamp] == [ep.EmailDirection.INBOUND,
                                           ep.EmailDirection.OUTBOUND, ep.EmailDirection.INBOUND]
    first, reply, last = lamp
    assert reply.status is ep.EmailStatus.QUEUED  # the outbox sends it when the hub runs
    assert reply.in_reply_to == first.header_message_id
    assert last.in_reply_to == reply.header_message_id
    assert last.references == [first.header_message_id, reply.header_message_id]


def test_seeding_twice_adds_nothing(demo_email_hub: EmailHub) -> None:
    email_hub = demo_email_hub
    seed_demo_mail(email_hub.channel)
    with email_hub.store.engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(t.conversations)).scalar()
    assert seed_demo_mail(email_hub.channel) == []
    with email_hub.store.engine.connect() as conn:
        after = conn.execute(sa.select(sa.func.count()).select_from(t.conversations)).scalar()
    assert after == before == 3


def test_demo_sink_refuses_a_real_smtp_server() -> None:
    with pytest.raises(ConfigError, match="--email-demo-sink"):
        email_config(_args("--email-mailbox", "s@example.com", "--smtp-host", "smtp.example.com",
                           "--email-demo-sink", "/tmp/x"))
    with pytest.raises(ConfigError, match="--email-mailbox"):
        email_config(_args("--email-demo-sink", "/tmp/x"))
    config = email_config(_args("--email-mailbox", "s@example.com"))
    assert config is not None and config.demo_sink is None  # never on unless asked for


@pytest.fixture
def demo_hub(tmp_path: Path) -> Iterator[tuple[HubProcess, Path, dict[str, str]]]:
    sink_dir = tmp_path / "sent"
    hub = HubProcess(tmp_path / "hub.sqlite3", tmp_path / "hub", extra_args=[
        "--email-mailbox", "support@zuoxi.localhost", "--smtp-receiver-port", "0",
        "--email-demo-sink", str(sink_dir), "--log-level", "info"])
    hub.start()
    try:
        ready = json.loads((tmp_path / "hub" / "hub-ready.json").read_text())
        yield hub, sink_dir, ready["email"]
    finally:
        hub.stop()


def _wait(what: str, check: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_embedded_hub_receives_mail_and_keeps_replies(
        demo_hub: tuple[HubProcess, Path, dict[str, str]], tmp_path: Path) -> None:
    hub, sink_dir, announced = demo_hub
    host, port = announced["smtp_receiver"].split(":")
    assert host == "127.0.0.1" and announced["demo_sink"].startswith("127.0.0.1:")
    assert announced["demo_sink_dir"] == str(sink_dir)
    log = hub.log_text()
    assert f"via SMTP {announced['smtp_receiver']}" in log and "not delivered" in log

    # The seeded reply went out through the outbox to the sink and shows SENT.
    _wait("the seeded reply in the sink", lambda: sink_dir.exists() and kept_mail(sink_dir))
    kept = email.message_from_bytes(kept_mail(sink_dir)[0], policy=email.policy.default)
    assert kept["X-Zuoxi-Demo-Sink-Rcpt"] == "daniel.hughes@example.com"
    assert kept.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in kept.iter_parts()] == ["text/plain", "text/html"]
    emails = EmailStore(create_engine(hub.db_path), Store(create_engine(hub.db_path)).settings)

    def reply_sent() -> bool:
        mail = emails.details_by_header(str(kept["Message-ID"]))
        return mail is not None and mail.status is ep.EmailStatus.SENT

    _wait("the reply marked sent", reply_sent)

    # A customer's mail to the embedded receiver becomes a conversation.
    msg = EmailMessage()
    msg["From"] = "Zoe Patel <zoe@example.org>"
    msg["To"] = "support@zuoxi.localhost"
    msg["Subject"] = "Where is my parcel?"
    msg["Message-ID"] = "<parcel-1@example.org>"
    msg.set_content("Ordered last Monday, nothing yet.")
    with smtplib.SMTP(host, int(port), timeout=10) as client:
        client.send_message(msg)

    def arrived() -> bool:
        return emails.details_by_header("<parcel-1@example.org>") is not None

    _wait("the mail as a conversation", arrived)
    mail = emails.details_by_header("<parcel-1@example.org>")
    assert mail is not None and mail.text.strip() == "Ordered last Monday, nothing yet."
