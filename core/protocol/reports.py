"""Historical reports and weekly reports in the supervisor workspace (docs/reports.md).

``report_history`` asks for the figures of a date range per UTC day or hour,
queue, channel or agent; the hub answers ``history_report`` with named columns
and one row per group. ``list_weekly_reports`` asks which weekly feedback reports
the hub has made, ``make_weekly_report`` has it make one for a chosen week; both
are answered with ``weekly_reports`` (the files themselves come over HTTP:
``GET /api/reports/weekly/{week}/{file}``). Supervisors and admins only: an agent
gets ``forbidden``.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import Id

OpId = Annotated[str, Id]
# A hub command reads at most this long a range (the CLI exports longer ones).
MAX_HISTORY_DAYS = 92


class HistoryGrouping(enum.StrEnum):
    DAY = "day"
    HOUR = "hour"
    QUEUE = "queue"
    CHANNEL = "channel"
    AGENT = "agent"


class ReportHistory(msgspec.Struct, tag_field="type", tag="report_history",
                    forbid_unknown_fields=True):
    """The figures of ``[since_ms, until_ms)`` per ``by``."""

    op: OpId
    since_ms: Annotated[int, msgspec.Meta(ge=0)]
    until_ms: Annotated[int, msgspec.Meta(ge=0)]
    by: HistoryGrouping = HistoryGrouping.DAY


class HistoryRow(msgspec.Struct, gc=False):
    key: str  # "2026-12-07", "2026-12-07 14:00", a queue, channel or agent id
    values: list[float | int | None]
    name: str = ""  # an agent's display name (grouped by agent)


class HistoryReport(msgspec.Struct, tag_field="type", tag="history_report"):
    op: str
    by: HistoryGrouping
    columns: list[str]
    rows: list[HistoryRow]


class ListWeeklyReports(msgspec.Struct, tag_field="type", tag="list_weekly_reports",
                        forbid_unknown_fields=True):
    op: OpId
    limit: Annotated[int, msgspec.Meta(ge=1, le=520)] = 52


class MakeWeeklyReport(msgspec.Struct, tag_field="type", tag="make_weekly_report",
                       forbid_unknown_fields=True):
    """Make (again) the report of the week starting ``week_ms`` (a Monday, 00:00 UTC)."""

    op: OpId
    week_ms: Annotated[int, msgspec.Meta(ge=0)]


class WeeklyReportState(enum.StrEnum):
    READY = "ready"  # written; its files can be fetched
    MAKING = "making"  # being made now
    FAILED = "failed"  # the run failed (the hub's log says why)


class WeeklyReportInfo(msgspec.Struct, gc=False):
    week_ms: int  # the Monday, 00:00 UTC
    state: WeeklyReportState
    made_at: int | None  # when the run finished (ms)
    files: list[str]  # e.g. ["report.html", "report.pdf"]


class WeeklyReports(msgspec.Struct, tag_field="type", tag="weekly_reports"):
    """The weekly reports the hub has made, the newest week first."""

    op: str
    reports: list[WeeklyReportInfo]


# The files of a weekly report the desktop may fetch and open.
WEEKLY_FILES = ("report.html", "report.pdf")
ReportsCommand = ReportHistory | ListWeeklyReports | MakeWeeklyReport
ReportsServerFrame = HistoryReport | WeeklyReports
