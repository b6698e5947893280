"""The hub's scheduled report work: the weekly feedback report (written to a folder
and mailed to a list) and the daily retention job.

Each job's period is claimed in ``report_runs`` before it runs (the row's key is
the job and the period's start), so with several hub processes on one database a
week's report is made and mailed once, and a hub that was down at the scheduled
time catches up when it starts. The work runs on a worker thread; the loop only
wakes every ``check_s`` seconds to look.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.email.config import EmailConfig
from hub.email.outbound import SmtpSubmitter, new_message_id
from hub.store import schema as t
from hub.supervision.reports import retention
from hub.supervision.reports.sections import QualityScores, ServiceLevels
from hub.supervision.reports.settings import ReportsSettings

if TYPE_CHECKING:
    from hub.supervision.reports.weekly import WeeklyReport

log = logging.getLogger(__name__)
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
WEEK_MS = 7 * DAY_MS
_MONDAY_OFFSET_MS = 4 * DAY_MS  # 1970-01-01 was a Thursday; 1970-01-05 a Monday


def week_folder(out_dir: Path, period: int) -> Path:
    """Where the report of the week starting ``period`` is written: ``<Monday>/``."""
    return out_dir / time.strftime("%Y-%m-%d", time.gmtime(period // 1000))


def week_start(ms: int) -> int:
    """Monday 00:00 UTC of the week holding ``ms``."""
    return ms - (ms - _MONDAY_OFFSET_MS) % WEEK_MS


def due(settings: ReportsSettings, now: int) -> list[tuple[str, int]]:
    """The (job, period start) that should have run by ``now``: the weekly report of
    the last full week once this week's scheduled time has passed (else of the week
    before), and today's retention once its hour has passed (else yesterday's)."""
    jobs = []
    if settings.weekly.enabled:
        this_week = week_start(now)
        at = this_week + settings.weekly.weekday * DAY_MS + settings.weekly.hour * HOUR_MS
        jobs.append(("weekly", this_week - WEEK_MS if now >= at else this_week - 2 * WEEK_MS))
    if any(settings.retention.days.values()):
        today = now - now % DAY_MS
        at = today + settings.retention.hour * HOUR_MS
        jobs.append(("retention", today if now >= at else today - DAY_MS))
    return jobs


@dataclass
class Mailer:
    """Mails the report through the hub's outgoing SMTP settings (hub/email)."""

    config: EmailConfig

    def send(self, to: tuple[str, ...], subject: str, text: str,
             files: list[Path]) -> None:
        if self.config.smtp is None:
            raise RuntimeError("the hub has no outgoing mail (SMTP) configured")
        msg = EmailMessage(policy=SMTP_POLICY)
        msg["From"] = email.utils.formataddr((self.config.display_name, self.config.mailbox))
        msg["To"] = ", ".join(to)
        msg["Subject"] = subject
        msg["Date"] = email.utils.formatdate(usegmt=True)
        msg["Message-ID"] = new_message_id(self.config.mailbox)
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(text, charset="utf-8")
        for path in files:
            subtype = {"pdf": "pdf", "html": "html"}.get(path.suffix[1:], "octet-stream")
            maintype = "text" if subtype == "html" else "application"
            if maintype == "text":
                msg.add_attachment(path.read_text(encoding="utf-8"), subtype=subtype,
                                   filename=path.name)
            else:
                msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype,
                                   filename=path.name)
        SmtpSubmitter(self.config.smtp).submit_blocking(msg.as_bytes(), self.config.mailbox,
                                                        list(to))


class ReportScheduler:
    def __init__(self, engine: Engine, settings: ReportsSettings, out_dir: Path,
                 service_levels: ServiceLevels | None, quality: QualityScores | None,
                 mailer: Mailer | None, clock: Callable[[], int] | None = None,
                 check_s: float = 300.0, first_check_s: float = 120.0) -> None:
        self.engine = engine
        self.settings = settings
        self.out_dir = Path(settings.weekly.out_dir) if settings.weekly.out_dir else out_dir
        self.service_levels = service_levels
        self.quality = quality
        self.mailer = mailer
        self.clock = clock or (lambda: int(time.time() * 1000))
        self.check_s = check_s
        self.first_check_s = first_check_s
        self._task: asyncio.Task[None] | None = None
        # Where call recordings are kept: retention deletes their files too.
        self.recordings_dir: Path | None = None

    def claim(self, job: str, period: int, now: int) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.execute(t.report_runs.insert().values(job=job, period=period,
                                                           started_at=now))
        except sa.exc.IntegrityError:
            return False  # done (or being done) already, here or by another process
        return True

    def _finish(self, job: str, period: int, outcome: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(t.report_runs.update().where(
                t.report_runs.c.job == job, t.report_runs.c.period == period)
                .values(finished_at=self.clock(), outcome=outcome[:2000]))

    def run_due(self) -> list[str]:
        """Run every due job not claimed yet; the outcome of each, as stored."""
        now = self.clock()
        outcomes = []
        for job, period in due(self.settings, now):
            if not self.claim(job, period, now):
                continue
            try:
                outcome = self._weekly(period) if job == "weekly" else self._retention(now)
            except Exception as exc:  # recorded, and the hub goes on
                log.exception("scheduled %s report work failed", job)
                outcome = f"failed: {exc}"
            self._finish(job, period, outcome)
            outcomes.append(f"{job}: {outcome}")
        return outcomes

    def _retention(self, now: int) -> str:
        done = retention.enforce(self.engine, self.settings.retention, now,
                                 recordings_dir=self.recordings_dir)
        return "; ".join(f"{r.kind.value} {r.removed}" for r in done) or "nothing to do"

    def write_week(self, period: int) -> tuple[WeeklyReport, list[Path]]:
        """Build the report of the week starting ``period`` and write its files into
        its folder (``week_folder``); also what a supervisor's request runs."""
        from hub.supervision.reports.documents import write_all  # matplotlib: only here
        from hub.supervision.reports.weekly import build_weekly

        report = build_weekly(self.engine, period, period + WEEK_MS, self.service_levels,
                              self.quality)
        return report, write_all(report, week_folder(self.out_dir, period))

    def _weekly(self, period: int) -> str:
        report, written = self.write_week(period)
        outcome = f"written to {week_folder(self.out_dir, period)}"
        to = self.settings.weekly.email_to
        if to:
            if self.mailer is None:
                return f"{outcome}; not mailed: the hub has no outgoing mail configured"
            lines = [f"Weekly feedback report / 每周反馈报告 {report.period}", ""]
            lines += [f"{i + 1}. {tp.label}: {tp.count} ({tp.change:+d})"
                      for i, tp in enumerate(report.topics.topics[:5])]
            self.mailer.send(to, f"Weekly feedback report {report.period}", "\n".join(lines),
                             [p for p in written if p.suffix in (".pdf", ".html")])
            outcome += f"; mailed to {len(to)}"
        return outcome

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="reports")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        await asyncio.sleep(self.first_check_s)
        while True:
            try:
                for line in await asyncio.to_thread(self.run_due):
                    log.warning("scheduled %s", line)
            except Exception:
                log.exception("scheduled report work failed")
            await asyncio.sleep(self.check_s)


def default_out_dir(db: str | os.PathLike[str]) -> Path:
    """Beside a SQLite file; for a database server, in the user's data folder (never
    the working directory, which may be a checkout or read-only)."""
    text = str(db)
    if "://" not in text:
        return Path(f"{text}.reports")
    return Path(platformdirs.user_data_dir("zuoxi")) / "reports"
