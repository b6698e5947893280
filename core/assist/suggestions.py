"""Suggestions for the desktop's side panel: read from the cache, feedback through
the outbox (so a verdict given offline still reaches the hub once).

Thread: the loop's (the GUI thread).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from core.cache.cache import Cache
from core.protocol.assist import (
    FeedbackVerdict,
    ListSuggestionFeedback,
    Suggestion,
    SuggestionFeedback,
    SuggestionFeedbackList,
)
from core.records import Changes
from core.sync.outbox import Outbox


@dataclass(frozen=True)
class Suggested:
    """A conversation's latest suggestions and the verdicts given on them."""

    conversation_id: str
    message_id: str
    items: tuple[Suggestion, ...]
    verdicts: dict[tuple[str, str], FeedbackVerdict]

    def verdict(self, item: Suggestion) -> FeedbackVerdict | None:
        return self.verdicts.get((item.kind.value, item.id))


class FeedbackUnavailable(Exception):  # noqa: N818
    """The list of verdicts cannot be read now (offline, or not a supervisor)."""


Request = Callable[[ListSuggestionFeedback], bool]


class Suggestions:
    def __init__(self, cache: Cache, outbox: Outbox, announce: Callable[[Changes], None],
                 wake: Callable[[], None]) -> None:
        self._db = cache.db
        self._sets = cache.suggestions
        self._outbox = outbox
        self._announce = announce
        self._wake = wake
        self._request: Request | None = None
        self._waiting: dict[str, asyncio.Future[SuggestionFeedbackList]] = {}

    # ---- supervisors: the verdicts agents gave (a read from the hub) --------------------

    def attach(self, request: Request | None) -> None:
        self._request = request

    async def feedback_list(self, limit: int = 100) -> SuggestionFeedbackList:
        """The newest verdicts of every agent; FeedbackUnavailable offline or when the
        hub refuses (only supervisors and admins may list them)."""
        frame = ListSuggestionFeedback(op=uuid.uuid4().hex, limit=limit)
        future: asyncio.Future[SuggestionFeedbackList] = (
            asyncio.get_running_loop().create_future())
        self._waiting[frame.op] = future
        if self._request is None or not self._request(frame):
            self._waiting.pop(frame.op, None)
            raise FeedbackUnavailable("offline")
        try:
            return await future
        finally:
            self._waiting.pop(frame.op, None)

    def owns(self, op: str) -> bool:
        return op in self._waiting

    def answered(self, frame: SuggestionFeedbackList) -> None:
        future = self._waiting.get(frame.op)
        if future is not None and not future.done():
            future.set_result(frame)

    def failed(self, op: str, code: str) -> None:
        future = self._waiting.get(op)
        if future is not None and not future.done():
            future.set_exception(FeedbackUnavailable(code))

    def connection_lost(self) -> None:
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(FeedbackUnavailable("offline"))

    def latest(self, conversation_id: str) -> Suggested | None:
        """The conversation's newest suggestions (from memory: no query per message)."""
        found = self._sets.latest(conversation_id)
        if found is None:
            return None
        return Suggested(conversation_id, found.message_id, found.items, found.verdicts)

    def give_feedback(self, suggested: Suggested, item: Suggestion,
                      verdict: FeedbackVerdict) -> None:
        command = SuggestionFeedback(
            op=uuid.uuid4().hex, conversation_id=suggested.conversation_id,
            message_id=suggested.message_id, kind=item.kind, item_id=item.id, verdict=verdict)
        with self._db.atomic():
            self._sets.set_verdict(suggested.conversation_id, suggested.message_id,
                                   item.kind, item.id, verdict)
            self._outbox.queue(command)
        self._announce(Changes(suggestions={suggested.conversation_id}))
        self._wake()
