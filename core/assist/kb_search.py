"""Offline search over the cached knowledge base: the question's terms and how hits score.

The desktop does not load the hub's embedding model: offline it searches words.
Latin words are terms as they are; a run of Chinese characters gives its
overlapping pairs of characters (a two-character word is the common unit of
Chinese, and any substring matches through the trigram index or ``LIKE``). A term
found in many articles says little: each weighs ``log(1 + N / df)``, twice in the
title. The confidence of a hit is the weight it matched over the weight the whole
question could have matched; below ``MIN_CONFIDENCE`` nothing is offered.
Pure functions: the SQL that counts lives in ``core.assist.kb_cache``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MIN_CONFIDENCE = 0.12
MAX_TERMS = 24
TITLE_WEIGHT = 2.0

_LATIN = re.compile(r"[0-9a-z]+(?:['’][a-z]+)?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Words that are in nearly every question and answer nothing by themselves; a run
# of Chinese is cut at them before it is paired.
STOPWORDS = frozenset({
    "a", "an", "and", "are", "be", "can", "do", "does", "for", "how", "i", "in", "is", "it",
    "me", "my", "of", "on", "or", "the", "to", "what", "when", "where", "who", "why", "with",
    "you", "your", "we", "our", "was", "will", "there", "this", "that", "have", "has",
})
HAN_STOPWORDS = ("怎么办", "怎么样", "为什么", "怎么", "什么", "可以", "如何", "我的", "一下",
                 "请问", "你们", "我们", "不是", "是不是", "有没有", "能不能", "吗", "呢",
                 "了", "的", "吧", "啊", "我", "你")
_HAN_CUT = re.compile("|".join(sorted(HAN_STOPWORDS, key=len, reverse=True)))


@dataclass(frozen=True)
class Term:
    text: str
    run: int  # which run of the question it came from (pairs of one run merge back)
    start: int  # its offset in that run


def terms(question: str) -> list[Term]:
    """The question's search terms, in order, without stopwords or repeats."""
    text = question.lower()
    found: list[Term] = []
    seen: set[str] = set()
    run = 0
    for match in re.finditer(f"{_LATIN.pattern}|{_HAN.pattern}", text):
        if not _HAN.fullmatch(match.group(0)):
            words = [match.group(0)]
        else:
            words = [w for w in _HAN_CUT.split(match.group(0)) if w]
        for word in words:
            run += 1
            if _HAN.fullmatch(word) and len(word) > 2:
                parts = [word[i:i + 2] for i in range(len(word) - 1)]
            else:
                parts = [word]
            for start, part in enumerate(parts):
                if part in STOPWORDS or part in seen or (len(part) < 2 and not part.isdigit()):
                    continue
                seen.add(part)
                found.append(Term(part, run, start))
    return found[:MAX_TERMS]


def idf(total: int, df: int) -> float:
    return math.log(1.0 + total / max(df, 1))


@dataclass(frozen=True)
class Scored:
    article_id: str
    score: float  # confidence in [0, 1]
    matched: tuple[str, ...]  # the question's words the article contains


def score(
    question: list[Term],
    total: int,
    found: Mapping[str, Mapping[str, bool]],
) -> list[Scored]:
    """Rank articles; ``found[term][article_id]`` says whether the title holds it."""
    if not question or total == 0:
        return []
    weights = {t.text: idf(total, len(found.get(t.text, {}))) for t in question}
    possible = sum(weights.values()) * TITLE_WEIGHT
    sums: dict[str, float] = {}
    hits: dict[str, list[Term]] = {}
    for term in question:
        for article_id, in_title in found.get(term.text, {}).items():
            weight = weights[term.text] * (TITLE_WEIGHT if in_title else 1.0)
            sums[article_id] = sums.get(article_id, 0.0) + weight
            hits.setdefault(article_id, []).append(term)
    ranked = [
        Scored(article_id, min(1.0, total_weight / possible), merged_words(hits[article_id]))
        for article_id, total_weight in sums.items()
        if total_weight / possible >= MIN_CONFIDENCE
    ]
    ranked.sort(key=lambda s: (-s.score, s.article_id))
    return ranked


def merged_words(matched: Iterable[Term]) -> tuple[str, ...]:
    """Adjacent pairs of one Chinese run join again: 退货 + 货退 … → 退货退款."""
    words: list[str] = []
    last: Term | None = None
    for term in sorted(matched, key=lambda t: (t.run, t.start)):
        if (last is not None and term.run == last.run and term.start == last.start + 1
                and words and len(term.text) == 2 and words[-1][-1] == term.text[0]):
            words[-1] += term.text[1]
        else:
            words.append(term.text)
        last = term
    return tuple(words)
