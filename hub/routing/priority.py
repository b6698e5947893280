"""The priority score of a waiting conversation (docs/routing.md).

    score(t) = aging_per_min * minutes_waited(t)
             + tier[customer tier]            (e.g. vip 100, high-value 60)
             + complaint                      (a complaint keyword or queue topic)
             + negative_sentiment             (a negative keyword in what they wrote)

Every waiting conversation ages at the same rate, so the order of two of them
never changes while they wait: ``rank_key`` (the score without the clock) sorts
them once, which is what keeps one routing decision cheap. Aging still prevents
starvation: a routine conversation that waited ``tier / aging_per_min`` minutes
longer outranks a VIP's.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.routing.config import PriorityWeights


@dataclass(frozen=True)
class Signals:
    tier: str | None = None
    complaint: bool = False
    negative: bool = False


def detect(weights: PriorityWeights, text: str, topic: str, tier: str | None) -> Signals:
    lowered = text.lower()
    complaint = topic == "complaints" or any(w in lowered for w in weights.complaint_keywords)
    negative = any(w in lowered for w in weights.negative_keywords)
    return Signals(tier=tier, complaint=complaint, negative=negative)


def base_score(weights: PriorityWeights, signals: Signals) -> float:
    """The part of the score that does not grow with waiting time."""
    score = weights.tier.get(signals.tier or "", 0.0)
    if signals.complaint:
        score += weights.complaint
    if signals.negative:
        score += weights.negative_sentiment
    return score


def score(weights: PriorityWeights, signals: Signals, waited_ms: int) -> float:
    return base_score(weights, signals) + weights.aging_per_min * waited_ms / 60_000


def rank_key(weights: PriorityWeights, base: float, enqueued_ms: int) -> float:
    """Larger is served first; equal to score(t) minus the same term for every entry."""
    return base - weights.aging_per_min * enqueued_ms / 60_000
