"""What encrypting the desktop's cache at rest (SQLCipher) costs, side by side with the
plain cache in one run, on the same data:

- open: ``Cache(path, key)`` of an existing cache, as the desktop does before its
  first paint (the large cache of profile_client and a small one), alternating
  plain and encrypted; and in a fresh process, importing the SQLCipher binding and
  the keyring (the embedded demo's start now asks the keyring for the cache's key);
- first start after the upgrade: a plain large cache encrypted in place;
- screen pop and search: profile_client's measurements over its large cache
  (100,000 customers, 1,000,000 messages), once plain, once encrypted;
- event apply: sync's apply rate (100,000 events, sliced as the sync client does).

``python -m bench --only cache_cipher``; ``--runs 1`` is a smoke run at 2 % size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.profile_client_bench import build_cache, measure_screen_pop, measure_search
from bench.stats import summary
from bench.sync_bench import _apply_rate
from core.cache.cache import Cache
from core.cache.cipher import CacheKey, encrypt_plain
from hub.process import PACKAGE_ROOT

IMPORT_SCRIPT = """
import time
t = time.perf_counter()
import {module}
{then}
print((time.perf_counter() - t) * 1000)
"""


def _fresh_process_ms(module: str, then: str = "", runs: int = 5) -> dict[str, Any]:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT.format(module=module,
                                                                         then=then)],
                             cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=120,
                             check=True)
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return summary(samples, "ms")


def _open_ms(plain: Path, encrypted: Path, key: CacheKey, runs: int) -> dict[str, Any]:
    """Open and close each, alternating; the files stay in the page cache (a warm start)."""
    samples: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for _ in range(runs):
        for name, path, k in (("plain", plain, None), ("encrypted", encrypted, key)):
            t = time.perf_counter()
            cache = Cache(path, k)
            samples[name].append((time.perf_counter() - t) * 1000)
            cache.close()
    return {name: summary(values, "ms") for name, values in samples.items()}


def run_cache_cipher_benchmarks(runs: int) -> dict[str, Any]:
    full = runs >= 2
    customers, messages = (100_000, 1_000_000) if full else (2_000, 20_000)
    key = CacheKey.generate()
    result: dict[str, Any] = {"load_average_1min_at_start": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="zuoxi-cipher-") as tmp:
        plain = Path(tmp) / "plain.sqlite3"
        result["cache"] = build_cache(plain, customers, messages)
        encrypted = Path(tmp) / "encrypted.sqlite3"
        shutil.copy(plain, encrypted)
        size_mb = encrypted.stat().st_size / 1e6
        t = time.perf_counter()
        encrypt_plain(encrypted, key)
        seconds = time.perf_counter() - t
        result["first_start_encrypt"] = {"file_mb": round(size_mb, 1),
                                         "seconds": round(seconds, 2),
                                         "mb_per_s": round(size_mb / seconds, 1)}
        result["open_large_ms"] = _open_ms(plain, encrypted, key, runs=15 if full else 3)
        # A new agent's cache: the schema and nothing else.
        small_plain = Path(tmp) / "small-p.sqlite3"
        small_encrypted = Path(tmp) / "small-e.sqlite3"
        Cache(small_plain).close()
        Cache(small_encrypted, key).close()
        result["open_small_ms"] = _open_ms(small_plain, small_encrypted, key,
                                           runs=15 if full else 3)
        rounds, pops = (3, 200) if full else (1, 20)
        result["search_ms"] = {
            "plain": measure_search(plain, rounds)["search_ms"],
            "encrypted": measure_search(encrypted, rounds, key)["search_ms"],
        }
        result["screen_pop_ms"] = {
            "plain": measure_screen_pop(plain, pops)["screen_pop_ms"],
            "encrypted": measure_screen_pop(encrypted, pops, key)["screen_pop_ms"],
        }
        result["file_mb"] = {"plain": round(plain.stat().st_size / 1e6, 1),
                             "encrypted": round(encrypted.stat().st_size / 1e6, 1)}
    events = 100_000 if full else 10_000
    # encrypted first, then plain: the order of the screen pop and search reversed
    apply_encrypted = _apply_rate(events, key=CacheKey.generate())
    apply_plain = _apply_rate(events)
    result["apply"] = {"plain": apply_plain, "encrypted": apply_encrypted}
    result["fresh_process_import_ms"] = {
        "sqlcipher3": _fresh_process_ms("sqlcipher3", runs=5 if full else 2),
        "keyring_with_backend_detection": _fresh_process_ms(
            "keyring", "keyring.get_keyring()", runs=5 if full else 2),
    }
    result["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    return result
