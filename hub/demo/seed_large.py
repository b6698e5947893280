"""A large, realistic, deterministic data set for demos and benchmarks.

``zuoxi-hub seed --customers 100000 --messages 1000000``: Chinese and English
customers with one to three identities (CN/US mobiles, email, WeChat ids), a
multi-channel history (chats, emails, calls with duration and outcome, store
visits), notes, tags and store tags. Rows go in with bulk inserts in one
transaction per batch; ids are sequential so the B-trees only ever append.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import msgspec
import sqlalchemy as sa

from hub.demo.seed import _EN_FIRST, _EN_LAST, _ZH_GIVEN, _ZH_SURNAMES, STORES
from hub.profile.auto_tags import DAY_MS, CustomerFacts, complaint_keyword, evaluate
from hub.profile.config import ProfileSettings
from hub.store import schema as t
from hub.store.store import Store

BATCH_CUSTOMERS = 5000
_CN_PREFIXES = ["138", "139", "186", "158", "177", "150", "135"]
_US_AREAS = ["415", "212", "646", "312", "206", "617"]
_CHANNELS = ["chat"] * 10 + ["email"] * 5 + ["voice"] * 3 + ["store"] * 2
_OUTCOMES = ["resolved", "resolved", "resolved", "callback", "escalated", "no_answer"]
_ZH_LINES = [
    ("我的订单还没有发货，能帮我查一下吗？", "您好，已为您查询，订单今天下午会发出。"),
    ("发票抬头填错了，可以重开吗？", "可以的，稍后发到您的邮箱。"),
    ("会员积分怎么兑换？", "在“我的-积分商城”里就可以兑换。"),
    ("收到的商品有破损，想申请退货。", "非常抱歉，已为您登记退货。"),
    ("快递太慢了，我要投诉！", "非常抱歉，我们已加急处理并记录您的反馈。"),
    ("退款什么时候到账？", "退款会在3-5个工作日内原路返回。"),
]
_EN_LINES = [
    ("Hi, my package hasn't arrived yet.", "Thanks for waiting — it's out for delivery today."),
    ("How do I change my email address?", "Under Settings → Profile; I've sent you a link."),
    ("I was charged twice, I want a refund.", "Sorry about that! The duplicate is refunded."),
    ("Can I upgrade my plan mid-month?", "Yes — the difference is prorated automatically."),
    ("This is a formal complaint about the delay.", "I'm sorry; I've escalated it to my lead."),
    ("Do you have this in blue?", "Yes, size M and L are in stock in blue."),
]
_NOTES = [
    "偏好电话联系，工作日晚上七点后方便。",
    "Prefers email; do not call before 10:00.",
    "VIP 客户，处理时优先升级。",
    "Asked about the loyalty programme twice; send the brochure.",
    "上次投诉已补偿 50 元优惠券。",
]
_TIERS = ["new", "active", "active", "active", "high-value", "vip", "churn-risk"]
_AUTO = msgspec.json.Encoder()


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)
        rows.clear()


def seed_large(
    store: Store,
    agent_ids: list[str],
    customers: int,
    messages: int,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Add ``customers`` customers and about ``messages`` messages; returns counts."""
    rng = random.Random(seed)
    settings: ProfileSettings = store.settings
    say = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    now = int(time.time() * 1000)
    per_customer = messages / max(customers, 1)
    counts = {"customers": 0, "identities": 0, "conversations": 0, "messages": 0, "notes": 0}
    started = time.monotonic()
    rows: dict[str, list[dict[str, Any]]] = {
        name: [] for name in ("customers", "identities", "conversations", "messages", "notes",
                              "tags")
    }
    conv_n = msg_n = 0
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        for i in range(customers):
            chinese = rng.random() < 0.6
            if chinese:
                name = rng.choice(_ZH_SURNAMES) + rng.choice(_ZH_GIVEN)
                slug = f"user{i}"
                domain = rng.choice(["qq.com", "163.com", "example.cn"])
            else:
                first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
                name = f"{first} {last}"
                slug = f"{first}.{last}".lower().replace("'", "") + str(i)
                domain = rng.choice(["gmail.com", "example.com", "outlook.com"])
            cid = f"c_s{i:07d}"
            tier = rng.choice(_TIERS)
            attrs: dict[str, Any] = {}
            if rng.random() < 0.3:
                attrs["member_level"] = rng.choice(["bronze", "silver", "gold", "platinum"])
            if rng.random() < 0.2:
                attrs["lifetime_value"] = float(rng.randrange(100, 200_000))
            if rng.random() < 0.2:
                attrs["city"] = rng.choice(["上海", "北京", "深圳", "杭州", "London", "New York"])
            idents = [("email", f"{slug}@{domain}")]
            if chinese:
                idents.append(("phone", f"+86{_CN_PREFIXES[i % 7]}{i:08d}"))
            elif rng.random() < 0.8:
                idents.append(("phone", f"+1{_US_AREAS[i % 6]}{2_000_000 + i:07d}"))
            if rng.random() < (0.35 if chinese else 0.05):
                idents.append(("external", f"wechat:oW{i:010d}"))
            for kind, value in idents[: rng.randint(1, 3)] if len(idents) > 1 else idents:
                rows["identities"].append({"kind": kind, "value": value, "customer_id": cid,
                                           "verified": True})
                counts["identities"] += 1
            if rng.random() < 0.1:
                rows["tags"].append({"customer_id": cid, "tag": rng.choice(["vip-event",
                                                                             "wholesale"])})
            if rng.random() < 0.05:
                rows["tags"].append({"customer_id": cid, "tag": STORES[i % len(STORES)]})
            # History: conversations of 1-8 messages until this customer's share is used.
            budget = int(rng.random() * 2 * per_customer + 0.5)
            recent = 0
            complaint: tuple[int, str] | None = None
            lines = _ZH_LINES if chinese else _EN_LINES
            while budget > 0:
                conv_n += 1
                conv_id = f"conv_s{conv_n:08d}"
                channel = rng.choice(_CHANNELS)
                age = int(rng.random() ** 2 * 365 * DAY_MS)
                start = now - age - 3_600_000
                if age <= 7 * DAY_MS:
                    recent += 1
                n = 1 if channel == "store" else min(budget, rng.randint(2, 8))
                budget -= n
                duration = rng.randint(30, 1800) if channel == "voice" else None
                agent = agent_ids[conv_n % len(agent_ids)]
                rows["conversations"].append({
                    "id": conv_id, "customer_id": cid, "channel": channel, "status": "closed",
                    "queue_id": channel, "agent_id": agent, "created_at": start,
                    "closed_at": start + 600_000, "closed_by": "agent",
                    "last_message_at": start + n * 60_000, "duration_s": duration,
                    "outcome": rng.choice(_OUTCOMES) if channel == "voice" else None,
                })
                question, answer = rng.choice(lines)
                for j in range(n):
                    msg_n += 1
                    customer_turn = j % 2 == 0 and channel != "store"
                    text = (question if j == 0 else f"{question[:12]}…") if customer_turn \
                        else answer
                    at = start + j * 60_000
                    rows["messages"].append({
                        "id": f"m_s{msg_n:09d}", "conversation_id": conv_id,
                        "author": "customer" if customer_turn else "agent",
                        "agent_id": None if customer_turn else agent,
                        "author_name": name if customer_turn else None, "text": text,
                        "created_at": at, "status": "delivered", "dedupe_key": None,
                    })
                    if customer_turn and age <= 14 * DAY_MS and complaint is None:
                        found = complaint_keyword(settings, text)
                        if found:
                            complaint = (at, found)
            if rng.random() < 0.1:
                for k in range(rng.randint(1, 2)):
                    rows["notes"].append({
                        "id": f"note_s{i:07d}_{k}", "customer_id": cid,
                        "author_id": agent_ids[(i + k) % len(agent_ids)],
                        "text": rng.choice(_NOTES), "created_at": now - rng.randrange(400) * DAY_MS,
                        "updated_at": None,
                    })
            facts = CustomerFacts(tier=tier, recent_contacts=recent,
                                  complaint_at=complaint[0] if complaint else None,
                                  complaint_keyword=complaint[1] if complaint else None)
            rows["customers"].append({
                "id": cid, "name": name, "language": "zh" if chinese else "en", "tier": tier,
                "created_at": now - 400 * DAY_MS,
                "preferred_channel": rng.choice([None, "chat", "email", "voice"]),
                "attributes": json.dumps(attrs, ensure_ascii=False) if attrs else None,
                "consent": json.dumps({"marketing_email": rng.random() < 0.5}),
                "auto_tags": _AUTO.encode(evaluate(settings, facts)).decode(),
            })
            if (i + 1) % BATCH_CUSTOMERS == 0 or i + 1 == customers:
                _flush(conn, rows, counts)
                counts["customers"] = i + 1
                counts["conversations"] = conv_n
                counts["messages"] = msg_n
                say(f"  {i + 1:,} customers, {conv_n:,} conversations, {msg_n:,} messages "
                    f"({time.monotonic() - started:.0f} s)")
    return counts


def _flush(conn: sa.Connection, rows: dict[str, list[dict[str, Any]]],
           counts: dict[str, int]) -> None:
    counts["notes"] += len(rows["notes"])
    # Parents first: the foreign keys are checked row by row.
    _insert(conn, t.customers, rows["customers"])
    _insert(conn, t.identities, rows["identities"])
    _insert(conn, t.customer_tags, rows["tags"])
    _insert(conn, t.conversations, rows["conversations"])
    _insert(conn, t.messages, rows["messages"])
    _insert(conn, t.notes, rows["notes"])
