"""Hub schema migrations and store rules, on a real SQLite file and PostgreSQL database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.protocol.models import ClosedBy, IdentityKind, Presence
from hub.auth import Authenticator, TokenError, TokenProblem
from hub.demo.seed import DEMO_AGENTS, DEMO_PASSWORD, is_empty, seed_demo
from hub.store import schema
from hub.store.store import Store, StoreError, create_engine
from tests.support.databases import DatabaseMaker


@pytest.fixture
def store(hub_db: str) -> Store:
    engine = create_engine(hub_db)
    schema.migrate(engine)
    return Store(engine)


def test_migrate_new_database_then_again_is_a_no_op(databases: DatabaseMaker) -> None:
    engine = create_engine(databases.new("a", migrated=False))
    assert schema.migrate(engine) == 0
    assert schema.migrate(engine) == schema.LATEST_VERSION
    with engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST_VERSION
        assert sa.inspect(conn).has_table("agent_events")
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_database_from_a_newer_hub_is_refused(databases: DatabaseMaker) -> None:
    engine = create_engine(databases.new("b", migrated=False))
    schema.migrate(engine)
    with engine.begin() as conn:
        conn.execute(schema.schema_migrations.insert().values(version=999, applied_at=0))
    with pytest.raises(schema.SchemaTooNewError):
        schema.migrate(engine)


def test_seed_is_deterministic_and_realistic(databases: DatabaseMaker) -> None:
    names = []
    for name in ("s1", "s2"):
        engine = create_engine(databases.new(f"{name}", migrated=False))
        schema.migrate(engine)
        store = Store(engine)
        assert is_empty(store)
        seed_demo(store, Authenticator(store), customers=20, seed=3)
        assert not is_empty(store)
        with engine.connect() as conn:
            names.append(sorted(conn.execute(sa.select(schema.customers.c.name)).scalars()))
            phones = list(
                conn.execute(
                    sa.select(schema.identities.c.value).where(schema.identities.c.kind == "phone")
                ).scalars()
            )
    assert names[0] == names[1] and len(names[0]) == 20
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names[0])
    assert any(n.isascii() for n in names[0])
    assert all(p.startswith(("+86", "+1")) for p in phones)


def test_passwords_are_argon2_and_tokens_hashed(store: Store) -> None:
    auth = Authenticator(store, token_ttl_s=3600)
    seed_demo(store, auth, customers=1)
    username = DEMO_AGENTS[0][0]
    row = store.agent_by_username(username)
    assert row is not None and row.password_hash.startswith("$argon2")
    agent_id = auth.check_password(username, DEMO_PASSWORD)
    assert agent_id == row.id
    assert auth.check_password(username, "wrong") is None
    assert auth.check_password("nobody", DEMO_PASSWORD) is None
    token, _ = auth.issue_token(agent_id)
    with store.engine.connect() as conn:
        stored = list(conn.execute(sa.select(schema.tokens.c.token_hash)).scalars())
    assert token not in stored and len(stored) == 1
    assert auth.resolve(token) == agent_id
    assert auth.revoke(token)
    with pytest.raises(TokenError) as info:
        auth.resolve(token)
    assert info.value.problem == TokenProblem.UNKNOWN


def test_expired_token_is_reported_as_expired(store: Store) -> None:
    auth = Authenticator(store, token_ttl_s=-1)
    agent_id = store.create_agent("x", "X", auth.hash_password("password1"))
    token, _ = auth.issue_token(agent_id)
    with pytest.raises(TokenError) as info:
        auth.resolve(token)
    assert info.value.problem == TokenProblem.EXPIRED


def test_event_seq_is_contiguous_per_agent(store: Store) -> None:
    a = store.create_agent("a", "A", "h")
    b = store.create_agent("b", "B", "h")
    for presence in (Presence.AVAILABLE, Presence.AWAY, Presence.AVAILABLE):
        store.set_presence(a, presence)
    store.set_presence(b, Presence.AWAY)
    assert store.set_presence(b, Presence.AWAY) is None  # no change, no event
    assert [e.seq for e in store.events_after(a, 0, 100)] == [1, 2, 3]
    assert [e.seq for e in store.events_after(a, 1, 100)] == [2, 3]
    assert [e.seq for e in store.events_after(b, 0, 100)] == [1]


def test_agent_can_only_write_to_own_open_conversation(store: Store) -> None:
    a = store.create_agent("a", "A", "h")
    b = store.create_agent("b", "B", "h")
    cust = store.create_customer("C", [(IdentityKind.EMAIL, "c@example.com")])
    conv = store.create_conversation(cust)
    store.assign(conv.id, a)
    with pytest.raises(StoreError) as info:
        store.add_agent_message("op", b, conv.id, "m1", "hi")
    assert info.value.code == "not_found"
    store.add_agent_message("op1", a, conv.id, "m1", "hi")
    with pytest.raises(StoreError) as info:
        store.add_agent_message("op2", a, conv.id, "m1", "same id")
    assert info.value.code == "conflict"
    store.close_conversation(conv.id, ClosedBy.AGENT, agent_id=a, op="op3")
    with pytest.raises(StoreError) as info:
        store.add_agent_message("op4", a, conv.id, "m2", "closed")
    assert info.value.code == "conflict"


def _old_data(engine: sa.Engine, store: Store) -> tuple[str, str, str]:
    """Agent, customer and a conversation with a message, written with only the
    columns every version has (plain inserts, no reads of newer columns)."""
    agent = store.create_agent("old", "Old Agent", "h")
    cust = store.create_customer("老客户", [(IdentityKind.PHONE, "+8613800000000")])
    with engine.begin() as conn:
        conn.execute(schema.queues.insert().values(id="chat", name="Chat", channel="chat"))
        conn.execute(schema.conversations.insert().values(
            id="conv_old", customer_id=cust, channel="chat", status="open", queue_id="chat",
            agent_id=agent, created_at=1_000))
        conn.execute(schema.messages.insert().values(
            id="m_old", conversation_id="conv_old", author="agent", agent_id=agent,
            text="kept", created_at=2_000, status="sent"))
    store.set_presence(agent, Presence.AVAILABLE)
    return agent, cust, "conv_old"


def test_every_earlier_version_migrates_forward_keeping_data(databases: DatabaseMaker) -> None:
    # Numbering may have gaps (each line of work owns its numbers).
    for start in [v for v, _ in schema.MIGRATIONS if v < schema.LATEST_VERSION]:
        engine = create_engine(databases.new(f"from-v{start}", migrated=False))
        schema.migrate(engine, target=start)
        store = Store(engine)
        agent, cust, conv = _old_data(engine, store)
        with engine.connect() as conn:
            assert schema.current_version(conn) == start
            columns = {c["name"] for c in sa.inspect(conn).get_columns("customers")}
            if start < 3:
                assert "attributes" not in columns  # the old shape, really
        assert schema.migrate(engine) == start
        with engine.connect() as conn:
            assert schema.current_version(conn) == schema.LATEST_VERSION
            # Existing agents keep seeing what they saw: every queue is theirs.
            queues = set(conn.execute(sa.select(schema.agent_queues.c.queue_id).where(
                schema.agent_queues.c.agent_id == agent)).scalars())
        if start < 3:  # only step 3 grants every existing queue
            assert queues == {"chat", "store"}
        assert [m.text for m in store.messages_of(conv)] == ["kept"]
        record = store.customer(cust)
        assert record.name == "老客户"
        assert [(i.value, i.verified) for i in record.identities] == [("+8613800000000", True)]
        assert record.auto_tags == [] and record.attributes == {} and record.notes == []
        assert record.stats is not None and record.stats.open_conversations == 1
        assert [e.seq for e in store.events_after(agent, 0, 10)] == [1]
        store.add_tags(cust, ["store:x", "store:x", "vip"])
        assert store.customer(cust).tags == ["store:x", "vip"]
        assert store.fetch_customer(agent, cust).id == cust
        assert store.resolve_identity(IdentityKind.PHONE, "138 0000 0000") == cust


def test_versions_from_3_migrate_forward_to_routing_columns(databases: DatabaseMaker) -> None:
    """Numbers may have gaps (each feature owns its numbers); every shipped one
    from 3 on reaches the latest with conversations readable and routing columns."""
    for start in [v for v, _ in schema.MIGRATIONS if 3 <= v < schema.LATEST_VERSION]:
        engine = create_engine(databases.new(f"from-v{start}", migrated=False))
        schema.migrate(engine, target=start)
        store = Store(engine)
        agent, _, conv = _old_data(engine, store)
        with engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("conversations")}
            assert start >= 4 or "sla_due_at" not in columns
        assert schema.migrate(engine) == start
        with engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("conversations")}
            assert {"priority", "sla_due_at", "first_reply_at", "disposition"} <= columns
            assert sa.inspect(conn).has_table("offers")
        loaded = store.conversation(conv)
        assert loaded is not None and loaded.priority == 0 and loaded.sla_due_at is None
        assert [m.text for m in store.messages_of(conv)] == ["kept"]
        rows = {r.id: r for r in store.routing_agents()}
        assert rows[agent].missed == 0 and rows[agent].skills == {}


def test_typed_contact_points_become_claims_that_free_the_key(databases: DatabaseMaker) -> None:
    """Step 7: an unverified identity no longer owns its key (a visitor's typed
    address made every mail from it fail); it is a claim, and old merges that moved
    one still move it back."""
    engine = create_engine(databases.new("v6", migrated=False))
    schema.migrate(engine, target=6)
    with engine.begin() as conn:
        conn.execute(schema.customers.insert(), [
            {"id": cid, "name": cid, "created_at": 1_000, "merged_into": merged}
            for cid, merged in (("c_anon", None), ("c_tgt", None), ("c_src", "c_tgt"))])
        conn.execute(schema.identities.insert(), [
            {"kind": "visitor", "value": "v_anon", "customer_id": "c_anon", "verified": True},
            {"kind": "email", "value": "ceo@example.com", "customer_id": "c_anon",
             "verified": False},
            {"kind": "phone", "value": "12345", "customer_id": "c_tgt", "verified": False},
            {"kind": "phone", "value": "+8613800000001", "customer_id": "c_tgt",
             "verified": True},
        ])
        conn.execute(schema.merges.insert().values(
            id="mg_old", target_id="c_tgt", source_id="c_src", conversation_ids="[]",
            identities='[["phone", "12345"]]', note_ids="[]",
            tags='{"added": [], "source": []}',
            profile='{"fields": [], "attributes": [], "consent": []}', created_at=2_000))
    assert schema.migrate(engine) == 6
    store = Store(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(schema.identities.c.value).where(
            schema.identities.c.verified == sa.false())).all() == []
    assert [(i.value, i.verified) for i in store.customer("c_anon").identities] == [
        ("ceo@example.com", False)]
    owner = store.owner_or_new_customer(IdentityKind.EMAIL, "ceo@example.com", "CEO")
    assert owner != "c_anon" and store.resolve_identity(IdentityKind.EMAIL,
                                                        "ceo@example.com") == owner
    supervisor = store.create_agent("sup", "Sup", "h", "supervisor")
    store.unmerge_customers(supervisor, "op1", "mg_old")
    assert [(i.value, i.verified) for i in store.customer("c_src").identities] == [
        ("12345", False)]
    assert [(i.value, i.verified) for i in store.customer("c_tgt").identities] == [
        ("+8613800000001", True)]
