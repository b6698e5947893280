"""What the bot stores: its messages, per-conversation outcome, unanswered questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.protocol.models import ConversationStatus, Message, MessageAuthor, MessageStatus
from hub.assist.retrieval_text import terms
from hub.store import schema as t
from hub.store.base import message_time, new_id, now_ms
from hub.store.database import Database

HANDOFF_PREFIX = "bot.handoff:"  # a system message's text: the desktop words the reason


@dataclass
class HeldChat:
    """A chat the bot holds, as stored: any hub process (or this one after a
    restart) goes on from here."""

    conversation_id: str
    customer_id: str
    topic: str | None
    answers: int
    declined: int
    first_text: str


class BotRecords:
    def __init__(self, db: Database) -> None:
        self.db = db

    def started(self, conversation_id: str, handoff_reason: str | None = None,
                topic: str | None = None) -> None:
        ts = now_ms()
        with self.db.begin() as conn:
            conn.execute(t.bot_conversations.insert().values(
                conversation_id=conversation_id, contained=False, answers=0, declined=0,
                handoff_reason=handoff_reason, handoff_at=ts if handoff_reason else None,
                created_at=ts, topic=topic))

    def held(self, conversation_id: str) -> HeldChat | None:
        """The chat if the bot still holds it: started by the bot, not handed off,
        not released, open and nobody's."""
        b, c = t.bot_conversations.c, t.conversations.c
        with self.db.begin() as conn:
            row = conn.execute(
                sa.select(b.conversation_id, c.customer_id, b.topic, b.answers, b.declined)
                .select_from(t.bot_conversations.join(
                    t.conversations, t.conversations.c.id == b.conversation_id))
                .where(b.conversation_id == conversation_id, b.handoff_reason.is_(None),
                       b.released_at.is_(None), c.status == ConversationStatus.OPEN.value,
                       c.agent_id.is_(None))
            ).first()
            if row is None:
                return None
            m = t.messages.c
            first = conn.execute(
                sa.select(m.text).where(m.conversation_id == conversation_id,
                                        m.author == MessageAuthor.CUSTOMER.value)
                .order_by(m.created_at, m.id).limit(1)).scalar()
        return HeldChat(row.conversation_id, row.customer_id, row.topic,
                        int(row.answers), int(row.declined), first or "")

    def release_all(self, keep: Callable[[str | None], bool]) -> list[str]:
        """At start: every held chat whose topic the bot no longer holds (``keep``
        says which it does; the bot switched off keeps none) is released, so that
        routing takes it like any waiting chat. Returns their ids."""
        b, c = t.bot_conversations.c, t.conversations.c
        with self.db.begin() as conn:
            rows = conn.execute(
                sa.select(b.conversation_id, b.topic)
                .select_from(t.bot_conversations.join(
                    t.conversations, t.conversations.c.id == b.conversation_id))
                .where(b.handoff_reason.is_(None), b.released_at.is_(None),
                       c.status == ConversationStatus.OPEN.value)).all()
            ids = [r.conversation_id for r in rows if not keep(r.topic)]
            if ids:
                conn.execute(t.bot_conversations.update()
                             .where(b.conversation_id.in_(ids)).values(released_at=now_ms()))
        return ids

    def released(self, conversation_id: str) -> None:
        """The chat closed or a person took it without a hand-off: the bot is done."""
        c = t.bot_conversations.c
        with self.db.begin() as conn:
            conn.execute(t.bot_conversations.update()
                         .where(c.conversation_id == conversation_id, c.released_at.is_(None),
                                c.handoff_reason.is_(None))
                         .values(released_at=now_ms()))

    def _update(self, conversation_id: str, **values: object) -> None:
        with self.db.begin() as conn:
            conn.execute(t.bot_conversations.update()
                         .where(t.bot_conversations.c.conversation_id == conversation_id)
                         .values(**values))

    def answered(self, conversation_id: str, answers: int) -> None:
        self._update(conversation_id, answers=answers)

    def feedback(self, conversation_id: str, contained: bool, declined: int) -> None:
        self._update(conversation_id, contained=contained, declined=declined)

    def handed_off(self, conversation_id: str, reason: str) -> None:
        self._update(conversation_id, contained=False, handoff_reason=reason,
                     handoff_at=now_ms())

    def unanswered(self, conversation_id: str, text: str) -> None:
        with self.db.begin() as conn:
            conn.execute(t.bot_unanswered.insert().values(
                conversation_id=conversation_id, text=text, created_at=now_ms()))

    def add_message(self, conversation_id: str, author: MessageAuthor, text: str) -> Message:
        with self.db.begin() as conn:
            ts = message_time(conn, conversation_id, now_ms())
            msg = Message(id=new_id("m"), conversation_id=conversation_id, author=author,
                          text=text, created_at=ts, status=MessageStatus.SENT)
            conn.execute(t.messages.insert().values(
                id=msg.id, conversation_id=conversation_id, author=author.value,
                text=text, created_at=ts, status=msg.status.value))
            conn.execute(t.conversations.update()
                         .where(t.conversations.c.id == conversation_id)
                         .values(last_message_at=ts))
        return msg


# ---- the quality report ------------------------------------------------------------


@dataclass
class QuestionGroup:
    """Unanswered questions alike enough to be one missing article."""

    example: str
    questions: list[str] = field(default_factory=list)
    conversations: list[str] = field(default_factory=list)


@dataclass
class BotReport:
    conversations: int
    contained: int
    handoffs: dict[str, int]
    unanswered: list[QuestionGroup]


def tokens(text: str) -> set[str]:
    """The knowledge base's search terms (jieba words, stemmed English, no stop words)."""
    return set(terms(text))


def group_questions(rows: list[tuple[str, str]], threshold: float = 0.2) -> list[QuestionGroup]:
    """Group (conversation id, question) by token overlap (Jaccard >= ``threshold``
    with a group's first question); the largest groups first."""
    groups: list[tuple[set[str], QuestionGroup]] = []
    for conversation_id, text in rows:
        mine = tokens(text)
        best: QuestionGroup | None = None
        best_score = threshold
        for theirs, group in groups:
            union = mine | theirs
            score = len(mine & theirs) / len(union) if union else 0.0
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            best = QuestionGroup(example=text)
            groups.append((mine, best))
        best.questions.append(text)
        best.conversations.append(conversation_id)
    return sorted((g for _, g in groups), key=lambda g: -len(g.questions))


def report(db: Database, since_ms: int = 0) -> BotReport:
    c = t.bot_conversations.c
    with db.connect() as conn:
        rows = conn.execute(sa.select(c.contained, c.handoff_reason)
                            .where(c.created_at >= since_ms)).all()
        questions = conn.execute(
            sa.select(t.bot_unanswered.c.conversation_id, t.bot_unanswered.c.text)
            .where(t.bot_unanswered.c.created_at >= since_ms)
            .order_by(t.bot_unanswered.c.id)).all()
    handoffs: dict[str, int] = {}
    for row in rows:
        if row.handoff_reason:
            handoffs[row.handoff_reason] = handoffs.get(row.handoff_reason, 0) + 1
    return BotReport(
        conversations=len(rows),
        contained=sum(1 for r in rows if r.contained and not r.handoff_reason),
        handoffs=handoffs,
        unanswered=group_questions([(r.conversation_id, r.text) for r in questions]),
    )
