"""A generated week (and the week before it) of contact-center traffic with
injected complaint themes, for the weekly report's tests, demos and benchmark.

Closed conversations on every channel with a customer message and an agent's
reply, sentiment records for the customer's message (negative ones for the
complaints, with escalation reasons for some), CSAT ratings (1–2 with the
complaint as the comment), NPS answers, the bot's unanswered questions and
hand-offs, and agents' verdicts on suggestions. Deterministic for a seed; bulk
inserts, so 100,000 conversations take seconds.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store import schema as t

DAY_MS = 86_400_000
WEEK_MS = 7 * DAY_MS
BATCH = 5000


@dataclass(frozen=True)
class Theme:
    """A complaint theme: its name, the words the report should find, the texts
    customers write, and its share of complaints this week and the week before."""

    name: str
    keywords: tuple[str, ...]
    texts: tuple[str, ...]
    share: float
    share_before: float


DEFAULT_THEMES: tuple[Theme, ...] = (
    Theme("delivery", ("快递", "物流"), (
        "快递三天了还没到，物流信息一直不更新",
        "物流太慢了，快递到现在还没送到",
        "我的快递显示签收了但我根本没收到，物流有问题",
        "快递员态度很差，物流速度也慢",
    ), 0.35, 0.15),
    Theme("refund", ("退款", "到账"), (
        "退款申请一周了还没到账",
        "说好的退款三天到账，现在还没有",
        "退款一直不到账，客服也不回复",
    ), 0.25, 0.25),
    Theme("app_crash", ("闪退",), (
        "App 一打开就闪退，根本没法下单",
        "更新以后应用闪退，付款页面打不开",
        "手机上一直闪退，重装也没用",
    ), 0.15, 0.02),
    Theme("double_charge", ("charged", "twice"), (
        "I was charged twice for the same order",
        "You charged my card twice, I want the money back",
        "Charged twice again this month, this is unacceptable",
    ), 0.15, 0.10),
)
# Complaints about nothing in particular: the noise the themes stand out from.
NOISE = (
    "太失望了", "服务太差了", "这个体验很不好", "really disappointed with this",
    "not happy at all", "等了很久都没人理", "what a terrible experience",
)
# What customers add to a complaint, whatever it is about; with order numbers this
# makes most texts distinct, as real ones are (segmentation is not cached away).
FILLERS = (
    "", "", "请尽快处理", "希望给个说法", "我很着急", "已经第二次了", "麻烦看一下",
    "please sort this out", "I need an answer today", "this is the second time",
    "周末还要用", "给我回个电话", "不想再等了", "hope someone reads this",
)
NEUTRAL = (
    "你好，我想查一下订单", "请问会员积分怎么用？", "Hi, can I change my address?",
    "发票怎么开？", "Do you ship to Canada?", "营业时间是几点？",
)
PRAISE = ("服务很好，谢谢", "Quick and helpful, thanks!", "问题解决了，很满意")
UNANSWERED = (
    ("能开增值税专用发票吗？", 3), ("可以分期付款吗", 3), ("Do you offer student discounts?", 2),
    ("海外地址能寄吗", 2), ("How do I delete my account?", 1),
)
CHANNELS = (("chat", "chat"), ("chat", "complaints"), ("email", "email"), ("voice", "voice"),
            ("chat", "billing"))
AGENTS = ("rep-a1", "rep-a2", "rep-a3", "rep-a4", "rep-a5", "rep-a6")


@dataclass
class Generated:
    """What was generated: counts per week, and for each theme the conversations
    where it was injected (this week)."""

    conversations: int = 0
    complaints: int = 0
    by_theme: dict[str, list[str]] = field(default_factory=dict)
    by_theme_before: dict[str, int] = field(default_factory=dict)


def generate(engine: Engine, week_start_ms: int, conversations: int, seed: int = 7,
             themes: Sequence[Theme] = DEFAULT_THEMES, complaint_rate: float = 0.25,
             previous_week: bool = True) -> Generated:
    """Add ``conversations`` conversations in ``[week_start_ms, +7 days)`` (and as
    many in the week before, when ``previous_week``) to a migrated hub database."""
    rng = random.Random(seed)
    out = Generated(by_theme={th.name: [] for th in themes},
                    by_theme_before={th.name: 0 for th in themes})
    with engine.begin() as conn:
        _ensure_agents_and_queues(conn, week_start_ms)
    weeks = [(week_start_ms, False)]
    if previous_week:
        weeks.insert(0, (week_start_ms - WEEK_MS, True))
    for start, before in weeks:
        _week(engine, rng, start, conversations, themes, complaint_rate, before, out)
    return out


def _ensure_agents_and_queues(conn: sa.Connection, at: int) -> None:
    have = set(conn.execute(sa.select(t.agents.c.id)).scalars())
    rows = [{"id": a, "username": a, "display_name": f"Agent {a[-2:].upper()}",
             "password_hash": "!", "role": "agent", "created_at": at}
            for a in AGENTS if a not in have]
    if rows:
        conn.execute(t.agents.insert(), rows)
    queues = set(conn.execute(sa.select(t.queues.c.id)).scalars())
    qrows = [{"id": q, "name": q, "channel": ch} for ch, q in CHANNELS if q not in queues]
    if qrows:
        conn.execute(t.queues.insert(), qrows)


def _pick_theme(rng: random.Random, themes: Sequence[Theme], before: bool) -> Theme | None:
    x = rng.random()
    for th in themes:
        x -= th.share_before if before else th.share
        if x < 0:
            return th
    return None  # noise


def _week(engine: Engine, rng: random.Random, start: int, n: int, themes: Sequence[Theme],
          complaint_rate: float, before: bool, out: Generated) -> None:
    prefix = f"{'p' if before else 'w'}{start // DAY_MS}"
    tables: dict[str, list[dict[str, Any]]] = {
        name: [] for name in ("customers", "conversations", "messages", "message_sentiment",
                              "conversation_ratings", "nps_answers", "bot_conversations",
                              "bot_unanswered", "suggestion_feedback", "contact_segments")}
    order = [getattr(t, name) for name in tables]
    for i in range(n):
        cid, conv = f"{prefix}-c{i}", f"{prefix}-v{i}"
        at = start + rng.randrange(WEEK_MS - 3_600_000)
        channel, queue = CHANNELS[i % len(CHANNELS)]
        agent = AGENTS[rng.randrange(len(AGENTS))]
        complaint = rng.random() < complaint_rate
        theme = _pick_theme(rng, themes, before) if complaint else None
        if theme is not None:
            text = _varied(rng, rng.choice(theme.texts))
            if before:
                out.by_theme_before[theme.name] += 1
            else:
                out.by_theme[theme.name].append(conv)
        else:
            text = _varied(rng, rng.choice(NOISE)) if complaint else rng.choice(NEUTRAL)
        first_reply = at + rng.randrange(5_000, 180_000 if channel != "email" else 7_200_000)
        closed = first_reply + rng.randrange(60_000, 1_800_000)
        reasons = ["complaint"] if complaint and rng.random() < 0.3 else []
        tables["customers"].append({"id": cid, "name": f"Customer {i}", "created_at": at})
        tables["conversations"].append({
            "id": conv, "customer_id": cid, "channel": channel, "status": "closed",
            "queue_id": queue, "agent_id": agent, "created_at": at, "closed_at": closed,
            "closed_by": "agent", "last_message_at": closed, "first_reply_at": first_reply,
            "priority": 0, "escalation_reasons": json.dumps(reasons) if reasons else None,
            "escalated_at": at + 1000 if reasons else None,
            "sentiment_first": -0.7 if complaint else 0.1,
        })
        answered = at + rng.randrange(2_000, 60_000 if channel != "email" else 3_600_000)
        tables["contact_segments"].append({
            "conversation_id": conv, "queue_id": queue, "channel": channel, "kind": "new",
            "enqueued_at": at, "answered_at": answered, "agent_id": agent,
            "first_reply_at": max(first_reply, answered), "done_at": closed,
            "outcome": "closed"})
        mid = f"{conv}-m1"
        tables["messages"].append({"id": mid, "conversation_id": conv, "author": "customer",
                                   "agent_id": None, "text": text, "created_at": at,
                                   "status": "sent"})
        tables["messages"].append({"id": f"{conv}-m2", "conversation_id": conv,
                                   "author": "agent", "agent_id": agent,
                                   "text": "您好，我来帮您处理。", "created_at": first_reply,
                                   "status": "sent"})
        tables["message_sentiment"].append({
            "message_id": mid, "conversation_id": conv,
            "sentiment": "negative" if complaint else "neutral",
            "score": -0.7 if complaint else 0.0, "reasons": json.dumps(reasons),
            "created_at": at + 500})
        rated = rng.random() < 0.4
        if rated:
            score = rng.choice((1, 2)) if complaint else rng.choice((4, 5, 5, 3))
            comment = text if complaint else (rng.choice(PRAISE) if rng.random() < 0.3 else None)
            tables["conversation_ratings"].append({
                "conversation_id": conv, "customer_id": cid, "agent_id": agent,
                "queue_id": queue, "channel": channel, "score": score,
                "solved": not complaint, "comment": comment, "source": "widget",
                "rated_at": closed + 60_000})
            if rng.random() < 0.3:
                tables["nps_answers"].append({
                    "customer_id": cid, "conversation_id": conv, "agent_id": agent,
                    "queue_id": queue, "score": rng.randrange(0, 7) if complaint
                    else rng.randrange(7, 11), "reason": comment, "answered_at": closed + 90_000})
        if channel == "chat" and i % 4 == 0:
            handoff = "asked_human" if complaint else (
                "no_answer" if i % 8 == 0 else None)
            tables["bot_conversations"].append({
                "conversation_id": conv, "contained": handoff is None, "answers": 1,
                "declined": 0, "handoff_reason": handoff,
                "handoff_at": at if handoff else None, "created_at": at})
            if handoff == "no_answer":
                question = _weighted(rng, UNANSWERED)
                tables["bot_unanswered"].append({"conversation_id": conv, "text": question,
                                                 "created_at": at})
        if not complaint and i % 10 == 1:
            tables["suggestion_feedback"].append({
                "agent_id": agent, "conversation_id": conv, "message_id": mid,
                "kind": "article", "item_id": "kb-1", "verdict": "wrong",
                "title": "Opening hours", "created_at": first_reply})
        if not before and complaint:
            out.complaints += 1
        if len(tables["conversations"]) >= BATCH:
            _flush(engine, order, tables)
    _flush(engine, order, tables)
    _presence(engine, start)
    if not before:
        out.conversations += n


def _presence(engine: Engine, start: int) -> None:
    """Every agent available from 08:00 to 20:00 UTC each day of the week."""
    rows = []
    for day in range(7):
        for agent in AGENTS:
            rows.append({"agent_id": agent, "presence": "available",
                         "at": start + day * DAY_MS + 8 * 3_600_000})
            rows.append({"agent_id": agent, "presence": "offline",
                         "at": start + day * DAY_MS + 20 * 3_600_000})
    with engine.begin() as conn:
        conn.execute(t.presence_log.insert(), rows)


def _varied(rng: random.Random, text: str) -> str:
    filler = rng.choice(FILLERS)
    order = f" 订单号 {rng.randrange(10**9)}" if rng.random() < 0.6 else ""
    return f"{text}，{filler}{order}" if filler else f"{text}{order}"


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    total = sum(w for _, w in options)
    x = rng.randrange(total)
    for text, w in options:
        x -= w
        if x < 0:
            return text
    return options[-1][0]


def _flush(engine: Engine, order: list[sa.Table], tables: dict[str, list[dict[str, Any]]]
           ) -> None:
    with engine.begin() as conn:
        for table in order:
            rows = tables[table.name]
            if rows:
                conn.execute(table.insert(), rows)
                rows.clear()
