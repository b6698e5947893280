"""Closed conversations written straight into a hub database, for quality inspection's
tests and benchmark: exact message times, sentiment records and transfers.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hub.store import schema as t

TRANSFER_MESSAGE = "正在为您转接同事 / You are being transferred to a colleague."


@dataclass
class Crafted:
    """A conversation: ``lines`` are (author, text, seconds after start); ``moods``
    are (index into lines, score) of classified customer messages."""

    agent_id: str
    lines: Sequence[tuple[str, str, float]]
    start_ms: int
    closed_after_s: float = 600.0
    channel: str = "chat"
    queue_id: str = "chat"
    moods: Sequence[tuple[int, float]] = ()
    transfer_note: str | None = None
    id: str = field(default_factory=lambda: "cv_" + uuid.uuid4().hex)

    @property
    def closed_at(self) -> int:
        return self.start_ms + int(self.closed_after_s * 1000)


def customer(conn: Connection, name: str = "测试客户") -> str:
    customer_id = "c_" + uuid.uuid4().hex
    conn.execute(t.customers.insert().values(id=customer_id, name=name, created_at=0))
    return customer_id


def write(conn: Connection, crafted: Sequence[Crafted], customer_id: str) -> None:
    """Insert the conversations, their messages and sentiment, closed."""
    conversations, messages, moods = [], [], []
    for c in crafted:
        conversations.append({
            "id": c.id, "customer_id": customer_id, "channel": c.channel, "status": "closed",
            "queue_id": c.queue_id, "agent_id": c.agent_id, "created_at": c.start_ms,
            "closed_at": c.closed_at, "closed_by": "agent", "transfer_note": c.transfer_note})
        ids = []
        for n, (author, text, at_s) in enumerate(c.lines):
            mid = f"{c.id}_m{n}"
            ids.append(mid)
            messages.append({
                "id": mid, "conversation_id": c.id, "author": author,
                "agent_id": c.agent_id if author == "agent" else None, "text": text,
                "created_at": c.start_ms + int(at_s * 1000), "status": "delivered"})
        for index, score in c.moods:
            moods.append({
                "message_id": ids[index], "conversation_id": c.id,
                "sentiment": "negative" if score < -0.2 else "positive" if score > 0.25
                else "neutral", "score": score, "reasons": "[]",
                "created_at": c.start_ms + int(c.lines[index][2] * 1000) + 10})
    conn.execute(t.conversations.insert(), conversations)
    if messages:
        conn.execute(t.messages.insert(), messages)
    if moods:
        conn.execute(t.message_sentiment.insert(), moods)


def reopen_and_close(conn: Connection, conversation_id: str, closed_at: int) -> None:
    conn.execute(t.conversations.update().where(t.conversations.c.id == conversation_id)
                 .values(closed_at=closed_at))


GOOD_LINES = [
    ("customer", "我的洗衣机漏水了，太失望了", 0.0),
    ("agent", "您好，很高兴为您服务。请提供订单号以便核实。", 20.0),
    ("customer", "订单号 20240311", 45.0),
    ("agent", "非常抱歉给您带来不便，我们会尽快安排师傅上门。", 70.0),
    ("customer", "好的，明白了", 95.0),
    ("agent", "请问还有其他问题吗？感谢您的耐心，祝您生活愉快。", 110.0),
]
RUDE_LINES = [
    ("customer", "My order never arrived, this is terrible", 0.0),
    ("agent", "What order.", 150.0),
    ("customer", "The one I paid for!", 160.0),
    ("agent", "Not my problem, shut up.", 400.0),
]
TRANSFER_LINES = [
    ("customer", "I need to change my invoice address", 0.0),
    ("agent", "Hello, thanks for contacting us. Can you confirm your order number?", 15.0),
    ("system", TRANSFER_MESSAGE, 60.0),
    ("agent", "Hi, I can help with invoices. Anything else I can help with?", 90.0),
]


def demo(agent_ids: Sequence[str], count: int, start_ms: int, seed: int = 7) -> list[Crafted]:
    """``count`` conversations over the agents: mostly good, some rude, some transferred."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        kind = rng.random()
        if kind < 0.7:
            lines, moods, note = GOOD_LINES, [(0, -0.7), (4, 0.3)], None
        elif kind < 0.85:
            lines, moods, note = RUDE_LINES, [(0, -0.6), (2, -0.9)], None
        else:
            lines, moods, note = TRANSFER_LINES, [(0, 0.0)], rng.choice([None, "发票抬头修改"])
        out.append(Crafted(agent_id=agent_ids[n % len(agent_ids)], lines=lines,
                           start_ms=start_ms + n * 1000, moods=moods, transfer_note=note,
                           queue_id=rng.choice(["chat", "complaints"])))
    return out


def count_rows(conn: Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
