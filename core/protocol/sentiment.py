"""Sentiment and escalation of customer messages, as the hub tells agents of them.

The hub classifies each customer message (hub/assist) and sends codes; the desktop
turns them into words. ``message_classified`` goes to the agent who has the
conversation; ``escalation_raised`` goes to supervisors only.
"""

from __future__ import annotations

import enum

import msgspec

TREND_LENGTH = 5  # scores kept in a conversation's trend


class Sentiment(enum.StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class EscalationReason(enum.StrEnum):
    """Why a message is brought to a senior agent or a supervisor."""

    COMPLAINT = "complaint"  # complaint, regulator, press, lawyer, card dispute
    ASK_HUMAN = "ask_human"  # asks for a person, a manager
    REPEATED_FAILURE = "repeated_failure"  # the same problem again
    SAFETY = "safety"  # fire, smoke, shock, swollen battery
    STRONG_NEGATIVE = "strong_negative"  # fury or abuse


class SentimentTrend(msgspec.Struct, gc=False):
    """A conversation's mood: where it started and its last few scores (-1 .. 1)."""

    first: float
    recent: list[float] = []  # oldest first, at most TREND_LENGTH
    # Every reason the conversation escalated for so far; empty: never escalated.
    escalations: list[EscalationReason] = []

    @property
    def last(self) -> float:
        return self.recent[-1] if self.recent else self.first

    @property
    def escalated(self) -> bool:
        return bool(self.escalations)


class MessageClassified(msgspec.Struct, tag_field="kind", tag="message_classified", gc=False):
    """A customer message's sentiment, with the conversation's trend after it."""

    conversation_id: str
    message_id: str
    sentiment: Sentiment
    score: float
    trend: SentimentTrend
    reasons: list[EscalationReason] = []
    # Set when this message escalated the conversation: its routing priority now.
    priority: int | None = None


class EscalationRaised(msgspec.Struct, tag_field="kind", tag="escalation_raised"):
    """To supervisors only: a customer's message escalated a conversation."""

    conversation_id: str
    customer_id: str
    customer_name: str
    message_id: str
    excerpt: str  # the start of the customer's message (show as plain text)
    reasons: list[EscalationReason]
    score: float
    priority: int
    agent_id: str | None = None  # who has it; None while it waits
    queue: str | None = None  # where it waits or was routed (after any re-route)
