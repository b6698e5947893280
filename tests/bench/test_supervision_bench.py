"""The supervision benchmark's figures part runs on a small day (the live part, a hub
process and the workspace, runs under `./dev bench --only supervision`)."""

from __future__ import annotations

from bench.supervision_bench import run_metrics


def test_metrics_part_on_a_small_day() -> None:
    result = run_metrics(steps=3, reference_steps=1, agents=40, waiting=200, finished=1200)
    assert result["agents"] == 40 and result["waiting"] >= 190  # a few answered by the run
    assert result["recompute_ms"]["n"] == 3 and result["from_all_rows_ms"]["n"] == 1
    # the incremental recomputation does less than recomputing from every row
    assert result["recompute_ms"]["median"] < result["from_all_rows_ms"]["median"]
