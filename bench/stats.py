"""Small statistics helpers for benchmark samples."""

from __future__ import annotations

import math
import statistics


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def summary(samples: list[float], unit: str) -> dict[str, float | int | str]:
    return {
        "unit": unit,
        "n": len(samples),
        "median": round(statistics.median(samples), 3),
        "p95": round(percentile(samples, 95), 3),
        "p99": round(percentile(samples, 99), 3),
        "min": round(min(samples), 3),
        "max": round(max(samples), 3),
    }
