"""Shared pieces of the fuzzing harnesses (tests/fuzz).

Each harness runs its hypothesis test again and again for ``ZUOXI_FUZZ_SECONDS``
(2 s by default, so ``./dev test`` stays quick; set it higher to fuzz for long).
Every example has a deadline: a decoder that takes seconds on one input fails.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

DEFAULT_SECONDS = 2.0
# Per example. Generous for a shared, loaded machine; a hang is caught all the same.
DEADLINE = dt.timedelta(seconds=3)

# Settings for each round of a harness: no example database in the tree, random
# each round, the per-example deadline above.
ROUND = settings(
    max_examples=60, deadline=DEADLINE, database=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


def budget_s() -> float:
    try:
        return max(0.0, float(os.environ.get("ZUOXI_FUZZ_SECONDS", DEFAULT_SECONDS)))
    except ValueError:
        return DEFAULT_SECONDS


def for_a_while(round_: Callable[[], None]) -> int:
    """Run a ``@given`` test in rounds until the budget is spent (at least once);
    returns how many rounds ran."""
    end = time.monotonic() + budget_s()
    rounds = 0
    while True:
        round_()
        rounds += 1
        if time.monotonic() >= end:
            return rounds


# ---- values ------------------------------------------------------------------------

json_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                | st.text(max_size=40))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=5),
    max_leaves=20,
)
toml_scalars = (st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
                | st.floats() | st.text(max_size=30))
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            out += _paths(value, (*prefix, n))
    return out


@st.composite
def mutated(draw: st.DrawFn, base: Any, values: st.SearchStrategy[Any] = toml_values,
            keys: st.SearchStrategy[str] | None = None) -> Any:
    """``base`` (a structure of dicts and lists) with a few random changes: a value
    replaced, a key removed, an unknown key added, a list entry duplicated."""
    data = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        how = draw(st.sampled_from(["replace", "remove", "add", "repeat"]))
        if how == "replace":
            parent[last] = draw(values)
        elif how == "remove":
            del parent[last]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(keys if keys is not None else st.text(max_size=10))] = draw(values)
        elif how == "repeat" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[last])))
    return data


# ---- a small TOML writer (inline tables are enough for any structure) ----------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\\/", "/")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def _toml_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def to_toml(data: dict[str, Any]) -> str:
    """TOML text for ``data``: top-level keys, everything below as inline values."""
    return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in data.items())
