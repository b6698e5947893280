"""Quality inspection (质检) frames of the agent protocol: scores, review, appeal.

The hub scores every closed conversation against its quality rules; each rule's
result carries a code, parameters and its evidence (message ids and times), so
the desktop words it. Agents read their own scores and may appeal one within the
hub's appeal window; supervisors read everyone's, work the review queue and
confirm or override a score with a comment. Every step is kept in an audit trail.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import Id

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]
Comment = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Limit = Annotated[int, msgspec.Meta(ge=1, le=500)]
Points = Annotated[int, msgspec.Meta(ge=0, le=100)]
Millis = Annotated[int, msgspec.Meta(ge=0)]


class Verdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"  # the rule did not apply (channel, no transcript, nothing to check)


class ReviewState(enum.StrEnum):
    NONE = "none"  # not sent to review
    PENDING = "pending"  # in the review queue
    CONFIRMED = "confirmed"  # a supervisor kept the score
    OVERRIDDEN = "overridden"  # a supervisor set another score
    APPEALED = "appealed"  # the agent appealed: back in the queue


class ReviewReason(enum.StrEnum):
    FATAL = "fatal"
    LOW_SCORE = "low_score"
    SAMPLE = "sample"
    APPEAL = "appeal"


class ReviewDecision(enum.StrEnum):
    CONFIRM = "confirm"
    OVERRIDE = "override"


class Evidence(msgspec.Struct, gc=False, omit_defaults=True):
    """Where a result can be seen: a message, and/or a moment (ms since the epoch)."""

    message_id: str | None = None
    at: int | None = None


class RuleResult(msgspec.Struct, omit_defaults=True):
    """One rule on one conversation. ``code`` and ``params`` say why, for the desktop
    to word (e.g. ``first_response_late`` with ``seconds`` and ``limit_s``)."""

    rule_id: str
    name: str
    kind: str
    verdict: Verdict
    points: int
    earned: int
    fatal: bool = False  # a fatal rule that failed
    code: str = ""
    params: dict[str, str | int | float] = {}
    evidence: list[Evidence] = []


class ScoreSummary(msgspec.Struct):
    conversation_id: str
    agent_id: str | None
    channel: str
    queue_id: str | None
    closed_at: int
    scored_at: int
    score: int | None  # None: no rule applied (e.g. a store visit)
    final_score: int | None  # the score after review (an override), else ``score``
    fatal: bool
    review: ReviewState
    review_reason: ReviewReason | None = None
    appealable_until: int | None = None


class AuditEntry(msgspec.Struct):
    at: int
    action: str  # scored, rescored, queued, confirmed, overridden, appealed
    actor_id: str | None  # None: the hub itself
    comment: str | None = None
    score: int | None = None


# ---- commands and reads ------------------------------------------------------------


class QaListScores(msgspec.Struct, tag_field="type", tag="qa_list_scores",
                   forbid_unknown_fields=True):
    """Scores of conversations closed in [from_ms, to_ms), newest first. Agents get
    their own (``agent_id`` None or theirs); supervisors anyone's or everyone's."""

    op: OpId
    agent_id: str | None = None
    from_ms: Millis = 0
    to_ms: Millis | None = None
    limit: Limit = 100


class QaFetchScore(msgspec.Struct, tag_field="type", tag="qa_fetch_score",
                   forbid_unknown_fields=True):
    """One score with every rule's result, its evidence and its audit trail."""

    op: OpId
    conversation_id: RefId


class QaReviewQueue(msgspec.Struct, tag_field="type", tag="qa_review_queue",
                    forbid_unknown_fields=True):
    """Supervisors: the scores waiting for review (pending and appealed), oldest first."""

    op: OpId
    limit: Limit = 100


class QaAggregates(msgspec.Struct, tag_field="type", tag="qa_aggregates",
                   forbid_unknown_fields=True):
    """Supervisors: mean final scores per agent and per team (queue) in a period."""

    op: OpId
    from_ms: Millis = 0
    to_ms: Millis | None = None


class QaReview(msgspec.Struct, tag_field="type", tag="qa_review", forbid_unknown_fields=True):
    """Supervisors: confirm a queued score, or override it with ``score``."""

    op: OpId
    conversation_id: RefId
    decision: ReviewDecision
    comment: Comment
    score: Points | None = None  # required with ``override``


class QaAppeal(msgspec.Struct, tag_field="type", tag="qa_appeal", forbid_unknown_fields=True):
    """The scored agent disagrees, within the appeal window; once per score."""

    op: OpId
    conversation_id: RefId
    comment: Comment


QaCommand = QaReview | QaAppeal
QaRead = QaListScores | QaFetchScore | QaReviewQueue | QaAggregates


# ---- answers -----------------------------------------------------------------------


class QaScores(msgspec.Struct, tag_field="type", tag="qa_scores"):
    op: str
    scores: list[ScoreSummary]


class QaScoreDetail(msgspec.Struct, tag_field="type", tag="qa_score"):
    op: str
    summary: ScoreSummary
    results: list[RuleResult]
    audit: list[AuditEntry]
    rules_version: str
    appeal_comment: str | None = None


class GroupScore(msgspec.Struct):
    id: str  # an agent id or a queue id
    name: str
    conversations: int
    mean_score: float
    fatal: int


class RuleFailures(msgspec.Struct):
    rule_id: str
    failed: int
    checked: int


class QaAggregateFigures(msgspec.Struct, tag_field="type", tag="qa_aggregates_result"):
    op: str
    agents: list[GroupScore]
    teams: list[GroupScore]  # per queue
    rules: list[RuleFailures]
    # Per team of the agents (agents.team; agents without a team are left out).
    agent_teams: list[GroupScore] = []


QaServerFrame = QaScores | QaScoreDetail | QaAggregateFigures
