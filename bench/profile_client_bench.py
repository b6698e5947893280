"""Desktop profile benchmarks over a large local cache (100,000 customers, 1,000,000 messages).

- build: a deterministic cache file written with bulk SQL in the cache's own
  schema (Chinese and English customers, several identities each, multi-channel
  history, notes), then indexed for search as the cache indexes it;
- screen pop: a ``conversation_assigned`` event is handed to the real agent service;
  measured until the real customer panel (offscreen) has rendered the customer's
  profile and the 20 newest timeline entries;
- search: the function the Ctrl+K popup calls on each keystroke, for customer
  lookups (names, phone spellings, emails) and Chinese and English message text.

``python -m bench --only profile_client``; ``--runs 1`` is a smoke run at 2 % size.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.stats import summary

if TYPE_CHECKING:
    from core.cache.cipher import CacheKey

T0 = 1_700_000_000_000
DAY = 86_400_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐欧阳司马"
GIVEN = "芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
FIRST = ["Emma", "Olivia", "Liam", "Noah", "Ava", "Mia", "Lucas", "Ethan", "Chloe", "Grace",
         "Daniel", "Sophie", "Jack", "Ella", "Henry", "Zoe"]
LAST = ["Thompson", "Walker", "Chen", "Wong", "Smith", "Brown", "Taylor", "Martin", "Lee",
        "Clark", "Young", "Hall", "Wright", "Green"]
ZH = ["我的订单{n}还没有发货，请帮忙查一下", "请问退款什么时候到账？", "发票抬头需要修改为公司名称",
      "快递显示已签收但我没有收到", "会员积分怎么兑换优惠券", "门店{n}号的营业时间是几点",
      "商品有质量问题，想申请换货", "谢谢，问题已经解决了", "可以帮我改一下收货地址吗",
      "上次的投诉处理结果怎么样了"]
EN = ["Where is my parcel {n}?", "I would like a refund for order {n}", "Can I change the "
      "delivery address?", "The item arrived damaged, please help", "Thanks, that solved it",
      "How do I redeem my loyalty points?", "Is the store on Nanjing Road open today?",
      "Please cancel my subscription", "My invoice shows the wrong amount", "Any update on "
      "my complaint?"]
CHANNELS = ["chat", "email", "voice", "store"]


def _name(rng: random.Random, i: int) -> tuple[str, bool]:
    if i % 3:
        return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if i % 2 else ""), True
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}", False


def build_cache(path: Path, customers: int, messages: int, seed: int = 4) -> dict[str, Any]:
    """Write the cache file; returns what it holds and how long it took."""
    from core.cache.cache import Cache

    started = time.perf_counter()
    Cache(path).close()  # the schema, as the desktop creates it
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    # Index rows after the bulk insert (one pass each), as the migrations do.
    for trigger in ("messages_fts_delete", "messages_fts_update"):
        db.execute(f"DROP TRIGGER {trigger}")
    rich = max(1, customers // 20)  # one in twenty customers has a long history
    per_rich = max(1, (messages * 6 // 10) // rich)
    per_other = max(0, -(-(messages - per_rich * rich) // max(1, customers - rich)))
    cust_rows, conv_rows, msg_rows, note_rows = [], [], [], []
    ident_rows: list[tuple[str, str, str, int, str | None]] = []
    conv_n = msg_n = 0
    for i in range(customers):
        cid = f"cu{i:06d}"
        name, chinese = _name(rng, i)
        phone = f"+861{rng.randint(30, 89)}{rng.randint(0, 99_999_999):08d}"
        email = f"user{i}@{'qq.com' if chinese else 'example.com'}"
        tier = rng.choice(["new", "active", "high-value", "vip", "churn-risk"])
        record = {"id": cid, "name": name, "tier": tier, "tags": ["demo"],
                  "language": "zh-CN" if chinese else "en", "identities": [
                      {"kind": "phone", "value": phone}, {"kind": "email", "value": email}],
                  "preferred_channel": rng.choice(CHANNELS),
                  "auto_tags": [{"tag": "frequent", "rule": "frequent_contact",
                                 "reason": "3 contacts in 7 days"}] if i % 7 == 0 else [],
                  "attributes": {"city": "上海" if chinese else "Shanghai",
                                 "orders": float(rng.randint(0, 90))},
                  "consent": {"marketing": bool(i % 2)},
                  "stats": {"contacts_30d": rng.randint(0, 9), "avg_csat": 4.2}}
        cust_rows.append((cid, name, record["language"], tier, '["demo"]',
                          json.dumps(record, ensure_ascii=False)))
        ident_rows.append((cid, "phone", phone, 1, phone[1:]))
        ident_rows.append((cid, "email", email, 1, None))
        if i % 5 == 0:
            ident_rows.append((cid, "external", f"wx:o{i:08d}", 1, None))
        count = per_rich if i < rich else per_other
        at = T0 - rng.randint(0, 400) * DAY
        left = count
        while left > 0:
            conv_id = f"cv{conv_n:07d}"
            conv_n += 1
            size = min(left, rng.randint(2, 6))
            left -= size
            channel = rng.choice(CHANNELS)
            texts = []
            for k in range(size):
                template = rng.choice(ZH if chinese else EN)
                text = template.format(n=rng.randint(1000, 99999))
                texts.append(text)
                msg_rows.append((f"m{msg_n:08d}", conv_id, "customer" if k % 2 == 0 else "agent",
                                 text, at + k * 60_000, "delivered"))
                msg_n += 1
            conv_rows.append((conv_id, cid, channel, "closed", at, at + size * 60_000,
                              at + size * 60_000, texts[-1]))
            at += rng.randint(1, 12) * DAY
        if i < rich and i % 2 == 0:
            note_rows.append((f"nt{i}", cid, "老客户，喜欢电话联系" if chinese else
                              "Prefers a call back in the afternoon", at, "李娜"))
        if len(msg_rows) > 200_000:
            _flush(db, cust_rows, ident_rows, conv_rows, msg_rows, note_rows)
    _flush(db, cust_rows, ident_rows, conv_rows, msg_rows, note_rows)
    db.execute(
        "INSERT INTO customer_fts (rowid, name, handles) SELECT c.rowid, c.name, "
        "(SELECT group_concat(i.value || COALESCE(' ' || i.digits, ''), ' ') FROM identities i "
        " WHERE i.customer_id = c.id AND i.kind != 'visitor') FROM customers c")
    db.execute("INSERT INTO message_fts (message_fts) VALUES ('rebuild')")
    db.execute("UPDATE messages SET indexed = 1")
    for statement in _trigger_statements():
        db.execute(statement)
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return {"seconds": round(time.perf_counter() - started, 1), "customers": customers,
            "messages": msg_n, "conversations": conv_n, "rich_customers": rich}


def _trigger_statements() -> Iterator[str]:
    """The search index's triggers exactly as the cache schema creates them."""
    from core.cache.schema import SEARCH_TRIGGERS_SQL

    statement = ""
    for line in SEARCH_TRIGGERS_SQL.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip().upper().startswith("CREATE TRIGGER"):
                yield statement
            statement = ""


def _flush(db: sqlite3.Connection, *tables: list[tuple[Any, ...]]) -> None:
    cust, ident, conv, msg, note = tables
    db.executemany("INSERT INTO customers (id, name, language, tier, tags, record) "
                   "VALUES (?, ?, ?, ?, ?, ?)", cust)
    db.executemany("INSERT INTO identities (customer_id, kind, value, verified, digits) "
                   "VALUES (?, ?, ?, ?, ?)", ident)
    db.executemany("INSERT INTO conversations (id, customer_id, channel, status, created_at, "
                   "closed_at, last_message_at, last_text, assigned) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)", conv)
    db.executemany("INSERT INTO messages (id, conversation_id, author, text, created_at, "
                   "status) VALUES (?, ?, ?, ?, ?, ?)", msg)
    db.executemany("INSERT INTO notes (id, customer_id, text, created_at, author_name) "
                   "VALUES (?, ?, ?, ?, ?)", note)
    for table in tables:
        table.clear()


# ---- measuring -------------------------------------------------------------------------


def _queries(rng: random.Random, db: sqlite3.Connection) -> dict[str, list[str]]:
    """Real substrings of what the cache holds, in the spellings agents type."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM customers WHERE rowid % 997 = 1 LIMIT 60").fetchall()]
    phones = [r[0] for r in db.execute(
        "SELECT value FROM identities WHERE kind='phone' AND rowid % 991 = 1 LIMIT 40")]
    zh = [n[-3:] for n in names if not n.isascii() and len(n) >= 3]
    en = [n.split()[1][:5] if " " in n else n for n in names if n.isascii()]
    spellings = []
    for p in phones:
        national = p[3:]
        spellings += [national, f"{national[:3]} {national[3:7]}", f"+86 {national[:3]}",
                      f"0086-{national[:3]}-{national[3:7]}-{national[7:]}"]
    return {
        "customer_name_zh": zh[:20],
        "customer_name_en": en[:20],
        "customer_phone": spellings[:40],
        "customer_email": [f"user{rng.randint(0, 90_000)}@" for _ in range(10)],
        "text_zh": ["还没有发货", "退款什么时候", "收货地址", "质量问题", "优惠券", "投诉处理"],
        "text_en": ["parcel", "refund for order", "delivery address", "damaged", "loyalty",
                    "subscription"],
    }


def measure_search(path: Path, rounds: int, key: CacheKey | None = None) -> dict[str, Any]:
    """``key``: the cache file is encrypted (bench/cache_cipher_bench.py)."""
    from core.cache import cipher
    from core.cache.cache import Cache

    cache = Cache(path, key)
    rng = random.Random(7)
    queries = _queries(rng, cipher.connect(path, key))
    samples: dict[str, list[float]] = {k: [] for k in queries}
    for _ in range(rounds):
        for kind, texts in queries.items():
            for text in texts:
                t = time.perf_counter()
                hits = cache.search(text)
                samples[kind].append((time.perf_counter() - t) * 1000)
                if kind.startswith("customer_phone") and not hits:
                    raise AssertionError(f"no hit for {text!r}")
    short = []
    for text in ["王", "芳", "Li", "订单", "退款", "72"]:
        t = time.perf_counter()
        cache.search(text)
        short.append((time.perf_counter() - t) * 1000)
    cache.close()
    every = [x for xs in samples.values() for x in xs]
    return {"search_ms": summary(every, "ms"),
            "by_kind_p95_ms": {k: summary(v, "ms")["p95"] for k, v in samples.items()},
            "short_queries_1_2_chars_ms": summary(short, "ms")}


def measure_screen_pop(path: Path, pops: int, key: CacheKey | None = None) -> dict[str, Any]:
    """The real service, bridge and customer panel, offscreen, on the big cache."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    import msgspec
    from PySide6.QtWidgets import QApplication

    from core.cache.cache import Cache
    from core.protocol.agent import ConversationAssigned, Event
    from core.protocol.models import Channel, Conversation, ConversationStatus, Customer
    from core.session.agent_service import AgentService
    from core.session.preferences import ThemeName
    from ui.profile.customer_panel import CustomerPanel
    from ui.shell.service_bridge import ServiceBridge
    from ui.widgets.theme import apply_theme, load_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme = load_theme(ThemeName.LIGHT)
    apply_theme(app, theme)  # type: ignore[arg-type]
    cache = Cache(path, key)
    service = AgentService(cache)
    bridge = ServiceBridge(service)
    panel = CustomerPanel(bridge, theme)
    panel.resize(360, 760)
    panel.show()
    bridge.screen_pop_changed.connect(panel.screen_pop)  # as the main window does when idle
    app.processEvents()
    rich = cache.db.execute("SELECT id, record FROM customers WHERE rowid <= ? ORDER BY rowid",
                            [max(1, pops * 3)]).fetchall()
    rng = random.Random(11)
    samples: list[float] = []
    shown: list[int] = []
    seq = cache.last_seq() or 0
    for n in range(pops):
        customer_id, record = rich[rng.randrange(len(rich))]
        customer = msgspec.json.decode(record, type=Customer)
        seq += 1
        conv = Conversation(id=f"pop{n:05d}", customer_id=customer_id, channel=Channel.CHAT,
                            status=ConversationStatus.OPEN, created_at=T0 + n)
        event = Event(seq=seq, ts=T0 + n, body=ConversationAssigned(conversation=conv,
                                                                     customer=customer))
        t = time.perf_counter()
        service.events_received([event])
        app.processEvents()
        panel.grab()  # rendered: header, tabs and the timeline's visible rows painted
        samples.append((time.perf_counter() - t) * 1000)
        if panel.customer_id != customer_id:
            raise AssertionError("the panel did not switch to the popped customer")
        shown.append(panel.timeline.model.rowCount())
    panel.close()
    bridge.detach()
    cache.close()
    return {"screen_pop_ms": summary(samples, "ms"),
            "timeline_rows_shown_min": min(shown)}


def run_profile_client_benchmarks(runs: int) -> dict[str, Any]:
    full = runs >= 2
    customers, messages = (100_000, 1_000_000) if full else (2_000, 20_000)
    with tempfile.TemporaryDirectory(prefix="zuoxi-profile-") as tmp:
        path = Path(tmp) / "cache.sqlite3"
        built = build_cache(path, customers, messages)
        result: dict[str, Any] = {"cache": built}
        result.update(measure_search(path, rounds=3 if full else 1))
        result.update(measure_screen_pop(path, pops=200 if full else 20))
    return result
