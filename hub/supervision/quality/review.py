"""Review and appeal decisions: which scores a supervisor sees, who may do what when.

No I/O: the store (score_store) keeps what these functions decide.
"""

from __future__ import annotations

import hashlib

from core.protocol.quality import ReviewDecision, ReviewReason, ReviewState
from hub.store.store import StoreError
from hub.supervision.quality.inspection import Inspection
from hub.supervision.quality.rules import QualitySettings

DAY_MS = 86_400_000
OPEN_STATES = (ReviewState.PENDING, ReviewState.APPEALED)


def sampled(conversation_id: str, rate: float) -> bool:
    """Whether the random sample takes this conversation: a hash, not a die, so a
    rescore samples the same conversations again."""
    digest = hashlib.sha256(conversation_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def review_reason(conversation_id: str, inspection: Inspection, settings: QualitySettings,
                  ) -> ReviewReason | None:
    """Why the score goes to the review queue, or None when it does not."""
    if inspection.fatal:
        return ReviewReason.FATAL
    if inspection.score is not None and inspection.score < settings.review_below:
        return ReviewReason.LOW_SCORE
    if inspection.score is not None and sampled(conversation_id, settings.sample_rate):
        return ReviewReason.SAMPLE
    return None


def after_scoring(state: ReviewState | None, reason: ReviewReason | None) -> ReviewState:
    """The review state after a (re)score: a supervisor's or an agent's step stands;
    otherwise the score is queued exactly when it has a reason."""
    if state in (ReviewState.CONFIRMED, ReviewState.OVERRIDDEN, ReviewState.APPEALED):
        return state
    return ReviewState.PENDING if reason is not None else ReviewState.NONE


def reviewed(state: ReviewState, decision: ReviewDecision, score: int | None) -> ReviewState:
    """A supervisor's decision on a queued score; ``StoreError`` when it cannot be."""
    if state not in OPEN_STATES:
        raise StoreError("conflict", "this score is not waiting for review")
    if decision is ReviewDecision.OVERRIDE:
        if score is None:
            raise StoreError("invalid", "an override needs the new score")
        return ReviewState.OVERRIDDEN
    if score is not None:
        raise StoreError("invalid", "a confirmation keeps the score: give no score")
    return ReviewState.CONFIRMED


def appeal_deadline(scored_at: int, settings: QualitySettings) -> int:
    return scored_at + int(settings.appeal_window_days * DAY_MS)


def check_appeal(agent_id: str, score_agent: str | None, scored_at: int,
                 appealed_at: int | None, now: int, settings: QualitySettings) -> None:
    """An agent may appeal their own score once, until the window closes."""
    if score_agent != agent_id:
        raise StoreError("forbidden", "only the scored agent may appeal a score")
    if appealed_at is not None:
        raise StoreError("conflict", "this score was appealed already")
    if now > appeal_deadline(scored_at, settings):
        raise StoreError("conflict", "the appeal window for this score has closed")
