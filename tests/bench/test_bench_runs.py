"""The bench command itself works end to end (numbers are judged in the README, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cli import SUITES
from bench.stats import percentile, summary

# Not run here: the supervisor's suite has its own test (test_supervision_bench.py); the
# multi-process scale-out suites each start a PostgreSQL cluster and several hub processes.
NOT_SMOKED = {"supervision", "scaleout", "scaleout_throughput", "scaleout_connections", "xframes",
              "telephony"}

ROOT = Path(__file__).resolve().parents[2]


def test_percentile_nearest_rank() -> None:
    samples = [float(x) for x in range(1, 101)]
    assert percentile(samples, 50) == 50.0
    assert percentile(samples, 95) == 95.0
    assert percentile(samples, 100) == 100.0
    assert percentile([3.0], 99) == 3.0
    s = summary([1.0, 2.0, 3.0, 10.0], "ms")
    assert s["median"] == 2.5 and s["max"] == 10.0 and s["n"] == 4


@pytest.mark.timeout(1020)  # the suites, small loads (about 7 min on 2 busy cores)
def test_bench_command_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--runs", "1", "--messages", "3",
         "--profile-customers", "2000", "--email-mails", "50", "--routing-seconds", "2",
         "--call-seconds", "4", "--call-impair-seconds", "5", "--kb-articles", "100",
         "--qa-conversations", "300", "--report-conversations", "300",
         # every suite but NOT_SMOKED
         *(arg for suite in sorted(set(SUITES) - NOT_SMOKED) for arg in ("--only", suite)),
         "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=960,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text())
    results = data["results"]
    assert results["hub_latency"]["n"] == 3
    desktop = results["desktop"]
    for key in ("desktop_cold_start_ms", "desktop_idle_rss_mb", "chat_to_screen_ms"):
        assert desktop[key]["n"] >= 1 and desktop[key]["median"] > 0
    assert desktop["chat_to_screen_ms"]["n"] == 3
    imap = results["email"]["imap_import"]
    assert imap["mails"] == 50 and imap["messages_per_s"] > 0
    calls = results["calls"]
    if "skipped" not in calls:  # needs root for its network namespace
        assert calls["pipeline_one_way_ms"]["median"] > 0
        assert calls["answer_to_two_way_audio_ms"]["n"] == 5
    routing = results["routing"]
    assert routing["decision_ms"]["n"] > 1000 and routing["agents"] == 500
    assert routing["sustained"]["conversations"] == 100
    assert routing["sustained"]["offered"] == 100  # every chat was offered and accepted
    assist = results["assist"]
    assert assist["classification"]["holdout"]["classifier"]["n"] > 0
    assert "retrieval" in assist
    assert assist["kb_window"]["open_ms"]["n"] == 3  # the window's rows, a smoke run
    assert assist["kb_window"]["search_keystroke_ms"]["n"] > 0
    quality = results["quality"]
    assert quality["conversations"] == 300 and quality["store_per_s"] > 0
    reports = results["reports"]
    assert reports["conversations"] == 300 and reports["report_s"] > 0
    assert not NOT_SMOKED & set(results)


def test_bench_rejects_bad_flags() -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "--runs", "0"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--runs" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "bench", "--routing-seconds", "0"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--routing-seconds" in proc.stderr
