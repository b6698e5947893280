"""`zuoxi-hub qa rescore`: score a period's conversations again after a rule change.

Dates are days (``2026-03-01``) or times (``2026-03-01T09:00``) in the center's
time zone (routing.toml ``[business_hours] timezone``) unless they carry an
offset; ``--to`` with a day means the end of that day. Progress goes to stderr,
the summary to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import zoneinfo
from pathlib import Path
from typing import Any, TextIO


def add_parser(sub: Any) -> None:
    qa = sub.add_parser("qa", help="quality inspection tools")
    qa_sub = qa.add_subparsers(dest="qa_command", required=True)
    rescore = qa_sub.add_parser(
        "rescore", help="score the conversations closed in a period again (after a rule change)")
    rescore.add_argument("--db", required=True, help="SQLite file or postgresql:// URL")
    rescore.add_argument("--from", dest="start", required=True, metavar="WHEN",
                         help="first day (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM)")
    rescore.add_argument("--to", dest="end", required=True, metavar="WHEN",
                         help="last day (inclusive) or time (exclusive)")
    rescore.add_argument("--rules", metavar="FILE",
                         help="quality rules file (default: the hub's quality_rules.toml)")
    rescore.add_argument("--routing-config", metavar="FILE",
                         help="routing file with the service levels (default: hub/routing.toml)")


def parse_when(value: str, zone: dt.tzinfo, end: bool) -> int:
    """``value`` as ms since the epoch; a day as its start (or, for ``end``, the next
    day's start). ``ValueError`` says what is wrong."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(),
                                         zone)
        else:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
    except ValueError:
        raise ValueError(f"not a date or time: {value!r} (use YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM)") from None
    return int(moment.timestamp() * 1000)


def _progress(out: TextIO) -> Any:
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 0.5:
            last[0] = now
            out.write(f"rescored {done}/{total}\n")
            out.flush()

    return show


def run(args: argparse.Namespace) -> int:
    from hub.routing import config as routing_config
    from hub.store.base import create_engine
    from hub.store.database import Database
    from hub.store.schema import current_version, migrate
    from hub.supervision.quality import rules as quality_rules
    from hub.supervision.quality.scoring import scorer_for

    def fail(message: str) -> int:
        print(f"zuoxi-hub: {message}", file=sys.stderr)
        return 2

    try:
        rules = quality_rules.load(args.rules)
    except quality_rules.QualityRulesError as exc:
        return fail(str(exc))
    routing = routing_config.load(args.routing_config)
    zone: dt.tzinfo = routing.hours.timezone or zoneinfo.ZoneInfo("UTC")
    try:
        start = parse_when(args.start, zone, end=False)
        stop = parse_when(args.end, zone, end=True)
    except ValueError as exc:
        return fail(str(exc))
    if stop <= start:
        return fail(f"--to ({args.end}) must come after --from ({args.start})")
    if "://" not in args.db and not Path(args.db).expanduser().is_file():
        return fail(f"no hub database at {args.db}")
    engine = create_engine(os.path.expanduser(args.db))
    with engine.connect() as conn:
        version = current_version(conn)
    if version == 0:
        return fail(f"{args.db} is not a hub database (no schema): nothing to rescore")
    migrate(engine)  # a database from before quality inspection gets its tables
    scorer = scorer_for(Database(engine), routing, rules)
    done = scorer.rescore(start, stop, _progress(sys.stderr))
    print(f"rescored {done} conversation(s) closed from {args.start} to {args.end} "
          f"with rules {rules.version} ({rules.source})")
    return 0
