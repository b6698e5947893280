"""Suggestions: answers for what a customer just wrote, pushed to the agent handling
the conversation, and the agent's verdict on them.

Each ``SuggestionSource`` proposes items for a message; the service keeps the
best few and appends one ``assist_suggestions`` event to the agent's stream. It
runs after the customer's message has committed and gone out: it listens to the
published event batches (a customer's chat message, an inbound mail, a
conversation that became the agent's) and does its work in a unit of its own,
scheduled on the loop, so the message's own path never waits for it.

Sources:

* ``QuickReplySource`` matches the message against the quick replies the agent
  sees, with the desktop's own matcher (``core.assist.quick_reply_search``).
* ``ArticleSource`` turns a knowledge-base search into suggestions. The knowledge
  base's retrieval plugs in as its ``search`` function: ``hub.composition.compose``
  takes it as ``kb_search`` and adds the source (see ``ArticleSearch``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from core.assist.quick_reply_search import match_message
from core.protocol import agent as ap
from core.protocol import assist
from core.protocol import call as cl
from core.protocol import email as ep
from core.protocol.models import Channel, ConversationStatus, MessageAuthor
from core.tasks import BackgroundTasks
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.assist.quick_replies import QuickReplies
from hub.store import schema as t
from hub.store.health import is_storage_error, storage_problem
from hub.store.store import Store, StoreError, now_ms
from hub.transport.fanout import FanOut
from hub.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Items per event: the panel shows the best three; one more in reserve.
MAX_ITEMS = 3  # what the panel shows (Alt+1..3)
# Suggestions whose titles are remembered for the verdicts on them.
RECENT_TITLES = 10_000
# What of a long mail is matched: its start says what it is about.
MAX_TEXT_CHARS = 2000
# Threads matching messages: the work is mostly the model's, which runs without the
# GIL; more than the cores would only make each message wait longer.
WORKERS = 2


@dataclass(frozen=True)
class Inquiry:
    """What the customer wrote, for whom to suggest."""

    agent_id: str
    conversation_id: str
    message_id: str
    channel: Channel
    text: str


class SuggestionSource(Protocol):
    """Proposes suggestions for one message; best first, at most ``limit``."""

    def suggest(self, inquiry: Inquiry, limit: int) -> list[assist.Suggestion]: ...


class QuickReplySource:
    def __init__(self, quick_replies: QuickReplies) -> None:
        self.quick_replies = quick_replies

    def suggest(self, inquiry: Inquiry, limit: int) -> list[assist.Suggestion]:
        replies = [
            r for r in self.quick_replies.quick_replies_of(inquiry.agent_id)
            if r.channel is assist.QuickReplyChannel.ANY or r.channel.value == inquiry.channel.value
        ]
        return [
            assist.Suggestion(kind=assist.SuggestionKind.QUICK_REPLY, id=m.reply.id,
                              title=m.reply.title, text=m.reply.text, score=m.score,
                              matched=list(m.matched))
            for m in match_message(replies, inquiry.text, limit)
        ]


@dataclass(frozen=True)
class ArticleHit:
    """One knowledge-base article that answers a question (score 0..1, already past
    the retrieval's confidence threshold)."""

    id: str
    title: str
    answer: str  # the paragraph to insert, or a link
    score: float
    matched: Sequence[str] = ()


# The knowledge base's retrieval: (question, language or None, limit) -> best first.
ArticleSearch = Callable[[str, str | None, int], Sequence[ArticleHit]]


class ArticleSource:
    def __init__(self, search: ArticleSearch) -> None:
        self.search = search

    def suggest(self, inquiry: Inquiry, limit: int) -> list[assist.Suggestion]:
        return [
            assist.Suggestion(kind=assist.SuggestionKind.ARTICLE, id=hit.id, title=hit.title,
                              text=hit.answer, score=hit.score, matched=list(hit.matched))
            for hit in self.search(inquiry.text, None, limit)
        ]


class SuggestionService:
    """Built by the composition root, which adds ``published`` to the fan-out's listeners."""

    def __init__(self, store: Store, fanout: FanOut, unit: UnitOfWork,
                 sources: Sequence[SuggestionSource],
                 prefetch: Callable[[str], None] | None = None) -> None:
        self.store = store
        self._prefetch = prefetch
        self.fanout = fanout
        self.unit = unit
        self.sources = list(sources)
        self.tasks = BackgroundTasks("suggestions", logger=log)
        # Their own threads: no message waits behind other work of the loop's default
        # pool (password hashing, index builds).
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="suggestions")
        # The newest message each conversation asked about: an older answer that
        # finishes later is dropped, so the panel never goes back in time.
        self._latest: dict[str, str] = {}
        # Titles of recent suggestions by (message id, kind, item id), so a verdict
        # on an article (which this hub does not store) is listed with its title.
        self._titles: OrderedDict[tuple[str, str, str], str] = OrderedDict()

    # ---- when a customer wrote ------------------------------------------------------------

    def message_arriving(self, text: str) -> None:
        """A customer's chat message passed the edge's checks and is about to be
        stored: the knowledge base starts embedding it now, on its own thread (the
        model runs without the GIL), so that by the time the message has been stored
        and sent and ``published`` asks for suggestions, the question's vector is
        ready or nearly so. The same vector serves the bot's answer."""
        if self._prefetch is not None and text.strip():
            # RuntimeError: the pool is shut down, the hub is stopping
            with contextlib.suppress(RuntimeError):
                self._prefetch(text)

    def published(self, agent_id: str, events: Sequence[ap.Event]) -> None:
        """Events just sent to an agent: suggest for what the customer wrote."""
        for event in events:
            inquiry = self._inquiry(agent_id, event.body)
            if inquiry is not None:
                self._schedule(inquiry)

    def _schedule(self, inquiry: Inquiry) -> None:
        """Matching (the knowledge base embeds the question) runs on a worker thread, so
        no socket waits for it; the event is written back on the loop, after the send.
        The thread starts at once, not when the loop gets round to a task: the loop
        still has the message's own work to finish (its frames, its sentiment)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a synchronous caller (no loop): do it now, after the send
            self.suggest(inquiry)
            return
        self._latest[inquiry.conversation_id] = inquiry.message_id
        matching = loop.run_in_executor(self._pool, self.items_for, inquiry)

        async def work() -> None:
            items = await matching
            if self._latest.get(inquiry.conversation_id) != inquiry.message_id:
                return
            del self._latest[inquiry.conversation_id]
            try:
                self.deliver(inquiry, items)
            except Exception as exc:
                if not is_storage_error(exc):
                    raise
                # a full or read-only disk (/healthz says so): these suggestions are lost
                log.warning("suggestions for %s not stored: %s", inquiry.message_id,
                            storage_problem(exc))

        self.tasks.spawn(work(), name=f"suggest {inquiry.message_id}")

    def stop(self) -> None:
        self.tasks.cancel_all()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _inquiry(agent_id: str, body: ap.EventBody) -> Inquiry | None:
        if isinstance(body, ap.MessageAdded):
            m = body.message
            if m.author is MessageAuthor.CUSTOMER:
                return Inquiry(agent_id, m.conversation_id, m.id, Channel.CHAT, m.text)
        elif isinstance(body, ep.EmailReceived):
            mail, m = body.email, body.message
            return Inquiry(agent_id, m.conversation_id, m.id, Channel.EMAIL,
                           f"{mail.subject}\n{mail.text or m.text}"[:MAX_TEXT_CHARS])
        elif isinstance(body, cl.CallTranscribed):
            # A call's transcript: what the customer said is asked about like a
            # message (the customer's last words, where the open question usually is).
            said = [s.text for s in body.transcript.segments
                    if s.speaker is cl.TranscriptSpeaker.CUSTOMER]
            if said:
                text = " ".join(said)[-MAX_TEXT_CHARS:]
                return Inquiry(agent_id, body.transcript.conversation_id,
                               f"{body.transcript.call_id}:transcript", Channel.VOICE, text)
        elif isinstance(body, ap.ConversationAssigned):
            conv = body.conversation
            if conv.status is not ConversationStatus.OPEN:
                return None
            last = next((m for m in reversed(body.messages)
                         if m.author is MessageAuthor.CUSTOMER), None)
            if last is not None:
                channel = Channel.EMAIL if conv.channel is Channel.EMAIL else Channel.CHAT
                return Inquiry(agent_id, conv.id, last.id, channel, last.text[:MAX_TEXT_CHARS])
        return None

    def items_for(self, inquiry: Inquiry) -> list[assist.Suggestion]:
        """The best few over all sources. Scores of different sources are not on one
        scale (an article's is the retrieval's confidence, a quick reply's its match),
        so each source that has something keeps its best item; the other places go by
        score."""
        per_source: list[list[assist.Suggestion]] = []
        for source in self.sources:
            try:
                found = source.suggest(inquiry, MAX_ITEMS)
            except Exception:  # one broken source must not silence the others
                log.exception("suggestion source %s failed", type(source).__name__)
                continue
            if found:
                per_source.append(sorted(found, key=lambda s: -s.score))
        chosen = [found[0] for found in per_source][:MAX_ITEMS]
        rest = sorted((s for found in per_source for s in found[1:]), key=lambda s: -s.score)
        chosen += rest[: MAX_ITEMS - len(chosen)]
        chosen.sort(key=lambda s: -s.score)
        return chosen

    def suggest(self, inquiry: Inquiry) -> None:
        self.deliver(inquiry, self.items_for(inquiry))

    def deliver(self, inquiry: Inquiry, items: list[assist.Suggestion]) -> None:
        """One unit of work: the suggestions event, if the conversation is still theirs."""
        if not items:
            return
        with self.unit.run(), self.store.db.begin() as conn:
            owner = conn.execute(
                sa.select(t.conversations.c.agent_id)
                .where(t.conversations.c.id == inquiry.conversation_id)
            ).scalar()
            if owner != inquiry.agent_id:
                return
            event = self.store.append_event(conn, inquiry.agent_id, assist.AssistSuggestions(
                conversation_id=inquiry.conversation_id, message_id=inquiry.message_id,
                items=items))
            self.fanout.publish(inquiry.agent_id, event)
        for item in items:
            self._titles[(inquiry.message_id, item.kind.value, item.id)] = item.title
        while len(self._titles) > RECENT_TITLES:
            self._titles.popitem(last=False)

    # ---- feedback -------------------------------------------------------------------------

    def feedback(self, agent_id: str, cmd: assist.SuggestionFeedback) -> int:
        """Store the verdict (a second one on the same suggestion replaces the first)."""
        with self.store.db.begin() as conn:
            owner = conn.execute(
                sa.select(t.conversations.c.agent_id)
                .where(t.conversations.c.id == cmd.conversation_id)
            ).scalar()
            if owner != agent_id:
                raise StoreError("not_found", "no such conversation assigned to you")
            title = self._titles.get((cmd.message_id, cmd.kind.value, cmd.item_id), "")
            if not title and cmd.kind is assist.SuggestionKind.QUICK_REPLY:
                title = conn.execute(sa.select(t.quick_replies.c.title)
                                     .where(t.quick_replies.c.id == cmd.item_id)).scalar() or ""
            f = t.suggestion_feedback.c
            conn.execute(t.suggestion_feedback.delete().where(
                f.agent_id == agent_id, f.message_id == cmd.message_id, f.kind == cmd.kind.value,
                f.item_id == cmd.item_id))
            conn.execute(t.suggestion_feedback.insert().values(
                agent_id=agent_id, conversation_id=cmd.conversation_id,
                message_id=cmd.message_id, kind=cmd.kind.value, item_id=cmd.item_id,
                verdict=cmd.verdict.value, title=title[:200], created_at=now_ms()))
        seq = self.store.head_seq(agent_id)
        self.store.record_op(agent_id, cmd.op, seq)
        return seq

    def list_feedback(self, agent_id: str, frame: assist.ListSuggestionFeedback
                      ) -> assist.SuggestionFeedbackList:
        with self.store.db.connect() as conn:
            if not permits(conn, agent_id, Permission.REPORTS):
                raise StoreError("forbidden", "feedback is listed for supervisors")
            f = t.suggestion_feedback.c
            rows = conn.execute(
                sa.select(t.suggestion_feedback, t.agents.c.display_name)
                .join(t.agents, t.agents.c.id == f.agent_id)
                .order_by(f.created_at.desc(), f.id.desc()).limit(frame.limit)
            ).all()
            totals = {str(r[0]): int(r[1]) for r in conn.execute(
                sa.select(f.verdict, sa.func.count()).group_by(f.verdict))}
        return assist.SuggestionFeedbackList(
            op=frame.op,
            entries=[assist.FeedbackEntry(
                conversation_id=r.conversation_id, message_id=r.message_id,
                kind=assist.SuggestionKind(r.kind), item_id=r.item_id,
                verdict=assist.FeedbackVerdict(r.verdict), agent_id=r.agent_id,
                agent_name=r.display_name, created_at=r.created_at, title=r.title)
                for r in rows],
            helpful=int(totals.get(assist.FeedbackVerdict.HELPFUL.value, 0)),
            wrong=int(totals.get(assist.FeedbackVerdict.WRONG.value, 0)),
        )
