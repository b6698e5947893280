"""The supervisor workspace's reports: ``report_history``, ``list_weekly_reports``
and ``make_weekly_report`` frames.

A history reads and computes a range of rows, a weekly report takes seconds to
make; both run on a worker thread so the hub's loop keeps serving meanwhile, and
the answer goes back to the asking socket. Supervisors and admins only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.protocol import agent as ap
from core.protocol import reports as rp
from core.protocol.codec import ErrorCode, encode_text
from core.tasks import BackgroundTasks
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.store import schema as t
from hub.supervision.reports.csat_nps import Grouping
from hub.supervision.reports.history import HistoryError, history
from hub.supervision.reports.sections import ServiceLevels
from hub.supervision.reports.weekly_runs import WeeklyRequestError, WeeklyRuns

log = logging.getLogger(__name__)
DAY_MS = 86_400_000


class ReportService:
    def __init__(self, engine: Engine, service_levels: ServiceLevels | None,
                 weekly: WeeklyRuns | None = None) -> None:
        self.engine = engine
        self.service_levels = service_levels
        self.weekly = weekly
        self.tasks = BackgroundTasks("reports", logger=log)

    def _refused(self, agent_id: str, op: str) -> str | None:
        with self.engine.connect() as conn:
            allowed = permits(conn, agent_id, Permission.REPORTS)
        if allowed:
            return None
        return encode_text(ap.Error(code=ErrorCode.FORBIDDEN,
                                    message="reports are for supervisors", op=op))

    def history_frame(self, agent_id: str, frame: rp.ReportHistory) -> str:
        """The answer to one request (an error frame when refused)."""
        if (refused := self._refused(agent_id, frame.op)) is not None:
            return refused
        if frame.until_ms - frame.since_ms > rp.MAX_HISTORY_DAYS * DAY_MS:
            return encode_text(ap.Error(
                code=ErrorCode.INVALID, op=frame.op,
                message=f"a range of at most {rp.MAX_HISTORY_DAYS} days; "
                        "export longer ones with zuoxi-hub report history"))
        try:
            table = history(self.engine, frame.since_ms, frame.until_ms,
                            Grouping(frame.by.value), self.service_levels)
        except HistoryError as exc:
            return encode_text(ap.Error(code=ErrorCode.INVALID, message=str(exc), op=frame.op))
        names: dict[str, str] = {}
        if frame.by is rp.HistoryGrouping.AGENT:
            with self.engine.connect() as conn:
                names = dict(conn.execute(
                    sa.select(t.agents.c.id, t.agents.c.display_name)).tuples().all())
        return encode_text(rp.HistoryReport(
            op=frame.op, by=frame.by, columns=list(table.columns),
            rows=[rp.HistoryRow(key=k, values=list(v), name=names.get(k, ""))
                  for k, v in table.rows]))

    def weekly_frame(self, agent_id: str,
                     frame: rp.ListWeeklyReports | rp.MakeWeeklyReport) -> str:
        """The weekly reports there are, after making the asked week's (if asked)."""
        if (refused := self._refused(agent_id, frame.op)) is not None:
            return refused
        if self.weekly is None:
            return encode_text(ap.Error(code=ErrorCode.CONFLICT, op=frame.op,
                                        message="this hub makes no weekly reports"))
        limit = 52
        if isinstance(frame, rp.MakeWeeklyReport):
            try:
                self.weekly.make(frame.week_ms)
            except WeeklyRequestError as exc:
                return encode_text(ap.Error(code=ErrorCode(exc.code), message=str(exc),
                                            op=frame.op))
            except Exception:  # recorded in report_runs; the asker gets an answer
                log.exception("the weekly report of %s could not be made", frame.week_ms)
                return encode_text(ap.Error(code=ErrorCode.INTERNAL, op=frame.op,
                                            message="the report could not be made"))
        else:
            limit = frame.limit
        return encode_text(rp.WeeklyReports(op=frame.op, reports=self.weekly.reports(limit)))

    def answer(self, agent_id: str, frame: rp.ReportsCommand) -> str:
        if isinstance(frame, rp.ReportHistory):
            return self.history_frame(agent_id, frame)
        return self.weekly_frame(agent_id, frame)

    def request(self, agent_id: str, frame: rp.ReportsCommand, send: Callable[[str], None]
                ) -> None:
        """Answer through ``send`` once the work is done (on the loop's thread)."""

        async def run() -> None:
            send(await asyncio.to_thread(self.answer, agent_id, frame))

        self.tasks.spawn(run(), name=f"report-{frame.op}")
