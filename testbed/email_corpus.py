"""Awkward real-world mail, built byte by byte (as the mailers that send it do).

Each case is (name, raw bytes, what the parser must find). Built here rather than
with the stdlib's generator, which would "fix" exactly what is being tested.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from core.protocol.email import EmailProblem

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@dataclass
class Case:
    name: str
    raw: bytes
    subject: str
    text_contains: list[str]
    sender: str = "customer@example.com"
    html_contains: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # name, type, data
    problems: set[EmailProblem] = field(default_factory=set)
    inline_cids: list[str] = field(default_factory=list)
    calendar: str | None = None


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(_codec(charset))).decode()}?="


def _codec(charset: str) -> str:
    return {"gb2312": "gbk"}.get(charset.lower(), charset)


def _head(subject: str, msgid: str, extra: str = "", sender: str = "customer@example.com") -> bytes:
    return (
        f"From: {sender}\r\nTo: support@example.com\r\nSubject: {subject}\r\n"
        f"Date: Mon, 04 Mar 2024 10:00:00 +0800\r\nMessage-ID: <{msgid}@mail.example.com>\r\n"
        f"MIME-Version: 1.0\r\n{extra}"
    ).encode()  # raw UTF-8 headers are allowed (RFC 6532)


def _single(charset: str, text: str, subject: str, msgid: str, cte: str = "base64",
            label: str | None = None) -> bytes:
    body = text.encode(_codec(charset))
    encoded = _b64(body) if cte == "base64" else body + b"\r\n"
    return _head(
        _word(subject, charset), msgid,
        f"Content-Type: text/plain; charset={label or charset}\r\n"
        f"Content-Transfer-Encoding: {cte}\r\n",
    ) + b"\r\n" + encoded


def cases() -> list[Case]:
    out: list[Case] = []
    # GB2312 label over GBK-only characters (镕 and 啰 are not in GB2312).
    text = "您好，朱镕基路的店铺啰嗦地说订单还没发货。"
    out.append(Case("gb2312-with-gbk", _single("gb2312", text, "订单查询：镕", "gb2312"),
                    "订单查询：镕", [text]))
    text = "退款申请：我在贵店买的商品有质量问题。"
    out.append(Case("gbk", _single("gbk", text, "退款申请", "gbk"), "退款申请", [text]))
    text = "GB18030 四字节字符：𠀀 和 㐀，还有欧元符号 €。"
    out.append(Case("gb18030", _single("gb18030", text, "四字节 𠀀", "gb18030"),
                    "四字节 𠀀", [text]))
    text = "您好，我的訂單還沒有發貨，請幫忙查詢。"
    out.append(Case("big5", _single("big5", text, "訂單查詢", "big5"), "訂單查詢", [text]))
    text = "Grüße, naïve café — emoji 👍 and 中文 mixed."
    out.append(Case("utf8-8bit", _single("utf-8", text, "Grüße 👍", "utf8", cte="8bit"),
                    "Grüße 👍", [text]))
    # Encoded words: Q and B, split across words mid-character, mixed charsets.
    whole = "关于退款的问题".encode()
    split = (f"=?UTF-8?B?{base64.b64encode(whole[:4]).decode()}?= "
             f"=?UTF-8?B?{base64.b64encode(whole[4:]).decode()}?=")
    subject = f"{split} =?iso-8859-1?Q?caf=E9?= and plain"
    raw = _head(subject, "words", "Content-Type: text/plain; charset=us-ascii\r\n",
                sender='=?gb2312?B?' + base64.b64encode("张伟".encode("gbk")).decode()
                + '?= <zhang.wei@example.com>') + b"\r\nplain ascii body\r\n"
    out.append(Case("encoded-words", raw, "关于退款的问题café and plain", ["plain ascii body"],
                    sender="zhang.wei@example.com"))
    # Mislabeled: GBK bytes declared as ISO-8859-1; UTF-8 declared as GB2312.
    text = "这封邮件的字符集标错了，但内容是简体中文。"
    raw = _single("gbk", text, "标错的字符集", "mislabel1", cte="8bit", label="iso-8859-1")
    out.append(Case("mislabeled-latin1", raw, "标错的字符集", [text],
                    problems={EmailProblem.CHARSET_MISLABELED}))
    text = "声明是 GB2312，实际是 UTF-8 编码的正文。"
    body = text.encode("utf-8")
    raw = _head("=?utf-8?B?" + base64.b64encode("标错 2".encode()).decode() + "?=", "mislabel2",
                "Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n"
                ) + b"\r\n" + _b64(body)
    out.append(Case("mislabeled-gb2312", raw, "标错 2", [text],
                    problems={EmailProblem.CHARSET_MISLABELED}))
    # Undecodable: bytes valid in no candidate charset -> replacement + flag.
    raw = _head("broken bytes", "undecodable",
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                ) + b"\r\nstart \xff\xfe\x80\x81\xfe end\r\n"
    out.append(Case("undecodable", raw, "broken bytes", ["start", "end"],
                    problems={EmailProblem.CHARSET_UNDECODABLE}))
    # Nested multiparts: mixed(alternative(text, related(html, image)), pdf).
    pdf = b"%PDF-1.4 fake pdf \x00\x01\x02"
    html = '<html><body><p>订单截图：</p><img src="cid:shot1@example.com"></body></html>'
    raw = _head("=?utf-8?B?" + base64.b64encode("嵌套的邮件".encode()).decode() + "?=", "nested",
                'Content-Type: multipart/mixed; boundary="OUTER"\r\n') + (
        b"\r\nThis is a multi-part message.\r\n--OUTER\r\n"
        b'Content-Type: multipart/alternative; boundary="ALT"\r\n\r\n'
        b"--ALT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\n" + _b64("订单截图见附件。".encode()) +
        b"--ALT\r\n"
        b'Content-Type: multipart/related; boundary="REL"\r\n\r\n'
        b"--REL\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\n" + _b64(html.encode()) +
        b"--REL\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-ID: <shot1@example.com>\r\nContent-Disposition: inline; filename=shot.png\r\n"
        b"\r\n" + _b64(PNG) + b"--REL--\r\n--ALT--\r\n"
        b"--OUTER\r\nContent-Type: application/pdf; name=\"=?utf-8?B?"
        + base64.b64encode("发票.pdf".encode()) + b'?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf\r\n\r\n"
        + _b64(pdf) + b"--OUTER--\r\n"
    )
    out.append(Case("nested-inline", raw, "嵌套的邮件", ["订单截图见附件。"],
                    html_contains=["cid:shot1@example.com"],
                    attachments=[("shot.png", "image/png", PNG),
                                 ("发票.pdf", "application/pdf", pdf)],
                    inline_cids=["shot1@example.com"]))
    # Calendar invite (Outlook style: alternative text + text/calendar).
    ics = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:售后回访电话\r\n"
           "DTSTART:20240310T020000Z\r\nLOCATION:电话会议\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    raw = _head("Invitation: follow-up call", "invite",
                'Content-Type: multipart/alternative; boundary="CAL"\r\n') + (
        b"\r\n--CAL\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYou are invited.\r\n"
        b"--CAL\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64(ics.encode()) + b"--CAL--\r\n"
    )
    out.append(Case("calendar", raw, "Invitation: follow-up call", ["You are invited."],
                    attachments=[("attachment-1.ics", "text/calendar", ics.encode())],
                    calendar="售后回访电话 · 20240310T020000Z · 电话会议"))
    # HTML only: text comes from the HTML.
    raw = _head("html only", "htmlonly",
                "Content-Type: text/html; charset=big5\r\nContent-Transfer-Encoding: base64\r\n"
                ) + b"\r\n" + _b64("<p>謝謝<script>x()</script>您的<b>幫助</b></p>".encode("big5"))
    out.append(Case("html-only-big5", raw, "html only", ["謝謝您的幫助"],
                    html_contains=["<script>x()</script>"]))
    return out


def bounce_for(original_message_id: str, recipient: str = "customer@example.com") -> bytes:
    """A delivery status notification (RFC 3464) for one of our mails."""
    return (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        b"To: support@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Date: Mon, 04 Mar 2024 11:00:00 +0000\r\nMessage-ID: <dsn1@mx.example.com>\r\n"
        b"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"\r\n\r\n'
        b"--DSN\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--DSN\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.com\r\n\r\n"
        b"Final-Recipient: rfc822; " + recipient.encode() + b"\r\nAction: failed\r\n"
        b"Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        b"--DSN\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        b"From: support@example.com\r\nTo: " + recipient.encode() + b"\r\n"
        b"Message-ID: " + original_message_id.encode() + b"\r\nSubject: Re: hello\r\n\r\n"
        b"--DSN--\r\n"
    )


def simple(subject: str, msgid: str, sender: str = "customer@example.com",
           body: str = "Hello", extra: str = "") -> bytes:
    """A plain UTF-8 mail (``extra``: more header lines, CRLF-terminated)."""
    return _head(_word(subject, "utf-8"), msgid, extra +
                 "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n",
                 sender=sender) + b"\r\n" + _b64(body.encode())


# ---- hostile headers ---------------------------------------------------------------------
#
# What a hostile mail hides in the headers a reply copies (ids, subject, names and
# addresses): CR LF, a Bcc, a blank line and a body of its own — in encoded words (q
# and b), in encoded words inside encoded words (they survive one decoding), and raw.

INJECTED = "=0D=0ABcc:_victim@evil.example=0D=0A=0D=0Aforged_body"  # as q-encoded text
BREAK = "\r\nBcc: victim@evil.example\r\n\r\nforged body"
FORGED = "forged body"


def b_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def q_word(text: str) -> str:
    return "=?utf-8?q?" + "".join(c if c.isalnum() else f"={ord(c):02X}" for c in text) + "?="


# An id and a display name whose encoded word survives one decoding.
HIDDEN_ID = f"<=?utf-8?q?x{INJECTED}?=@evil.example>"
HIDDEN_NAME = f"=?utf-8?q?Eve{INJECTED}?="
# A local part of atext only, in lower case (so address normalisation keeps it), that
# decodes to CR LF and a Bcc.
HIDDEN_LOCAL = "=?utf-8?q?x=0d=0abcc=3a_victim=40evil.example=0d=0a?="


@dataclass
class Hostile:
    name: str
    raw: bytes
    # Where a reply to all, as the desktop composes it, goes: nowhere else.
    to: list[str]
    cc: list[str]


def _hostile_mail(headers: dict[str, str]) -> bytes:
    lines = [f"{k}: {v}" for k, v in headers.items()]
    lines += ["Date: Mon, 04 Mar 2024 10:00:00 +0800", "MIME-Version: 1.0",
              "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(lines) + "\r\n\r\nPlease call me back.\r\n").encode()


def hostile() -> list[Hostile]:
    """One hostile header per mail, over an otherwise ordinary one."""
    eve, friend = "eve@customer.example", "friend@customer.example"
    variants: list[tuple[str, dict[str, str], list[str]]] = [
        ("message-id-q", {"Message-ID": f"=?utf-8?q?<a@b>{INJECTED}?="}, [eve]),
        ("message-id-b", {"Message-ID": b_word("<a@b>" + BREAK)}, [eve]),
        ("message-id-hidden-b", {"Message-ID": b_word(HIDDEN_ID)}, [eve]),
        ("message-id-hidden-q", {"Message-ID": q_word(HIDDEN_ID)}, [eve]),
        ("message-id-raw-encoded-word", {"Message-ID": HIDDEN_ID}, [eve]),
        ("message-id-unicode", {"Message-ID": "<café@customer.example>"}, [eve]),
        ("message-id-overlong", {"Message-ID": "<" + "a" * 400 + "@customer.example>"}, [eve]),
        ("message-id-nested", {"Message-ID": "<<a@b>>"}, [eve]),
        ("in-reply-to-hidden", {"In-Reply-To": b_word(HIDDEN_ID)}, [eve]),
        ("references-mixed", {"References": f"<root@customer.example> {b_word(HIDDEN_ID)} "
                              f"{q_word(HIDDEN_ID)} =?utf-8?q?<a@b>{INJECTED}?="}, [eve]),
        ("subject-break", {"Subject": b_word("Order" + BREAK)}, [eve]),
        ("subject-hidden", {"Subject": b_word(f"Order =?utf-8?q?x{INJECTED}?=")}, [eve]),
        ("subject-unicode-breaks", {"Subject": b_word("Order\u2028Bcc: v\x85x\x00y")}, [eve]),
        ("from-name-break", {"From": f"{b_word('Eve' + BREAK)} <{eve}>"}, [eve]),
        ("from-name-hidden", {"From": f"{b_word(HIDDEN_NAME)} <{eve}>"}, [eve]),
        ("reply-to-address-break", {"Reply-To": f"Eve <{b_word('x' + BREAK)}@evil.example>"},
         [eve]),
        ("reply-to-name-hidden", {"Reply-To": f"{b_word(HIDDEN_NAME)} <eve.home@customer.example>"},
         ["eve.home@customer.example"]),
        ("cc-address-break", {"Cc": f"{friend}, {b_word('x' + BREAK)}@evil.example"}, [eve]),
        ("cc-address-hidden", {"Cc": f"{friend}, {b_word(HIDDEN_LOCAL)}@evil.example"}, [eve]),
        ("cc-address-raw-encoded-word", {"Cc": f"{friend}, {HIDDEN_LOCAL}@evil.example"}, [eve]),
        ("cc-name-break", {"Cc": f"{b_word('Friend' + BREAK)} <{friend}>"}, [eve]),
        ("to-address-hidden", {"To": f"support@example.com, {b_word(HIDDEN_NAME)} "
                               f"<{HIDDEN_LOCAL}@evil.example>"}, [eve]),
    ]
    out = []
    for name, headers, to in variants:
        mail = {"From": f"Eve <{eve}>", "To": "support@example.com",
                "Cc": f"Friend <{friend}>", "Subject": "Order 1234",
                "Message-ID": f"<{name}@customer.example>", **headers}
        out.append(Hostile(name, _hostile_mail(mail), to, [friend]))
    return out


def _structure_head(subject: str, msgid: str, ctype: str) -> bytes:
    return (f"From: Mallory <mallory@customer.example>\r\nTo: support@example.com\r\n"
            f"Subject: {subject}\r\nMessage-ID: <{msgid}@customer.example>\r\n"
            f"Date: Mon, 04 Mar 2024 10:00:00 +0800\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode()


def hostile_structure() -> list[tuple[str, bytes]]:
    """Mail whose shape, not its headers, is the attack: (subject, raw) pairs.

    Each costs the stdlib parser between half a second and several seconds.
    """
    parts = _structure_head("many parts", "parts", "multipart/mixed; boundary=b") + b"".join(
        b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(100_000)) + b"--b--\r\n"
    deep = _structure_head("deep", "deep", "multipart/mixed; boundary=d0") + b"".join(
        b"--d%d\r\nContent-Type: multipart/mixed; boundary=d%d\r\n\r\n" % (i, i + 1)
        for i in range(10_000))
    lines = _structure_head("short lines", "lines", "text/plain") + b"x\r\n" * 1_500_000
    headers = b"".join(b"X-Filler-%d: v\r\n" % i for i in range(100_000)) + _structure_head(
        "many headers", "headers", "text/plain") + b"hello\r\n"
    return [("many parts", parts), ("deep", deep), ("short lines", lines),
            ("many headers", headers)]
