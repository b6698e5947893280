"""The weekly feedback report: what hurt customers, how they rated us, service
levels per channel, quality scores and knowledge gaps, for one period (usually a
week) compared with the period of the same length before it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from hub.supervision.reports.csat_nps import CsatNps, Grouping, csat_nps
from hub.supervision.reports.keywords import Keywords
from hub.supervision.reports.knowledge_gaps import KnowledgeGaps, knowledge_gaps
from hub.supervision.reports.negative_topics import NegativeTopics, negative_topics
from hub.supervision.reports.sections import (
    FigureTable,
    NoQualityScores,
    NoServiceLevels,
    QualityScores,
    QualitySummary,
    ServiceLevels,
)


@dataclass
class WeeklyReport:
    since_ms: int
    until_ms: int
    generated_at: int
    topics: NegativeTopics
    feedback: CsatNps
    service_levels: FigureTable | None  # None: pending (no metric source wired)
    quality: QualitySummary | None  # None: pending (no quality scores wired)
    gaps: KnowledgeGaps

    @property
    def period(self) -> str:
        first = time.strftime("%Y-%m-%d", time.gmtime(self.since_ms // 1000))
        last = time.strftime("%Y-%m-%d", time.gmtime((self.until_ms - 1) // 1000))
        return f"{first} – {last}"


def build_weekly(engine: Engine, since_ms: int, until_ms: int,
                 service_levels: ServiceLevels | None = None,
                 quality: QualityScores | None = None,
                 keywords: Keywords | None = None) -> WeeklyReport:
    if until_ms <= since_ms:
        raise ValueError("the report's end must be after its start")
    words = keywords or Keywords()
    return WeeklyReport(
        since_ms=since_ms, until_ms=until_ms, generated_at=int(time.time() * 1000),
        topics=negative_topics(engine, since_ms, until_ms, words),
        feedback=csat_nps(engine, since_ms, until_ms, words),
        service_levels=(service_levels or NoServiceLevels()).table(
            since_ms, until_ms, Grouping.CHANNEL),
        quality=(quality or NoQualityScores()).summary(since_ms, until_ms),
        gaps=knowledge_gaps(engine, since_ms, until_ms, words),
    )
