"""Historical reports in the supervisor workspace (docs/reports.md).

``report_history`` asks for the figures of a date range per UTC day or hour,
queue, channel or agent; the hub answers ``history_report`` with named columns
and one row per group. Supervisors and admins only: an agent gets ``forbidden``.
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


class HistoryReport(msgspec.Struct, tag_field="type", tag="history_report"):
    op: str
    by: HistoryGrouping
    columns: list[str]
    rows: list[HistoryRow]


ReportsServerFrame = HistoryReport
