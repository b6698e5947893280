"""The report's service-level and quality sources on this hub: the wallboard's
metric code (``hub.supervision.metrics`` over the contact log) and the quality
inspection's stored scores (``quality_scores``).

Service levels per group are ``metrics.figures`` of the group's contacts, exactly
as the wallboard computes a queue's or a channel's; per day or hour, of the
window's. Nothing here recomputes a figure another way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.protocol.quality import Verdict
from hub.routing import config as routing_config
from hub.store import schema as t
from hub.store.database import Database
from hub.supervision import metrics
from hub.supervision.contact_log import load_contacts, load_presence
from hub.supervision.contacts import Contact, spans
from hub.supervision.quality import score_store
from hub.supervision.reports.csat_nps import Grouping, time_key
from hub.supervision.reports.sections import FigureTable, QualitySummary

SERVICE_COLUMNS = ("offered", "answered", "service_level_pct", "asa_s", "abandoned",
                   "abandon_pct", "aht_s", "occupancy_pct", "fcr_pct", "transfers")
_STEP_MS = {Grouping.DAY: 86_400_000, Grouping.HOUR: 3_600_000}
_KEYS: dict[Grouping, Callable[[Contact], str | None]] = {
    Grouping.QUEUE: lambda c: c.queue_id,
    Grouping.CHANNEL: lambda c: c.channel.value,
    Grouping.AGENT: lambda c: c.agent_id,
}


def _values(f: metrics.Figures) -> tuple[float | int | None, ...]:
    return (f.offered, f.answered, f.service_level.pct, f.asa_s, f.abandoned, f.abandon_pct,
            f.aht_s, f.occupancy_pct, f.fcr_pct, f.transfers)


class WallboardServiceLevels:
    def __init__(self, db: Database, standards: metrics.Standards) -> None:
        self.db = db
        self.standards = standards

    def table(self, since_ms: int, until_ms: int, grouping: Grouping) -> FigureTable:
        contacts = load_contacts(self.db, since_ms, until_ms)
        presence = list(spans(load_presence(self.db, since_ms, until_ms)))
        agents = sorted({p.agent_id for p in presence})
        rows: list[tuple[str, tuple[float | int | None, ...]]] = []
        if grouping in _STEP_MS:
            step = _STEP_MS[grouping]
            start = since_ms - since_ms % step
            while start < until_ms:
                window = (max(start, since_ms), min(start + step, until_ms))
                f = metrics.figures(contacts, presence, agents, self.standards, *window)
                if f.offered or f.answered or f.resolved:
                    rows.append((time_key(start, grouping), _values(f)))
                start += step
            return FigureTable(SERVICE_COLUMNS, rows)
        for key, group in sorted(metrics.grouped(contacts, _KEYS[grouping]).items()):
            members = [key] if grouping is Grouping.AGENT else sorted(
                {c.agent_id for c in group if c.agent_id})
            f = metrics.figures(group, presence, members, self.standards, since_ms, until_ms,
                                all_contacts=contacts)
            rows.append((key, _values(f)))
        return FigureTable(SERVICE_COLUMNS, rows)


class StoredQualityScores:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def summary(self, since_ms: int, until_ms: int) -> QualitySummary:
        q = t.quality_scores.c
        scores: dict[str, list[int]] = {}
        failed: Counter[str] = Counter()
        all_scores = []
        fatal = scored = 0
        # Streamed: a week's results (every rule's verdict and evidence) are large.
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=2000).execute(
                sa.select(t.quality_scores).where(q.closed_at >= since_ms, q.closed_at < until_ms))
            for row in result:
                scored += 1
                score = row.final_score if row.final_score is not None else row.score
                fatal += bool(row.fatal)
                if score is not None:
                    all_scores.append(int(score))
                    scores.setdefault(row.agent_id or "", []).append(int(score))
                for rule in score_store.results(row):
                    if rule.verdict is Verdict.FAIL:
                        failed[rule.name or rule.rule_id] += 1
        return QualitySummary(
            scored=scored,
            average=round(sum(all_scores) / len(all_scores), 1) if all_scores else None,
            by_agent=[(a, len(v), round(sum(v) / len(v), 1)) for a, v in sorted(scores.items())],
            failed_rules=sorted(failed.items(), key=lambda kv: (-kv[1], kv[0])),
            fatal=fatal,
        )


def service_levels(engine: Engine) -> WallboardServiceLevels:
    return WallboardServiceLevels(Database(engine), metrics.Standards(routing_config.load()))


def quality_scores(engine: Engine) -> StoredQualityScores:
    return StoredQualityScores(engine)
