"""Classify a customer message: sentiment, score, and whether (and why) it escalates.

Pure: no I/O once built, no Qt. Building a ``Classifier`` loads jieba's dictionary
and the lexicons (about a second), so the hub builds one at start-up, off the
message path; ``classify()`` uses one shared default classifier built on first use.

Each clause of the text goes to the scorer of its language (Chinese when it holds
Chinese characters, English otherwise), so a mixed message is scored in both.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from core.protocol.sentiment import EscalationReason, Sentiment
from hub.assist.escalation import ReasonMatcher
from hub.assist.escalation_rules import EscalationRules
from hub.assist.escalation_rules import load as load_rules
from hub.assist.sentiment_en import EnglishScorer
from hub.assist.sentiment_tally import QUESTION_DAMPING, Tally
from hub.assist.sentiment_zh import ChineseScorer

Reason = EscalationReason

__all__ = ["Classification", "Classifier", "Reason", "Sentiment", "classify"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Two or more Latin words in a row, with their punctuation
_LATIN_RUN = re.compile(r"([A-Za-z][A-Za-z0-9'’\-]*(?:[\s,;:\"“”]+[A-Za-z][A-Za-z0-9'’\-]*)+"
                        r"[\s.!?,;:\"“”]*)")
_EVENT_REASONS = frozenset({EscalationReason.COMPLAINT, EscalationReason.SAFETY,
                            EscalationReason.REPEATED_FAILURE})
_EVENT_WEIGHT = 2.0
_DEMAND = re.compile(r"马上|立刻|立即|赶紧|直接|出来|别(再)?(回复|说|发)|给我(转|找|叫)|"
                     r"\b(right now|now|immediately|asap|at once|stop|useless|enough)\b",
                     re.IGNORECASE)
_DEMAND_WEIGHT = 1.2
MAX_TEXT = 4000  # longer text is classified by its first part


@dataclass(frozen=True)
class Classification:
    sentiment: Sentiment
    score: float  # -1 (very negative) .. 1 (very positive)
    escalate: bool
    reasons: tuple[EscalationReason, ...]

    def as_json(self) -> dict[str, object]:
        return {"sentiment": self.sentiment.value, "score": self.score,
                "escalate": self.escalate, "reasons": [r.value for r in self.reasons]}


def _language_runs(text: str) -> list[tuple[bool, str]]:
    """(is_chinese, piece) parts: English phrases inside a Chinese message stay English,
    a lone Latin word in Chinese ("iPhone充电线") stays with the Chinese."""
    if not _CJK.search(text):
        return [(False, text)]
    return [(i % 2 == 0, piece) for i, piece in enumerate(_LATIN_RUN.split(text))
            if piece.strip()]


class Classifier:
    """Sentiment and escalation under one set of rules. Thread-safe after construction."""

    def __init__(self, rules: EscalationRules | None = None, *,
                 scorers: tuple[ChineseScorer, EnglishScorer] | None = None) -> None:
        self._zh, self._en = scorers if scorers is not None else (ChineseScorer(),
                                                                   EnglishScorer())
        self._matcher = ReasonMatcher(rules if rules is not None else load_rules())

    @property
    def rules(self) -> EscalationRules:
        return self._matcher.rules

    def with_rules(self, rules: EscalationRules) -> Classifier:
        """A classifier sharing the loaded lexicons, under other rules."""
        return Classifier(rules, scorers=(self._zh, self._en))

    def tally(self, text: str) -> Tally:
        """What the lexicons and sentiment rules find, before any escalation rule."""
        tally = Tally()
        for chinese, run in _language_runs(text[:MAX_TEXT]):
            (self._zh if chinese else self._en).add_message(run, tally)
        return tally

    def classify(self, text: str) -> Classification:
        text = text[:MAX_TEXT]
        rules = self._matcher.rules
        tally = self.tally(text)
        reasons = self._matcher.reasons(text)
        if _EVENT_REASONS.intersection(reasons):
            # A threat to complain, a fire, the same failure again: bad news whatever
            # the words around it. Asking how to complain is a question, though.
            question = text.rstrip().endswith(("?", "？"))
            only_complaint = not _EVENT_REASONS.difference({EscalationReason.COMPLAINT}
                                                           ).intersection(reasons)
            tally.negative -= _EVENT_WEIGHT * (QUESTION_DAMPING if question and only_complaint
                                               else 1.0)
        if EscalationReason.ASK_HUMAN in reasons and _DEMAND.search(text):
            # "叫你们经理出来", "a supervisor right now": demanded, not asked
            tally.negative -= _DEMAND_WEIGHT
        score = round(tally.score(), 4)
        if score <= rules.negative_below:
            sentiment = Sentiment.NEGATIVE
        elif score >= rules.positive_above:
            sentiment = Sentiment.POSITIVE
        else:
            sentiment = Sentiment.NEUTRAL
        if EscalationReason.REPEATED_FAILURE in reasons and sentiment is Sentiment.POSITIVE:
            # "第二次买了，还是那么好用", "bought it again, works great": loyalty, not failure
            reasons.remove(EscalationReason.REPEATED_FAILURE)
        if EscalationReason.STRONG_NEGATIVE in reasons and sentiment is not Sentiment.NEGATIVE:
            reasons.remove(EscalationReason.STRONG_NEGATIVE)
        if score <= rules.strong_score_below and EscalationReason.STRONG_NEGATIVE not in reasons:
            reasons.append(EscalationReason.STRONG_NEGATIVE)
        ordered = tuple(r for r in EscalationReason if r in reasons)
        return Classification(sentiment, score, bool(ordered), ordered)


_default: Classifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> Classifier:
    """The shared classifier under the shipped rules, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Classifier()
        return _default


def classify(text: str) -> Classification:
    """Classify one message under the shipped rules."""
    return default_classifier().classify(text)
