"""CSAT and NPS formulas, and the figures per queue, agent and day."""

from __future__ import annotations

from pathlib import Path

from core.protocol.models import ClosedBy
from hub.auth import Authenticator
from hub.demo.seed import seed_agents
from hub.feedback.figures import GroupBy, csat_figures, figures, nps_figures
from hub.feedback.rating_store import FeedbackStore, RatingSource
from hub.store import schema as t
from hub.store.store import Store, create_engine

DAY_MS = 24 * 3600 * 1000
T0 = 20_000 * DAY_MS  # 2024-10-04 00:00 UTC


def test_formulas() -> None:
    c = csat_figures([5, 4, 3, 1])
    assert (c.ratings, c.average, c.satisfied_pct) == (4, 3.25, 50.0)
    assert csat_figures([]).average is None
    # 2 promoters (9, 10), 1 passive (7), 2 detractors (6, 0): 40 % - 40 % = 0.
    n = nps_figures([9, 10, 7, 6, 0])
    assert (n.answers, n.promoters, n.detractors, n.nps) == (5, 2, 2, 0.0)
    assert nps_figures([10, 10, 8]).nps == 66.7
    assert nps_figures([0]).nps == -100.0
    assert nps_figures([]).nps is None


def test_figures_per_queue_agent_and_day(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "hub.sqlite3")
    t.migrate(engine)
    store = Store(engine)
    seed_agents(store, Authenticator(store))
    lina, wei = (str(store.agent_by_username(u).id) for u in ("lina", "alex"))  # type: ignore[union-attr]
    feedback = FeedbackStore(engine)
    plan = [("chat", lina, 5, 9, T0), ("chat", wei, 2, 3, T0 + DAY_MS),
            ("billing", lina, 4, 7, T0 + DAY_MS)]
    for queue, agent_id, score, nps, at in plan:
        cid = store.create_customer("x", [])
        conv = store.create_conversation(cid, queue=queue)
        store.assign(conv.id, agent_id)
        store.close_conversation(conv.id, ClosedBy.AGENT)
        feedback.rate(conv.id, score, score >= 4, None, RatingSource.WIDGET, at)
        feedback.answer_nps(cid, nps, None, at, conversation_id=conv.id)

    by_queue = {f.key: f for f in figures(engine, GroupBy.QUEUE)}
    assert by_queue["chat"].csat.average == 3.5 and by_queue["chat"].csat.satisfied_pct == 50.0
    assert by_queue["chat"].nps.nps == 0.0  # one promoter, one detractor
    assert by_queue["billing"].nps.nps == 0.0 and by_queue["billing"].csat.ratings == 1
    by_agent = {f.key: f for f in figures(engine, GroupBy.AGENT)}
    assert by_agent[lina].csat.average == 4.5 and by_agent[lina].nps.nps == 50.0
    assert by_agent[wei].csat.satisfied_pct == 0.0 and by_agent[wei].nps.nps == -100.0
    by_day = figures(engine, GroupBy.DAY)
    assert [f.key for f in by_day] == ["2024-10-04", "2024-10-05"]
    assert by_day[1].csat.ratings == 2 and by_day[1].csat.average == 3.0
    window = figures(engine, GroupBy.DAY, since_ms=T0 + DAY_MS, until_ms=T0 + 2 * DAY_MS)
    assert [f.key for f in window] == ["2024-10-05"]
