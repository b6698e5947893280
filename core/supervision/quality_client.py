"""Quality inspection (质检) on the desktop's core: scores, review queue, appeals.

Held by ``AgentService`` as ``service.quality``. Scores live on the hub: every
read (``list_scores``, ``fetch``, ``review_queue``, ``aggregates``) is a frame
sent when live and answered by the hub, awaited here (``QualityUnavailable``
when offline, refused or unanswered). An appeal or a review decision is a command
in the outbox, sent once the link is up and safe to repeat; when the hub acks or
refuses it, ``changed(conversation_id, code)`` is called ("" when it was taken),
so views read the score again. The hub decides who may see and do what (agents:
their own scores only); ``appeal_status`` only says what to offer. Thread: the
loop's (the GUI thread, under qasync).
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from typing import Any, TypeVar

from core.cache.cache import Cache
from core.protocol import quality as qp
from core.sync.outbox import Outbox, new_id

Request = Callable[[qp.QaRead], bool]
Changed = Callable[[str, str], None]
Wake = Callable[[], None]
T = TypeVar("T")

READ_TIMEOUT_S = 10.0
MAX_COMMENT_CHARS = 2000  # core.protocol.quality.Comment


class QualityUnavailable(Exception):  # noqa: N818
    """No answer now: ``offline``, ``timeout`` or the hub's code (``forbidden``, ...)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code if not message else f"{code}: {message}")
        self.code = code
        self.message = message


class AppealStatus(enum.Enum):
    OPEN = enum.auto()  # the agent may appeal now
    SENDING = enum.auto()  # an appeal waits in the outbox (offline, or not acked yet)
    APPEALED = enum.auto()  # the hub has the appeal (once per score)
    CLOSED = enum.auto()  # the appeal window is over
    NOT_YOURS = enum.auto()  # only the scored agent may appeal


def appeal_status(summary: qp.ScoreSummary, me: str | None, now_ms: int,
                  queued: bool = False) -> AppealStatus:
    """What the desktop may offer for ``summary``; the hub checks it again."""
    if me is None or summary.agent_id != me:
        return AppealStatus.NOT_YOURS
    if queued:
        return AppealStatus.SENDING
    if summary.review is qp.ReviewState.APPEALED or summary.appealable_until is None:
        return AppealStatus.APPEALED
    if now_ms > summary.appealable_until:
        return AppealStatus.CLOSED
    return AppealStatus.OPEN


def checked_comment(text: str, what: str = "comment") -> str:
    """``text`` trimmed; ValueError when blank or too long for the hub."""
    body = text.strip()
    if not body:
        raise ValueError(f"the {what} is empty")
    if len(body) > MAX_COMMENT_CHARS:
        raise ValueError(f"the {what} is longer than {MAX_COMMENT_CHARS} characters")
    return body


class QualityClient:
    def __init__(self, cache: Cache, outbox: Outbox, wake: Wake, changed: Changed,
                 timeout_s: float = READ_TIMEOUT_S) -> None:
        self._cache = cache
        self._outbox = outbox
        self._wake = wake
        self._changed = changed
        self._timeout = timeout_s
        self._request: Request | None = None
        self._reads: dict[str, asyncio.Future[Any]] = {}

    def attach(self, request: Request | None) -> None:
        self._request = request

    # ---- reads ------------------------------------------------------------------------

    async def list_scores(self, agent_id: str | None = None, *, from_ms: int = 0,
                          to_ms: int | None = None, limit: int = 100
                          ) -> list[qp.ScoreSummary]:
        """Scores of conversations closed in [from_ms, to_ms), newest first (an
        agent's own; a supervisor's choice of agent, or everyone's)."""
        answer = await self._ask(qp.QaListScores(op=new_id(), agent_id=agent_id,
                                                 from_ms=from_ms, to_ms=to_ms, limit=limit),
                                 qp.QaScores)
        return list(answer.scores)

    async def fetch(self, conversation_id: str) -> qp.QaScoreDetail:
        """One score with every rule's result, its evidence and its audit trail."""
        return await self._ask(qp.QaFetchScore(op=new_id(), conversation_id=conversation_id),
                               qp.QaScoreDetail)

    async def review_queue(self, limit: int = 100) -> list[qp.ScoreSummary]:
        """Supervisors: pending and appealed scores, oldest first."""
        answer = await self._ask(qp.QaReviewQueue(op=new_id(), limit=limit), qp.QaScores)
        return list(answer.scores)

    async def aggregates(self, from_ms: int = 0, to_ms: int | None = None
                         ) -> qp.QaAggregateFigures:
        """Supervisors: mean scores per agent and team, and the most-failed rules."""
        return await self._ask(qp.QaAggregates(op=new_id(), from_ms=from_ms, to_ms=to_ms),
                               qp.QaAggregateFigures)

    async def _ask(self, frame: qp.QaRead, kind: type[T]) -> T:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._reads[frame.op] = future
        try:
            if self._request is None or not self._request(frame):
                raise QualityUnavailable("offline")
            try:
                answer = await asyncio.wait_for(future, self._timeout)
            except TimeoutError:
                raise QualityUnavailable("timeout") from None
        finally:
            self._reads.pop(frame.op, None)
        if not isinstance(answer, kind):
            raise QualityUnavailable("invalid", f"unexpected {type(answer).__name__}")
        return answer

    # ---- frames from the hub (called by the service) ----------------------------------

    def owns(self, op: str) -> bool:
        return op in self._reads

    def answered(self, frame: qp.QaScores | qp.QaScoreDetail | qp.QaAggregateFigures) -> None:
        future = self._reads.get(frame.op)
        if future is not None and not future.done():
            future.set_result(frame)

    def failed(self, op: str, code: str, message: str = "") -> None:
        future = self._reads.get(op)
        if future is not None and not future.done():
            future.set_exception(QualityUnavailable(code, message))

    def connection_lost(self) -> None:
        for future in self._reads.values():
            if not future.done():
                future.set_exception(QualityUnavailable("offline"))

    def command_resolved(self, command: object, code: str | None) -> bool:
        """An appeal or review was acked (``code`` None) or refused; False for
        commands that are not quality's."""
        if not isinstance(command, qp.QaReview | qp.QaAppeal):
            return False
        self._changed(command.conversation_id, code or "")
        return True

    # ---- intents (commands in the outbox) --------------------------------------------

    def appeal(self, conversation_id: str, reason: str) -> str:
        """The scored agent disagrees; the op id. ValueError for a blank reason."""
        return self._queue(qp.QaAppeal(op=new_id(), conversation_id=conversation_id,
                                       comment=checked_comment(reason, "reason")))

    def confirm(self, conversation_id: str, comment: str) -> str:
        """Supervisors: keep a queued score."""
        return self._queue(qp.QaReview(op=new_id(), conversation_id=conversation_id,
                                       decision=qp.ReviewDecision.CONFIRM,
                                       comment=checked_comment(comment)))

    def override(self, conversation_id: str, score: int, comment: str) -> str:
        """Supervisors: set another score (0-100) for a queued one."""
        if not 0 <= score <= 100:
            raise ValueError("a score is a whole number from 0 to 100")
        return self._queue(qp.QaReview(op=new_id(), conversation_id=conversation_id,
                                       decision=qp.ReviewDecision.OVERRIDE, score=score,
                                       comment=checked_comment(comment)))

    def queued(self, conversation_id: str) -> bool:
        """Whether an appeal or review of this conversation waits in the outbox."""
        return any(isinstance(c, qp.QaReview | qp.QaAppeal)
                   and c.conversation_id == conversation_id for c in self._outbox.pending())

    def _queue(self, command: qp.QaReview | qp.QaAppeal) -> str:
        with self._cache.db.atomic():
            self._outbox.queue(command)
        self._wake()
        return command.op
