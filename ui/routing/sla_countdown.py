"""Service-level countdowns: how long until a conversation's response is due.

The hub stamps each waiting or open conversation with ``sla_due_at`` (business-hours
aware). The inbox shows what is left: green while there is time, amber once less
than a quarter of the target remains, red once it is breached (and by how much).
Everything here is pure arithmetic on milliseconds, so the inbox can repaint every
second without touching the cache.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

WARN_FRACTION = 0.25  # amber when less than this share of the target is left


class SlaLevel(enum.Enum):
    NONE = "none"  # no target (answered, closed, or a channel without one)
    OK = "ok"
    WARN = "warn"
    BREACHED = "breached"


# Theme colour keys per level (resources/styles/<theme>.json).
SLA_COLORS = {
    SlaLevel.NONE: "muted",
    SlaLevel.OK: "ok",
    SlaLevel.WARN: "warn",
    SlaLevel.BREACHED: "danger",
}


@dataclass(frozen=True)
class SlaState:
    level: SlaLevel
    remaining_ms: int  # negative once breached

    @property
    def color_key(self) -> str:
        return SLA_COLORS[self.level]


def sla_state(due_at: int | None, started_at: int | None, now: int) -> SlaState:
    """Where a countdown from ``started_at`` to ``due_at`` stands at ``now``."""
    if due_at is None:
        return SlaState(SlaLevel.NONE, 0)
    remaining = due_at - now
    if remaining <= 0:
        return SlaState(SlaLevel.BREACHED, remaining)
    total = due_at - started_at if started_at is not None else 0
    if total > 0 and remaining < total * WARN_FRACTION:
        return SlaState(SlaLevel.WARN, remaining)
    return SlaState(SlaLevel.OK, remaining)


def countdown_text(remaining_ms: int) -> str:
    """"0:42", "12:05", "3:10:00" left; "+1:30" once overdue (breached by)."""
    seconds = abs(remaining_ms) // 1000 if remaining_ms < 0 else -(-remaining_ms // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 24:
        text = QCoreApplication.translate("SlaCountdown", "{0} d").format(hours // 24)
    elif hours:
        text = f"{hours}:{minutes:02d}:{secs:02d}"
    else:
        text = f"{minutes}:{secs:02d}"
    return f"+{text}" if remaining_ms < 0 else text


def sla_tooltip(state: SlaState) -> str:
    if state.level is SlaLevel.NONE:
        return ""
    if state.level is SlaLevel.BREACHED:
        return QCoreApplication.translate(
            "SlaCountdown", "Service level breached {0} ago").format(
            countdown_text(state.remaining_ms).lstrip("+"))
    return QCoreApplication.translate("SlaCountdown", "Response due in {0}").format(
        countdown_text(state.remaining_ms))
