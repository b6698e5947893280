"""A historical report on the desktop: the range asked for (UTC days, both
included, as the hub's CLI takes them) and its CSV export, in the same layout as
``zuoxi-hub report history`` writes (UTF-8 with a byte-order mark, so spreadsheet
programs read Chinese; an empty cell where a figure has no value)."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import os
from pathlib import Path

from core.protocol import reports as rp

DAY_MS = 86_400_000


class RangeError(ValueError):
    """A range the hub would refuse; ``reason`` says which rule it breaks."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "end_before_start" or "too_long"


def day_range_ms(first: dt.date, last: dt.date) -> tuple[int, int]:
    """``[first 00:00 UTC, the day after last 00:00 UTC)`` in ms; checked as the hub
    checks it (the end after the start, at most ``MAX_HISTORY_DAYS`` days)."""
    if last < first:
        raise RangeError("end_before_start")
    if (last - first).days + 1 > rp.MAX_HISTORY_DAYS:
        raise RangeError("too_long")
    since = calendar.timegm(first.timetuple()) * 1000
    return since, calendar.timegm(last.timetuple()) * 1000 + DAY_MS


def write_csv(report: rp.HistoryReport, path: Path) -> None:
    """Write the table (replaced whole: a failed write leaves the old file)."""
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([report.by.value, *report.columns])
        for row in report.rows:
            writer.writerow([row.key, *("" if v is None else v for v in row.values)])
    os.replace(partial, path)
