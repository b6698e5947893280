"""Demo data: agents, queues and realistic customers with past conversations.

Deterministic for a given seed, so demos, screenshots and tests see the same data.
"""

from __future__ import annotations

import json
import random
import time

import sqlalchemy as sa

from core.protocol.models import Channel, ClosedBy, IdentityKind, MessageAuthor, MessageStatus
from hub.assist.kb_import import seed_demo_kb
from hub.assist.kb_store import KnowledgeBaseStore
from hub.assist.quick_replies_seed import seed_quick_replies
from hub.auth import Authenticator
from hub.profile.customer_records import refresh_auto_tags
from hub.store import schema as t
from hub.store.store import Store, new_id

DEMO_PASSWORD = "zuoxi-demo"
# (username, display name, role)
DEMO_AGENTS = [
    ("lina", "李娜", "agent"),
    ("alex", "Alex Chen", "agent"),
    ("wang", "王伟", "supervisor"),
]
STORES = ["store:shanghai-xujiahui", "store:beijing-sanlitun"]
QUEUES = [
    ("chat", "Web chat", "chat"),
    ("email", "Support mailbox", "email"),
    ("voice", "Hotline", "voice"),
    ("store", "Walk-in stores", "store"),
]
# The demo agents' teams (the supervisor's roster sorts and filters by them).
DEMO_AGENT_TEAMS = {"lina": "售后 After-sales", "alex": "售前 Sales", "wang": None}
# Which queues each demo agent serves (supervisors see every customer anyway).
DEMO_AGENT_QUEUES = {
    "lina": ["chat", "complaints", "billing", "email", "store", "voice"],
    "alex": ["chat", "billing", "voice"],
    "wang": ["chat", "complaints", "billing", "email", "voice"],
}
# Skill levels (1-5) per demo agent; queues name the skill they need (routing.toml).
DEMO_AGENT_SKILLS = {
    "lina": {"chat": 4, "complaints": 3, "billing": 2, "email": 3, "voice": 2},
    "alex": {"chat": 3, "billing": 4, "voice": 3, "complaints": 1},
    "wang": {"chat": 5, "complaints": 5, "billing": 5, "email": 5, "voice": 5},
}

_ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "晨",
    "思远",
    "雨萱",
]
_EN_FIRST = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "James",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Grace",
    "Daniel",
    "Chloe",
    "Ryan",
    "Hannah",
    "David",
    "Zoe",
    "Samuel",
]
_EN_LAST = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Martin",
    "Clarke",
    "Walker",
    "Wright",
    "Thompson",
    "Hughes",
    "Evans",
    "Patel",
    "Nguyen",
    "O'Brien",
]

_ZH_TOPICS = [
    ("我的订单还没有发货，能帮我查一下吗？", "您好，已为您查询，订单今天下午会发出。"),
    ("发票抬头填错了，可以重开吗？", "可以的，我这边为您重新开具，稍后发到您的邮箱。"),
    ("会员积分怎么兑换？", "在“我的-积分商城”里就可以兑换，有问题随时找我们。"),
    (
        "收到的商品有破损，想申请退货。",
        "非常抱歉给您带来不便，已为您登记退货，快递员明天上门取件。",
    ),
]
_EN_TOPICS = [
    (
        "Hi, my package hasn't arrived yet. Can you check order 48213?",
        "Thanks for waiting — it's out for delivery today.",
    ),
    (
        "How do I change the email address on my account?",
        "You can change it under Settings → Profile; I've sent you a link as well.",
    ),
    (
        "I was charged twice for my subscription.",
        "Sorry about that! I've refunded the duplicate charge; it shows in 3–5 days.",
    ),
    (
        "Can I upgrade my plan in the middle of the month?",
        "Yes — the difference is prorated automatically.",
    ),
]


def _phone(rng: random.Random, chinese: bool) -> str:
    if chinese:
        return (
            "+86" + rng.choice(["138", "139", "186", "158", "177"]) + f"{rng.randrange(10**8):08d}"
        )
    local = f"{rng.randrange(10**7):07d}"
    if local[0] in "01":  # no US exchange starts with 0 or 1
        local = str(int(local[0]) + 2) + local[1:]
    return "+1" + rng.choice(["415", "212", "646", "312", "206"]) + local


def seed_agents(store: Store, auth: Authenticator) -> dict[str, str]:
    """The demo agents and queues; returns agent ids by username."""
    ids = {}
    for username, display_name, role in DEMO_AGENTS:
        ids[username] = store.create_agent(
            username, display_name, auth.hash_password(DEMO_PASSWORD), role,
            DEMO_AGENT_TEAMS[username],
        )
        store.set_agent_queues(ids[username], DEMO_AGENT_QUEUES[username])
        store.set_agent_skills(ids[username], DEMO_AGENT_SKILLS[username])
    with store.engine.begin() as conn:
        for qid, name, channel in QUEUES:
            conn.execute(t.queues.insert().values(id=qid, name=name, channel=channel))
    return ids


def seed_demo(store: Store, auth: Authenticator, customers: int = 40, seed: int = 7) -> None:
    """Fill an empty hub database with demo data."""
    rng = random.Random(seed)
    agents = seed_agents(store, auth)
    now = int(time.time() * 1000)
    customer_ids = []
    with store.engine.begin() as conn:
        for i in range(customers):
            chinese = i % 2 == 0
            if chinese:
                name = rng.choice(_ZH_SURNAMES) + rng.choice(_ZH_GIVEN)
                email = f"user{1000 + i}@example.cn"
            else:
                first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
                name = f"{first} {last}"
                email = f"{first}.{last}".lower().replace("'", "") + f"{i}@example.com"
            cid = new_id("c")
            customer_ids.append(cid)
            created = now - rng.randrange(30, 400) * 86_400_000
            conn.execute(
                t.customers.insert().values(
                    id=cid,
                    name=name,
                    language="zh" if chinese else "en",
                    tier=rng.choice(["new", "active", "active", "high-value", "vip"]),
                    created_at=created,
                )
            )
            for kind, value in (
                (IdentityKind.PHONE, _phone(rng, chinese)),
                (IdentityKind.EMAIL, email),
            ):
                conn.execute(
                    t.identities.insert().values(kind=kind.value, value=value, customer_id=cid)
                )
            # Walk-in stores: some customers are regulars of one of them.
            if i % 3 == 0:
                tag = STORES[(i // 3) % len(STORES)]
                conn.execute(t.customer_tags.insert().values(customer_id=cid, tag=tag))
            for _ in range(rng.randrange(0, 4)):
                _past_conversation(conn, rng, cid, name, chinese, now)
        _profiles(conn, customer_ids, agents, now, seed)
        seed_quick_replies(conn, agents, now)
    with store.engine.begin() as conn:
        for cid in customer_ids:
            refresh_auto_tags(conn, cid, store.settings, now)
    seed_demo_kb(KnowledgeBaseStore(store.engine, store.settings, store.db))


_DEMO_NOTES = [
    "偏好微信联系，工作日晚上方便。",
    "Prefers email. Asked about the annual plan last month.",
    "上次退货已处理，送了一张 20 元优惠券。",
]


def _profiles(
    conn: sa.Connection, customer_ids: list[str], agents: dict[str, str], now: int, seed: int
) -> None:
    """Notes, attributes and consent on some demo customers, so the panel has content.

    A separate random stream: the customers above stay what they always were."""
    rng = random.Random(seed * 31 + 1)
    for i, cid in enumerate(customer_ids):
        attributes: dict[str, object] = {}
        if i % 2 == 0:
            attributes["member_level"] = rng.choice(["bronze", "silver", "gold", "platinum"])
        if i % 3 == 0:
            attributes["lifetime_value"] = float(rng.randrange(500, 50_000))
        if i % 5 == 0:
            attributes["birthday"] = f"19{rng.randrange(60, 99)}-0{rng.randrange(1, 9)}-1{i % 9}"
        conn.execute(
            t.customers.update()
            .where(t.customers.c.id == cid)
            .values(
                attributes=json.dumps(attributes, ensure_ascii=False),
                consent=json.dumps({"marketing_email": i % 3 != 0, "call_recording": True}),
                preferred_channel=rng.choice(["chat", "email", None]),
            )
        )
        if i % 4 == 0:
            author = agents["lina"] if i % 8 == 0 else agents["alex"]
            conn.execute(
                t.notes.insert().values(
                    id=new_id("note"),
                    customer_id=cid,
                    author_id=author,
                    text=_DEMO_NOTES[i % len(_DEMO_NOTES)],
                    created_at=now - rng.randrange(1, 60) * 86_400_000,
                )
            )


def _past_conversation(
    conn: sa.Connection, rng: random.Random, cid: str, name: str, chinese: bool, now: int
) -> None:
    question, answer = rng.choice(_ZH_TOPICS if chinese else _EN_TOPICS)
    start = now - rng.randrange(1, 90) * 86_400_000 - rng.randrange(86_400_000)
    conv_id = new_id("conv")
    conn.execute(
        t.conversations.insert().values(
            id=conv_id,
            customer_id=cid,
            channel=rng.choice([Channel.CHAT, Channel.EMAIL]).value,
            status="closed",
            queue_id="chat",
            created_at=start,
            closed_at=start + 600_000,
            closed_by=ClosedBy.AGENT.value,
            last_message_at=start + 120_000,
        )
    )
    for offset, author, text, who in (
        (0, MessageAuthor.CUSTOMER, question, name),
        (120_000, MessageAuthor.AGENT, answer, None),
    ):
        conn.execute(
            t.messages.insert().values(
                id=new_id("m"),
                conversation_id=conv_id,
                author=author.value,
                text=text,
                author_name=who,
                created_at=start + offset,
                status=MessageStatus.DELIVERED.value,
            )
        )


def is_empty(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t.agents)).scalar_one() == 0
