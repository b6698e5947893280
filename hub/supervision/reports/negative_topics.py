"""What hurt customers in a period: the negative texts the hub stored, as documents
for clustering, and the report's top topics with their trend.

Sources, per conversation: the comment of a low CSAT rating (1 or 2), customer
messages the sentiment classifier found negative, and messages that escalated
(any escalation reason). One conversation is one document, its keywords the
union of its texts'.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store import schema as t
from hub.supervision.reports.keywords import Keywords
from hub.supervision.reports.topics import (
    Document,
    KeywordCount,
    Topic,
    assign_previous,
    cluster,
    top_keywords,
)

LOW_CSAT_MAX = 2


@dataclass
class NegativeTopics:
    conversations: int  # with any negative text this period
    previous_conversations: int
    low_csat: int  # of which rated 1-2 with a comment
    negative_messages: int
    escalations: int
    topics: list[Topic]
    keywords: list[KeywordCount]


def negative_documents(engine: Engine, since_ms: int, until_ms: int, keywords: Keywords
                       ) -> tuple[list[Document], dict[str, int]]:
    """One document per conversation with negative text in ``[since_ms, until_ms)``,
    in a stable order, and how many texts came from each source."""
    r, s, m = t.conversation_ratings, t.message_sentiment, t.messages
    texts: dict[str, list[str]] = {}
    sources = {"low_csat": 0, "negative": 0, "escalation": 0}
    with engine.connect() as conn:
        for conversation_id, comment in conn.execute(
                sa.select(r.c.conversation_id, r.c.comment)
                .where(r.c.rated_at >= since_ms, r.c.rated_at < until_ms,
                       r.c.score <= LOW_CSAT_MAX, r.c.comment.is_not(None))
                .order_by(r.c.rated_at, r.c.conversation_id)):
            if comment.strip():
                texts.setdefault(conversation_id, []).append(comment)
                sources["low_csat"] += 1
        for conversation_id, sentiment, reasons, text in conn.execute(
                sa.select(s.c.conversation_id, s.c.sentiment, s.c.reasons, m.c.text)
                .join(m, m.c.id == s.c.message_id)
                .where(s.c.created_at >= since_ms, s.c.created_at < until_ms,
                       sa.or_(s.c.sentiment == "negative", s.c.reasons != "[]"))
                .order_by(s.c.created_at, s.c.message_id)):
            sources["negative"] += sentiment == "negative"
            sources["escalation"] += reasons != "[]"
            mine = texts.setdefault(conversation_id, [])
            if text not in mine:
                mine.append(text)
    docs = []
    for conversation_id, found in texts.items():
        words: frozenset[str] = frozenset()
        for text in found:
            words |= keywords.of(text)
        docs.append(Document(conversation_id, found[0], words))
    return docs, sources


def negative_topics(engine: Engine, since_ms: int, until_ms: int, keywords: Keywords,
                    max_topics: int = 10) -> NegativeTopics:
    """The period's top negative topics, each with its count in the period of the
    same length just before."""
    docs, sources = negative_documents(engine, since_ms, until_ms, keywords)
    before, _ = negative_documents(engine, 2 * since_ms - until_ms, since_ms, keywords)
    topics = cluster(docs, max_topics=max_topics)
    assign_previous(topics, before)
    return NegativeTopics(
        conversations=len(docs), previous_conversations=len(before),
        low_csat=sources["low_csat"], negative_messages=sources["negative"],
        escalations=sources["escalation"], topics=topics,
        keywords=top_keywords(docs, before))
