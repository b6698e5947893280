"""The report's sections that come from other parts of supervision: service levels
(the wallboard's metric code) and quality-inspection scores.

Each is a small interface so the report does not care where the figures come
from; a source that is not there yet gives ``None`` and the report says the
section is pending, rather than showing numbers computed some other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hub.supervision.reports.csat_nps import Grouping


@dataclass(frozen=True)
class FigureTable:
    """Named columns, and one row of values per group key."""

    columns: tuple[str, ...]
    rows: list[tuple[str, tuple[float | int | None, ...]]]


class ServiceLevels(Protocol):
    def table(self, since_ms: int, until_ms: int, grouping: Grouping) -> FigureTable | None:
        """The wallboard's figures per group over ``[since_ms, until_ms)``."""
        ...


@dataclass(frozen=True)
class QualitySummary:
    scored: int
    average: float | None
    by_agent: list[tuple[str, int, float | None]]  # agent, conversations, mean score
    failed_rules: list[tuple[str, int]]  # rule, conversations failing it; most first
    fatal: int


class QualityScores(Protocol):
    def summary(self, since_ms: int, until_ms: int) -> QualitySummary | None: ...


class NoServiceLevels:
    """Until the wallboard's metrics are wired: the section is pending."""

    def table(self, since_ms: int, until_ms: int, grouping: Grouping) -> FigureTable | None:
        return None


class NoQualityScores:
    """Until quality inspection is wired: the section is pending."""

    def summary(self, since_ms: int, until_ms: int) -> QualitySummary | None:
        return None
