"""Suite ``email``: import of 10,000 stored mails from a real IMAP server into conversations.

A Dovecot (Debian's dovecot-imapd) is configured and started in a temporary
directory, 10,000 mails are APPENDed to its INBOX (not timed), then the hub's IMAP
connector imports them over IMAPS into a fresh hub database: each mail stored raw,
parsed, its sender resolved to a customer, threaded, and made a conversation or a
message of one. The rate is mails per second over the whole import, per run.

The mails are a realistic mix: 2,000 senders, a fifth of them replies that thread
by In-Reply-To into an earlier conversation, every 25th one of the awkward corpus
(Chinese charsets, nested parts, inline images, invites).
"""

from __future__ import annotations

import asyncio
import imaplib
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import summary

MAILS = 10_000
SENDERS = 2_000


def _mails(count: int) -> list[bytes]:
    from testbed.email_corpus import cases, simple

    corpus = [c.raw for c in cases()]
    out: list[bytes] = []
    for n in range(count):
        if n % 25 == 0:
            raw = corpus[(n // 25) % len(corpus)]
            out.append(raw.replace(b"@mail.example.com>", f".{n}@mail.example.com>".encode(), 1))
            continue
        sender = f"customer{n % SENDERS}@example.com"
        if n % 5 == 0 and n >= 10:
            parent = n - 5 if (n - 5) % 25 else n - 6
            out.append(simple(f"Re: question {parent}", f"bench{n}", sender=sender,
                              body=f"follow-up {n}",
                              extra=f"In-Reply-To: <bench{parent}@mail.example.com>\r\n"))
        else:
            out.append(simple(f"question {n} 订单查询", f"bench{n}", sender=sender,
                              body=f"您好，我的订单 {n} 还没有到。\nHello, order {n} is late."))
    return out


def _fill(dovecot: Any, mails: list[bytes]) -> float:
    started = time.perf_counter()
    client: imaplib.IMAP4_SSL = dovecot.client()
    try:
        for raw in mails:
            client.append("INBOX", None, None, raw)
    finally:
        client.logout()
    return time.perf_counter() - started


async def _import_once(dovecot: Any, db: Path) -> tuple[float, int, int]:
    from hub.composition import compose
    from hub.email.config import EmailConfig, ImapSettings, Secret, Security
    from hub.email.imap_connector import ImapConnector
    from hub.store import schema
    from hub.store.store import Store, create_engine

    engine = create_engine(db)
    schema.migrate(engine)
    store = Store(engine)
    channel = compose(store, email=EmailConfig(mailbox="support@example.com")).email
    settings = ImapSettings(
        host="127.0.0.1", port=dovecot.port, username=dovecot.user,
        password=Secret(dovecot.password), security=Security.TLS, ca_file=str(dovecot.cert),
        batch=500,
    )
    connector = ImapConnector(channel.inbound, channel.emails, settings)
    started = time.perf_counter()
    client = await connector.connect()
    result = await connector.sync_once(client)
    elapsed = time.perf_counter() - started
    await client.logout()
    conversations = len(store.waiting_conversations())
    engine.dispose()
    return elapsed, result.imported, conversations


def run_email_benchmark(runs: int = 3, mails: int = MAILS) -> dict[str, Any]:
    from testbed.dovecot import Dovecot

    dovecot = Dovecot.create()
    dovecot.start()
    try:
        # The import flags mail \\Seen but imports by UID: every run sees all of it.
        fill_s = _fill(dovecot, _mails(mails))
        rates: list[float] = []
        seconds: list[float] = []
        conversations = 0
        with tempfile.TemporaryDirectory(prefix="zuoxi-email-bench-") as tmp:
            for run in range(runs):
                elapsed, imported, conversations = asyncio.run(
                    _import_once(dovecot, Path(tmp) / f"hub-{run}.sqlite3"))
                if imported != mails:
                    raise RuntimeError(f"imported {imported} of {mails} mails")
                rates.append(mails / elapsed)
                seconds.append(elapsed)
        return {
            "imap_import": {
                "mails": mails,
                "conversations": conversations,
                "messages_per_s": summary(rates, "messages/s")["median"],
                "rates": summary(rates, "messages/s"),
                "seconds": summary(seconds, "s"),
                "append_s": round(fill_s, 2),
            }
        }
    finally:
        dovecot.close()
