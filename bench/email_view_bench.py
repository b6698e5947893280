"""Desktop email benchmark: opening a 50-mail thread with HTML bodies.

A cache holds email conversations of 50 mails each; every mail has a realistic
HTML body (about 8 KB: tables, inline styles, remote images and tracking pixels,
links, quoted history) and its details as the hub sends them. Each sample opens a
conversation the process has not shown before in the real ``EmailView``
(offscreen) and stops when the window has been painted (``grab()`` paints every
visible widget, including the unfolded newest mail's sanitised body). The first
open in the process is a warm-up and is reported apart.

``python -m bench --only email_view``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import summary

T0 = 1_700_000_000_000
MAILS = 50

BODY = """<html><head><style>.x{{color:red}}</style><script>track()</script></head><body>
<table width="100%" cellpadding="0" cellspacing="0" style="background-color:#f4f4f4">
<tr><td align="center"><img src="https://cdn.shop.example/logo-{n}.png" width="120"></td></tr>
<tr><td style="padding:16px;font-family:Arial;font-size:14px;color:#333333">
<p>您好，关于订单 <b>{n}</b>：{line}</p>
<p>Hello, regarding order <b>{n}</b>: {line_en}</p>
<ul>{items}</ul>
<p><a href="https://shop.example/orders/{n}?utm_source=mail">查看订单 / View order</a></p>
<div style="display:none">preheader text {n}</div>
<img src="https://t.shop.example/open.gif?m={n}" width="1" height="1">
</td></tr>
<tr><td><table border="1" style="border-collapse:collapse">{rows}</table></td></tr>
</table>
<blockquote style="border-left:2px solid #ccc;padding-left:8px">{quote}</blockquote>
</body></html>"""
LINES = ["我的订单还没有发货，请帮忙查一下", "快递显示已签收但我没有收到",
         "发票抬头需要修改为公司名称", "商品有质量问题，想申请换货"]
LINES_EN = ["my order has not shipped yet", "the parcel shows as delivered but I have nothing",
            "the invoice needs our company name", "the product is faulty, I want an exchange"]


def html_body(n: int) -> str:
    items = "".join(f"<li>商品 {i}：数量 {i % 3 + 1}，单价 ¥{i * 13}.00</li>" for i in range(12))
    rows = "".join(f"<tr><td>SKU-{n}-{i}</td><td>¥{i * 7}.50</td><td>在途</td></tr>"
                   for i in range(20))
    quote = "<br>".join(f"&gt; 上一封邮件第 {i} 行 previous mail line {i}" for i in range(30))
    return BODY.format(n=n, line=LINES[n % 4], line_en=LINES_EN[n % 4], items=items, rows=rows,
                       quote=quote)


def build(path: Path, conversations: int) -> int:
    """Cache with ``conversations`` email threads of MAILS mails; returns the HTML bytes."""
    from core.cache.cache import Cache
    from core.protocol.agent import ConversationAssigned, Event
    from core.protocol.email import (
        EmailAddress,
        EmailDetails,
        EmailDirection,
        EmailReceived,
        EmailStatus,
    )
    from core.protocol.models import (
        Channel,
        Conversation,
        ConversationStatus,
        Customer,
        Message,
        MessageAuthor,
    )

    cache = Cache(path)
    seq, size = 0, 0
    for c in range(conversations):
        cid = f"mail{c:04d}"
        seq += 1
        events = [Event(seq=seq, ts=T0, body=ConversationAssigned(
            conversation=Conversation(id=cid, customer_id=f"cu{c}", channel=Channel.EMAIL,
                                      status=ConversationStatus.OPEN, created_at=T0),
            customer=Customer(id=f"cu{c}", name=f"王芳 {c}")))]
        for m in range(MAILS):
            mid = f"{cid}-m{m:02d}"
            body = html_body(c * MAILS + m)
            size += len(body.encode())
            inbound = m % 2 == 0
            at = T0 + m * 3_600_000
            message = Message(id=mid, conversation_id=cid,
                              author=MessageAuthor.CUSTOMER if inbound else MessageAuthor.AGENT,
                              text=LINES[m % 4], created_at=at)
            details = EmailDetails(
                message_id=mid, conversation_id=cid,
                direction=EmailDirection.INBOUND if inbound else EmailDirection.OUTBOUND,
                status=EmailStatus.RECEIVED if inbound else EmailStatus.SENT,
                header_message_id=f"<{mid}@mail.example>", subject=f"订单 {c} 的问题",
                from_=EmailAddress("wang.fang@mail.example", "王芳") if inbound
                else EmailAddress("support@shop.example", "Support"),
                to=[EmailAddress("support@shop.example")], date=at, text=LINES[m % 4] * 20,
                html=body)
            seq += 1
            events.append(Event(seq=seq, ts=at, body=EmailReceived(message, details)))
        cache.apply_events(events)
    cache.close()
    return size // (conversations * MAILS)


def measure(path: Path, conversations: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from PySide6.QtWidgets import QApplication

    from core.cache.cache import Cache
    from core.session.agent_service import AgentService
    from core.session.preferences import ThemeName
    from ui.email.view import EmailView
    from ui.shell.service_bridge import ServiceBridge
    from ui.widgets.theme import apply_theme, load_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, load_theme(ThemeName.LIGHT))  # type: ignore[arg-type]
    cache = Cache(path)
    service = AgentService(cache)
    bridge = ServiceBridge(service)
    samples: list[float] = []
    warm_up = 0.0
    for c in range(conversations):
        t = time.perf_counter()
        view = EmailView(bridge, f"mail{c:04d}")
        view.resize(1000, 760)
        view.show()
        app.processEvents()
        view.grab()
        elapsed = (time.perf_counter() - t) * 1000
        cards = view.cards()
        if len(cards) != MAILS or not cards[-1].expanded or cards[-1].browser is None:
            raise AssertionError("the thread was not shown with its newest mail unfolded")
        if c == 0:
            warm_up = elapsed
        else:
            samples.append(elapsed)
        view.close()
        view.deleteLater()
        app.processEvents()
    bridge.detach()
    cache.close()
    return {"thread_open_ms": summary(samples, "ms"), "first_open_in_process_ms":
            round(warm_up, 3)}


def run_email_view_benchmark(runs: int) -> dict[str, Any]:
    conversations = max(6, runs * 4) + 1
    with tempfile.TemporaryDirectory(prefix="zuoxi-email-view-") as tmp:
        path = Path(tmp) / "cache.sqlite3"
        average = build(path, conversations)
        result = measure(path, conversations)
    result.update({"mails_per_thread": MAILS, "html_bytes_per_mail": average})
    return result
