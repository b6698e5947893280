"""The weekly reports a hub has made, for the supervisor workspace: which weeks
(from ``report_runs`` and the files in each week's folder), a week made on a
supervisor's request, and the path of a file the HTTP endpoint may serve.

A request is claimed in ``report_runs`` as job ``weekly_request`` (the scheduled
run is ``weekly``), so a request never takes the place of the scheduled run and its
mail; two supervisors asking for the same week at once make it once. Thread: any
(the callers run it on a worker thread).
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.protocol import reports as rp
from hub.store import schema as t
from hub.supervision.reports.scheduler import WEEK_MS, week_folder, week_start

JOBS = ("weekly", "weekly_request")
REQUEST_JOB = "weekly_request"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class WeeklyRequestError(ValueError):
    """A week that cannot be made now; ``code`` is the protocol's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class _Run:
    job: str
    period: int
    finished_at: int | None
    outcome: str | None


class WeeklyRuns:
    def __init__(self, engine: Engine, out_dir: Path, write_week: Callable[[int], object],
                 clock: Callable[[], int] | None = None) -> None:
        self.engine = engine
        self.out_dir = out_dir
        self._write_week = write_week
        self.clock = clock or (lambda: int(time.time() * 1000))

    # ---- what there is -----------------------------------------------------------------

    def files(self, week_ms: int) -> list[str]:
        folder = week_folder(self.out_dir, week_ms)
        return [name for name in rp.WEEKLY_FILES if (folder / name).is_file()]

    def reports(self, limit: int = 52) -> list[rp.WeeklyReportInfo]:
        c = t.report_runs.c
        with self.engine.connect() as conn:
            rows = [_Run(*r) for r in conn.execute(
                sa.select(c.job, c.period, c.finished_at, c.outcome)
                .where(c.job.in_(JOBS)).order_by(c.period.desc()))]
        by_week: dict[int, list[_Run]] = {}
        for run in rows:
            if len(by_week) >= limit and run.period not in by_week:
                break
            by_week.setdefault(run.period, []).append(run)
        out = []
        for week, runs in by_week.items():
            files = self.files(week)
            done = [r.finished_at for r in runs if r.finished_at is not None
                    and not (r.outcome or "").startswith("failed")]
            if any(r.finished_at is None for r in runs):
                state = rp.WeeklyReportState.MAKING
            elif files:
                state = rp.WeeklyReportState.READY
            else:
                state = rp.WeeklyReportState.FAILED
            out.append(rp.WeeklyReportInfo(week_ms=week, state=state,
                                           made_at=max(done) if done else None, files=files))
        return out

    def path(self, week: str, name: str) -> Path | None:
        """The file ``name`` of the week whose Monday is ``week`` (YYYY-MM-DD), if the
        hub made it; None for anything else (no path is built from other input)."""
        if name not in rp.WEEKLY_FILES or not _DATE.fullmatch(week):
            return None
        week_ms = _utc_midnight(week)
        if week_ms is None or week_start(week_ms) != week_ms:
            return None
        path = week_folder(self.out_dir, week_ms) / name
        return path if path.is_file() else None

    # ---- made on request ---------------------------------------------------------------

    def check(self, week_ms: int) -> None:
        if week_start(week_ms) != week_ms:
            raise WeeklyRequestError("invalid", "a week starts on a Monday at 00:00 UTC")
        if week_ms + WEEK_MS > self.clock():
            raise WeeklyRequestError("invalid", "that week has not ended yet")

    def claim(self, week_ms: int) -> None:
        """Claim the week's request row, or WeeklyRequestError(conflict) when another
        request for it is running."""
        c = t.report_runs.c
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                conn.execute(t.report_runs.insert().values(job=REQUEST_JOB, period=week_ms,
                                                           started_at=now))
            return
        except sa.exc.IntegrityError:
            pass
        with self.engine.begin() as conn:  # made before: make it again, unless running
            taken = conn.execute(t.report_runs.update().where(
                c.job == REQUEST_JOB, c.period == week_ms, c.finished_at.is_not(None))
                .values(started_at=now, finished_at=None, outcome=None)).rowcount
        if not taken:
            raise WeeklyRequestError("conflict", "that week's report is being made now")

    def make(self, week_ms: int) -> None:
        """Make the week's report (seconds: on a worker thread); the run is recorded."""
        self.check(week_ms)
        self.claim(week_ms)
        outcome = f"written to {week_folder(self.out_dir, week_ms)}"
        try:
            self._write_week(week_ms)
        except Exception as exc:
            outcome = f"failed: {exc}"
            raise
        finally:
            c = t.report_runs.c
            with self.engine.begin() as conn:
                conn.execute(t.report_runs.update().where(
                    c.job == REQUEST_JOB, c.period == week_ms)
                    .values(finished_at=self.clock(), outcome=outcome[:2000]))


def _utc_midnight(day: str) -> int | None:
    try:
        return calendar.timegm(time.strptime(day, "%Y-%m-%d")) * 1000
    except ValueError:
        return None
