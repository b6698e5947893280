"""Prometheus' text exposition format (version 0.0.4), written by hand.

Counters, gauges and histograms with labels, rendered as the format says: a
``# HELP`` and ``# TYPE`` line per family, then one line per series; histograms as
cumulative ``_bucket`` lines with ``le``, plus ``_sum`` and ``_count``. No
dependency and no process-wide registry: each hub owns its families, and every
series carries the hub process's own labels (``process``). Thread: the event
loop's (values are set and read there).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

Labels = tuple[tuple[str, str], ...]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{escape_label(v)}"' for k, v in labels) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Family:
    """One metric name with its series, each keyed by its label values."""

    kind = "untyped"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = ()) -> None:
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)

    def _key(self, values: Sequence[str]) -> Labels:
        if len(values) != len(self.label_names):
            raise ValueError(f"{self.name}: labels {self.label_names}, got {tuple(values)}")
        return tuple(zip(self.label_names, values, strict=True))

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {_help(self.help)}", f"# TYPE {self.name} {self.kind}"]

    def lines(self, const: Labels) -> list[str]:
        raise NotImplementedError


class Counter(Family):
    kind = "counter"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = ()) -> None:
        if not name.endswith("_total"):
            raise ValueError(f"a counter's name ends in _total: {name}")
        super().__init__(name, help_text, label_names)
        self._values: dict[Labels, float] = {}
        if not self.label_names:
            self._values[()] = 0.0  # a counter without labels is shown from zero

    def inc(self, amount: float = 1.0, *values: str) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(values)
        self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, *values: str) -> float:
        return self._values.get(self._key(values), 0.0)

    def lines(self, const: Labels) -> list[str]:
        return [f"{self.name}{_labels(const + k)} {_number(v)}" for k, v in self._values.items()]


class Gauge(Family):
    """A value read when the metrics are asked for (``set`` by the collector)."""

    kind = "gauge"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, label_names)
        self._values: dict[Labels, float] = {}

    def set(self, value: float, *values: str) -> None:
        self._values[self._key(values)] = float(value)

    def replace(self, values: Iterable[tuple[Sequence[str], float]]) -> None:
        """All series at once: those not given are gone (a queue removed, say)."""
        self._values = {self._key(v): float(x) for v, x in values}

    def lines(self, const: Labels) -> list[str]:
        return [f"{self.name}{_labels(const + k)} {_number(v)}" for k, v in self._values.items()]


class Histogram(Family):
    kind = "histogram"

    def __init__(
        self, name: str, help_text: str, buckets: Sequence[float],
        label_names: Sequence[str] = (),
    ) -> None:
        super().__init__(name, help_text, label_names)
        if list(buckets) != sorted(set(buckets)) or not buckets:
            raise ValueError(f"{name}: buckets must be increasing and not empty")
        self.bounds = [float(b) for b in buckets]
        # Per series: counts per bucket (not cumulative; the last is +Inf), sum.
        self._series: dict[Labels, tuple[list[int], list[float]]] = {}

    def observe(self, value: float, *values: str) -> None:
        counts, total = self._series.setdefault(
            self._key(values), ([0] * (len(self.bounds) + 1), [0.0]))
        counts[bisect.bisect_left(self.bounds, value)] += 1
        total[0] += value

    def count(self, *values: str) -> int:
        found = self._series.get(self._key(values))
        return sum(found[0]) if found else 0

    def lines(self, const: Labels) -> list[str]:
        out = []
        for key, (counts, total) in self._series.items():
            running = 0
            for bound, n in zip([*self.bounds, math.inf], counts, strict=True):
                running += n
                labels = _labels(const + key + (("le", _number(bound)),))
                out.append(f"{self.name}_bucket{labels} {running}")
            out.append(f"{self.name}_sum{_labels(const + key)} {_number(total[0])}")
            out.append(f"{self.name}_count{_labels(const + key)} {running}")
        return out


def render(families: Iterable[Family], const: Labels = ()) -> str:
    """The exposition text of ``families``, each series with the ``const`` labels."""
    out: list[str] = []
    for family in families:
        out += family.header()
        out += family.lines(const)
    return "\n".join(out) + "\n"
