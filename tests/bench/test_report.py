"""The README table names the run of every row and refuses figures of the old clock."""

from __future__ import annotations

from typing import Any

from bench.report import table


def _stat(median: float) -> dict[str, Any]:
    return {"unit": "ms", "n": 5, "median": median, "p95": median, "max": median}


def test_rows_name_their_run_and_old_clocks_are_not_shown() -> None:
    machine = {"cpus": 2, "python": "3.11.7"}
    data = {
        "when": "2026-12-07T05:00:00+00:00",
        "machine": machine,
        "results": {
            # measured before the paint probe: no "clock_stops"
            "desktop": {"desktop_cold_start_ms": _stat(600), "chat_to_screen_ms": _stat(7),
                        "when": "2026-11-22T13:53:03+00:00", "machine": machine},
            "hub_latency": {**_stat(4), "when": "2026-11-22T13:35:11+00:00"},
            "sync": {"cold_snapshot": {"inbox_complete_after_spawn_ms": _stat(2400),
                                       "clock_stops": "painted"},
                     "when": "2026-12-07T05:00:00+00:00", "machine": machine},
        },
    }
    text = table(data)
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()
            if line.startswith("| ")}
    assert "- run A: 2026-11-22T13:35:11+00:00, 2 cores, Python 3.11.7; suites: hub_latency" \
        in text
    assert "- run B: 2026-11-22T13:53:03+00:00" in text and "suites: desktop" in text
    assert "- run C: 2026-12-07T05:00:00+00:00" in text and "suites: sync" in text
    chat = next(v for k, v in rows.items() if k.startswith("customer message → its bubble"))
    assert "not run since the clock stops at the paint" in chat and chat.endswith("| B |")
    assert "met" not in chat
    cold = next(v for k, v in rows.items() if k.startswith("cold snapshot"))
    assert "median 2,400.0 ms" in cold and "| met | C |" in cold
    start = next(v for k, v in rows.items() if k.startswith("desktop cold start"))
    assert start.endswith("| met | B |")
    routing = next(v for k, v in rows.items() if k.startswith("routing decision"))
    assert "not run" in routing and routing.endswith("| — |")
