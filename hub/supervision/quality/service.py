"""The quality frames of agents and supervisors: reads, review and appeal.

Agents read only their own scores; the review queue, other agents' scores, the
aggregates and review decisions are for supervisors (and admins). ``apply`` runs
inside the command's unit of work (hub.service), with its op id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import quality as qp
from core.protocol.codec import encode_text
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.store import schema as t
from hub.store.base import StoreError, now_ms
from hub.store.database import Database
from hub.supervision.quality import score_store
from hub.supervision.quality.review import OPEN_STATES, check_appeal, reviewed
from hub.supervision.quality.rules import QualitySettings
from hub.supervision.quality.scoring import QualityScorer

q = t.quality_scores.c


class QualityService:
    def __init__(self, db: Database, scorer: QualityScorer,
                 clock: Callable[[], int] = now_ms) -> None:
        self.db = db
        self.scorer = scorer
        self.clock = clock

    @property
    def settings(self) -> QualitySettings:
        return self.scorer.rules.settings

    # ---- reads ------------------------------------------------------------------------

    def read(self, agent_id: str, frame: qp.QaRead) -> str:
        """The answer frame to a read, or an error frame."""
        try:
            with self.db.connect() as conn:
                answer = self._read(conn, agent_id, frame)
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=frame.op))
        return encode_text(answer)

    def _read(self, conn: Connection, agent_id: str, frame: qp.QaRead) -> Any:
        supervisor = permits(conn, agent_id, Permission.QA_REVIEW)
        if isinstance(frame, qp.QaListScores):
            whose = frame.agent_id
            if not supervisor:
                if whose not in (None, agent_id):
                    raise StoreError("forbidden", "agents see only their own scores")
                whose = agent_id
            where = _period(frame.from_ms, frame.to_ms)
            if whose is not None:
                where = sa.and_(where, q.agent_id == whose)
            rows = score_store.listed(conn, where, frame.limit)
            return qp.QaScores(op=frame.op, scores=[
                score_store.summary(r, self.settings) for r in rows])
        if isinstance(frame, qp.QaFetchScore):
            row = score_store.row(conn, frame.conversation_id)
            if row is None or (not supervisor and row.agent_id != agent_id):
                raise StoreError("not_found", "no score of yours for this conversation")
            return qp.QaScoreDetail(
                op=frame.op, summary=score_store.summary(row, self.settings),
                results=score_store.results(row),
                audit=score_store.audit_trail(conn, frame.conversation_id),
                rules_version=row.rules_version, appeal_comment=row.appeal_comment)
        if not supervisor:
            raise StoreError("forbidden", "the review queue and team figures are for "
                                          "supervisors")
        if isinstance(frame, qp.QaReviewQueue):
            rows = score_store.listed(conn, q.review.in_([s.value for s in OPEN_STATES]),
                                      frame.limit, oldest_first=True)
            return qp.QaScores(op=frame.op, scores=[
                score_store.summary(r, self.settings) for r in rows])
        return self._aggregates(conn, frame)

    def _aggregates(self, conn: Connection, frame: qp.QaAggregates) -> qp.QaAggregateFigures:
        where = sa.and_(_period(frame.from_ms, frame.to_ms), q.final_score.is_not(None))
        names = dict(conn.execute(sa.select(t.agents.c.id, t.agents.c.display_name)).all())

        def groups(column: Any) -> list[qp.GroupScore]:
            rows = conn.execute(
                sa.select(column, sa.func.count(), sa.func.avg(q.final_score),
                          sa.func.sum(sa.case((q.fatal, 1), else_=0)))
                .where(where, column.is_not(None)).group_by(column).order_by(column))
            return [qp.GroupScore(id=key, name=str(names.get(key, key)), conversations=int(n),
                                  mean_score=round(float(mean), 1), fatal=int(fatal or 0))
                    for key, n, mean, fatal in rows]

        failed: dict[str, list[int]] = {}
        for r in conn.execute(sa.select(q.results).where(where)):
            for result in score_store.results(r):
                if result.verdict is not qp.Verdict.SKIP:
                    tally = failed.setdefault(result.rule_id, [0, 0])
                    tally[1] += 1
                    tally[0] += result.verdict is qp.Verdict.FAIL
        rules = sorted((qp.RuleFailures(rule_id=k, failed=v[0], checked=v[1])
                        for k, v in failed.items()), key=lambda f: (-f.failed, f.rule_id))
        team = t.agents.c.team
        team_rows = conn.execute(
            sa.select(team, sa.func.count(), sa.func.avg(q.final_score),
                      sa.func.sum(sa.case((q.fatal, 1), else_=0)))
            .select_from(t.quality_scores.join(t.agents, t.agents.c.id == q.agent_id))
            .where(where, team.is_not(None)).group_by(team).order_by(team))
        agent_teams = [qp.GroupScore(id=str(key), name=str(key), conversations=int(n),
                                     mean_score=round(float(mean), 1), fatal=int(fatal or 0))
                       for key, n, mean, fatal in team_rows]
        return qp.QaAggregateFigures(op=frame.op, agents=groups(q.agent_id),
                                     teams=groups(q.queue_id), rules=rules,
                                     agent_teams=agent_teams)

    # ---- commands (inside the caller's unit of work) ------------------------------------

    def apply(self, agent_id: str, cmd: qp.QaCommand) -> None:
        now = self.clock()
        with self.db.begin() as conn:
            row = score_store.row(conn, cmd.conversation_id)
            if isinstance(cmd, qp.QaReview):
                if not permits(conn, agent_id, Permission.QA_REVIEW):
                    raise StoreError("forbidden", "reviews are for supervisors")
                if row is None:
                    raise StoreError("not_found", "no score for this conversation")
                state = reviewed(qp.ReviewState(row.review), cmd.decision, cmd.score)
                final = cmd.score if state is qp.ReviewState.OVERRIDDEN else row.score
                conn.execute(t.quality_scores.update()
                             .where(q.conversation_id == cmd.conversation_id)
                             .values(review=state.value, final_score=final))
                score_store.audit(conn, cmd.conversation_id, now, state.value, agent_id,
                                  final, cmd.comment)
                return
            if row is None:
                raise StoreError("not_found", "no score of yours for this conversation")
            check_appeal(agent_id, row.agent_id, row.scored_at, row.appealed_at, now,
                         self.settings)
            conn.execute(t.quality_scores.update()
                         .where(q.conversation_id == cmd.conversation_id)
                         .values(review=qp.ReviewState.APPEALED.value,
                                 review_reason=qp.ReviewReason.APPEAL.value,
                                 appealed_at=now, appeal_comment=cmd.comment))
            score_store.audit(conn, cmd.conversation_id, now, "appealed", agent_id,
                              row.final_score, cmd.comment)


def _period(from_ms: int, to_ms: int | None) -> Any:
    where = q.closed_at >= from_ms
    return where if to_ms is None else sa.and_(where, q.closed_at < to_ms)
