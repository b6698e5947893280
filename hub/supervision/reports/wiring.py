"""Which service-level and quality sources this hub has: the places where the
report is wired to the wallboard's metric code and to quality inspection."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from hub.supervision.reports.sections import (
    NoQualityScores,
    NoServiceLevels,
    QualityScores,
    ServiceLevels,
)


def service_levels(engine: Engine) -> ServiceLevels:
    return NoServiceLevels()


def quality_scores(engine: Engine) -> QualityScores:
    return NoQualityScores()
