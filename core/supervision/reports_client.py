"""The supervisor's reports on the desktop: historical figures for a date range,
the weekly reports the hub has made (one made on request), and a report's file
downloaded into a folder to open.

Reads answered by the hub (``report_history``, ``list_weekly_reports``,
``make_weekly_report``), matched by op; nothing is cached: reports are read when
asked. Files come over HTTP with the agent's token (urllib on a worker thread).
A refusal raises ``ReportUnavailable`` with the hub's code (``forbidden`` for an
agent, ``invalid`` for a bad range, ``offline``). Thread: the loop's (the GUI
thread, under qasync).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.protocol import reports as rp

if TYPE_CHECKING:
    import urllib.error

Request = Callable[[rp.ReportsCommand], bool]
DOWNLOAD_TIMEOUT_S = 60.0


class ReportUnavailable(Exception):  # noqa: N818
    """No report: offline, or the hub refused (its error code in ``code``)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


def week_name(week_ms: int) -> str:
    """The week's Monday as YYYY-MM-DD (UTC): its folder on the hub and its address."""
    return time.strftime("%Y-%m-%d", time.gmtime(week_ms // 1000))


class ReportsClient:
    def __init__(self) -> None:
        self._request: Request | None = None
        self._waiting: dict[str, asyncio.Future[rp.ReportsServerFrame]] = {}
        self._hub: tuple[str, str] | None = None  # (address, token); memory only

    def attach(self, request: Request | None) -> None:
        self._request = request

    def set_hub(self, hub_url: str, token: str) -> None:
        """Where report files come from (the token is sent, never stored or logged)."""
        self._hub = (hub_url.rstrip("/"), token)

    # ---- reads -------------------------------------------------------------------------

    async def history(self, since_ms: int, until_ms: int, by: rp.HistoryGrouping
                      ) -> rp.HistoryReport:
        answer = await self._ask(rp.ReportHistory(op=uuid.uuid4().hex, since_ms=since_ms,
                                                  until_ms=until_ms, by=by))
        assert isinstance(answer, rp.HistoryReport)
        return answer

    async def weekly_reports(self) -> list[rp.WeeklyReportInfo]:
        answer = await self._ask(rp.ListWeeklyReports(op=uuid.uuid4().hex))
        assert isinstance(answer, rp.WeeklyReports)
        return answer.reports

    async def make_weekly_report(self, week_ms: int) -> list[rp.WeeklyReportInfo]:
        """Have the hub make the week's report (seconds); the reports there are after."""
        answer = await self._ask(rp.MakeWeeklyReport(op=uuid.uuid4().hex, week_ms=week_ms))
        assert isinstance(answer, rp.WeeklyReports)
        return answer.reports

    async def _ask(self, frame: rp.ReportsCommand) -> rp.ReportsServerFrame:
        future: asyncio.Future[rp.ReportsServerFrame] = \
            asyncio.get_running_loop().create_future()
        self._waiting[frame.op] = future
        if self._request is None or not self._request(frame):
            self._waiting.pop(frame.op, None)
            raise ReportUnavailable("offline")
        try:
            return await future
        finally:
            self._waiting.pop(frame.op, None)

    # ---- frames from the hub -----------------------------------------------------------

    def owns(self, op: str) -> bool:
        return op in self._waiting

    def frame_received(self, frame: rp.ReportsServerFrame) -> None:
        future = self._waiting.get(frame.op)
        if future is not None and not future.done():
            future.set_result(frame)

    def failed(self, op: str, code: str, message: str = "") -> None:
        future = self._waiting.get(op)
        if future is not None and not future.done():
            future.set_exception(ReportUnavailable(code, message))

    def connection_lost(self) -> None:
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ReportUnavailable("offline"))

    # ---- files -------------------------------------------------------------------------

    async def download(self, week_ms: int, name: str, folder: Path) -> Path:
        """Fetch the week's ``name`` (``report.html``, ``report.pdf``) into ``folder``;
        the path written (replaced whole, never half-written)."""
        if name not in rp.WEEKLY_FILES:
            raise ReportUnavailable("invalid", name)
        if self._hub is None:
            raise ReportUnavailable("offline")
        hub_url, token = self._hub
        url = f"{hub_url}/api/reports/weekly/{week_name(week_ms)}/{name}"
        target = folder / f"weekly-{week_name(week_ms)}-{name}"
        return await asyncio.to_thread(_fetch, url, token, target)


def _fetch(url: str, token: str, target: Path) -> Path:
    # urllib's HTTP client loads with the first download, not with the desktop
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            data: bytes = response.read()
    except urllib.error.HTTPError as exc:
        raise ReportUnavailable(*_error_body(exc)) from None
    except (urllib.error.URLError, OSError) as exc:
        raise ReportUnavailable("offline", str(getattr(exc, "reason", exc))) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, target)
    return target


def _error_body(exc: urllib.error.HTTPError) -> tuple[str, str]:
    try:
        body = json.loads(exc.read() or b"{}")
        error = body.get("error") if isinstance(body, dict) else None
    except (ValueError, OSError):
        error = None
    if not isinstance(error, dict):
        return f"http_{exc.code}", ""
    return str(error.get("code") or f"http_{exc.code}"), str(error.get("message") or "")
