"""Scoring closed conversations from the store: each once, none missed across a restart,
queued for review when fatal, low or sampled, and scored again after a rule change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa

from core.protocol.quality import ReviewReason, ReviewState, RuleResult, Verdict
from hub.routing import config as routing_config
from hub.store import schema as t
from hub.store.store import Store, create_engine
from hub.supervision.quality import rules as quality_rules
from hub.supervision.quality.scoring import BATCH, QualityScorer, scorer_for
from testbed import quality_conversations as qc

NOW = 1_760_000_000_000
ROUTING = routing_config.load(None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    engine = create_engine(tmp_path / "hub.sqlite3")
    t.migrate(engine)
    yield Store(engine)
    engine.dispose()


def scorer(store: Store, rules: quality_rules.QualityRules | None = None,
           now: int = NOW) -> QualityScorer:
    return scorer_for(store.db, ROUTING, rules or quality_rules.load(), clock=lambda: now)


def scores(store: Store) -> dict[str, sa.Row[object]]:
    with store.engine.connect() as conn:
        return {r.conversation_id: r for r in conn.execute(sa.select(t.quality_scores))}


def audit(store: Store, action: str) -> list[str]:
    a = t.quality_audit.c
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(a.conversation_id).where(a.action == action)
                                 .order_by(a.id)).scalars())


def results(row: sa.Row[object]) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in msgspec.json.decode(row.results, type=list[RuleResult])}


def test_each_closed_conversation_is_scored_once_across_restarts(store: Store) -> None:
    lina = store.create_agent("lina", "李娜", "h")
    crafted = qc.demo([lina], BATCH + 50, NOW - 3_600_000)
    with store.engine.begin() as conn:
        qc.write(conn, crafted, qc.customer(conn))
    assert scorer(store).score_pending() == BATCH + 50
    # A restarted hub resumes from the stored cursor: nothing again.
    assert scorer(store).score_pending() == 0
    assert sorted(audit(store, "scored")) == sorted(c.id for c in crafted)
    # A close that committed late (another process), behind the cursor: still scored.
    late = qc.Crafted(lina, qc.GOOD_LINES, NOW - 3_650_000)
    # Still open, no agent, or closed this very moment (sentiment may follow): not yet.
    open_one = qc.Crafted(lina, qc.GOOD_LINES, NOW - 1000)
    unassigned = qc.Crafted(lina, qc.GOOD_LINES, NOW - 5000, closed_after_s=1)
    just_now = qc.Crafted(lina, qc.GOOD_LINES, NOW - 600_000)
    with store.engine.begin() as conn:
        qc.write(conn, [late, open_one, unassigned, just_now], qc.customer(conn))
        c = t.conversations.c
        conn.execute(t.conversations.update().where(c.id == open_one.id)
                     .values(status="open", closed_at=None))
        conn.execute(t.conversations.update().where(c.id == unassigned.id)
                     .values(agent_id=None))
        conn.execute(t.conversations.update().where(c.id == just_now.id)
                     .values(closed_at=NOW - 100))
    assert scorer(store).score_pending() == 1
    assert late.id in scores(store)
    assert scorer(store, now=NOW + 2000).score_pending() == 1  # settled now
    assert {open_one.id, unassigned.id} & set(scores(store)) == set()
    # Reopened and closed again: scored anew, as a rescore.
    with store.engine.begin() as conn:
        qc.reopen_and_close(conn, late.id, NOW + 1000)
    assert scorer(store, now=NOW + 5000).score_pending() == 1
    assert audit(store, "rescored") == [late.id]


def test_fatal_and_low_scores_go_to_review_and_a_sample_too(store: Store) -> None:
    lina = store.create_agent("lina", "李娜", "h")
    good = qc.Crafted(lina, qc.GOOD_LINES, NOW - 900_000, moods=[(0, -0.7), (4, 0.3)])
    rude = qc.Crafted(lina, qc.RUDE_LINES, NOW - 800_000, moods=[(0, -0.6), (2, -0.9)])
    with store.engine.begin() as conn:
        qc.write(conn, [good, rude], qc.customer(conn))
    scorer(store).score_pending()
    got = scores(store)
    assert got[good.id].score == 100 and got[good.id].review == ReviewState.NONE.value
    assert got[rude.id].score == 0 and got[rude.id].fatal
    assert (got[rude.id].review, got[rude.id].review_reason) == ("pending", "fatal")
    abuse = results(got[rude.id])["abuse"]
    assert abuse.verdict is Verdict.FAIL and abuse.evidence[0].message_id == f"{rude.id}_m3"
    assert audit(store, "queued") == [rude.id]
    # With every conversation sampled, the good one is queued for the sample.
    text = quality_rules.DEFAULT_PATH.read_text(encoding="utf-8")
    everything = quality_rules.parse(text.replace("sample_rate = 0.05", "sample_rate = 1"))
    scorer(store, everything).rescore(0, NOW)
    got = scores(store)
    assert (got[good.id].review, got[good.id].review_reason) == ("pending", "sample")


def test_rescoring_after_a_rule_change(store: Store) -> None:
    lina = store.create_agent("lina", "李娜", "h")
    crafted = [qc.Crafted(lina, qc.GOOD_LINES, NOW - 900_000 + n, moods=[(0, -0.7), (4, 0.3)])
               for n in range(3)]
    with store.engine.begin() as conn:
        qc.write(conn, crafted, qc.customer(conn))
    old = quality_rules.load()
    scorer(store, old).score_pending()
    assert {r.score for r in scores(store).values()} == {100}
    # The center wants its own greeting words only, and makes the greeting fatal.
    text = quality_rules.DEFAULT_PATH.read_text(encoding="utf-8")
    changed = quality_rules.parse(
        text.replace('"您好", "你好", "早上好", "下午好", "晚上好", "很高兴为您服务", ',
                     '"早上好", ').replace(
            'name = "问候语 / Greeting"\npoints = 10', 'name = "问候语 / Greeting"\npoints = 10\n'
            'fatal = true'))
    progress: list[tuple[int, int]] = []
    done = scorer(store, changed).rescore(crafted[0].closed_at, crafted[2].closed_at,
                                          lambda d, n: progress.append((d, n)))
    assert done == 2 and progress == [(2, 2)]
    got = scores(store)
    first, second, third = (got[c.id] for c in crafted)
    for row in (first, second):
        assert row.score == 0 and row.fatal and row.rules_version == changed.version
        assert results(row)["greeting"].code == "greeting_missing"
        assert (row.review, row.review_reason) == ("pending", ReviewReason.FATAL.value)
    assert third.score == 100 and third.rules_version == old.version  # outside the period
    assert sorted(audit(store, "rescored")) == sorted(c.id for c in crafted[:2])


def test_scorers_of_two_processes_take_turns(hub_db: str) -> None:
    """Every hub process runs a scorer (on PostgreSQL several share the database):
    scoring at the same moment, each conversation is scored once and neither fails
    (before, both read the same unscored rows and one died on a duplicate key)."""
    import threading

    engines = [create_engine(hub_db), create_engine(hub_db)]
    t.migrate(engines[0])
    stores = [Store(e) for e in engines]
    lina = stores[0].create_agent("lina", "李娜", "h")
    crafted = qc.demo([lina], BATCH * 3, NOW - 3_600_000)
    with engines[0].begin() as conn:
        qc.write(conn, crafted, qc.customer(conn))
    start = threading.Barrier(2)
    done: list[int] = []
    failed: list[BaseException] = []

    def run(store: Store) -> None:
        start.wait()
        try:
            done.append(scorer(store).score_pending())
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failed == [] and sum(done) == len(crafted)
    assert sorted(audit(stores[0], "scored")) == sorted(c.id for c in crafted)
    assert set(scores(stores[0])) == {c.id for c in crafted}
    for engine in engines:
        engine.dispose()
