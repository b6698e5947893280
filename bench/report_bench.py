"""The weekly feedback report over a generated week of 100,000 conversations (and
as many the week before, for the trends), on SQLite.

The week comes from ``hub.supervision.reports.demo_week`` (complaint themes, noise,
ratings, NPS, sentiment records, escalations, the bot's unanswered questions, the
contact log); every conversation is scored by quality inspection first, as the
hub would have. Then a fresh Python process makes the report, as the hub's
scheduler or ``zuoxi-hub report weekly`` does: build it and write the HTML, the
PDF and the CSVs. Measured: that process's wall time for the report (its start
and imports apart) and its peak resident memory.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WEEK_MS = 7 * 86_400_000
WEEK = 2900 * WEEK_MS  # 2025-07-31 00:00 UTC


def prepare(db: Path, conversations: int) -> dict[str, Any]:
    from hub.routing import config as routing_config
    from hub.store import schema
    from hub.store.base import create_engine
    from hub.store.database import Database
    from hub.supervision.quality import rules as quality_rules
    from hub.supervision.quality.scoring import scorer_for
    from hub.supervision.reports.demo_week import generate

    engine = create_engine(db)
    schema.migrate(engine)
    started = time.perf_counter()
    generated = generate(engine, WEEK, conversations, seed=7)
    generated_s = time.perf_counter() - started
    started = time.perf_counter()
    scored = scorer_for(Database(engine), routing_config.load(),
                        quality_rules.load()).score_pending()
    scored_s = time.perf_counter() - started
    engine.dispose()
    return {"conversations": generated.conversations, "complaints": generated.complaints,
            "generate_s": round(generated_s, 1), "qa_scored": scored,
            "qa_scoring_s": round(scored_s, 1)}


def report_once(db: Path, out: Path) -> dict[str, Any]:
    """In this process: the weekly report of the generated week, timed."""
    started = time.perf_counter()
    from hub.store.base import create_engine
    from hub.supervision.reports.documents import write_all
    from hub.supervision.reports.weekly import build_weekly
    from hub.supervision.reports.wiring import quality_scores, service_levels

    imported = time.perf_counter()
    engine = create_engine(db)
    report = build_weekly(engine, WEEK, WEEK + WEEK_MS, service_levels(engine),
                          quality_scores(engine))
    built = time.perf_counter()
    written = write_all(report, out)
    done = time.perf_counter()
    return {
        "report_s": round(done - imported, 2),
        "build_s": round(built - imported, 2),
        "write_s": round(done - built, 2),
        "imports_s": round(imported - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "files": len(written),
        "top_topics": [t.label for t in report.topics.topics[:5]],
        "negative_conversations": report.topics.conversations,
    }


def run_report_benchmark(conversations: int = 100_000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-report-") as tmp:
        db = Path(tmp) / "hub.sqlite3"
        figures = prepare(db, conversations)
        proc = subprocess.run(
            [sys.executable, "-m", "bench.report_bench", "--once", str(db), str(Path(tmp) / "out")],
            capture_output=True, text=True, check=True)
        figures.update(json.loads(proc.stdout.strip().splitlines()[-1]))
        figures["target_s"] = 60
        return figures


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--once":
        print(json.dumps(report_once(Path(sys.argv[2]), Path(sys.argv[3])), ensure_ascii=False))
        return 0
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(run_report_benchmark(count), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
