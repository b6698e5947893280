"""CSAT and NPS for reports: the figures by any grouping, with the formulas of
``hub.feedback.figures`` (docs/metrics.md), and the customers' comments grouped
by theme."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.feedback.figures import CsatFigures, NpsFigures, csat_figures, nps_figures
from hub.store import schema as t
from hub.supervision.reports.keywords import Keywords
from hub.supervision.reports.topics import Document, Topic, cluster


class Grouping(enum.StrEnum):
    DAY = "day"
    HOUR = "hour"
    QUEUE = "queue"
    CHANNEL = "channel"
    AGENT = "agent"


def time_key(ms: int, grouping: Grouping) -> str:
    fmt = "%Y-%m-%d %H:00" if grouping is Grouping.HOUR else "%Y-%m-%d"
    return time.strftime(fmt, time.gmtime(ms // 1000))


def group_key(grouping: Grouping, at: int, queue: str | None, channel: str | None,
              agent: str | None) -> str:
    """A row's group (UTC day or hour, queue, channel, agent; "" when it has none)."""
    if grouping in (Grouping.DAY, Grouping.HOUR):
        return time_key(at, grouping)
    if grouping is Grouping.QUEUE:
        return queue or ""
    if grouping is Grouping.CHANNEL:
        return channel or ""
    return agent or ""


@dataclass(frozen=True)
class FeedbackRow:
    key: str
    csat: CsatFigures
    nps: NpsFigures


def feedback_by(engine: Engine, since_ms: int, until_ms: int, grouping: Grouping
                ) -> list[FeedbackRow]:
    """CSAT (by when rated) and NPS (by when answered) per group, keys sorted. An
    NPS answer's channel is its conversation's."""
    r, n, c = t.conversation_ratings, t.nps_answers, t.conversations
    with engine.connect() as conn:
        ratings = conn.execute(
            sa.select(r.c.rated_at, r.c.queue_id, r.c.channel, r.c.agent_id, r.c.score)
            .where(r.c.rated_at >= since_ms, r.c.rated_at < until_ms)).all()
        answers = conn.execute(
            sa.select(n.c.answered_at, n.c.queue_id, c.c.channel, n.c.agent_id, n.c.score)
            .select_from(n.outerjoin(c, c.c.id == n.c.conversation_id))
            .where(n.c.answered_at >= since_ms, n.c.answered_at < until_ms)).all()
    csat: dict[str, list[int]] = {}
    nps: dict[str, list[int]] = {}
    for row in ratings:
        csat.setdefault(group_key(grouping, *row[:4]), []).append(int(row[4]))
    for row in answers:
        nps.setdefault(group_key(grouping, *row[:4]), []).append(int(row[4]))
    return [FeedbackRow(k, csat_figures(csat.get(k, [])), nps_figures(nps.get(k, [])))
            for k in sorted({*csat, *nps})]


@dataclass
class CommentTheme:
    topic: Topic
    average: float | None  # the mean score of the theme's comments (CSAT 1-5 or NPS 0-10)


@dataclass
class CsatNps:
    csat: CsatFigures
    nps: NpsFigures
    previous_csat: CsatFigures
    previous_nps: NpsFigures
    by_day: list[FeedbackRow]
    csat_themes: list[CommentTheme]
    nps_themes: list[CommentTheme]


def csat_nps(engine: Engine, since_ms: int, until_ms: int, keywords: Keywords) -> CsatNps:
    r, n = t.conversation_ratings, t.nps_answers
    before = 2 * since_ms - until_ms
    with engine.connect() as conn:
        ratings = conn.execute(
            sa.select(r.c.conversation_id, r.c.score, r.c.comment, r.c.rated_at)
            .where(r.c.rated_at >= before, r.c.rated_at < until_ms)
            .order_by(r.c.rated_at, r.c.conversation_id)).all()
        answers = conn.execute(
            sa.select(n.c.id, n.c.conversation_id, n.c.score, n.c.reason, n.c.answered_at)
            .where(n.c.answered_at >= before, n.c.answered_at < until_ms)
            .order_by(n.c.answered_at, n.c.id)).all()
    now_r = [row for row in ratings if row.rated_at >= since_ms]
    now_a = [row for row in answers if row.answered_at >= since_ms]
    return CsatNps(
        csat=csat_figures(row.score for row in now_r),
        nps=nps_figures(row.score for row in now_a),
        previous_csat=csat_figures(row.score for row in ratings if row.rated_at < since_ms),
        previous_nps=nps_figures(row.score for row in answers if row.answered_at < since_ms),
        by_day=feedback_by(engine, since_ms, until_ms, Grouping.DAY),
        csat_themes=_themes([(row.conversation_id, row.comment, row.score) for row in now_r],
                            keywords),
        nps_themes=_themes([(row.conversation_id or f"nps-{row.id}", row.reason, row.score)
                            for row in now_a], keywords),
    )


def _themes(rows: list[tuple[str, str | None, int]], keywords: Keywords,
            max_themes: int = 8) -> list[CommentTheme]:
    scores = {}
    docs = []
    for conversation_id, comment, score in rows:
        if comment and comment.strip():
            docs.append(Document(conversation_id, comment, keywords.of(comment)))
            scores[conversation_id] = score
    themes = []
    for topic in cluster(docs, max_topics=max_themes):
        values = [scores[c] for c in topic.conversations]
        themes.append(CommentTheme(topic, round(sum(values) / len(values), 2)))
    return themes
