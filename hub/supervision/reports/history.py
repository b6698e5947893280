"""Historical reports for any date range: the figures per UTC day or hour, queue,
channel or agent, as one table (the CSV export and the supervisor workspace's
``report_history`` read).

Columns: conversations created in the group, then the wallboard's figures (from
the service-level source, the same metric code as the live wallboard) when the
hub has them, then CSAT and NPS with the formulas of ``hub.feedback.figures``.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store import schema as t
from hub.supervision.reports.csat_nps import Grouping, feedback_by, group_key
from hub.supervision.reports.sections import FigureTable, ServiceLevels

FEEDBACK_COLUMNS = ("csat_ratings", "csat_average", "satisfied_pct", "nps_answers", "nps")
MAX_RANGE_MS = 3 * 366 * 86_400_000  # three years


class HistoryError(ValueError):
    """A range the history cannot be made for (its message says why)."""


def check_range(since_ms: int, until_ms: int) -> None:
    if until_ms <= since_ms:
        raise HistoryError("the end of the range must be after its start")
    if until_ms - since_ms > MAX_RANGE_MS:
        raise HistoryError("a history covers at most three years")


def conversations_by(engine: Engine, since_ms: int, until_ms: int, grouping: Grouping
                     ) -> Counter[str]:
    c = t.conversations.c
    counts: Counter[str] = Counter()
    with engine.connect() as conn:
        for row in conn.execute(sa.select(c.created_at, c.queue_id, c.channel, c.agent_id)
                                .where(c.created_at >= since_ms, c.created_at < until_ms)):
            counts[group_key(grouping, *row)] += 1
    return counts


def history(engine: Engine, since_ms: int, until_ms: int, grouping: Grouping,
            service_levels: ServiceLevels | None = None) -> FigureTable:
    check_range(since_ms, until_ms)
    created = conversations_by(engine, since_ms, until_ms, grouping)
    feedback = {row.key: row for row in feedback_by(engine, since_ms, until_ms, grouping)}
    levels = (service_levels.table(since_ms, until_ms, grouping)
              if service_levels is not None else None)
    level_rows = dict(levels.rows) if levels is not None else {}
    level_columns = levels.columns if levels is not None else ()
    keys = sorted({*created, *feedback, *level_rows})
    rows = []
    for key in keys:
        fb = feedback.get(key)
        values: tuple[float | int | None, ...] = (created.get(key, 0),)
        values += level_rows.get(key, (None,) * len(level_columns))
        values += ((fb.csat.ratings, fb.csat.average, fb.csat.satisfied_pct, fb.nps.answers,
                    fb.nps.nps) if fb is not None else (0, None, None, 0, None))
        rows.append((key, values))
    return FigureTable(("conversations", *level_columns, *FEEDBACK_COLUMNS), rows)


def write_history_csv(table: FigureTable, grouping: Grouping, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([grouping.value, *table.columns])
        for key, values in table.rows:
            writer.writerow([key, *("" if v is None else v for v in values)])
