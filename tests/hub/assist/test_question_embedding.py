"""A customer's question is embedded once, as early as possible: the hub starts the
embedding when the message arrives (before it is stored), and the suggestion search
that follows — and any other caller asking about the same text meanwhile — waits
for that one computation instead of running the model again."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hub.assist.kb_import import import_folder
from hub.assist.kb_store import KnowledgeBaseStore
from hub.assist.knowledge_base import KnowledgeBase
from hub.assist.retrieval_embedder import E5Embedder, shared_embedder
from hub.assist.suggestions import SuggestionService
from hub.store import schema
from hub.store.base import create_engine

DEMO_KB = Path(__file__).resolve().parents[3] / "hub" / "assist" / "demo_kb"


class GatedModel:
    """The real model behind a gate: each query call is counted and waits for the
    test to open the gate."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.calls: list[str] = []
        self.entered = threading.Event()
        self.gate = threading.Event()

    def query(self, text: str) -> Any:
        self.calls.append(text)
        self.entered.set()
        assert self.gate.wait(30)
        return self.model.query(text)

    def passage(self, texts: list[str]) -> Any:
        return self.model.passage(texts)


class WatchedFuture(Future[np.ndarray]):
    """Says when a second caller started waiting for the running embedding."""

    def __init__(self, inner: Future[np.ndarray], waiting: threading.Event) -> None:
        super().__init__()
        self.inner = inner
        self.waiting = waiting

    def result(self, timeout: float | None = None) -> np.ndarray:
        self.waiting.set()
        return self.inner.result(timeout)


def gated_embedder() -> tuple[E5Embedder, GatedModel]:
    real = shared_embedder()
    real.query("warm up")  # loads the model once for the process
    embedder = E5Embedder(cache=None)
    gated = GatedModel(real._get())
    embedder._model = gated
    return embedder, gated


def test_a_question_being_embedded_is_not_embedded_again_by_a_second_caller() -> None:
    embedder, model = gated_embedder()
    results: dict[str, np.ndarray] = {}
    first = threading.Thread(target=lambda: results.update(a=embedder.query("退货怎么申请")))
    first.start()
    assert model.entered.wait(30)
    waiting = threading.Event()
    running = embedder._running["退货怎么申请"]
    embedder._running["退货怎么申请"] = WatchedFuture(running, waiting)
    second = threading.Thread(target=lambda: results.update(b=embedder.query("退货怎么申请")))
    second.start()
    assert waiting.wait(30)  # the second caller waits for the first one's result
    model.gate.set()
    first.join(30)
    second.join(30)
    assert model.calls == ["退货怎么申请"]
    assert results["a"] is results["b"]
    assert embedder._running == {}
    # and later callers get the remembered vector
    assert embedder.query("退货怎么申请") is results["a"]
    assert model.calls == ["退货怎么申请"]


def test_a_failed_embedding_fails_every_waiting_caller_and_is_not_remembered() -> None:
    embedder = E5Embedder(cache=None)

    class Broken:
        def query(self, text: str) -> Any:
            raise RuntimeError("engine failed")

    embedder._model = Broken()
    with pytest.raises(RuntimeError, match="engine failed"):
        embedder.query("hello")
    assert embedder._running == {}
    embedder._model = GatedModel(shared_embedder()._get())
    embedder._model.gate.set()
    assert embedder.query("hello").shape == (384,)


@pytest.fixture(scope="module")
def demo_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBaseStore:
    engine = create_engine(tmp_path_factory.mktemp("kb") / "hub.sqlite3")
    schema.migrate(engine)
    store = KnowledgeBaseStore(engine)
    import_folder(store, DEMO_KB, "test")
    return store


def test_a_prefetched_question_is_searched_with_the_same_vector(
        demo_kb: KnowledgeBaseStore) -> None:
    embedder, model = gated_embedder()
    kb = KnowledgeBase(demo_kb, embedder)
    kb.prefetch("发票怎么开")  # before the index exists: nothing to do
    assert model.calls == []
    model.gate.set()
    kb.refresh()  # (embeds the fixed small-talk questions)
    model.calls.clear()
    model.entered.clear()
    kb.prefetch("发票怎么开")
    assert model.entered.wait(30)
    hits = kb.suggest("发票怎么开")
    assert "en-invoice-request" in [h.id for h in hits]
    assert model.calls == ["发票怎么开"]  # embedded once, for both


def test_an_empty_knowledge_base_embeds_nothing(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "hub.sqlite3")
    schema.migrate(engine)
    embedder, model = gated_embedder()
    kb = KnowledgeBase(KnowledgeBaseStore(engine), embedder)
    model.gate.set()
    kb.refresh()
    model.calls.clear()
    kb.prefetch("发票怎么开")
    assert model.calls == []
    engine.dispose()


def test_the_suggestion_service_starts_the_embedding_when_a_message_arrives() -> None:
    asked: list[str] = []
    service = SuggestionService(None, None, None, [], prefetch=asked.append)  # type: ignore[arg-type]
    service.message_arriving("  ")
    service.message_arriving("我的快递到哪了")
    assert asked == ["我的快递到哪了"]
    service.stop()
