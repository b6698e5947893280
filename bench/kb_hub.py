"""A hub process over a large generated knowledge base, for the end-to-end assist and
self-service benchmarks.

The articles are ``bench.assist_retrieval_bench.generated_articles`` (the demo's
40 topics made specific to products and batches, zh + en, so that hundreds of
articles are close to every question); the demo seed (agents, quick replies, the
40 demo articles) follows at the hub's first start. Their sentence vectors come
from the hub's on-disk cache when an earlier run computed them.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.assist_retrieval_bench import generated_articles
from hub.assist.kb_store import KnowledgeBaseStore
from hub.process import HubProcess
from hub.store import schema
from hub.store.base import create_engine

START_TIMEOUT_S = 600.0


def kb_database(path: Path, articles: int) -> None:
    """A hub database holding ``articles`` generated articles."""
    engine = create_engine(path)
    schema.migrate(engine)
    store = KnowledgeBaseStore(engine)
    with store.db.unit():
        for article in generated_articles(articles):
            store.save_article(article, "bench")
    engine.dispose()


def kb_hub(tmp: Path, articles: int, routing_text: str) -> tuple[HubProcess, dict[str, float]]:
    """A started hub over ``articles`` generated articles, configured by
    ``routing_text``, and how long its starts took: the first seeds the demo and
    stores the embeddings, the second (the figure) is a restart, spawn → ready, with
    the index built and the model loaded."""
    db = tmp / "hub.sqlite3"
    kb_database(db, articles)
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
                 "start_s": round(time.monotonic() - started, 1)}


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)
