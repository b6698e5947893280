"""The CSAT/NPS store on a real SQLite file: once per conversation, credited to
the last agent, the profile's figures kept current, the NPS period honoured."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.protocol.models import Channel, ClosedBy, IdentityKind
from hub.auth import Authenticator
from hub.demo.seed import seed_agents
from hub.feedback.rating_store import FeedbackError, FeedbackRefusal, FeedbackStore, RatingSource
from hub.store import schema as t
from hub.store.store import Store, create_engine

DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def store(tmp_path: Path) -> Store:
    engine = create_engine(tmp_path / "hub.sqlite3")
    t.migrate(engine)
    store = Store(engine)
    seed_agents(store, Authenticator(store))
    return store


def agent(store: Store, username: str) -> str:
    row = store.agent_by_username(username)
    assert row is not None
    return str(row.id)


def closed_conversation(store: Store, customer_id: str, *agents: str,
                        channel: Channel = Channel.CHAT) -> str:
    conv = store.create_conversation(customer_id, channel=channel, queue="chat")
    for agent_id in agents:  # transferred: the last one handled it
        store.assign(conv.id, agent_id)
    store.close_conversation(conv.id, ClosedBy.CUSTOMER)
    return conv.id


def test_rating_is_credited_to_the_last_agent_and_fills_the_profile(store: Store) -> None:
    feedback = FeedbackStore(store.engine)
    first, last = agent(store, "lina"), agent(store, "alex")
    cid = store.create_customer("王芳", [(IdentityKind.PHONE, "+8613800000001")])
    conv1 = closed_conversation(store, cid, first, last)
    conv2 = closed_conversation(store, cid, first)

    rating = feedback.rate(conv1, 2, False, "  等了太久  ", RatingSource.WIDGET, 1000,
                           customer_id=cid)
    feedback.rate(conv2, 5, True, None, RatingSource.WIDGET, 2000, customer_id=cid)

    assert rating.agent_id == last and rating.comment == "等了太久"
    stored = feedback.rating_of(conv1)
    assert stored is not None and stored.agent_id == last and stored.solved is False
    assert [r.score for r in feedback.ratings_of_customer(cid)] == [2, 5]
    customer = store.customer(cid)
    assert customer is not None and customer.stats is not None and customer.stats.avg_csat == 3.5


def test_second_rating_is_refused_and_the_first_stands(store: Store) -> None:
    feedback = FeedbackStore(store.engine)
    cid = store.create_customer("A", [])
    conv = closed_conversation(store, cid, agent(store, "lina"))
    feedback.rate(conv, 4, True, None, RatingSource.WIDGET, 1, customer_id=cid)
    with pytest.raises(FeedbackError) as err:
        feedback.rate(conv, 1, False, "changed my mind", RatingSource.EMAIL, 2)
    assert err.value.refusal is FeedbackRefusal.ALREADY_RATED
    stored = feedback.rating_of(conv)
    assert stored is not None and stored.score == 4 and stored.source is RatingSource.WIDGET


def test_bad_ratings_are_refused_and_nothing_is_stored(store: Store) -> None:
    feedback = FeedbackStore(store.engine)
    owner = store.create_customer("Owner", [])
    other = store.create_customer("Other", [])
    conv = closed_conversation(store, owner, agent(store, "lina"))
    open_conv = store.create_conversation(other, queue="chat")
    cases = [
        (dict(conversation_id=conv, score=0), FeedbackRefusal.INVALID),
        (dict(conversation_id=conv, score=6), FeedbackRefusal.INVALID),
        (dict(conversation_id=conv, score=3, comment="x" * 2001), FeedbackRefusal.INVALID),
        (dict(conversation_id="conv_nope", score=3), FeedbackRefusal.NOT_FOUND),
        (dict(conversation_id=conv, score=3, customer_id=other), FeedbackRefusal.NOT_YOURS),
        (dict(conversation_id=open_conv.id, score=3, customer_id=other),
         FeedbackRefusal.NOT_CLOSED),
    ]
    for kwargs, refusal in cases:
        args = {"solved": None, "comment": None, "source": RatingSource.WIDGET, "now": 1,
                **kwargs}
        with pytest.raises(FeedbackError) as err:
            feedback.rate(**args)  # type: ignore[arg-type]
        assert err.value.refusal is refusal, kwargs
    assert feedback.rating_of(conv) is None and feedback.rating_of(open_conv.id) is None


def test_nps_once_per_period(store: Store) -> None:
    feedback = FeedbackStore(store.engine, nps_period_s=90 * 24 * 3600)
    cid = store.create_customer("B", [])
    conv = closed_conversation(store, cid, agent(store, "lina"))
    t0 = 10 * DAY_MS
    assert feedback.nps_due(cid, t0)
    feedback.answer_nps(cid, 3, "太慢", t0, conversation_id=conv)
    assert not feedback.nps_due(cid, t0 + 89 * DAY_MS)
    with pytest.raises(FeedbackError) as err:
        feedback.answer_nps(cid, 10, None, t0 + 89 * DAY_MS)
    assert err.value.refusal is FeedbackRefusal.NPS_NOT_DUE
    assert feedback.nps_due(cid, t0 + 90 * DAY_MS)
    feedback.answer_nps(cid, 9, None, t0 + 90 * DAY_MS)
    assert [a.score for a in feedback.nps_of_customer(cid)] == [3, 9]
    customer = store.customer(cid)
    assert customer is not None and customer.stats is not None and customer.stats.last_nps == 9
    with pytest.raises(FeedbackError) as bad:
        feedback.answer_nps(store.create_customer("C", []), 11, None, t0)
    assert bad.value.refusal is FeedbackRefusal.INVALID


def test_ratings_and_nps_follow_a_merge_and_its_undoing(store: Store) -> None:
    feedback = FeedbackStore(store.engine)
    lina = agent(store, "lina")
    target = store.create_customer("王芳", [(IdentityKind.PHONE, "+8613800000001")])
    source = store.create_customer("Wang Fang", [(IdentityKind.EMAIL, "fang@example.cn")])
    kept = closed_conversation(store, target, lina)
    moved = closed_conversation(store, source, lina)
    feedback.rate(kept, 5, True, None, RatingSource.WIDGET, 1000, customer_id=target)
    feedback.rate(moved, 2, False, "slow", RatingSource.WIDGET, 2000, customer_id=source)
    feedback.answer_nps(target, 9, None, 1000, conversation_id=kept)
    feedback.answer_nps(source, 3, "slow", 5000, conversation_id=moved)

    def figures(cid: str) -> tuple[float | None, int | None]:
        customer = store.customer(cid)
        assert customer is not None and customer.stats is not None
        return customer.stats.avg_csat, customer.stats.last_nps

    assert figures(target) == (5.0, 9) and figures(source) == (2.0, 3)
    merge_id, _, _ = store.merge_customers(lina, target, source, op="m1")
    assert [r.score for r in feedback.ratings_of_customer(target)] == [5, 2]
    assert [a.score for a in feedback.nps_of_customer(target)] == [9, 3]
    assert figures(target) == (3.5, 3)  # the newest NPS answer is the source's
    assert feedback.ratings_of_customer(source) == [] and feedback.nps_of_customer(source) == []
    # the NPS period counts the merged answers too: 5000 is within it
    assert feedback.nps_due(target, 6000) is False

    store.unmerge_customers(lina, "u1", merge_id)
    assert [r.score for r in feedback.ratings_of_customer(target)] == [5]
    assert [r.score for r in feedback.ratings_of_customer(source)] == [2]
    assert [a.score for a in feedback.nps_of_customer(source)] == [3]
    assert figures(target) == (5.0, 9) and figures(source) == (2.0, 3)
