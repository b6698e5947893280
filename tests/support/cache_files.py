"""Cache files in tests, plain or encrypted: ``ZUOXI_TEST_CACHE=encrypted`` runs every
cache file a test opens without a key under SQLCipher with a key of its own (one per
path), and ``connect`` opens such a file the way the test's cache did."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from core.cache import cipher
from core.cache.cipher import CacheKey

MODES = ("plain", "encrypted")

_keys: dict[Path, CacheKey] = {}


def mode() -> str:
    chosen = os.environ.get("ZUOXI_TEST_CACHE", "plain")
    if chosen not in MODES:
        raise ValueError(f"ZUOXI_TEST_CACHE: {chosen!r} is not one of {MODES}")
    return chosen


def test_key(path: str | Path) -> CacheKey | None:
    """The key a keyless cache at ``path`` gets in this run (None: plain)."""
    if mode() != "encrypted" or str(path) == ":memory:":
        return None
    return _keys.setdefault(Path(path).resolve(), CacheKey.generate())


def forget() -> None:
    _keys.clear()


def connect(path: Path) -> Any:
    """A connection to a test's cache file, keyed when the run encrypts caches and
    the file is not plain."""
    key = None if cipher.is_plain(path) else _keys.get(path.resolve())
    return cipher.connect(path, key)
