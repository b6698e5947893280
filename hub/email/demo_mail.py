"""Demo mail: a few email conversations for the demo agent, through the real pipeline.

Each customer mail is raw bytes as a mail client would send them, handed to
``InboundMail.receive`` like mail from IMAP or the embedded receiver (so it is
stored raw, parsed, threaded and attached to its customer). The agent's reply in
the thread goes through ``EmailChannel.send`` and waits in the outbox; a hub with
the demo sink submits it over SMTP at start and it shows "Sent".
"""

from __future__ import annotations

import base64
import email.utils
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

from core.protocol import email as ep
from core.protocol.models import IdentityKind
from hub.email.channel import EmailChannel
from hub.email.inbound import Outcome
from hub.store.base import new_id, now_ms

DEMO_AGENT = "lina"
MINUTE_MS = 60_000

# A GB18030 mail from a seeded customer (the first demo customer's address); it is
# signed with that customer's name, whatever the seed drew (王芳 when it is unknown).
_GB_SENDER = ("王芳", "user1000@example.cn")
_GB_SUBJECT = "蓝牙耳机左耳没有声音"
_GB_TEXT = (
    "您好：\n\n"
    "我上周在官网买的蓝牙耳机（订单号 20261118-3307），今天发现左耳没有声音，"
    "重新配对和充电都试过了，还是不行。\n\n"
    "请问可以换一副吗？我下周三之前都在上海。\n\n"
    "另外，包装盒里的保修卡上写着“𠮷祥电子”，这个是你们的售后合作方吗？\n\n谢谢！\n"
)

_HTML_SENDER = ("Olivia Walker", "olivia.walker@example.com")
_HTML_SUBJECT = "Invoice for order 48213 looks wrong"
_HTML_TEXT = (
    "Hello,\n\nthe invoice attached charges the express shipping twice "
    "(see line 3). Could you send a corrected one?\n\nThanks,\nOlivia\n"
)
_HTML_BODY = """<html><body style="font-family: Helvetica, sans-serif">
<p><img src="https://shop.example.com/newsletter/logo.png" alt="Walker Design Studio"
 width="180"></p>
<p>Hello,</p>
<p>the invoice attached charges the <b>express shipping twice</b> (see line 3).
Could you send a corrected one?</p>
<p>My order page: <a href="https://shop.example.com/orders/48213">order 48213</a></p>
<p>Thanks,<br>Olivia</p>
<p style="color:#888;font-size:small">Walker Design Studio &middot; 12 Harbour St</p>
</body></html>"""

_THREAD_SENDER = ("Daniel Hughes", "daniel.hughes@example.com")
_THREAD_SUBJECT = "Change of delivery address"
_THREAD_FIRST = (
    "Hi,\n\nI just ordered a desk lamp (order 50917) but I will be away next week. "
    "Can it go to my office instead?\n\n"
    "Hughes & Co, 3rd floor, 88 Market Street, San Francisco\n\nDaniel\n"
)
_THREAD_REPLY = (
    "Dear Daniel,\n\nof course. I have changed the delivery address of order 50917 to your "
    "office; the courier will call you before delivering.\n\n"
    "Tracking: https://track.example.com/50917\n"
)
_THREAD_LAST = (
    "That's great, thank you! One more thing: can the courier come after 2 pm?\n\n"
    "Daniel\n"
)


def _gb18030_mail(date_ms: int, msgid: str, sender: tuple[str, str] = _GB_SENDER) -> bytes:
    def word(text: str) -> str:
        return "=?GB18030?B?" + base64.b64encode(text.encode("gb18030")).decode() + "?="

    name, address = sender
    head = (
        f"From: {word(name)} <{address}>\r\n"
        "To: support@zuoxi.localhost\r\n"
        f"Subject: {word(_GB_SUBJECT)}\r\n"
        f"Date: {email.utils.formatdate(date_ms / 1000, localtime=False)}\r\n"
        f"Message-ID: {msgid}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=GB18030\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    body = base64.encodebytes(_GB_TEXT.replace("\n", "\r\n").encode("gb18030"))
    return head.encode("ascii") + body.replace(b"\n", b"\r\n")


def _html_mail(date_ms: int, msgid: str) -> bytes:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = email.utils.formataddr(_HTML_SENDER)
    msg["To"] = "Support <support@zuoxi.localhost>"
    msg["Subject"] = _HTML_SUBJECT
    msg["Date"] = email.utils.formatdate(date_ms / 1000, localtime=False)
    msg["Message-ID"] = msgid
    msg.set_content(_HTML_TEXT)
    msg.add_alternative(_HTML_BODY, subtype="html")
    msg.add_attachment(_invoice_pdf(), maintype="application", subtype="pdf",
                       filename="invoice-48213.pdf")
    return msg.as_bytes()


def _plain_mail(sender: tuple[str, str], subject: str, text: str, date_ms: int, msgid: str,
                in_reply_to: str | None = None, references: list[str] | None = None) -> bytes:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = email.utils.formataddr(sender)
    msg["To"] = "Support <support@zuoxi.localhost>"
    msg["Subject"] = subject
    msg["Date"] = email.utils.formatdate(date_ms / 1000, localtime=False)
    msg["Message-ID"] = msgid
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = " ".join(references)
    msg.set_content(text)
    return msg.as_bytes()


def _invoice_pdf() -> bytes:
    """A one-page PDF with a line of text (enough for a viewer to open)."""
    stream = b"BT /F1 14 Tf 72 760 Td (Invoice 48213 - Walker Design Studio) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _msgid(name: str) -> str:
    return f"<{name}.{new_id('demo')}@mail.example.com>"


def seed_demo_mail(channel: EmailChannel) -> list[str]:
    """Three email conversations held by the demo agent; returns their ids.

    Only with the demo sink: the seeded reply is submitted when the hub starts, and
    it must never go to a real mail server. Nothing happens either when the demo
    agent does not exist (a database seeded otherwise) or the demo mail is there.
    """
    store = channel.store
    row = store.agent_by_username(DEMO_AGENT)
    if (channel.config.demo_sink is None or row is None
            or channel.emails.has_raw("demo:thread-1")):
        return []
    agent_id = str(row.id)
    now = now_ms()
    conversations: list[str] = []

    def arrive(key: str, raw: bytes) -> str:
        received = channel.inbound.receive(f"demo:{key}", raw, route=False)
        assert received.conversation_id is not None, f"demo mail {key}: {received.outcome}"
        if received.outcome is Outcome.NEW_CONVERSATION:
            store.assign(received.conversation_id, agent_id)
            conversations.append(received.conversation_id)
        return received.conversation_id

    # A reply thread: the customer writes, the agent answers, the customer writes back.
    first_id = _msgid("lamp")
    thread = arrive("thread-1", _plain_mail(_THREAD_SENDER, _THREAD_SUBJECT, _THREAD_FIRST,
                                             now - 95 * MINUTE_MS, first_id))
    first = next(e for e in channel.emails.emails_of(thread)
                 if e.header_message_id == first_id)
    reply_id = new_id("m")
    channel.send(agent_id, ep.SendEmail(
        op=new_id("op"), conversation_id=thread, message_id=reply_id, kind=ep.EmailKind.REPLY,
        to=[email.utils.formataddr(_THREAD_SENDER)], subject=f"Re: {_THREAD_SUBJECT}",
        text=_THREAD_REPLY + "\n" + _quoted(first), in_reply_to=first.message_id,
    ), date=now - 70 * MINUTE_MS)
    sent = channel.emails.details(reply_id)
    assert sent is not None
    arrive("thread-3", _plain_mail(
        _THREAD_SENDER, "Re: " + sent.subject.removeprefix("Re: "),
        _THREAD_LAST + "\n" + _quoted(sent),
        now - 12 * MINUTE_MS, _msgid("lamp-2"), in_reply_to=sent.header_message_id,
        references=[*sent.references, sent.header_message_id]))

    arrive("gb18030", _gb18030_mail(now - 40 * MINUTE_MS, _msgid("earphones"),
                                    _seeded_sender(channel, _GB_SENDER)))
    arrive("html", _html_mail(now - 25 * MINUTE_MS, _msgid("invoice")))
    return conversations


def _seeded_sender(channel: EmailChannel, sender: tuple[str, str]) -> tuple[str, str]:
    """The sender under the name of the seeded customer who owns the address."""
    name, address = sender
    customer_id = channel.store.customer_by_identity(IdentityKind.EMAIL, address)
    if customer_id is None:
        return sender
    return channel.store.customer_name(customer_id) or name, address


def _quoted(mail: ep.EmailDetails) -> str:
    sender = mail.from_.name or mail.from_.address if mail.from_ else ""
    when = email.utils.formatdate((mail.date or 0) / 1000, localtime=False)
    lines = (mail.text or "").rstrip("\n").splitlines()
    return f"On {when}, {sender} wrote:\n" + "\n".join(f"> {line}" for line in lines) + "\n"


def banner_lines(announce: dict[str, str]) -> list[str]:
    """Start-up lines about the demo mailbox (see EmailChannel.announce)."""
    lines = []
    if "smtp_receiver" in announce:
        lines.append(f"Email: mail to {announce['mailbox']} via SMTP {announce['smtp_receiver']}")
    if "demo_sink" in announce:
        lines.append(f"Email demo sink {announce['demo_sink']}: replies are kept in "
                     f"{announce['demo_sink_dir']}, not delivered")
    return lines
