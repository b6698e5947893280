"""The knowledge base as the hub uses it: articles in the store, searched in memory.

``KnowledgeBase.suggest`` is what live suggestions call with a customer's message;
``search`` is the same with the options operators and agents use. The index is
rebuilt when the articles change (checked with one small query per search), and
embeddings missing for an article version are computed and stored then.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from hub.assist.kb_markdown import answer_paragraph, plain_text
from hub.assist.kb_store import Article, ArticleStatus, KnowledgeBaseStore, Language
from hub.assist.retrieval import Embedder, Hit, IndexedArticle, Retriever, passage_text
from hub.assist.retrieval_embedder import shared_embedder
from hub.assist.retrieval_text import terms

DEFAULT_LIMIT = 3
MAX_LIMIT = 50
MAX_QUERY_CHARS = 2000
EMBED_CHUNK = 256


@dataclass(frozen=True)
class IndexStats:
    articles: int
    published: int
    embedded_now: int  # vectors computed while building (missing in the store)


def indexed(article: Article) -> IndexedArticle:
    answer = answer_paragraph(article.body)
    tokens = (
        terms(article.title) * 2
        + terms(plain_text(article.body))
        + terms(" ".join(article.tags))
    )
    return IndexedArticle(
        id=article.id,
        version=article.version,
        title=article.title,
        language=article.language,
        status=article.status,
        answer=answer,
        # Interned: 10,000 articles repeat the same few thousand words (saves ~50 MB).
        terms=tuple(sys.intern(token) for token in tokens),
    )


class KnowledgeBase:
    def __init__(self, store: KnowledgeBaseStore, embedder: Embedder | None = None) -> None:
        self.store = store
        self.embedder: Embedder = embedder if embedder is not None else shared_embedder()
        self._retriever: Retriever | None = None
        self._revision: tuple[int, int] | None = None
        # (article id, version) -> its index entry and passage vector.
        self._parts: dict[tuple[str, int], tuple[IndexedArticle, np.ndarray]] = {}
        self._lock = threading.Lock()
        self.last_build: IndexStats | None = None
        # The question is embedded here while the caller's thread checks for changes
        # and scores the words: the model runs without the GIL, so the two overlap.
        self._embedding = ThreadPoolExecutor(2, thread_name_prefix="kb-question")

    # ---- the index -----------------------------------------------------------

    def ensure_embeddings(self, articles: list[Article]) -> tuple[np.ndarray, int]:
        """The passage vector of each article's version, computing what is missing."""
        model = self.embedder.model_name
        keys = [(a.id, a.version) for a in articles]
        stored = self.store.embeddings(model, keys).vectors
        missing = [a for a in articles if not stored.get((a.id, a.version))]
        # Stored chunk by chunk: a large first build that stops keeps what it did.
        for start in range(0, len(missing), EMBED_CHUNK):
            chunk = missing[start : start + EMBED_CHUNK]
            computed = self.embedder.passages(
                [passage_text(a.title, answer_paragraph(a.body)) for a in chunk]
            )
            fresh = {(a.id, a.version): [computed[i]] for i, a in enumerate(chunk)}
            self.store.save_embeddings(model, fresh)
            stored.update(fresh)
        if not articles:
            return np.zeros((0, 384), dtype=np.float32), 0
        return np.stack([stored[key][0] for key in keys]), len(missing)

    def refresh(self, force: bool = False) -> Retriever:
        """The current index, rebuilt first if any article changed.

        Article versions seen before keep their terms and vector, so an edit costs
        the segmentation and embedding of that one article, not of all of them.
        """
        revision = self.store.kb_revision()
        with self._lock:
            if force or self._retriever is None or revision != self._revision:
                articles = self.store.articles()
                new = [a for a in articles if (a.id, a.version) not in self._parts]
                vectors, embedded = self.ensure_embeddings(new)
                for i, article in enumerate(new):
                    self._parts[(article.id, article.version)] = (indexed(article), vectors[i])
                keys = [(a.id, a.version) for a in articles]
                self._parts = {key: self._parts[key] for key in keys}
                matrix = (
                    np.stack([self._parts[key][1] for key in keys]) if keys
                    else np.zeros((0, 384), dtype=np.float32)
                )
                self._retriever = Retriever(
                    self.embedder, [self._parts[key][0] for key in keys], matrix
                )
                self._revision = revision
                self.last_build = IndexStats(
                    len(articles),
                    sum(a.status is ArticleStatus.PUBLISHED for a in articles),
                    embedded,
                )
            return self._retriever

    # ---- searching -----------------------------------------------------------

    def search(
        self,
        text: str,
        language: Language | None = None,
        limit: int = DEFAULT_LIMIT,
        include_drafts: bool = False,
        lexical_only: bool = False,
    ) -> list[Hit]:
        """Articles that answer ``text``, best first, [] when none is confident enough.

        ``language`` is the question's language (detected from the text when not
        given); articles in both languages answer. Drafts only for editors.
        """
        limit = max(0, min(limit, MAX_LIMIT))
        text = text[:MAX_QUERY_CHARS]
        if lexical_only or limit == 0 or not text.strip():
            return self.refresh().search(
                text, language, limit, include_drafts=include_drafts, lexical_only=lexical_only
            )
        vector = self._embedding.submit(self.embedder.query, text)
        try:
            retriever = self.refresh()
        except BaseException:
            vector.cancel()
            raise
        return retriever.search(text, language, limit, include_drafts=include_drafts,
                                question_vector=vector.result)

    def prefetch(self, text: str) -> None:
        """Start embedding ``text`` now, on the question threads, so that a search for
        it shortly after (the message's suggestions, the bot's answer) finds the vector
        ready or in progress. The hub calls this when a customer's message arrives,
        before it is stored: the model runs without the GIL while the loop stores and
        sends the message. Nothing is embedded before the index is built (the hub
        builds it before it reports ready) or while it holds no article."""
        text = text[:MAX_QUERY_CHARS]
        index = self._retriever
        # Nothing to find (no index yet, or no article): no search will want it.
        if text.strip() and index is not None and len(index):
            self._embedding.submit(self.embedder.query, text)

    def suggest(self, text: str, language: Language | None = None, limit: int = 3) -> list[Hit]:
        """Suggestions for one customer message (published articles only)."""
        return self.search(text, language, limit)
