"""The text exposition format: families, labels, escaping, histogram buckets."""

from __future__ import annotations

import pytest

from hub.operations.exposition import Counter, Gauge, Histogram, render
from tests.support.metrics_text import series, value


def test_counter_and_gauge_lines_carry_the_process_label() -> None:
    events = Counter("zx_events_total", "Events.")
    events.inc(3)
    depth = Gauge("zx_depth", "Waiting.", ("queue",))
    depth.replace([(("chat",), 2), (("email",), 0)])
    text = render([events, depth], (("process", "hub-a"),))
    assert text.splitlines()[:3] == [
        "# HELP zx_events_total Events.", "# TYPE zx_events_total counter",
        'zx_events_total{process="hub-a"} 3']
    assert value(text, "zx_depth", queue="chat", process="hub-a") == 2
    assert value(text, "zx_depth", queue="email") == 0
    depth.replace([(("chat",), 1)])  # a queue removed: its series is gone
    assert [lab["queue"] for n, lab, _ in series(render([depth])) if n == "zx_depth"] == ["chat"]


def test_label_values_are_escaped() -> None:
    gauge = Gauge("zx_g", "A gauge.", ("name",))
    gauge.set(1.5, 'say "hi"\\\nbye')
    line = render([gauge]).splitlines()[-1]
    assert line == 'zx_g{name="say \\"hi\\"\\\\\\nbye"} 1.5'
    assert value(render([gauge]), "zx_g") == 1.5


def test_histogram_buckets_are_cumulative_with_sum_and_count() -> None:
    hist = Histogram("zx_latency_seconds", "Latency.", (0.1, 1.0), ("channel",))
    for seconds in (0.05, 0.1, 0.5, 3.0):
        hist.observe(seconds, "chat")
    text = render([hist])
    assert value(text, "zx_latency_seconds_bucket", channel="chat", le="0.1") == 2
    assert value(text, "zx_latency_seconds_bucket", channel="chat", le="1") == 3
    assert value(text, "zx_latency_seconds_bucket", channel="chat", le="+Inf") == 4
    assert value(text, "zx_latency_seconds_count", channel="chat") == 4
    assert value(text, "zx_latency_seconds_sum", channel="chat") == pytest.approx(3.65)


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError, match="_total"):
        Counter("zx_events", "no suffix")
    with pytest.raises(ValueError, match="only goes up"):
        Counter("zx_events_total", "x").inc(-1)
    with pytest.raises(ValueError, match="labels"):
        Gauge("zx_g", "x", ("queue",)).set(1)
    with pytest.raises(ValueError, match="increasing"):
        Histogram("zx_h", "x", (1.0, 0.5))
