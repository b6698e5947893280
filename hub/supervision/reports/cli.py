"""``zuoxi-hub report``: the weekly feedback report, historical figures as CSV, and
the retention job run by hand."""

from __future__ import annotations

import argparse
import calendar
import sys
import time
from pathlib import Path
from typing import Any

from hub.store import schema
from hub.store.base import create_engine
from hub.supervision.reports.csat_nps import Grouping
from hub.supervision.reports.history import HistoryError, history, write_history_csv

DAY_MS = 86_400_000


def day_ms(value: str) -> int:
    """``YYYY-MM-DD`` (UTC) as epoch milliseconds at the day's start."""
    try:
        return calendar.timegm(time.strptime(value, "%Y-%m-%d")) * 1000
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="weekly feedback report, historical figures")
    rsub = report.add_subparsers(dest="report_command", required=True)
    weekly = rsub.add_parser("weekly", help="HTML, PDF and CSV of a week's feedback")
    history_p = rsub.add_parser("history", help="figures per day, hour, queue, channel or "
                                "agent over a date range, as CSV")
    for p in (weekly, history_p):
        p.add_argument("--db", required=True, help="SQLite file or postgresql:// URL")
        p.add_argument("--from", dest="since", type=day_ms, required=True, metavar="YYYY-MM-DD",
                       help="first day (UTC)")
        p.add_argument("--to", dest="until", type=day_ms, required=True, metavar="YYYY-MM-DD",
                       help="last day (UTC), included")
    weekly.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    history_p.add_argument("--by", choices=[g.value for g in Grouping], default="day")
    history_p.add_argument("--out", required=True, metavar="FILE", help="the CSV file")


def _engine(db: str) -> Any:
    if "://" not in db and not Path(db).expanduser().exists():
        raise HistoryError(f"no database at {db}")
    engine = create_engine(db if "://" in db else str(Path(db).expanduser()))
    schema.migrate(engine)
    return engine


def run(args: argparse.Namespace) -> int:
    since, until = args.since, args.until + DAY_MS
    try:
        engine = _engine(args.db)
        if args.report_command == "weekly":
            from hub.supervision.reports.documents import write_all  # matplotlib: only here
            from hub.supervision.reports.weekly import build_weekly
            from hub.supervision.reports.wiring import quality_scores, service_levels

            if until <= since:
                raise HistoryError("--to must not be before --from")
            report = build_weekly(engine, since, until, service_levels(engine),
                                  quality_scores(engine))
            written = write_all(report, Path(args.out))
            print(f"wrote {len(written)} files to {args.out}")
            for path in written:
                print(f"  {path.name}")
            return 0
        from hub.supervision.reports.wiring import service_levels

        grouping = Grouping(args.by)
        table = history(engine, since, until, grouping, service_levels(engine))
        write_history_csv(table, grouping, Path(args.out))
        print(f"wrote {len(table.rows)} rows to {args.out}")
        return 0
    except HistoryError as exc:
        print(f"zuoxi-hub report: {exc}", file=sys.stderr)
        return 2
