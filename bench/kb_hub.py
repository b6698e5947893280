"""A hub process over a large generated knowledge base, for the end-to-end assist and
self-service benchmarks.

The articles are ``bench.assist_retrieval_bench.generated_articles`` (the demo's
40 topics made specific to products and batches, zh + en, so that hundreds of
articles are close to every question); the demo seed (agents, quick replies, the
40 demo articles) follows at the hub's first start.

Every article is imported with its own passage vector, as ``zuoxi-hub kb import``
does: the vectors are computed at import and stored with the article's version
(``kb_embeddings``), so no hub start embeds anything. Computing them costs about
20 CPU-minutes for 10,000 passages; the hub's on-disk sentence-vector cache
(hub.assist.retrieval_vector_cache) keeps them by text, so only the first import
on a machine pays it (``python -m bench.kb_hub --embed`` fills the cache ahead,
chunk by chunk, resumable). The figures say how many vectors the import found in
that cache and how long it took.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from bench.assist_retrieval_bench import generated_articles
from hub.assist.kb_markdown import answer_paragraph
from hub.assist.kb_store import KnowledgeBaseStore
from hub.assist.knowledge_base import KnowledgeBase
from hub.assist.retrieval import passage_text
from hub.assist.retrieval_embedder import MODEL_NAME, shared_embedder
from hub.assist.retrieval_vector_cache import cache_key
from hub.process import HubProcess
from hub.store import schema
from hub.store.base import create_engine

START_TIMEOUT_S = 600.0


def kb_database(path: Path, articles: int) -> dict[str, float]:
    """A hub database holding ``articles`` generated articles, each with its own
    passage vector computed at import (see the module's docstring)."""
    started = time.monotonic()
    engine = create_engine(path)
    schema.migrate(engine)
    store = KnowledgeBaseStore(engine)
    with store.db.unit():
        for article in generated_articles(articles):
            store.save_article(article, "bench")
    saved = time.monotonic() - started
    embedder = shared_embedder()
    stored = store.articles()
    texts = [passage_text(a.title, answer_paragraph(a.body)) for a in stored]
    cached = (len(embedder.cache.get_many([cache_key(MODEL_NAME, "passage", t) for t in texts]))
              if embedder.cache is not None else 0)
    _vectors, embedded = KnowledgeBase(store, embedder).ensure_embeddings(stored)
    engine.dispose()
    return {"import_s": round(time.monotonic() - started, 1),
            "import_store_s": round(saved, 1),
            "vectors": embedded, "vectors_from_disk_cache": cached,
            "vectors_computed": len(texts) - cached}


def embed_missing(articles: int) -> None:
    """Compute the generated articles' passage vectors into the on-disk cache, chunk
    by chunk (a stopped run keeps what it did)."""
    embedder = shared_embedder()
    texts = [passage_text(a.title, answer_paragraph(a.body))
             for a in generated_articles(articles)]
    started = time.monotonic()
    for start in range(0, len(texts), 128):
        embedder.passages(texts[start : start + 128])
        print(f"{min(start + 128, len(texts))} of {len(texts)} "
              f"({time.monotonic() - started:.0f} s)", file=sys.stderr)


def kb_hub(tmp: Path, articles: int, routing_text: str) -> tuple[HubProcess, dict[str, float]]:
    """A started hub over ``articles`` generated articles, configured by
    ``routing_text``, and how long its starts took: the first seeds the demo and
    stores the embeddings, the second (the figure) is a restart, spawn → ready, with
    the index built and the model loaded."""
    db = tmp / "hub.sqlite3"
    imported = kb_database(db, articles)
    routing = tmp / "routing.toml"
    routing.write_text(routing_text, encoding="utf-8")
    hub = HubProcess(db, tmp, extra_args=["--routing-config", str(routing),
                                          "--new-visitors-per-minute", "100000"])
    started = time.monotonic()
    hub.start(timeout=START_TIMEOUT_S)
    first = time.monotonic() - started
    hub.stop()
    started = time.monotonic()
    hub.start(timeout=START_TIMEOUT_S)
    return hub, {"first_start_s": round(first, 1),
                 "start_s": round(time.monotonic() - started, 1), **imported}


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Embed the generated articles' passages "
                                     "into the sentence-vector cache.")
    parser.add_argument("--embed", action="store_true", required=True)
    parser.add_argument("--articles", type=int, default=10_000)
    embed_missing(parser.parse_args().articles)
