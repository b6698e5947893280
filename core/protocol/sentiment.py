"""Codes for a customer message's sentiment and the reasons it escalates.

The hub classifies each customer message and sends these codes to agents; the
desktop turns them into words.
"""

from __future__ import annotations

from enum import Enum


class Sentiment(Enum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class EscalationReason(Enum):
    """Why a message is brought to a senior agent or a supervisor."""

    COMPLAINT = "complaint"  # complaint, regulator, press, lawyer, card dispute
    ASK_HUMAN = "ask_human"  # asks for a person, a manager
    REPEATED_FAILURE = "repeated_failure"  # the same problem again
    SAFETY = "safety"  # fire, smoke, shock, swollen battery
    STRONG_NEGATIVE = "strong_negative"  # fury or abuse
