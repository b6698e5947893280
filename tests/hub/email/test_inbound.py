"""Inbound mail into conversations: identity, threading, bounces, raw kept, bad input."""

from __future__ import annotations

import asyncio
import base64
import smtplib
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import email as ep
from core.protocol.models import Channel, ClosedBy, IdentityKind
from hub.email.config import ReceiverSettings
from hub.email.email_store import RawState
from hub.email.inbound import Outcome
from hub.email.msgid import is_msgid
from hub.email.smtp_receiver import SmtpReceiver
from hub.store import schema as t
from hub.store.base import StoreError
from testbed.email_corpus import HIDDEN_ID, bounce_for, cases, simple
from tests.hub.email.conftest import EmailHub, open_email_hub


def _send(hub: EmailHub, conversation_id: str, in_reply_to: str | None,
          to: str = "customer@example.com", **kw: object) -> ep.EmailDetails:
    message_id = uuid.uuid4().hex
    hub.channel.send(hub.agent_id, ep.SendEmail(
        op=uuid.uuid4().hex, conversation_id=conversation_id, message_id=message_id,
        kind=ep.EmailKind.REPLY, to=[to], subject=str(kw.get("subject", "Re: hello")),
        text=str(kw.get("text", "Thanks, we are on it.")), in_reply_to=in_reply_to))
    details = hub.channel.emails.details(message_id)
    assert details is not None
    return details


def test_new_mail_makes_an_email_conversation_for_the_known_customer(
        email_hub: EmailHub) -> None:
    known = email_hub.store.create_customer("王芳", [(IdentityKind.EMAIL, "fang@example.com")])
    got = email_hub.channel.inbound.receive(
        "t:1", simple("我的订单", "a1", sender="Fang <Fang@Example.com>"))
    assert got.outcome is Outcome.NEW_CONVERSATION
    conv = email_hub.store.conversation(got.conversation_id or "")
    assert conv is not None and conv.channel is Channel.EMAIL and conv.customer_id == known
    [details] = email_hub.channel.emails.emails_of(conv.id)
    assert details.subject == "我的订单" and details.text == "Hello"
    assert details.direction is ep.EmailDirection.INBOUND
    # The same delivery again is a no-op.
    assert email_hub.channel.inbound.receive("t:1", b"whatever").outcome is Outcome.DUPLICATE


def test_unknown_sender_becomes_a_customer_with_that_address(email_hub: EmailHub) -> None:
    got = email_hub.channel.inbound.receive("t:1", simple("hi", "n1", sender="new@example.com"))
    conv = email_hub.store.conversation(got.conversation_id or "")
    assert conv is not None
    assert email_hub.store.customer_by_identity(IdentityKind.EMAIL, "new@example.com") == \
        conv.customer_id


def test_reply_threads_by_headers_token_and_plus_address(email_hub: EmailHub) -> None:
    first = email_hub.channel.inbound.receive("t:1", simple("Broken kettle", "k1"))
    conv_id = first.conversation_id or ""
    email_hub.store.assign(conv_id, email_hub.agent_id)
    ours = _send(email_hub, conv_id, first.message_id)
    thread = email_hub.channel.emails.thread(conv_id)
    assert thread is not None and f"[#{thread.token}]" in ours.subject
    # 1. In-Reply-To our mail.
    reply = simple("Re: Broken kettle", "k2", extra=f"In-Reply-To: {ours.header_message_id}\r\n")
    assert email_hub.channel.inbound.receive("t:2", reply).conversation_id == conv_id
    # 2. Headers dropped, token kept in the subject.
    reply = simple(f"AW: Broken kettle [#{thread.token}]", "k3")
    assert email_hub.channel.inbound.receive("t:3", reply).conversation_id == conv_id
    # 3. Only the plus-address of our Reply-To.
    reply = simple("kettle again", "k4").replace(
        b"To: support@example.com", f"To: support+{thread.token.lower()}@example.com".encode())
    got = email_hub.channel.inbound.receive("t:4", reply)
    assert got.outcome is Outcome.CONTINUED and got.conversation_id == conv_id
    # A new subject from the same customer is a new conversation.
    other = email_hub.channel.inbound.receive("t:5", simple("Another question", "k5"))
    assert other.outcome is Outcome.NEW_CONVERSATION and other.conversation_id != conv_id
    assert len(email_hub.channel.emails.emails_of(conv_id)) == 5


def test_continued_mail_reaches_the_assigned_agent_as_an_event(email_hub: EmailHub) -> None:
    first = email_hub.channel.inbound.receive("t:1", simple("Order", "o1"))
    conv_id = first.conversation_id or ""
    email_hub.store.assign(conv_id, email_hub.agent_id)
    email_hub.channel.inbound.receive(
        "t:2", simple("Re: Order", "o2", extra="In-Reply-To: <o1@mail.example.com>\r\n"))
    bodies = [e.body for e in email_hub.store.events_after(email_hub.agent_id, 0, 100)]
    received = [b for b in bodies if isinstance(b, ep.EmailReceived)]
    assert len(received) == 1 and received[0].email.conversation_id == conv_id
    assert received[0].message.text.startswith("Hello")


def test_reply_to_a_closed_conversation_opens_a_new_one(email_hub: EmailHub) -> None:
    first = email_hub.channel.inbound.receive("t:1", simple("Order", "o1"))
    conv_id = first.conversation_id or ""
    email_hub.store.close_conversation(conv_id, ClosedBy.SYSTEM)
    again = email_hub.channel.inbound.receive(
        "t:2", simple("Re: Order", "o2", extra="In-Reply-To: <o1@mail.example.com>\r\n"))
    assert again.outcome is Outcome.NEW_CONVERSATION and again.conversation_id != conv_id


def test_bounce_marks_our_mail_failed_and_tells_the_agent(email_hub: EmailHub) -> None:
    first = email_hub.channel.inbound.receive("t:1", simple("Order", "o1"))
    conv_id = first.conversation_id or ""
    email_hub.store.assign(conv_id, email_hub.agent_id)
    ours = _send(email_hub, conv_id, first.message_id)
    got = email_hub.channel.inbound.receive("t:2", bounce_for(ours.header_message_id))
    assert got.outcome is Outcome.BOUNCE and got.message_id == ours.message_id
    after = email_hub.channel.emails.details(ours.message_id)
    assert after is not None and after.status is ep.EmailStatus.FAILED
    assert after.failure is ep.EmailFailure.BOUNCE and "550" in (after.failure_detail or "")
    changes = [e.body for e in email_hub.store.events_after(email_hub.agent_id, 0, 100)
               if isinstance(e.body, ep.EmailStatusChanged)]
    assert [(c.status, c.failure) for c in changes] == [
        (ep.EmailStatus.FAILED, ep.EmailFailure.BOUNCE)]
    assert len(email_hub.channel.emails.emails_of(conv_id)) == 2  # no conversation for the DSN


def test_corpus_through_the_pipeline_keeps_raw_and_attachments(email_hub: EmailHub) -> None:
    for n, case in enumerate(cases()):
        got = email_hub.channel.inbound.receive(f"corpus:{n}", case.raw)
        assert got.message_id is not None, case.name
        details = email_hub.channel.emails.details(got.message_id)
        assert details is not None and details.subject == case.subject
        assert details.charset_problem == bool(case.problems), case.name
        assert email_hub.channel.emails.raw_of_message(got.message_id) == case.raw
        for meta, (name, ctype, data) in zip(details.attachments, case.attachments, strict=True):
            row = email_hub.channel.emails.attachment_row(meta.id)
            assert (row.filename, row.content_type, bytes(row.data)) == (name, ctype, data)


def test_unparseable_mail_is_kept_raw_and_flagged(email_hub: EmailHub) -> None:
    head = b"From: deep@example.com\r\nMessage-ID: <deep@x>\r\nSubject: deep\r\n"
    body = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                    for i in range(3000))
    got = email_hub.channel.inbound.receive("t:deep", head + body)
    assert got.message_id is not None
    details = email_hub.channel.emails.details(got.message_id)
    assert details is not None and details.parse_problem and details.subject == "deep"
    assert email_hub.channel.emails.raw_of_message(got.message_id) == head + body


def test_a_crash_in_processing_keeps_the_raw_and_the_hub_going(
        email_hub: EmailHub, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(email_hub.channel.inbound, "_process", explode)
    got = email_hub.channel.inbound.receive("t:1", simple("x", "x1"))
    assert got.outcome is Outcome.FAILED
    raw = email_hub.channel.emails.raw(got.raw_id or "")
    assert raw is not None and raw.state == RawState.FAILED and raw.data == simple("x", "x1")
    monkeypatch.undo()
    assert email_hub.channel.inbound.receive(
        "t:2", simple("y", "y1")).outcome is Outcome.NEW_CONVERSATION


def test_mail_from_an_address_a_visitor_typed_goes_to_the_address_owner(
        email_hub: EmailHub) -> None:
    store = email_hub.store
    visitor = store.create_customer("Anon", [(IdentityKind.VISITOR, "v_anon")])
    store.add_claim(visitor, IdentityKind.EMAIL, "boss@example.com")
    got = email_hub.channel.inbound.receive("t:1", simple("Renewal", "r1",
                                                          sender="Boss <boss@example.com>"))
    assert got.outcome is Outcome.NEW_CONVERSATION
    owner = store.conversation(got.conversation_id or "").customer_id  # type: ignore[union-attr]
    assert owner != visitor and store.customer_name(owner) == "Boss"
    assert store.resolve_identity(IdentityKind.EMAIL, "boss@example.com") == owner
    assert [(i.value, i.verified) for i in store.customer(visitor).identities] == [
        ("boss@example.com", False)]
    again = email_hub.channel.inbound.receive("t:2", simple("Other", "r2",
                                                            sender="boss@example.com"))
    assert store.conversation(again.conversation_id or "").customer_id == owner  # type: ignore


def test_a_mail_that_cannot_be_stored_is_logged_counted_and_tried_again_at_start(hub_db: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    hub = open_email_hub(hub_db)

    def explode(*_: object) -> object:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(hub.service.store, "create_customer", explode)
    got = hub.channel.inbound.receive("smtp:rcv1", simple("Kept", "kept1",
                                                          sender="new@example.com"))
    assert got.outcome is Outcome.FAILED
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "smtp:rcv1" in record.getMessage() and "<kept1@mail.example.com>" in \
        record.getMessage() and record.exc_info is not None
    assert hub.channel.emails.failed_count() == 1
    raw = hub.channel.emails.raw(got.raw_id or "")
    assert raw is not None and raw.state == RawState.FAILED
    assert hub.channel.emails.failed_raw() == [got.raw_id]
    monkeypatch.undo()

    again = open_email_hub(hub_db)  # the hub restarts
    assert again.channel.inbound.resume() == 1
    assert again.channel.emails.failed_count() == 0
    [conv_id] = {e.conversation_id for e in _inbound(again)}
    assert again.store.customer_by_identity(IdentityKind.EMAIL, "new@example.com") == \
        again.store.conversation(conv_id).customer_id  # type: ignore[union-attr]
    assert again.channel.inbound.resume() == 0


def test_a_mail_is_one_unit_of_work_a_failure_leaves_nothing_and_it_is_tried_again(
        email_hub: EmailHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """Routing the new conversation fails after the customer, the conversation and
    the message were written: all of it is rolled back (before, an empty or
    unrouted conversation stayed), the raw mail is kept as failed, and the next
    start stores and routes it once."""
    def explode(*_: object, **__: object) -> bool:
        raise RuntimeError("routing broke")

    def conversations() -> int:
        with email_hub.store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(
                t.conversations)).scalar_one())

    before = conversations()
    monkeypatch.setattr(email_hub.channel.inbound, "route", explode)
    got = email_hub.channel.inbound.receive("t:1", simple("Routed", "rt1",
                                                          sender="unit@example.com"))
    assert got.outcome is Outcome.FAILED and got.message_id is None
    raw = email_hub.channel.emails.raw(got.raw_id or "")
    assert raw is not None and raw.state == RawState.FAILED and raw.message_id is None
    assert conversations() == before and _inbound(email_hub) == []
    assert email_hub.store.customer_by_identity(IdentityKind.EMAIL, "unit@example.com") is None
    monkeypatch.undo()

    assert email_hub.channel.inbound.resume() == 1
    [mail] = _inbound(email_hub)
    assert conversations() == before + 1
    assert mail.conversation_id in email_hub.service.routing.router.waiting
    assert email_hub.channel.inbound.resume() == 0
    assert len(_inbound(email_hub)) == 1


def test_a_failure_after_the_commit_does_not_store_the_mail_twice(
        email_hub: EmailHub, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("sentiment broke")

    monkeypatch.setattr(email_hub.channel.inbound, "received", explode)
    got = email_hub.channel.inbound.receive("t:1", simple("Stored", "st1"))
    assert got.outcome is Outcome.STORED and got.message_id is not None
    raw = email_hub.channel.emails.raw(got.raw_id or "")
    assert raw is not None and raw.state == RawState.PROCESSED
    assert email_hub.channel.inbound.resume() == 0
    assert len(_inbound(email_hub)) == 1


def _inbound(hub: EmailHub) -> list[ep.EmailDetails]:
    with hub.store.engine.connect() as conn:
        conv_ids = conn.execute(sa.select(t.email_messages.c.conversation_id).distinct()
                                ).scalars().all()
    return [e for c in conv_ids for e in hub.channel.emails.emails_of(c)
            if e.direction is ep.EmailDirection.INBOUND]


def test_mail_stored_before_a_stop_is_processed_on_start(hub_db: str, tmp_path: Path) -> None:
    hub = open_email_hub(hub_db)
    raw_id = hub.channel.emails.put_raw("t:1", simple("stored only", "s1"))
    assert hub.channel.emails.unprocessed_raw() == [raw_id]
    again = open_email_hub(hub_db)  # the hub restarts
    assert again.channel.inbound.resume() == 1
    assert again.channel.emails.unprocessed_raw() == []
    assert again.channel.inbound.resume() == 0


def test_send_refuses_bad_addresses_foreign_conversations_and_uploads(
        email_hub: EmailHub) -> None:
    first = email_hub.channel.inbound.receive("t:1", simple("Order", "o1"))
    conv_id = first.conversation_id or ""
    with pytest.raises(StoreError) as info:
        _send(email_hub, conv_id, None)
    assert info.value.code == "not_found"  # not assigned to this agent
    email_hub.store.assign(conv_id, email_hub.agent_id)
    with pytest.raises(StoreError) as info:
        _send(email_hub, conv_id, None, to="not an address")
    assert info.value.code == "invalid"
    other = email_hub.store.create_agent("alex", "Alex", "h")
    upload = email_hub.channel.emails.put_upload(other, "x.txt", "text/plain", b"x")
    with pytest.raises(StoreError) as info:
        email_hub.channel.send(email_hub.agent_id, ep.SendEmail(
            op="o", conversation_id=conv_id, message_id="m-up", kind=ep.EmailKind.REPLY,
            to=["customer@example.com"], subject="s", text="t", attachment_ids=[upload]))
    assert info.value.code == "not_found"


async def test_the_smtp_receiver_asks_the_sender_to_retry_what_it_could_not_keep(
        email_hub: EmailHub, monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = SmtpReceiver(email_hub.channel.inbound, ReceiverSettings(port=0))
    await receiver.start()

    def send(raw: bytes) -> None:
        with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
            client.sendmail("customer@example.com", ["support@example.com"], raw)

    def disk_full(*_: object) -> str:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database or disk is full"))

    try:
        monkeypatch.setattr(email_hub.channel.emails, "put_raw", disk_full)
        with pytest.raises(smtplib.SMTPDataError) as info:
            await asyncio.to_thread(send, simple("Later", "l1"))
        assert info.value.smtp_code == 451  # temporary: the sender keeps it and retries
        monkeypatch.undo()
        await asyncio.to_thread(send, simple("Later", "l1"))
        assert [e.subject for e in _inbound(email_hub)] == ["Later"]
    finally:
        await receiver.stop()


def test_mail_with_invalid_ids_is_kept_threaded_as_best_it_can_and_logged(
        email_hub: EmailHub, caplog: pytest.LogCaptureFixture) -> None:
    first = email_hub.channel.inbound.receive("t:1", simple("Order", "o1"))
    conv_id = first.conversation_id or ""
    hidden = f"=?utf-8?b?{base64.b64encode(HIDDEN_ID.encode()).decode()}?="
    # Its own id is hidden in an encoded word; the valid reference still threads it.
    reply = simple("Re: Order", "o2", extra=f"In-Reply-To: {hidden}\r\n"
                                            f"References: <o1@mail.example.com> {hidden}\r\n")
    reply = reply.replace(b"Message-ID: <o2@mail.example.com>", f"Message-ID: {hidden}".encode())
    with caplog.at_level("WARNING", logger="hub.email.inbound"):
        got = email_hub.channel.inbound.receive("t:2", reply)
    assert got.outcome is Outcome.CONTINUED and got.conversation_id == conv_id
    details = email_hub.channel.emails.details(got.message_id or "")
    assert details is not None
    assert details.header_message_id == f"<{got.raw_id}@zuoxi.invalid>"
    assert is_msgid(details.header_message_id)
    assert details.in_reply_to is None and details.references == ["<o1@mail.example.com>"]
    assert ep.EmailProblem.INVALID_HEADERS in details.problems and details.parse_problem
    [record] = [r for r in caplog.records if got.raw_id and got.raw_id in r.getMessage()]
    assert "in-reply-to: 1, message-id: 1, references: 1" in record.getMessage()
    assert f"Message-ID replaced by <{got.raw_id}@zuoxi.invalid>" in record.getMessage()
    # Nothing valid to thread by: a new conversation, not a dropped mail.
    alone = simple("Hidden", "o3").replace(b"Message-ID: <o3@mail.example.com>",
                                           f"Message-ID: {hidden}".encode())
    assert email_hub.channel.inbound.receive("t:3", alone).outcome is Outcome.NEW_CONVERSATION
