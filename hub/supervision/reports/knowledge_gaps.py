"""Knowledge gaps: what customers asked that neither the bot nor the agents'
suggestions could answer, grouped into the articles that are missing.

Sources: the bot's unanswered questions (``bot_unanswered``), why it handed
chats to a person (``bot_conversations.handoff_reason``), and the customer
messages whose suggestion an agent marked wrong (``suggestion_feedback``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store import schema as t
from hub.supervision.reports.keywords import Keywords
from hub.supervision.reports.topics import Document, Topic, cluster


@dataclass
class KnowledgeGaps:
    unanswered: int  # questions the bot could not answer
    unanswered_groups: list[Topic]
    handoffs: dict[str, int]  # reason -> chats the bot handed to a person
    wrong_suggestions: int
    wrong_titles: list[tuple[str, int]]  # suggested item title -> times marked wrong
    wrong_groups: list[Topic]  # the customer messages those suggestions were for


def knowledge_gaps(engine: Engine, since_ms: int, until_ms: int, keywords: Keywords,
                   max_groups: int = 8) -> KnowledgeGaps:
    u, b, f, m = t.bot_unanswered, t.bot_conversations, t.suggestion_feedback, t.messages
    with engine.connect() as conn:
        questions = conn.execute(
            sa.select(u.c.conversation_id, u.c.text)
            .where(u.c.created_at >= since_ms, u.c.created_at < until_ms)
            .order_by(u.c.created_at, u.c.id)).all()
        handoffs = Counter(str(reason) for reason in conn.execute(
            sa.select(b.c.handoff_reason)
            .where(b.c.handoff_at >= since_ms, b.c.handoff_at < until_ms,
                   b.c.handoff_reason.is_not(None))).scalars())
        wrong = conn.execute(
            sa.select(f.c.conversation_id, f.c.title, m.c.text)
            .select_from(f.outerjoin(m, m.c.id == f.c.message_id))
            .where(f.c.created_at >= since_ms, f.c.created_at < until_ms,
                   f.c.verdict == "wrong")
            .order_by(f.c.created_at, f.c.id)).all()
    # One document per question (a conversation may ask several things).
    asked = [Document(row.conversation_id, row.text, keywords.of(row.text))
             for row in questions]
    for_wrong = [Document(row.conversation_id, row.text, keywords.of(row.text))
                 for row in wrong if row.text]
    titles = Counter(row.title or "?" for row in wrong)
    return KnowledgeGaps(
        unanswered=len(questions),
        unanswered_groups=cluster(asked, max_topics=max_groups, min_support=1),
        handoffs=dict(sorted(handoffs.items(), key=lambda kv: (-kv[1], kv[0]))),
        wrong_suggestions=len(wrong),
        wrong_titles=sorted(titles.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
        wrong_groups=cluster(for_wrong, max_topics=max_groups, min_support=2),
    )
