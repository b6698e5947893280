"""The database's guards on offers with several routing processes (PostgreSQL):
a deposed router's offer is refused and writes nothing, a new term waits for an
offer of the old term still in flight, and a second open offer of a conversation
or an offer over the agent's capacity is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from core.protocol.models import Channel
from hub.routing.cluster_store import ClusterStore, DeposedError, OfferGuard
from hub.store import schema as t
from hub.store.base import StoreError, create_engine
from hub.store.store import Store
from tests.support.databases import DatabaseMaker


@pytest.fixture
def store(postgres_dbs: DatabaseMaker) -> Iterator[Store]:
    engine = create_engine(postgres_dbs.new("guards"))
    yield Store(engine)
    engine.dispose()


def _waiting(store: Store, n: int) -> list[str]:
    customer = store.create_customer("Guarded")
    return [store.create_conversation(customer, queue="chat").id for _ in range(n)]


def _offers(store: Store) -> int:
    with store.db.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.offers)).scalar_one())


def _offer(store: Store, conversation_id: str, agent_id: str, guard: OfferGuard) -> str:
    offer_id, _ = store.create_offer(conversation_id, agent_id, 2**40, 0, "chat", None, None,
                                     guard)
    return offer_id


def test_a_deposed_router_cannot_offer(store: Store) -> None:
    cluster = ClusterStore(store.db)
    agent = store.create_agent("ann", "Ann", "x")
    (conversation,) = _waiting(store, 1)
    old = cluster.take_term("a-1")
    new = cluster.take_term("b-2")  # another process was elected
    assert new == old + 1
    with pytest.raises(DeposedError):
        _offer(store, conversation, agent, OfferGuard(old, Channel.CHAT, 3))
    assert _offers(store) == 0
    (head,) = [store.head_seq(agent)]
    assert head == 0, "nothing written, not even the agent's event"
    _offer(store, conversation, agent, OfferGuard(new, Channel.CHAT, 3))
    assert _offers(store) == 1


def test_a_new_term_waits_for_an_offer_of_the_old_term_in_flight(store: Store) -> None:
    cluster = ClusterStore(store.db)
    agent = store.create_agent("ann", "Ann", "x")
    (conversation,) = _waiting(store, 1)
    term = cluster.take_term("a-1")
    with store.db.unit() as conn:  # the old router's offer, not committed yet
        ClusterStore.guard_offer(conn, conversation, agent, OfferGuard(term, Channel.CHAT, 3))
        with store.engine.connect() as other:
            other.execute(sa.text("SET lock_timeout = '300ms'"))
            with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
                other.execute(t.routing_lease.update().values(term=t.routing_lease.c.term + 1))
            other.rollback()
    assert cluster.take_term("b-2") == term + 1  # once it committed


def test_one_open_offer_per_conversation_and_capacity_kept(store: Store) -> None:
    cluster = ClusterStore(store.db)
    ann = store.create_agent("ann", "Ann", "x")
    bob = store.create_agent("bob", "Bob", "x")
    first, second, third = _waiting(store, 3)
    term = cluster.take_term("a-1")
    _offer(store, first, ann, OfferGuard(term, Channel.CHAT, 2))
    with pytest.raises(StoreError, match="being offered"):
        _offer(store, first, bob, OfferGuard(term, Channel.CHAT, 2))
    _offer(store, second, ann, OfferGuard(term, Channel.CHAT, 2))
    with pytest.raises(StoreError, match="capacity"):
        _offer(store, third, ann, OfferGuard(term, Channel.CHAT, 2))
    assert _offers(store) == 2
    # Ending an offer: of two processes ending it at once, one does.
    offer_id = _offer(store, third, bob, OfferGuard(term, Channel.CHAT, 2))
    assert store.end_open_offer(offer_id, "accepted", None)[0]
    assert not store.end_open_offer(offer_id, "timeout", None)[0]
