"""The supervisor workspace's historical reports: ``report_history`` frames.

A history reads and computes a range of rows; it runs on a worker thread so the
hub's loop keeps serving while it does, and the answer goes back to the asking
socket. Supervisors and admins only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine

from core.protocol import agent as ap
from core.protocol import reports as rp
from core.protocol.codec import ErrorCode, encode_text
from core.tasks import BackgroundTasks
from hub.profile.visibility import is_supervisor
from hub.supervision.reports.csat_nps import Grouping
from hub.supervision.reports.history import HistoryError, history
from hub.supervision.reports.sections import ServiceLevels

log = logging.getLogger(__name__)
DAY_MS = 86_400_000


class ReportService:
    def __init__(self, engine: Engine, service_levels: ServiceLevels | None) -> None:
        self.engine = engine
        self.service_levels = service_levels
        self.tasks = BackgroundTasks("reports", logger=log)

    def history_frame(self, agent_id: str, frame: rp.ReportHistory) -> str:
        """The answer to one request (an error frame when refused)."""
        with self.engine.connect() as conn:
            allowed = is_supervisor(conn, agent_id)
        if not allowed:
            return encode_text(ap.Error(code=ErrorCode.FORBIDDEN,
                                        message="reports are for supervisors", op=frame.op))
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
        return encode_text(rp.HistoryReport(
            op=frame.op, by=frame.by, columns=list(table.columns),
            rows=[rp.HistoryRow(key=k, values=list(v)) for k, v in table.rows]))

    def request(self, agent_id: str, frame: rp.ReportHistory, send: Callable[[str], None]
                ) -> None:
        """Answer through ``send`` once the history is made (on the loop's thread)."""

        async def run() -> None:
            send(await asyncio.to_thread(self.history_frame, agent_id, frame))

        self.tasks.spawn(run(), name=f"report-history-{frame.op}")
