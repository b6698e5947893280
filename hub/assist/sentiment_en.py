"""English sentiment: VADER's lexicon and rules (negation, boosters, caps), plus a shop's
words and phrases, question damping and sarcasm markers.

VADER scores each sentence; its compound is turned back into VADER's raw sum so
that sentences (and Chinese clauses of a mixed message) add up on one scale.
"""

from __future__ import annotations

import math
import re

from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
    SentimentIntensityAnalyzer,
)

from hub.assist.sentiment_tally import QUESTION_DAMPING, Tally

_VADER_ALPHA = 15.0
# Words VADER weighs that in a shop's chat carry no feeling ("please help", "customer
# support", "what kind of", "free shipping", "no, order 123"). Courtesy is counted
# apart (see Tally).
_NEUTRAL = ("please", "help", "support", "ok", "okay", "sure", "yes", "care", "kind",
            "kindly", "free", "want", "thanks", "thank", "appreciate", "cheers", "welcome",
            "dear", "hope", "cancel", "cancelled", "pay", "no", "joke", "lol", "safe",
            "safety", "alright", "wow", "pretty", "fine", "true", "fire", "hand", "special",
            "credit")
_WORDS = {
    "cracked": -1.8, "scratched": -1.5, "scratch": -1.2, "dented": -1.5, "leaking": -1.5,
    "leaks": -1.5, "faulty": -2.0, "late": -1.2, "delayed": -1.2, "noisy": -1.2,
    "buzzing": -1.0, "froze": -1.5, "freezes": -1.5, "crashes": -1.5, "crashing": -1.5,
    "ripoff": -3.0, "overcharged": -2.0, "stole": -2.5, "scammers": -3.0, "unusable": -2.5,
    "smoke": -1.5, "smoking": -1.0, "burnt": -2.0, "sparks": -1.5, "swollen": -1.5,
    "bulging": -1.5, "melted": -2.0, "burned": -2.0, "burn": -1.5, "flames": -2.0,
    "doa": -2.5, "disappointing": -2.2, "fine": 0.3,
    "fixed": 1.2, "sorted": 1.0, "resolved": 1.2, "fast": 1.2, "quick": 1.0,
    "quickly": 1.0, "friendly": 2.0, "crap": -2.5, "garbage": -2.8, "junk": -2.5,
    "refund": 0.0, "return": 0.0, "problem": -1.0, "issue": -0.8,
    "nightmare": -2.5, "meh": -1.0, "ridiculous": -2.0,
}
# Reported problems: facts, not feelings; they also turn praise into sarcasm.
_PROBLEMS = [(re.compile(p, re.IGNORECASE), v) for p, v in (
    (r"\b(not|isn't|is not|aren't|no longer) working\b|\bdoes(n't| not) work\b|"
     r"\bstopped working\b|\bdoes(n't| not) (turn|switch) on\b|"
     r"\bwo(n't| not) (turn on|switch on|charge|start|connect|work|boot|open)\b", -2.0),
    (r"\bdead on arrival\b|\bbroken\b|\bdamaged\b|\bdefective\b|\bcracked\b|\bcrushed\b", -0.5),
    (r"\bnever (arrived|came|showed up|got it)\b|\bnobody (called|came|showed|answered|"
     r"replied|responded|fixes|helps)\b|\bno one (called|came|showed|answered|replied)\b|"
     r"\bnever (heard back|called back|got back)\b", -2.0),
    (r"\b(wrong|incorrect) (item|colou?r|size|model|product|order|address|part)\b|"
     r"\b(is|was|are|were) missing\b|\bpart is missing\b", -1.8),
    (r"\bcharged (twice|two times|double)\b|\bdouble[- ]charged\b", -2.0),
    (r"\b(says|shows|marked( as)?|shown as) (delivered|received)\b.{0,40}\b(isn't|is not|"
     r"not|never|didn't|haven't|nothing)\b|\bi give up\b", -1.8),
    (r"\b(still|been) waiting\b|\bwaited (all day|for hours|hours|for days|days|weeks)\b|"
     r"\b(a|one|two|three|\d+) (days?|weeks?|months?) late\b|\btook (way )?longer\b|"
     r"\bhas(n't| not) updated\b|\bonly lasts?\b|"
     r"\b(gone on|going on|taking|takes|took) (too|so|way too|far too) long\b", -1.5),
    (r"\bkeeps? (logging|crashing|freezing|dropping|disconnecting|failing|breaking|"
     r"rebooting|turning off)\b", -1.8),
)]
_PRAISE = [(re.compile(p, re.IGNORECASE), v) for p, v in (
    (r"\bworks? (perfectly|great|fine|well|now|like a charm|as described)\b|"
     r"\bworking (now|again|perfectly|fine|great)\b", 2.0),
    (r"\b(that|it|this) (fixed|solved|worked)\b|\bproblem solved\b|\bcame through\b|"
     r"\barrived (early|quickly|on time|fast)\b|\bon time\b", 1.5),
    (r"\b(highly|would) recommend\b|\bworth (it|every penny|the money)\b|"
     r"\bvalue for money\b|\bbest purchase\b", 2.0),
)]
_COURTESY = re.compile(r"\b(thanks|thank you|thx|ty|appreciate it|much appreciated|cheers)\b",
                       re.IGNORECASE)
_SARCASM = [re.compile(p, re.IGNORECASE) for p in (
    r"\b(great|perfect|wonderful|fantastic|brilliant|amazing|awesome|lovely|nice)\W+"
    r"(just|simply|really|truly)\s+(great|perfect|wonderful|fantastic|brilliant|amazing|"
    r"awesome|lovely|nice)\b",
    r"\bthanks? (you )?for nothing\b", r"\byeah,? right\b", r"\bjust what i (needed|wanted)\b",
    r"^\W*oh,? (great|perfect|wonderful|joy|lovely|fantastic|brilliant|good|nice)\b",
    r"(?<!thanks )(?<!thank you )(?<!thank u )(?<!thx )\bso much for\b",
    r"\bwhat a joke\b", r"(^|\s)/s\b", r"\bi'?ve only been waiting\b",
    r"\b(love|loving) (how|that) (i|you|it|my)\b",
)]
_QUOTED = re.compile(r"[\"“][A-Za-z][^\"“”]{0,30}[\"”]")
_CONTRAST = re.compile(r"\b(but|though|although|however|except|yet)\b", re.IGNORECASE)
_SENTENCES = re.compile(r"[^.!?;\n]+[.!?;\n]*")
_QUESTION_START = re.compile(
    r"^\W*(how|what|where|when|which|who|why|can|could|do|does|did|is|are|will|would|should|"
    r"may|any|is there|are there)\b", re.IGNORECASE)
_RHETORICAL = re.compile(r"\bhow many times\b|\bwhat('s| is) wrong with\b|\bare you kidding\b|"
                         r"\bseriously\?|\bwhy (on earth|the hell)\b|"
                         r"\bwhy (is|does) it (take )?so (hard|long|difficult)\b|"
                         r"\bwhy can'?t (you|anyone|i ever)\b", re.IGNORECASE)
_PREPARE = [(re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\b(would|'d) like\b", "want"),  # "I'd like to cancel": a wish, not liking
    (r"\bno (problem|worries)\b", "fine"),
    (r"’", "'"),
    # "I'm not angry, just confused": a denied feeling is not the opposite feeling
    (r"\bnot (angry|upset|mad|complaining|annoyed|frustrated|trying to complain)\b", ""),
)]


def _raw_from_compound(compound: float) -> float:
    c = max(-0.9999, min(0.9999, compound))
    return c * math.sqrt(_VADER_ALPHA / (1 - c * c))


class EnglishScorer:
    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()
        # The analyzer's lexicon is its own dict: changing it changes no other instance.
        for word in _NEUTRAL:
            self._vader.lexicon[word] = 0.0
        self._vader.lexicon.update(_WORDS)

    def add_message(self, text: str, tally: Tally) -> None:
        for pattern, replacement in _PREPARE:
            text = pattern.sub(replacement, text)
        if any(p.search(text) for p in _SARCASM):
            tally.sarcasm = True
        if _CONTRAST.search(text):
            tally.contrast = True
        tally.emphasis += min(text.count("!"), 3)
        tally.courtesy += 1.5 * len(_COURTESY.findall(text))
        before = tally.negative
        for sentence in _SENTENCES.findall(text):
            self._add_sentence(sentence, tally)
        if _QUOTED.search(text) and (tally.problems or tally.negative < before):
            tally.sarcasm = True

    def _add_sentence(self, sentence: str, tally: Tally) -> None:
        if not sentence.strip():
            return
        part = Tally()
        compound = self._vader.polarity_scores(sentence)["compound"]
        part.add(_raw_from_compound(compound))
        for pattern, value in _PROBLEMS:
            if pattern.search(sentence):
                part.add(value)
                tally.problems += 1
        for pattern, value in _PRAISE:
            if pattern.search(sentence):
                part.add(value)
        question = (sentence.rstrip().endswith("?") or bool(_QUESTION_START.match(sentence)))
        if question and _RHETORICAL.search(sentence):
            part.add(-1.5)
            question = False
        strong = part.negative <= -3.0
        factor = QUESTION_DAMPING if question and not strong else 1.0
        tally.positive += part.positive * factor
        tally.negative += part.negative * factor
