"""Quality frames through the hub's command path: agents see only their own scores,
supervisors review (confirm or override with a comment), agents appeal within the
window and not after it, and every step is in the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from core.protocol import agent as ap
from core.protocol import quality as qp
from hub.composition import HubParts, compose
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.store import Store, create_engine
from hub.supervision.quality.review import DAY_MS, sampled
from testbed import quality_conversations as qc

NOW = 1_760_000_000_000
_frame = msgspec.json.Decoder(ap.ServerFrame)


@dataclass
class Center:
    parts: HubParts
    lina: str
    wang: str
    boss: str
    good: qc.Crafted
    rude: qc.Crafted

    def read(self, agent_id: str, frame: qp.QaRead) -> object:
        return _frame.decode(self.parts.service.quality_read(agent_id, frame))

    def command(self, agent_id: str, cmd: qp.QaCommand) -> object:
        return _frame.decode(self.parts.service.agent_command(agent_id, cmd))

    def at(self, ms: int) -> None:
        self.parts.quality.clock = lambda: ms


def op() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def center(tmp_path: Path) -> Iterator[Center]:
    engine = create_engine(tmp_path / "hub.sqlite3")
    t.migrate(engine)
    store = Store(engine)
    lina = store.create_agent("lina", "李娜", "h", team="售后 After-sales")
    wang = store.create_agent("wang", "王伟", "h", team="售前 Sales")
    boss = store.create_agent("boss", "主管", "h", role="supervisor")
    parts = compose(store, clock=VirtualClock())
    # Named so that the 5 % sample does not take the good one (sampling is by id).
    assert not sampled("cv_good", parts.quality.settings.sample_rate)
    good = qc.Crafted(wang, qc.GOOD_LINES, NOW - 900_000, moods=[(0, -0.7), (4, 0.3)],
                      id="cv_good")
    rude = qc.Crafted(lina, qc.RUDE_LINES, NOW - 800_000, moods=[(0, -0.6), (2, -0.9)],
                      queue_id="complaints", id="cv_rude")
    with engine.begin() as conn:
        qc.write(conn, [good, rude], qc.customer(conn))
    parts.quality.scorer.clock = lambda: NOW
    assert parts.quality.scorer.score_pending() == 2
    yield Center(parts, lina, wang, boss, good, rude)
    engine.dispose()


def test_agents_see_only_their_own_scores(center: Center) -> None:
    mine = center.read(center.lina, qp.QaListScores(op=op()))
    assert isinstance(mine, qp.QaScores)
    assert [s.conversation_id for s in mine.scores] == [center.rude.id]
    assert mine.scores[0].appealable_until == NOW + 7 * DAY_MS
    other = center.read(center.lina, qp.QaListScores(op=op(), agent_id=center.wang))
    assert isinstance(other, ap.Error) and other.code == "forbidden"
    detail = center.read(center.lina, qp.QaFetchScore(op=op(), conversation_id=center.good.id))
    assert isinstance(detail, ap.Error) and detail.code == "not_found"
    detail = center.read(center.lina, qp.QaFetchScore(op=op(), conversation_id=center.rude.id))
    assert isinstance(detail, qp.QaScoreDetail)
    abuse = next(r for r in detail.results if r.rule_id == "abuse")
    assert abuse.fatal and abuse.evidence[0].message_id == f"{center.rude.id}_m3"
    assert [a.action for a in detail.audit] == ["scored", "queued"]
    for frame in (qp.QaReviewQueue(op=op()), qp.QaAggregates(op=op())):
        refused = center.read(center.lina, frame)
        assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    everyone = center.read(center.boss, qp.QaListScores(op=op()))
    assert isinstance(everyone, qp.QaScores) and len(everyone.scores) == 2


def test_supervisors_review_and_agents_cannot(center: Center) -> None:
    queue = center.read(center.boss, qp.QaReviewQueue(op=op()))
    assert isinstance(queue, qp.QaScores)
    assert [(s.conversation_id, s.review_reason) for s in queue.scores] == [
        (center.rude.id, qp.ReviewReason.FATAL)]
    override = qp.QaReview(op=op(), conversation_id=center.rude.id,
                           decision=qp.ReviewDecision.OVERRIDE, score=40,
                           comment="客户先辱骂，坐席回应不当但非恶意")
    refused = center.command(center.lina, override)
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    center.at(NOW + 1000)
    ack = center.command(center.boss, override)
    assert isinstance(ack, ap.Ack)
    assert center.command(center.boss, override) == ack  # a retry: the same answer
    again = center.command(center.boss, qp.QaReview(
        op=op(), conversation_id=center.rude.id, decision=qp.ReviewDecision.CONFIRM,
        comment="again"))
    assert isinstance(again, ap.Error) and again.code == "conflict"
    detail = center.read(center.lina, qp.QaFetchScore(op=op(), conversation_id=center.rude.id))
    assert isinstance(detail, qp.QaScoreDetail)
    assert detail.summary.review is qp.ReviewState.OVERRIDDEN
    assert (detail.summary.score, detail.summary.final_score) == (0, 40)
    assert detail.audit[-1] == qp.AuditEntry(at=NOW + 1000, action="overridden",
                                             actor_id=center.boss, score=40,
                                             comment="客户先辱骂，坐席回应不当但非恶意")
    queue = center.read(center.boss, qp.QaReviewQueue(op=op()))
    assert isinstance(queue, qp.QaScores) and queue.scores == []
    figures = center.read(center.boss, qp.QaAggregates(op=op()))
    assert isinstance(figures, qp.QaAggregateFigures)
    assert {(g.name, g.mean_score, g.fatal) for g in figures.agents} == {
        ("李娜", 40.0, 1), ("王伟", 100.0, 0)}
    assert {g.id for g in figures.teams} == {"chat", "complaints"}
    assert {(g.name, g.conversations, g.mean_score) for g in figures.agent_teams} == {
        ("售后 After-sales", 1, 40.0), ("售前 Sales", 1, 100.0)}
    failed = {f.rule_id: (f.failed, f.checked) for f in figures.rules}
    assert failed["abuse"] == (1, 2) and failed["greeting"] == (1, 2)


def test_appeal_within_the_window_and_not_after(center: Center) -> None:
    center.at(NOW + 7 * DAY_MS + 1)
    late = center.command(center.wang, qp.QaAppeal(
        op=op(), conversation_id=center.good.id, comment="too late"))
    assert isinstance(late, ap.Error) and late.code == "conflict"
    assert "window" in late.message
    center.at(NOW + DAY_MS)
    not_mine = center.command(center.wang, qp.QaAppeal(
        op=op(), conversation_id=center.rude.id, comment="not mine"))
    assert isinstance(not_mine, ap.Error) and not_mine.code == "forbidden"
    ack = center.command(center.lina, qp.QaAppeal(
        op=op(), conversation_id=center.rude.id, comment="The customer swore first."))
    assert isinstance(ack, ap.Ack)
    twice = center.command(center.lina, qp.QaAppeal(
        op=op(), conversation_id=center.rude.id, comment="again"))
    assert isinstance(twice, ap.Error) and twice.code == "conflict"
    queue = center.read(center.boss, qp.QaReviewQueue(op=op()))
    assert isinstance(queue, qp.QaScores)
    [appealed] = queue.scores
    assert (appealed.review, appealed.review_reason) == (
        qp.ReviewState.APPEALED, qp.ReviewReason.APPEAL)
    assert appealed.appealable_until is None
    center.at(NOW + DAY_MS + 5)
    confirm = center.command(center.boss, qp.QaReview(
        op=op(), conversation_id=center.rude.id, decision=qp.ReviewDecision.CONFIRM,
        comment="维持原判"))
    assert isinstance(confirm, ap.Ack)
    detail = center.read(center.lina, qp.QaFetchScore(op=op(), conversation_id=center.rude.id))
    assert isinstance(detail, qp.QaScoreDetail)
    assert detail.appeal_comment == "The customer swore first."
    assert [(a.action, a.actor_id) for a in detail.audit] == [
        ("scored", None), ("queued", None), ("appealed", center.lina),
        ("confirmed", center.boss)]
    assert detail.summary.review is qp.ReviewState.CONFIRMED
    # A rescore keeps what people decided.
    center.parts.quality.scorer.clock = lambda: NOW + DAY_MS + 10
    center.parts.quality.scorer.rescore(0, NOW)
    detail = center.read(center.lina, qp.QaFetchScore(op=op(), conversation_id=center.rude.id))
    assert isinstance(detail, qp.QaScoreDetail)
    assert detail.summary.review is qp.ReviewState.CONFIRMED
    assert detail.audit[-1].action == "rescored"


def test_frames_decode_and_bad_ones_are_refused() -> None:
    decoder = msgspec.json.Decoder(ap.ClientFrame)
    frame = decoder.decode(b'{"type":"qa_review","op":"o1","conversation_id":"c1",'
                           b'"decision":"override","score":50,"comment":"ok"}')
    assert isinstance(frame, qp.QaReview) and frame.score == 50
    for bad in (b'{"type":"qa_review","op":"o1","conversation_id":"c1","decision":"override",'
                b'"score":500,"comment":"ok"}',
                b'{"type":"qa_appeal","op":"o1","conversation_id":"c1","comment":""}',
                b'{"type":"qa_list_scores","op":"o1","limit":100000}'):
        with pytest.raises(msgspec.ValidationError):
            decoder.decode(bad)
