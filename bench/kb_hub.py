"""A hub process over a large generated knowledge base, for the end-to-end assist and
self-service benchmarks.

The articles are ``bench.assist_retrieval_bench.generated_articles`` (the demo's
40 topics made specific to products and batches, zh + en, so that hundreds of
articles are close to every question); the demo seed (agents, quick replies, the
40 demo articles) follows at the hub's first start.

Their sentence vectors come from the hub's on-disk cache of passage vectors
(hub.assist.retrieval_vector_cache) where a run has computed them: embedding
10,000 passages takes about 20 CPU-minutes, hours on a busy shared machine. An
article whose vector is not there yet gets its topic's demo-article vector in the
bench's database (never in the cache), so that the hub does not embed at start;
the search costs the same for any vector values, and the figures say how many
vectors were real. ``python -m bench.kb_hub --embed`` computes the missing ones.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

from bench.assist_retrieval_bench import DEMO_KB, generated_articles
from hub.assist.kb_import import read_folder
from hub.assist.kb_markdown import answer_paragraph
from hub.assist.kb_store import KnowledgeBaseStore
from hub.assist.retrieval import passage_text
from hub.assist.retrieval_embedder import MODEL_NAME, shared_embedder
from hub.assist.retrieval_vector_cache import cache_key
from hub.process import HubProcess
from hub.store import schema
from hub.store.base import create_engine

START_TIMEOUT_S = 600.0


def kb_database(path: Path, articles: int) -> dict[str, int]:
    """A hub database holding ``articles`` generated articles and a vector for each
    (see the module's docstring); how many vectors are real and how many stand in."""
    engine = create_engine(path)
    schema.migrate(engine)
    store = KnowledgeBaseStore(engine)
    with store.db.unit():
        for article in generated_articles(articles):
            store.save_article(article, "bench")
    counts = fill_vectors(store)
    engine.dispose()
    return counts


def fill_vectors(store: KnowledgeBaseStore) -> dict[str, int]:
    """Store a passage vector for every article version that has none: the real one
    from the on-disk cache, else its topic's demo-article vector (generated article
    ``gen-N`` is of demo topic ``N % 40``)."""
    embedder = shared_embedder()
    have = store.embeddings(MODEL_NAME).vectors
    todo = [a for a in store.articles() if not have.get((a.id, a.version))]
    texts = [passage_text(a.title, answer_paragraph(a.body)) for a in todo]
    cached = (embedder.cache.get_many([cache_key(MODEL_NAME, "passage", t) for t in texts])
              if embedder.cache is not None else {})
    bases = [p.content for p in read_folder(DEMO_KB)]
    topic = embedder.passages([passage_text(b.title, answer_paragraph(b.body)) for b in bases])
    vectors: dict[tuple[str, int], list[np.ndarray]] = {}
    stand_ins = 0
    for article, text in zip(todo, texts, strict=True):
        real = cached.get(cache_key(MODEL_NAME, "passage", text))
        if real is None and article.id.startswith("gen-"):
            real = topic[int(article.id[4:]) % len(bases)]
            stand_ins += 1
        if real is not None:
            vectors[(article.id, article.version)] = [real]
    store.save_embeddings(MODEL_NAME, vectors)
    return {"real_vectors": len(have) + len(vectors) - stand_ins, "stand_in_vectors": stand_ins}


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
    vectors = kb_database(db, articles)
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
                 "start_s": round(time.monotonic() - started, 1), **vectors}


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Embed the generated articles' passages "
                                     "into the sentence-vector cache.")
    parser.add_argument("--embed", action="store_true", required=True)
    parser.add_argument("--articles", type=int, default=10_000)
    embed_missing(parser.parse_args().articles)
