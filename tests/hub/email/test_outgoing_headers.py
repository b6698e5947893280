"""Headers of outgoing mail: written so they read back as meant, checked before sending,
and replies to the hostile corpus through the channel and a real SMTP server."""

from __future__ import annotations

import email.utils
import uuid
from collections.abc import Callable, Iterator
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa

from core.email.compose import answer, validate
from core.protocol import email as ep
from core.protocol.models import MessageAuthor, MessageStatus
from hub.email.config import Security, SmtpSettings
from hub.email.email_store import NewAttachment
from hub.email.inbound import Outcome
from hub.email.msgid import is_msgid
from hub.email.outbound import Attachment, build_message, new_message_id, recipients
from hub.email.outgoing_headers import UnsafeHeadersError, check, file_name
from hub.email.threading import plus_address
from hub.store import schema as t
from hub.store.base import StoreError
from testbed.email_corpus import (
    FORGED,
    HIDDEN_ID,
    HIDDEN_NAME,
    Hostile,
    b_word,
    hostile,
    simple,
)
from tests.hub.email.conftest import EmailHub, open_email_hub
from tests.support.smtp_server import Delivery, SmtpServer

SUPPORT = "support@example.com"
TOKEN = "ZX-ABCD2345"
FIELDS = ["message-id", "date", "from", "reply-to", "to", "cc", "subject", "in-reply-to",
          "references", "auto-submitted", "x-zuoxi-conversation", "mime-version",
          "content-type"]


def _details(subject: str = "Re: Where is my parcel? [#ZX-ABCD2345]",
             to: list[ep.EmailAddress] | None = None, **kw: object) -> ep.EmailDetails:
    values: dict[str, object] = {
        "cc": [ep.EmailAddress("boss@example.com", "Boss")],
        "bcc": [ep.EmailAddress("audit@example.com")],
        "in_reply_to": "<p1@mail.example.com>",
        "references": ["<p0@mail.example.com>", "<p1@mail.example.com>"], **kw}
    return ep.EmailDetails(
        message_id="m1", conversation_id="c1", direction=ep.EmailDirection.OUTBOUND,
        status=ep.EmailStatus.QUEUED, header_message_id=new_message_id(SUPPORT),
        subject=subject, from_=ep.EmailAddress(SUPPORT, "客服 Support"),
        to=to if to is not None else [ep.EmailAddress("customer@example.com", "Customer")],
        date=1_700_000_000_000, text="It left the warehouse today.",
        **values)  # type: ignore[arg-type]


def _build(details: ep.EmailDetails) -> bytes:
    return build_message(details, SUPPORT, "客服 Support", TOKEN, [])


def _names(raw: bytes, header: str) -> list[tuple[str, str]]:
    """(display name, address) as an RFC 2047 reader decodes them."""
    parsed = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
    return [(str(make_header(decode_header(n))) if n else "", a)
            for n, a in email.utils.getaddresses(parsed.get_all(header, []))]


# ---- writing ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Re: Where is my parcel? [#ZX-ABCD2345]",
    "Re: 我的快递在哪里？ [#ZX-ABCD2345]",
    "退货  订单   两个 [#ZX-ABCD2345]  ", "  前后 ",
    f"Re: Order 1234 {HIDDEN_NAME} [#ZX-ABCD2345]",  # an encoded word as text
    "=?utf-8?b?eA0KQmNjOiB2QGV2aWwuZXhhbXBsZQ==?=",
    "=?", "two  spaces, a\ttab and a \\ backslash", "",
    "x" * 300, "长" * 400, "Re: " + "word " * 150,
])
def test_a_subject_reads_back_as_meant(text: str) -> None:
    details = _details(subject=text)
    raw = _build(details)
    check(raw, details, recipients(details))
    sent = BytesParser(policy=policy.default).parsebytes(raw)
    assert str(sent["Subject"]).strip() == text.strip()  # (edges of a header are not kept)
    head = raw.partition(b"\r\n\r\n")[0]
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    assert not any(line.lower().startswith(b"bcc") for line in head.split(b"\r\n"))


@pytest.mark.parametrize("name", [
    "Customer", "王芳", 'Li, "Lei"', "back\\slash", "a  b", "Eve <eve@evil.example>",
    HIDDEN_NAME, "=?utf-8?q?=0D=0A?=", "Friend Bcc: victim@evil.example", "长" * 80, "",
])
def test_a_display_name_reads_back_as_meant(name: str) -> None:
    to = [ep.EmailAddress("customer@example.com", name)]
    details = _details(to=to)
    raw = _build(details)
    check(raw, details, recipients(details))
    assert _names(raw, "To") == [(name, "customer@example.com")]
    sent = BytesParser(policy=policy.default).parsebytes(raw)
    assert [a.addr_spec for a in sent["To"].addresses] == ["customer@example.com"]


def test_long_lists_of_recipients_and_references_are_folded() -> None:
    to = [ep.EmailAddress(f"u{i}@example.com", f"User {i}") for i in range(40)]
    refs = [f"<r{i}@mail.example.com>" for i in range(20)]
    details = _details(to=to, references=refs)
    raw = _build(details)
    check(raw, details, recipients(details))
    head = raw.partition(b"\r\n\r\n")[0].split(b"\r\n")
    assert max(len(line) for line in head) <= 80
    sent = BytesParser(policy=policy.default).parsebytes(raw)
    assert str(sent["References"]).split() == refs
    assert [a.addr_spec for a in sent["To"].addresses] == [a.address for a in to]


def test_a_mail_to_bcc_only_says_so() -> None:
    details = _details(to=[], cc=[])
    raw = _build(details)
    check(raw, details, recipients(details))
    assert b"\r\nTo: undisclosed-recipients:;\r\n" in raw


@pytest.mark.parametrize(("filename", "content_type", "written_type"), [
    ("回执.pdf", "application/pdf", "application/pdf"),
    ('a "quoted"; name, long ' + "x" * 150 + ".docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (f"{HIDDEN_NAME}.pdf", "application/pdf", "application/pdf"),
    (HIDDEN_NAME, "application/x=?utf-8?q?=0d=0abcc:_v@evil.example?=",
     "application/octet-stream"),
    ("line\u2028break\x85.txt", "text/plain; charset=utf-8", "application/octet-stream"),
])
def test_attachment_names_and_types_stay_in_their_part(filename: str, content_type: str,
                                                       written_type: str) -> None:
    attachment = ep.EmailAttachment(id="a1", filename=filename, content_type=content_type,
                                    size=4)
    details = _details(attachments=[attachment])
    raw = build_message(details, SUPPORT, "客服 Support", TOKEN,
                        [Attachment(filename, content_type, b"%PDF")])
    check(raw, details, recipients(details))
    sent = BytesParser(policy=policy.default).parsebytes(raw)
    [part] = list(sent.iter_attachments())
    assert part.get_filename() == file_name(filename)
    assert "=?" not in part.get_filename() and "\n" not in part.get_filename()
    assert part.get_content_type() == written_type
    assert part.get_content() == b"%PDF"
    assert sorted(k.lower() for k in part) == [
        "content-disposition", "content-transfer-encoding", "content-type", "mime-version"]


# ---- checking --------------------------------------------------------------------------


def _old_build(details: ep.EmailDetails) -> bytes:
    """How earlier versions built mail: the email package's headers, re-decoded text."""
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Message-ID"] = details.header_message_id
    msg["Date"] = email.utils.formatdate(details.date / 1000 if details.date else 0,
                                         usegmt=True)
    msg["From"] = email.utils.formataddr(("Support", SUPPORT))
    msg["Reply-To"] = email.utils.formataddr(("Support", plus_address(SUPPORT, TOKEN)))
    msg["To"] = ", ".join(email.utils.formataddr((a.name, a.address)) for a in details.to)
    if details.cc:
        msg["Cc"] = ", ".join(email.utils.formataddr((a.name, a.address)) for a in details.cc)
    msg["Subject"] = details.subject
    if details.in_reply_to:
        msg["In-Reply-To"] = details.in_reply_to
    if details.references:
        msg["References"] = " ".join(details.references)
    msg["Auto-Submitted"] = "no"
    msg["X-Zuoxi-Conversation"] = TOKEN
    msg.set_content(details.text, charset="utf-8")
    msg.add_alternative(f"<p>{details.text}</p>", subtype="html", charset="utf-8")
    return msg.as_bytes()


def _meant() -> ep.EmailDetails:
    return msgspec.structs.replace(_details(), from_=ep.EmailAddress(SUPPORT, "Support"))


def test_mail_built_by_earlier_versions_still_passes() -> None:
    details = _meant()
    check(_old_build(details), details, recipients(details))


def _edit(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(raw: bytes) -> bytes:
        assert old in raw
        return raw.replace(old, new, 1)
    return edit


@pytest.mark.parametrize(("edit", "header"), [
    (_edit(b"\r\nAuto-Submitted:", b"\r\nBcc: victim@evil.example\r\nAuto-Submitted:"), "Bcc"),
    (_edit(b"\r\nIn-Reply-To: <p1@mail.example.com>",
           b"\r\nIn-Reply-To: <p1@mail.example.com>\r\n\r\nforged body"), "References"),
    (_edit(b"\r\nSubject: Re: Where", b"\r\nSubject: Re:\nBcc: victim@evil.example Where"),
     "Subject"),
    (_edit(b"\r\nSubject: Re: Where", b"\r\nSubject: Re:\rWhere"), "Subject"),
    (_edit(b"\r\nSubject: Re: Where", b"\r\nSubject: Re:\x00Where"), "Subject"),
    (_edit(b"\r\nSubject: Re: Where", b"\r\nSubject: Re: \xe5\x9b\x9eWhere"), "Subject"),
    (_edit(b"\r\nSubject: Re: Where",
           b"\r\nSubject: =?utf-8?q?Re=0D=0ABcc:_victim@evil.example?= Where"), "Subject"),
    (_edit(b"\r\nSubject: Re: Where", b"\r\nSubject: Re: " + b"x" * 1000 + b" Where"),
     "Subject"),
    (_edit(b"\r\nSubject:", b"\r\nSubject: twice\r\nSubject:"), "Subject"),
    (_edit(b"\r\nReferences:", b"\r\nX-References:"), "X-References"),
    (_edit(b"\r\nTo: Customer <customer@example.com>",
           b"\r\nTo: Customer <customer@example.com>, victim@evil.example"), "To"),
    (_edit(b"\r\nTo: Customer <customer@example.com>",
           b"\r\nTo: =?utf-8?q?Customer=0D=0ABcc:_v@evil.example?= <customer@example.com>"),
     "To"),
    (_edit(b"\r\nCc: Boss <boss@example.com>", b"\r\nCc: Boss <victim@evil.example>"), "Cc"),
    (_edit(b"\r\nIn-Reply-To: <p1@mail.example.com>", b"\r\nIn-Reply-To: <p2@mail.example.com>"),
     "In-Reply-To"),
    (_edit(b"\r\nMIME-Version: 1.0\r\n", b"\r\n"), "MIME-Version"),
    (_edit(b"\r\n\r\n", b"\r\n"), "Content-Type"),  # the body's first line joins it
])
def test_the_check_refuses_what_was_not_meant(edit: Callable[[bytes], bytes],
                                             header: str) -> None:
    details = _meant()
    raw = edit(_old_build(details))
    with pytest.raises(UnsafeHeadersError) as refused:
        check(raw, details, recipients(details))
    assert refused.value.header == header, refused.value


def test_the_check_refuses_what_earlier_versions_made_of_a_hidden_id() -> None:
    details = msgspec.structs.replace(_meant(), in_reply_to=HIDDEN_ID,
                                      references=["<p0@mail.example.com>", HIDDEN_ID])
    raw = _old_build(details)
    assert b"\r\nBcc: victim@evil.example" in raw  # what the check is for
    with pytest.raises(UnsafeHeadersError):
        check(raw, details, recipients(details))


def test_the_check_refuses_a_part_whose_file_name_was_decoded_again() -> None:
    attachment = ep.EmailAttachment(id="a1", filename=f"{HIDDEN_NAME}.pdf",
                                    content_type="application/pdf", size=4)
    details = msgspec.structs.replace(_meant(), attachments=[attachment])
    msg = BytesParser(policy=SMTP_POLICY).parsebytes(_old_build(details))
    assert isinstance(msg, EmailMessage)
    msg.add_attachment(b"%PDF", maintype="application", subtype="pdf",
                       filename=attachment.filename)  # as earlier versions did
    raw = msg.as_bytes()
    assert b"\r\nBcc: victim@evil.example\r\n\r\nforged body" in raw
    with pytest.raises(UnsafeHeadersError) as refused:
        check(raw, details, recipients(details))
    assert refused.value.header == "Bcc"


def test_the_check_refuses_an_envelope_that_is_not_the_recipients() -> None:
    details = _meant()
    raw = _old_build(details)
    meant = recipients(details)
    for envelope in ([*meant, "victim@evil.example"], meant[:-1], list(reversed(meant))):
        with pytest.raises(UnsafeHeadersError) as refused:
            check(raw, details, envelope)
        assert refused.value.header == "(envelope)"
    hidden = msgspec.structs.replace(
        details, bcc=[ep.EmailAddress("=?utf-8?q?x=0d=0a?=@evil.example")])
    with pytest.raises(UnsafeHeadersError) as refused:
        check(raw, hidden, recipients(hidden))
    assert refused.value.header == "(envelope)"


# ---- through the channel, over real SMTP -------------------------------------------------


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _hub(db: str, relay: SmtpServer) -> EmailHub:
    return open_email_hub(db, smtp=SmtpSettings(
        host="127.0.0.1", port=relay.port, security=Security.PLAIN, backoff_s=0.0,
        timeout_s=10))


def _send(hub: EmailHub, original: ep.EmailDetails, to: list[str], cc: list[str],
          subject: str) -> str:
    message_id = uuid.uuid4().hex
    hub.channel.send(hub.agent_id, ep.SendEmail(
        op=uuid.uuid4().hex, conversation_id=original.conversation_id, message_id=message_id,
        kind=ep.EmailKind.REPLY_ALL, to=to, cc=cc, subject=subject,
        text="We will call you today.", in_reply_to=original.message_id))
    return message_id


def _assert_only_what_was_meant(delivery: Delivery, case: Hostile) -> None:
    head = delivery.raw.partition(b"\r\n\r\n")[0].split(b"\r\n")
    assert sorted(line.split(b":", 1)[0].decode().lower() for line in head
                  if line[:1] not in (b" ", b"\t")) == sorted(FIELDS)
    assert sorted(delivery.recipients) == sorted(case.to + case.cc)
    sent = delivery.message
    assert [a.addr_spec for a in sent["To"].addresses] == case.to
    assert [a.addr_spec for a in sent["Cc"].addresses] == case.cc
    for name, value in sent.items():
        assert not any(c in str(value) for c in "\r\n\x00"), (name, value)
    for name in ("Message-ID", "In-Reply-To", "References"):
        assert all(is_msgid(i) for i in str(sent[name]).split()), sent[name]
    parts = [p.get_content() for p in sent.walk() if not p.is_multipart()]
    assert len(parts) == 2 and parts[0].startswith("We will call you today.")
    assert not any(FORGED in p for p in parts)


@pytest.mark.parametrize("case", hostile(), ids=lambda c: c.name)
@pytest.mark.parametrize("names", [False, True], ids=["addresses", "with-names"])
async def test_reply_all_to_hostile_mail_sends_only_what_was_meant(hub_db: str,
        tmp_path: Path, relay: SmtpServer, case: Hostile, names: bool) -> None:
    hub = _hub(hub_db, relay)
    got = hub.channel.inbound.receive("t:1", case.raw)
    assert got.outcome is Outcome.NEW_CONVERSATION  # accepted, never dropped
    assert got.conversation_id and got.message_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    original = hub.channel.emails.details(got.message_id)
    assert original is not None
    draft = answer(original, ep.EmailKind.REPLY_ALL, [SUPPORT], date_text="2024-03-04")
    assert validate(draft) == []
    known = {a.address: a for a in (*original.reply_to, *original.to, *original.cc)}
    if original.from_ is not None:
        known.setdefault(original.from_.address, original.from_)

    def spelled(text: str) -> list[str]:
        found = [known[a.strip()] for a in text.split(",") if a.strip()]
        return [email.utils.formataddr((a.name, a.address)) if names else a.address
                for a in found]

    message_id = _send(hub, original, spelled(draft.to), spelled(draft.cc), draft.subject)
    assert await hub.channel.submit_due() == 1
    details = hub.channel.emails.details(message_id)
    assert details is not None and details.status is ep.EmailStatus.SENT, details
    [delivery] = relay.deliveries
    _assert_only_what_was_meant(delivery, case)
    assert str(delivery.message["Subject"]) == f"{draft.subject} [#{_token(hub, original)}]"
    if names:
        assert _names(delivery.raw, "To") == [
            (known[a].name, a) for a in case.to]


def _token(hub: EmailHub, original: ep.EmailDetails) -> str:
    thread = hub.channel.emails.thread(original.conversation_id)
    assert thread is not None
    return thread.token


async def test_forwarding_an_attachment_with_a_hidden_name_and_type(hub_db: str,
        tmp_path: Path, relay: SmtpServer) -> None:
    hub = _hub(hub_db, relay)
    mail = (
        "From: Eve <eve@customer.example>\r\nTo: support@example.com\r\n"
        "Subject: Invoice\r\nDate: Mon, 04 Mar 2024 10:00:00 +0800\r\n"
        "Message-ID: <inv1@customer.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
        "--B\r\nContent-Type: application/x=?utf-8?q?=0d=0abcc:_v@evil.example?=\r\n"
        f'Content-Disposition: attachment; filename="{b_word(HIDDEN_NAME + ".pdf")}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--B--\r\n").encode()
    got = hub.channel.inbound.receive("t:1", mail)
    assert got.conversation_id and got.message_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    original = hub.channel.emails.details(got.message_id)
    assert original is not None
    [attachment] = original.attachments
    assert attachment.filename == HIDDEN_NAME + ".pdf"  # decoded once, shown as it is
    message_id = uuid.uuid4().hex
    hub.channel.send(hub.agent_id, ep.SendEmail(
        op=uuid.uuid4().hex, conversation_id=original.conversation_id, message_id=message_id,
        kind=ep.EmailKind.FORWARD, to=["friend@customer.example"], subject="Fwd: Invoice",
        text="Forwarding.", attachment_ids=[attachment.id], in_reply_to=original.message_id))
    await hub.channel.submit_due()
    details = hub.channel.emails.details(message_id)
    assert details is not None and details.status is ep.EmailStatus.SENT, details
    [delivery] = relay.deliveries
    assert delivery.recipients == ["friend@customer.example"]
    sent = delivery.message
    [part] = list(sent.iter_attachments())
    assert part.get_filename() == file_name(HIDDEN_NAME + ".pdf")
    assert part.get_content_type() == "application/octet-stream"
    assert part.get_content() == b"%PDF"
    for each in sent.walk():
        assert "Bcc" not in each
        if not each.is_multipart() and each.get_content_maintype() == "text":
            assert FORGED not in each.get_content()


async def test_a_mail_that_fails_the_check_is_not_sent_and_its_agent_is_told(hub_db: str,
        tmp_path: Path, relay: SmtpServer) -> None:
    hub = _hub(hub_db, relay)
    got = hub.channel.inbound.receive("t:1", simple("Where is my parcel?", "p1"))
    assert got.conversation_id and got.message_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    original = hub.channel.emails.details(got.message_id)
    assert original is not None
    message_id = _send(hub, original, ["customer@example.com"], [], "Re: Where is my parcel?")
    # Queued by an earlier version, from a hidden id: its bytes carry a Bcc and a body.
    queued = hub.channel.emails.details(message_id)
    assert queued is not None
    queued = msgspec.structs.replace(queued, in_reply_to=HIDDEN_ID)
    with hub.store.engine.begin() as conn:
        raw_id = conn.execute(sa.select(t.email_messages.c.raw_id).where(
            t.email_messages.c.message_id == message_id)).scalar_one()
        conn.execute(t.email_raw_data.delete().where(t.email_raw_data.c.raw_id == raw_id))
        conn.execute(t.email_raw.update().where(t.email_raw.c.id == raw_id).values(
            data=_old_build(queued)))
        conn.execute(t.email_messages.update().where(
            t.email_messages.c.message_id == message_id).values(
                details=msgspec.json.encode(queued).decode()))
    assert await hub.channel.submit_due() == 1
    assert relay.deliveries == []
    details = hub.channel.emails.details(message_id)
    assert details is not None and details.status is ep.EmailStatus.FAILED
    assert details.failure is ep.EmailFailure.UNSAFE_HEADERS
    assert details.failure_detail == "Bcc"  # the field the check found, named for the agent
    changes = [e.body for e in hub.store.events_after(hub.agent_id, 0, 100)
               if isinstance(e.body, ep.EmailStatusChanged)]
    assert [(c.message_id, c.status, c.failure, c.detail) for c in changes] == [
        (message_id, ep.EmailStatus.FAILED, ep.EmailFailure.UNSAFE_HEADERS, "Bcc")]
    [message] = [m for m in hub.store.messages_of(original.conversation_id)
                 if m.id == message_id]
    assert message.status is MessageStatus.FAILED
    assert await hub.channel.submit_due() == 0  # never tried again


async def test_a_reply_to_mail_stored_with_unsafe_ids_leaves_them_out(hub_db: str,
        tmp_path: Path, relay: SmtpServer) -> None:
    hub = _hub(hub_db, relay)
    got = hub.channel.inbound.receive("t:1", simple("Where is my parcel?", "p1"))
    assert got.conversation_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    # As stored by earlier versions, which kept ids hidden in encoded words.
    stored = ep.EmailDetails(
        message_id="m-old", conversation_id=got.conversation_id,
        direction=ep.EmailDirection.INBOUND, status=ep.EmailStatus.RECEIVED,
        header_message_id=HIDDEN_ID, subject="Re: Where is my parcel?",
        from_=ep.EmailAddress("customer@example.com"),
        to=[ep.EmailAddress(SUPPORT)], references=["<p1@mail.example.com>", HIDDEN_ID])
    hub.channel.emails.add_email(stored, MessageAuthor.CUSTOMER, "Customer", "Hello", None,
                                 list[NewAttachment]())
    message_id = _send(hub, stored, ["customer@example.com"], [], "Re: Where is my parcel?")
    details = hub.channel.emails.details(message_id)
    assert details is not None
    assert details.in_reply_to is None and details.references == ["<p1@mail.example.com>"]
    await hub.channel.submit_due()
    [delivery] = relay.deliveries
    assert "In-Reply-To" not in delivery.message
    assert str(delivery.message["References"]) == "<p1@mail.example.com>"


async def test_a_subject_and_names_go_out_on_one_line(hub_db: str, tmp_path: Path,
                                                      relay: SmtpServer) -> None:
    hub = _hub(hub_db, relay)
    got = hub.channel.inbound.receive("t:1", simple("Where is my parcel?", "p1"))
    assert got.conversation_id and got.message_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    original = hub.channel.emails.details(got.message_id)
    assert original is not None
    message_id = _send(hub, original, ["Wang\u2028Fang\x0b <customer@example.com>"], [],
                       "Re: a\u2028b\x85c\x0bd\te")
    details = hub.channel.emails.details(message_id)
    assert details is not None and details.subject.startswith("Re: a b c d e [#ZX-")
    assert details.to == [ep.EmailAddress("customer@example.com", "Wang Fang")]
    await hub.channel.submit_due()
    [delivery] = relay.deliveries
    assert str(delivery.message["Subject"]) == details.subject


def test_send_refuses_an_address_holding_an_encoded_word(hub_db: str, tmp_path: Path,
                                                         relay: SmtpServer) -> None:
    hub = _hub(hub_db, relay)
    got = hub.channel.inbound.receive("t:1", simple("Where is my parcel?", "p1"))
    assert got.conversation_id and got.message_id
    hub.store.assign(got.conversation_id, hub.agent_id)
    original = hub.channel.emails.details(got.message_id)
    assert original is not None
    with pytest.raises(StoreError) as refused:
        _send(hub, original, ["=?utf-8?q?x=0d=0abcc=3a_v=40evil.example?=@evil.example"], [],
              "Re: x")
    assert refused.value.code == "invalid"
