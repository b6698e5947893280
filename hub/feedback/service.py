"""Feedback frames from the widget and ratings through signed email links."""

from __future__ import annotations

import time
from collections.abc import Callable

from core.protocol import customer as cp
from core.protocol.codec import ErrorCode, encode_text
from core.protocol.models import ConversationStatus
from hub.feedback.rating_links import RatingLinks
from hub.feedback.rating_store import (
    FeedbackError,
    FeedbackRefusal,
    FeedbackStore,
    Rating,
    RatingSource,
)
from hub.transport.peers import Peer

# A customer is never told whether someone else's conversation exists.
_CODES = {
    FeedbackRefusal.INVALID: ErrorCode.INVALID,
    FeedbackRefusal.NOT_FOUND: ErrorCode.NOT_FOUND,
    FeedbackRefusal.NOT_YOURS: ErrorCode.NOT_FOUND,
    FeedbackRefusal.NOT_CLOSED: ErrorCode.CONFLICT,
    FeedbackRefusal.ALREADY_RATED: ErrorCode.CONFLICT,
    FeedbackRefusal.NPS_NOT_DUE: ErrorCode.CONFLICT,
}


def _now_ms() -> int:
    return int(time.time() * 1000)


class FeedbackService:
    def __init__(self, store: FeedbackStore, links: RatingLinks, public_url: str,
                 clock_ms: Callable[[], int] = _now_ms) -> None:
        self.store = store
        self.links = links
        self.public_url = public_url.rstrip("/")
        self.clock_ms = clock_ms

    # ---- widget ----------------------------------------------------------------

    def customer_rate(self, peer: Peer, customer_id: str, frame: cp.Rate) -> None:
        now = self.clock_ms()
        try:
            self.store.rate(frame.conversation_id, frame.score, frame.solved, frame.comment,
                            RatingSource.WIDGET, now, customer_id=customer_id)
        except FeedbackError as exc:
            self._refuse(peer, exc)
            return
        peer.send(encode_text(cp.Rated(conversation_id=frame.conversation_id,
                                       nps_due=self.store.nps_due(customer_id, now))))

    def customer_nps(self, peer: Peer, customer_id: str, frame: cp.AnswerNps) -> None:
        try:
            self.store.answer_nps(customer_id, frame.score, frame.reason, self.clock_ms(),
                                  conversation_id=frame.conversation_id)
        except FeedbackError as exc:
            self._refuse(peer, exc)
            return
        peer.send(encode_text(cp.NpsAnswered(score=frame.score)))

    @staticmethod
    def _refuse(peer: Peer, exc: FeedbackError) -> None:
        # The refusal ("already_rated", "nps_not_due") goes in ``ref`` for the widget.
        peer.send(encode_text(cp.Error(code=_CODES[exc.refusal], message=exc.detail,
                                       ref=exc.refusal.value)))

    # ---- email links -----------------------------------------------------------

    def link(self, conversation_id: str, score: int | None = None) -> str:
        token = self.links.issue(conversation_id, self.clock_ms() // 1000)
        query = "" if score is None else f"?score={score}"
        return f"{self.public_url}/rate/{token}{query}"

    def check_link(self, token: str) -> str:
        """The conversation a link may still rate; raises LinkError or FeedbackError
        (already rated) without storing anything."""
        conversation_id = self.links.verify(token, self.clock_ms() // 1000)
        if self.store.rating_of(conversation_id) is not None:
            raise FeedbackError(FeedbackRefusal.ALREADY_RATED, "this link was already used")
        status = self.store.status_of(conversation_id)
        if status is None:
            raise FeedbackError(FeedbackRefusal.NOT_FOUND, "no such conversation")
        if status is not ConversationStatus.CLOSED:
            raise FeedbackError(FeedbackRefusal.NOT_CLOSED, "the conversation is still open")
        return conversation_id

    def rate_by_link(self, token: str, score: int, solved: bool | None,
                     comment: str | None) -> Rating:
        conversation_id = self.links.verify(token, self.clock_ms() // 1000)
        return self.store.rate(conversation_id, score, solved, comment, RatingSource.EMAIL,
                               self.clock_ms())
