"""CSAT and NPS figures per queue, agent or day (the supervisor workspace reads
these). Formulas (docs/metrics.md, "CSAT and NPS"):

- CSAT average: mean of the 1-5 scores;
- % satisfied: ratings of 4 or 5 over all ratings, times 100;
- NPS: % promoters (9-10) minus % detractors (0-6) of the answers, -100..100.

Rows are grouped in Python so the SQL stays the same on every database.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.store import schema as t

SATISFIED_MIN = 4
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


class GroupBy(enum.StrEnum):
    QUEUE = "queue"
    AGENT = "agent"
    DAY = "day"


@dataclass(frozen=True)
class CsatFigures:
    ratings: int
    average: float | None
    satisfied_pct: float | None


@dataclass(frozen=True)
class NpsFigures:
    answers: int
    promoters: int
    detractors: int
    nps: float | None


@dataclass(frozen=True)
class FeedbackFigures:
    key: str
    csat: CsatFigures
    nps: NpsFigures


def csat_figures(scores: Iterable[int]) -> CsatFigures:
    values = list(scores)
    if not values:
        return CsatFigures(0, None, None)
    satisfied = sum(1 for s in values if s >= SATISFIED_MIN)
    return CsatFigures(len(values), round(sum(values) / len(values), 2),
                       round(100.0 * satisfied / len(values), 1))


def nps_figures(scores: Iterable[int]) -> NpsFigures:
    values = list(scores)
    if not values:
        return NpsFigures(0, 0, 0, None)
    promoters = sum(1 for s in values if s >= PROMOTER_MIN)
    detractors = sum(1 for s in values if s <= DETRACTOR_MAX)
    nps = 100.0 * promoters / len(values) - 100.0 * detractors / len(values)
    return NpsFigures(len(values), promoters, detractors, round(nps, 1))


def _day(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


def figures(engine: Engine, group_by: GroupBy, since_ms: int = 0,
            until_ms: int | None = None) -> list[FeedbackFigures]:
    """CSAT and NPS per queue, agent or UTC day over ``[since_ms, until_ms)``; keys
    sorted; a rating or answer without a queue or agent counts under "" ."""
    r, n = t.conversation_ratings, t.nps_answers
    rc = [r.c.rated_at >= since_ms]
    nc = [n.c.answered_at >= since_ms]
    if until_ms is not None:
        rc.append(r.c.rated_at < until_ms)
        nc.append(n.c.answered_at < until_ms)
    with engine.connect() as conn:
        ratings = conn.execute(sa.select(r.c.queue_id, r.c.agent_id, r.c.rated_at, r.c.score)
                               .where(*rc)).all()
        answers = conn.execute(sa.select(n.c.queue_id, n.c.agent_id, n.c.answered_at,
                                         n.c.score).where(*nc)).all()

    def key(queue_id: str | None, agent_id: str | None, at: int) -> str:
        if group_by is GroupBy.QUEUE:
            return queue_id or ""
        if group_by is GroupBy.AGENT:
            return agent_id or ""
        return _day(at)

    csat: dict[str, list[int]] = {}
    nps: dict[str, list[int]] = {}
    for row in ratings:
        csat.setdefault(key(*row[:3]), []).append(row[3])
    for row in answers:
        nps.setdefault(key(*row[:3]), []).append(row[3])
    return [FeedbackFigures(k, csat_figures(csat.get(k, [])), nps_figures(nps.get(k, [])))
            for k in sorted({*csat, *nps})]
