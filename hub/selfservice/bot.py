"""The self-service bot: holds a new widget chat (when the routing file's ``[bot]``
says so for its topic), answers each question from the knowledge base, and hands
the chat to a person when the rules say so. While it holds a chat the chat is not
routed: its service-level clock starts at the hand-off.

Retrieval and classification are synchronous and slow-ish: they run on the bot's
own worker threads, started as soon as the question is stored; what follows
(messages stored, frames out, routing) is one unit of work on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from core.protocol import customer as cp
from core.protocol.customer import HandoffReason
from core.protocol.models import Channel, MessageAuthor
from core.protocol.sentiment import EscalationReason, Sentiment
from hub.assist.sentiment import Classification
from hub.assist.suggestions import ArticleHit
from hub.routing.classify import Inbound
from hub.routing.config import BotSettings
from hub.selfservice.records import HANDOFF_PREFIX, BotRecords, HeldChat
from hub.store.store import Store
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)

Search = Callable[[str, str | None, int], Sequence[ArticleHit]]
Classify = Callable[[str], Classification]
ArticleBody = Callable[[str], str | None]
Route = Callable[[str, Inbound | None], bool]
Unit = Callable[[], contextlib.AbstractContextManager[None]]


class SelfServiceBot:
    def __init__(self, store: Store, fanout: FanOut, unit: Unit,
                 settings: BotSettings, search: Search, classify: Classify,
                 article_body: ArticleBody, route: Route) -> None:
        self.store = store
        self.fanout = fanout
        self._unit = unit
        self.settings = settings
        self._search = search
        self._classify = classify
        self._article_body = article_body
        self._route = route
        # Which chats the bot holds is stored (``BotRecords.held``), not kept here:
        # after a restart, or with the customer on another hub process, the bot
        # goes on where it was and "Talk to a person" always works.
        self.records = BotRecords(store.db)
        self._tasks: set[asyncio.Task[None]] = set()
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="bot")

    # ---- called by the hub inside the customer's unit of work -------------------

    def take(self, conversation_id: str, customer_id: str, topic: str | None,
             easy: bool = False) -> bool:
        """A new widget chat: True when the bot holds it (it is not routed now).
        ``easy``: the widget is in easy mode, which counts as a profile flagged
        elderly: a person first."""
        if not self.settings.holds(topic):
            return False
        reason = (HandoffReason.EASY_MODE if easy
                  else HandoffReason.PROFILE if self._always_person(customer_id) else None)
        if reason is not None:
            self.records.started(conversation_id, reason.value)
            self.records.add_message(conversation_id, MessageAuthor.SYSTEM,
                                     HANDOFF_PREFIX + reason.value)
            self.fanout.to_customer(customer_id, cp.BotReply(
                conversation_id=conversation_id, code="handoff", reason=reason.value))
            return False
        self.records.started(conversation_id, topic=topic)
        return True

    def holds(self, conversation_id: str) -> bool:
        return self.records.held(conversation_id) is not None

    def question(self, conversation_id: str, text: str) -> None:
        """A customer message in a held chat (after its unit committed)."""
        if self.records.held(conversation_id) is None:
            return
        if self._asks_person(text):
            with self._unit():
                self.handoff(conversation_id, HandoffReason.ASKED)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a hub driven directly: answer now
            self._decide(conversation_id, text, *self._look_up(text))
            return
        looking = loop.run_in_executor(self._pool, self._look_up, text)
        task = loop.create_task(self._answer(conversation_id, text, looking))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def feedback(self, conversation_id: str, frame: cp.BotFeedback) -> None:
        """"Did this answer your question?" Yes or No; call inside a unit of work."""
        held = self.records.held(conversation_id)
        if held is None:
            return
        if frame.answered:
            self.records.feedback(conversation_id, True, held.declined)
            self._say(conversation_id, cp.BotReply(conversation_id=conversation_id, code="glad"))
            return
        declined = held.declined + 1
        self.records.feedback(conversation_id, False, declined)
        if declined >= self.settings.max_declined:
            self.handoff(conversation_id, HandoffReason.DECLINED)
        else:
            self._say(conversation_id,
                      cp.BotReply(conversation_id=conversation_id, code="rephrase"))

    def ask_person(self, conversation_id: str) -> None:
        """The "Talk to a person" button; call inside a unit of work."""
        if self.records.held(conversation_id) is not None:
            self.handoff(conversation_id, HandoffReason.ASKED)

    def forget(self, conversation_id: str) -> None:
        """The chat closed or a person took it some other way: the bot is silent.
        Inside a unit of work."""
        self.records.released(conversation_id)

    def handoff(self, conversation_id: str, reason: HandoffReason) -> None:
        """Bring a person: the reason is stored and shown to the agent (a system
        message the desktop words), then the chat is routed. Inside a unit of work."""
        held = self.records.held(conversation_id)
        if held is None:
            return
        self.records.handed_off(conversation_id, reason.value)
        self.records.add_message(conversation_id, MessageAuthor.SYSTEM,
                                 HANDOFF_PREFIX + reason.value)
        self._say(conversation_id, cp.BotReply(conversation_id=conversation_id,
                                               code="handoff", reason=reason.value))
        inbound = Inbound(Channel.CHAT, held.first_text, widget_choice=held.topic)
        self._route(conversation_id, inbound)

    # ---- answering ------------------------------------------------------------------

    async def _answer(self, conversation_id: str, text: str,
                      looking: asyncio.Future[tuple[list[ArticleHit], Classification]],
                      ) -> None:
        try:
            hits, result = await looking
            self._decide(conversation_id, text, hits, result)
        except Exception:
            log.exception("the bot failed to answer in %s; a person takes over", conversation_id)
            with self._unit():
                self.handoff(conversation_id, HandoffReason.NO_ANSWER)

    def _look_up(self, text: str) -> tuple[list[ArticleHit], Classification]:
        return list(self._search(text, None, 1 + self.settings.related)), self._classify(text)

    def _decide(self, conversation_id: str, text: str, hits: list[ArticleHit],
                result: Classification) -> None:
        with self._unit():
            held = self.records.held(conversation_id)
            if held is None:
                return  # handed off, closed or taken meanwhile: a person answers now
            if EscalationReason.ASK_HUMAN in result.reasons:
                self.handoff(conversation_id, HandoffReason.ASKED)
            elif result.sentiment is Sentiment.NEGATIVE or result.reasons:
                self.handoff(conversation_id, HandoffReason.SENTIMENT)
            elif not hits:
                self.records.unanswered(conversation_id, text)
                self.handoff(conversation_id, HandoffReason.NO_ANSWER)
            else:
                self._offer(conversation_id, held, hits)

    def _offer(self, conversation_id: str, held: HeldChat, hits: list[ArticleHit]) -> None:
        best = hits[0]
        body = self._article_body(best.id) or best.answer
        msg = self.records.add_message(conversation_id, MessageAuthor.BOT,
                                       f"{best.title}\n\n{best.answer}")
        self.records.answered(conversation_id, held.answers + 1)
        self._say(conversation_id, cp.BotReply(
            conversation_id=conversation_id, code="answer", message_id=msg.id,
            article=cp.BotArticle(id=best.id, title=best.title, answer=best.answer, body=body),
            related=[cp.BotArticle(id=h.id, title=h.title, answer=h.answer,
                                   body=self._article_body(h.id) or h.answer)
                     for h in hits[1:1 + self.settings.related]]))

    def _say(self, conversation_id: str, frame: cp.BotReply) -> None:
        held_by = self.store.conversation(conversation_id)
        if held_by is not None:
            self.fanout.to_customer(held_by.customer_id, frame)

    # ---- rules ------------------------------------------------------------------------

    def _asks_person(self, text: str) -> bool:
        folded = text.strip().lower()
        return any(word == folded or (len(word) > 1 and word in folded and not word.isascii())
                   or (word.isascii() and word in folded.split())
                   for word in self.settings.person_words)

    def _always_person(self, customer_id: str) -> bool:
        customer = self.store.customer(customer_id)
        if customer.tier and customer.tier.lower() in self.settings.handoff_tiers:
            return True
        marks = {k.lower() for k, v in customer.attributes.items() if v not in (False, None, "", 0,
                                                                                  "no", "false")}
        marks |= {tag.lower() for tag in customer.tags}
        return any(a in marks for a in self.settings.handoff_attributes)

    async def idle(self) -> None:
        """Wait until every question asked so far has its answer (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
