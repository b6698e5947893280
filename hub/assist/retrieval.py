"""Retrieval that understands paraphrases: BM25 and sentence embeddings, fused.

Everything is in memory and built from rows the store reads, so it works the same
on SQLite and PostgreSQL. For a question q and an article i (docs/assist.md has the
reasoning and the measurements):

    s_i   = cos(E(q), E(title_i + answer paragraph_i))          multilingual-e5-small
    b_i   = mean cos(E(m), E(passage_i)) over the background messages m written in
            q's language (hub.assist.retrieval_background)
    d_i   = s_i - b_i                                            dense margin
    l_i   = IDF-weighted share of q's terms found in article i   lexical coverage, [0, 1]
    f_i   = d_i + LEXICAL_WEIGHT * l_i                           fused score (ranking)
    conf_i = 1 / (1 + exp(-(f_i - THRESHOLD) / SPREAD))          confidence, [0, 1]

An article is suggested only when its confidence is at least 0.5, i.e. when f_i is
at least THRESHOLD. ``b_i`` removes what makes raw cosines useless as confidence:
every passage is similar to every message (about 0.8), some articles attract
everything, and a Chinese question scores English articles lower than Chinese ones
for the same meaning; an article that is no closer to the question than to small
talk in the question's language is not an answer. BM25 over the same terms is the
lexical baseline and breaks ties within the fused score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from hub.assist.kb_store import ArticleStatus, Language
from hub.assist.retrieval_background import BACKGROUND_EN, BACKGROUND_ZH
from hub.assist.retrieval_lexical import LexicalIndex
from hub.assist.retrieval_text import guess_language, terms

LEXICAL_WEIGHT = 0.03
THRESHOLD = 0.045
SPREAD = 0.03
BM25_TIE_BREAK = 1e-4


class Embedder(Protocol):
    """Sentence embeddings: unit vectors, one row per text."""

    @property
    def model_name(self) -> str: ...

    def query(self, text: str) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def known_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of fixed texts the hub ships (never a customer's)."""
        ...


@dataclass(frozen=True)
class IndexedArticle:
    id: str
    version: int
    title: str
    language: Language
    status: ArticleStatus
    answer: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    id: str
    version: int
    title: str
    language: Language
    score: float  # confidence in [0, 1]
    fused: float
    dense: float
    lexical: float
    bm25: float
    answer: str
    matched: tuple[str, ...]  # the question's terms the article contains


def confidence(fused: float) -> float:
    return 1.0 / (1.0 + math.exp(-(fused - THRESHOLD) / SPREAD))


def passage_text(title: str, answer: str) -> str:
    """What is embedded for an article: its title and its answer paragraph."""
    return f"{title}\n{answer}".strip()


class Retriever:
    """An immutable index over articles; build a new one when articles change."""

    def __init__(
        self,
        embedder: Embedder,
        articles: Sequence[IndexedArticle],
        vectors: np.ndarray,
        background: dict[str, np.ndarray] | None = None,
    ) -> None:
        if len(articles) != vectors.shape[0]:
            raise ValueError("one vector per article")
        self.embedder = embedder
        self.articles = list(articles)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.lexical = LexicalIndex([a.terms for a in self.articles])
        self._status = np.array(
            [a.status is ArticleStatus.PUBLISHED for a in self.articles], dtype=bool
        )
        bg = background if background is not None else background_queries(embedder)
        # Per article and question language: its mean similarity to small talk.
        self._baseline = {
            lang: (queries @ self.vectors.T).mean(axis=0) if len(self.articles) else
            np.zeros(0, dtype=np.float32)
            for lang, queries in bg.items()
        }

    def __len__(self) -> int:
        return len(self.articles)

    def search(
        self,
        text: str,
        language: Language | None = None,
        limit: int = 3,
        include_drafts: bool = False,
        lexical_only: bool = False,
        threshold: bool = True,
        question_vector: Callable[[], np.ndarray] | None = None,
    ) -> list[Hit]:
        """The articles that answer ``text``, best first; [] when none is confident.

        ``language`` is the question's language (detected when not given); answers
        come from articles in either language. ``question_vector`` gives the
        question's embedding when the caller started it already (it is asked for
        after the lexical scores, so the two can overlap); else it is computed here.
        """
        if not self.articles or limit <= 0 or not text.strip():
            return []
        query_terms = terms(text)
        bm25, coverage = self.lexical.scores(query_terms)
        if lexical_only:
            # The baseline: BM25 alone, its confidence the coverage of the best match.
            fused = coverage.astype(np.float64)
            dense = np.zeros_like(fused)
            rank = bm25 + BM25_TIE_BREAK * coverage
        else:
            vector = question_vector() if question_vector else self.embedder.query(text)
            sims = self.vectors @ vector
            asked_in = language.value if language is not None else guess_language(text)
            dense = (sims - self._baseline[asked_in]).astype(np.float64)
            fused = dense + LEXICAL_WEIGHT * coverage
            rank = fused + BM25_TIE_BREAK * bm25
        visible = self._status if not include_drafts else np.ones(len(self.articles), bool)
        if lexical_only:
            passes = (bm25 > 0) & (coverage >= LEXICAL_THRESHOLD)
        else:
            passes = fused >= THRESHOLD
        candidates = np.flatnonzero(visible & passes) if threshold else np.flatnonzero(visible)
        if candidates.size == 0:
            return []
        order = candidates[np.argsort(-rank[candidates], kind="stable")][:limit]
        hits = []
        for i in order:
            article = self.articles[int(i)]
            score = (
                float(coverage[i]) if lexical_only else confidence(float(fused[i]))
            )
            hits.append(
                Hit(
                    id=article.id,
                    version=article.version,
                    title=article.title,
                    language=article.language,
                    score=round(score, 4),
                    fused=float(fused[i]),
                    dense=float(dense[i]),
                    lexical=float(coverage[i]),
                    bm25=float(bm25[i]),
                    answer=article.answer,
                    matched=tuple(self.lexical.matched_terms(query_terms, article.terms)),
                )
            )
        return hits


# The lexical baseline's own cut: at least this share of the question's weight found.
LEXICAL_THRESHOLD = 0.3

_background_cache: dict[str, dict[str, np.ndarray]] = {}


def background_queries(embedder: Embedder) -> dict[str, np.ndarray]:
    """The background messages as query vectors, per language (computed once)."""
    cached = _background_cache.get(embedder.model_name)
    if cached is None:
        cached = {
            "zh": embedder.known_queries(BACKGROUND_ZH),
            "en": embedder.known_queries(BACKGROUND_EN),
        }
        _background_cache[embedder.model_name] = cached
    return cached
