"""Profile storage: merges and unmerges move every interaction exactly once,
permissions, timeline paging, automatic tags, identity resolution."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import profile as pp
from core.protocol.models import Channel, IdentityKind, Tier
from hub.auth import Authenticator
from hub.store import schema as t
from hub.store.base import now_ms
from hub.store.store import Store, StoreError, create_engine


def op() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def store(hub_db: str) -> Store:
    engine = create_engine(hub_db)
    t.migrate(engine)
    store = Store(engine)
    auth = Authenticator(store)
    from hub.demo.seed import seed_agents

    seed_agents(store, auth)
    return store


def agent(store: Store, username: str) -> str:
    row = store.agent_by_username(username)
    assert row is not None
    return str(row.id)


def customer_with_history(store: Store, name: str, phone: str, chats: int, queue: str = "chat",
                          channel: Channel = Channel.CHAT) -> tuple[str, list[str]]:
    cid = store.create_customer(name, [(IdentityKind.PHONE, phone)])
    convs = []
    for i in range(chats):
        conv = store.create_conversation(cid, channel=channel, queue=queue)
        store.add_customer_message(conv.id, cid, f"{conv.id}-{i}", f"msg {i}", name)
        store.add_customer_message(conv.id, cid, f"{conv.id}-{i}b", f"more {i}", name)
        convs.append(conv.id)
    return cid, convs


def holdings(store: Store, customer_id: str) -> dict[str, set[str]]:
    """Everything that belongs to a customer, by id."""
    with store.engine.connect() as conn:
        convs = set(conn.execute(sa.select(t.conversations.c.id).where(
            t.conversations.c.customer_id == customer_id)).scalars())
        return {
            "conversations": convs,
            "messages": set(conn.execute(sa.select(t.messages.c.id).where(
                t.messages.c.conversation_id.in_(convs))).scalars()),
            "identities": {f"{k}:{v}" for k, v in conn.execute(sa.select(
                t.identities.c.kind, t.identities.c.value).where(
                t.identities.c.customer_id == customer_id))},
            "notes": set(conn.execute(sa.select(t.notes.c.id).where(
                t.notes.c.customer_id == customer_id)).scalars()),
            "tags": set(conn.execute(sa.select(t.customer_tags.c.tag).where(
                t.customer_tags.c.customer_id == customer_id)).scalars()),
        }


def totals(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for name, table in (("conversations", t.conversations),
                                    ("messages", t.messages), ("identities", t.identities),
                                    ("notes", t.notes))}


def test_merge_then_unmerge_keeps_every_interaction_exactly_once(store: Store) -> None:
    lina = agent(store, "lina")
    a, _ = customer_with_history(store, "张伟", "+8613800138000", 3)
    b, _ = customer_with_history(store, "Zhang Wei", "+8613900139000", 2, queue="email",
                                 channel=Channel.EMAIL)
    store.add_identity(lina, pp.AddIdentity(op=op(), customer_id=b, kind=IdentityKind.EMAIL,
                                            value="zw@example.com"))
    store.add_note(lina, pp.AddNote(op=op(), customer_id=b, note_id="n_b1", text="老客户"))
    store.add_note(lina, pp.AddNote(op=op(), customer_id=a, note_id="n_a1", text="note a"))
    store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=b, tags=["vip", "x"]))
    store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=a, tags=["vip"]))
    before_a, before_b, before_totals = holdings(store, a), holdings(store, b), totals(store)

    merge_id, seq, out = store.merge_customers(lina, a, b, op())
    assert seq is not None and any(agent_id == lina for agent_id, _ in out)
    merged = holdings(store, a)
    for key in ("conversations", "messages", "identities", "notes"):
        assert merged[key] == before_a[key] | before_b[key]
        assert not before_a[key] & before_b[key]
    assert merged["tags"] == {"vip", "x"}
    assert holdings(store, b) == {k: set() for k in before_b}
    assert totals(store) == before_totals  # nothing copied, nothing lost
    with pytest.raises(StoreError) as info:
        store.fetch_customer(lina, b)
    assert info.value.code == "not_found"

    # A conversation that starts after the merge stays with the target.
    later = store.create_conversation(a, queue="chat")
    seq, _ = store.unmerge_customers(lina, op(), merge_id)
    after_a, after_b = holdings(store, a), holdings(store, b)
    assert after_b == before_b
    assert after_a["conversations"] == before_a["conversations"] | {later.id}
    for key in ("messages", "identities", "notes", "tags"):
        assert after_a[key] == before_a[key]
    with pytest.raises(StoreError) as info:
        store.unmerge_customers(lina, op(), merge_id)
    assert info.value.code == "merge_refused"


def test_merge_refusals(store: Store) -> None:
    lina = agent(store, "lina")
    a, _ = customer_with_history(store, "A", "+8613800138001", 1)
    b, _ = customer_with_history(store, "B", "+8613800138002", 1)
    with pytest.raises(StoreError) as info:
        store.merge_customers(lina, a, a, op())
    assert info.value.code == "merge_refused"
    call = store.create_conversation(b, channel=Channel.VOICE, queue="chat")
    with pytest.raises(StoreError) as info:
        store.merge_customers(lina, a, b, op())
    assert info.value.code == "merge_refused" and "call" in info.value.message
    store.close_conversation(call.id, closed_by=pp.ClosedBy.SYSTEM)
    merge_id, _, _ = store.merge_customers(lina, a, b, op())
    c, _ = customer_with_history(store, "C", "+8613800138003", 1)
    store.merge_customers(lina, c, a, op())  # the target is merged on: undo that first
    with pytest.raises(StoreError) as info:
        store.unmerge_customers(lina, op(), merge_id)
    assert info.value.code == "merge_refused"


def test_identity_claimed_by_another_customer_is_refused(store: Store) -> None:
    lina = agent(store, "lina")
    a, _ = customer_with_history(store, "A", "+8613800138000", 1)
    b, _ = customer_with_history(store, "B", "+8613900139000", 1)
    with pytest.raises(StoreError) as info:
        store.add_identity(lina, pp.AddIdentity(op=op(), customer_id=b, kind=IdentityKind.PHONE,
                                                value="0086-138-0013-8000"))
    assert info.value.code == "identity_taken" and a in info.value.message
    with pytest.raises(StoreError) as info:
        store.add_identity(lina, pp.AddIdentity(op=op(), customer_id=b, kind=IdentityKind.PHONE,
                                                value="12345"))
    assert info.value.code == "invalid_identity"
    store.add_identity(lina, pp.AddIdentity(op=op(), customer_id=b, kind=IdentityKind.PHONE,
                                            value="12345", keep_unverified=True))
    kept = [i for i in store.customer(b).identities if i.value == "12345"]
    assert kept and not kept[0].verified
    # Unverified values never resolve a contact; verified ones do, in any spelling.
    assert store.resolve_identity(IdentityKind.PHONE, "12345") is None
    assert store.resolve_identity(IdentityKind.PHONE, "+86 139 0013 9000") == b


def contacts(store: Store, customer_id: str) -> list[tuple[str, bool]]:
    return [(i.value, i.verified) for i in store.customer(customer_id).identities]


def test_claims_never_block_the_owner_of_a_contact_point(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    lina = agent(store, "lina")
    anon = store.create_customer("Anon", [(IdentityKind.VISITOR, "v_anon")])
    other = store.create_customer("Other", [(IdentityKind.VISITOR, "v_other")])
    for visitor in (anon, other):  # two visitors may type the same address
        store.add_claim(visitor, IdentityKind.EMAIL, "boss@example.com")
    assert store.add_claim(anon, IdentityKind.EMAIL, "boss@example.com") == []  # had it
    assert contacts(store, anon) == contacts(store, other) == [("boss@example.com", False)]
    assert store.resolve_identity(IdentityKind.EMAIL, "boss@example.com") is None
    # The owner proves it (mail from the address); the claims stay suggestions.
    boss = store.owner_or_new_customer(IdentityKind.EMAIL, "boss@example.com", "Boss")
    assert boss not in (anon, other)
    assert store.owner_or_new_customer(IdentityKind.EMAIL, "boss@example.com", "x") == boss
    assert store.resolve_identity(IdentityKind.EMAIL, "boss@example.com") == boss
    assert contacts(store, anon) == [("boss@example.com", False)]
    # Another process that created the owner just after our look-up wins cleanly.
    real = store.customer_by_identity
    stale: list[str | None] = [None]  # what the first look-up saw
    monkeypatch.setattr(store, "customer_by_identity",
                        lambda *a: stale.pop() if stale else real(*a))
    assert store.owner_or_new_customer(IdentityKind.EMAIL, "boss@example.com", "Twin") == boss
    monkeypatch.undo()
    assert [c.name for c in store.search_customers(agent(store, "wang"), "Twin", 10)] == []
    # An agent gives a claimed address to a customer: theirs, verified.
    b, _ = customer_with_history(store, "B", "+8613900139000", 1)
    store.add_claim(anon, IdentityKind.PHONE, "+8613700137000")
    store.add_identity(lina, pp.AddIdentity(op=op(), customer_id=b, kind=IdentityKind.PHONE,
                                            value="137 0013 7000"))
    assert store.resolve_identity(IdentityKind.PHONE, "+8613700137000") == b
    assert ("+8613700137000", False) in contacts(store, anon)
    # A customer's own claim turns into their identity when an agent confirms it.
    store.add_claim(b, IdentityKind.EMAIL, "b@example.com")
    store.add_identity(lina, pp.AddIdentity(op=op(), customer_id=b, kind=IdentityKind.EMAIL,
                                            value="B@example.com"))
    assert ("b@example.com", True) in contacts(store, b)
    assert ("b@example.com", False) not in contacts(store, b)
    # Agents search claims too: the owner first, then who typed it.
    found = [c.id for c in store.search_customers(agent(store, "wang"), "Boss@Example.com", 10)]
    assert found[0] == boss and set(found) == {boss, anon, other}
    assert store.remove_identity(lina, pp.RemoveIdentity(
        op=op(), customer_id=b, kind=IdentityKind.EMAIL, value="b@example.com"))[0] is not None


def test_merges_move_claims_without_doubling_them(store: Store) -> None:
    lina = agent(store, "lina")
    a, _ = customer_with_history(store, "A", "+8613800138020", 1)
    b, _ = customer_with_history(store, "B", "+8613800138021", 1)
    c, _ = customer_with_history(store, "C", "+8613800138022", 1)
    store.add_claim(a, IdentityKind.EMAIL, "shared@example.com")
    store.add_claim(b, IdentityKind.EMAIL, "shared@example.com")
    store.add_claim(b, IdentityKind.EMAIL, "only-b@example.com")
    store.add_claim(c, IdentityKind.PHONE, "+8613800138020")  # typed A's number
    merge_ab, _, _ = store.merge_customers(lina, a, b, op())
    assert contacts(store, a) == [("only-b@example.com", False), ("shared@example.com", False),
                                  ("+8613800138020", True), ("+8613800138021", True)]
    merge_ac, _, _ = store.merge_customers(lina, a, c, op())
    assert ("+8613800138020", True) in contacts(store, a)
    assert ("+8613800138020", False) not in contacts(store, a)  # shown once, as owned
    store.unmerge_customers(lina, op(), merge_ac)
    assert contacts(store, c) == [("+8613800138020", False), ("+8613800138022", True)]
    store.unmerge_customers(lina, op(), merge_ab)
    assert contacts(store, a) == [("shared@example.com", False), ("+8613800138020", True)]
    assert contacts(store, b) == [("only-b@example.com", False), ("shared@example.com", False),
                                  ("+8613800138021", True)]


def test_agents_see_only_customers_of_their_queues(store: Store) -> None:
    alex, lina, wang = agent(store, "alex"), agent(store, "lina"), agent(store, "wang")
    mail, _ = customer_with_history(store, "Mail Only", "+8613800138005", 1, queue="email",
                                    channel=Channel.EMAIL)
    for who in (lina, wang):
        assert store.fetch_customer(who, mail).id == mail
    for action in (
        lambda: store.fetch_customer(alex, mail),
        lambda: store.add_note(alex, pp.AddNote(op=op(), customer_id=mail, note_id="n1",
                                                text="x")),
        lambda: store.update_customer(alex, pp.UpdateCustomer(op=op(), customer_id=mail,
                                                              name="y")),
        lambda: store.timeline(alex, pp.FetchTimeline(op=op(), customer_id=mail)),
    ):
        with pytest.raises(StoreError) as info:
            action()
        assert info.value.code == "forbidden"
    assert store.search_customers(alex, "Mail Only", 10) == []
    assert [c.id for c in store.search_customers(wang, "mail only", 10)] == [mail]
    assert [c.id for c in store.search_customers(lina, "138 0013 8005", 10)] == [mail]


def visit(store: Store, agent_id: str, customer_id: str) -> str:
    """Record a walk-in visit; returns its conversation id."""
    conversation_id = "conv_" + uuid.uuid4().hex
    store.record_visit(agent_id, ap.RecordVisit(op=op(), conversation_id=conversation_id,
                                                customer_id=customer_id, note="到店",
                                                visited_at=now_ms()))
    return conversation_id


def test_a_visit_needs_the_customer_in_view_and_never_widens_it(store: Store) -> None:
    alex, lina = agent(store, "alex"), agent(store, "lina")
    desk = store.create_agent("desk", "Store desk", "x")  # the store's queue only
    store.set_agent_queues(desk, ["store"])
    regular = store.create_customer("Regular", [(IdentityKind.PHONE, "+8613800138020")])
    store.add_tags(regular, ["store:shanghai-xujiahui"])
    mail, _ = customer_with_history(store, "Mail Only", "+8613800138021", 1, queue="email",
                                    channel=Channel.EMAIL)

    # Store mode: the store's staff see the store's regulars, and may record visits.
    assert store.may_see(desk, regular) and store.may_see(lina, regular)
    visit(store, desk, regular)
    with pytest.raises(StoreError) as info:
        visit(store, alex, regular)
    assert info.value.code == "forbidden"
    with pytest.raises(StoreError) as info:
        visit(store, desk, mail)
    assert info.value.code == "forbidden"
    with pytest.raises(StoreError) as info:
        visit(store, desk, "c_nobody")
    assert info.value.code == "not_found"
    assert not store.may_see(alex, regular)

    # Lina sees the mail customer through the email queue; her visit shows the
    # customer to nobody else (not the store's staff either).
    visit(store, lina, mail)
    assert not store.may_see(desk, mail) and not store.may_see(alex, mail)
    # Leaving the store's queue ends the view of its regulars, visits or not.
    store.set_agent_queues(desk, [])
    assert not store.may_see(desk, regular)
    with pytest.raises(StoreError) as info:
        store.fetch_customer(desk, regular)
    assert info.value.code == "forbidden"


def test_store_pages_hold_only_customers_the_agent_may_see(store: Store) -> None:
    alex, lina, wang = agent(store, "alex"), agent(store, "lina"), agent(store, "wang")
    tag = "store:shanghai-xujiahui"
    regulars = []
    for i in range(5):
        cid = store.create_customer(f"R{i}", [(IdentityKind.PHONE, f"+861380013803{i}")])
        store.add_tags(cid, [tag])
        regulars.append(cid)
    seen_in_chat, _ = customer_with_history(store, "Chatter", "+8613800138039", 1)
    store.add_tags(seen_in_chat, [tag])

    def pages(agent_id: str) -> list[str]:
        ids: list[str] = []
        after = None
        while True:
            records, after = store.customers_by_tag(agent_id, tag, after, 2)
            ids += [r.customer.id for r in records]
            if after is None:
                return ids

    assert pages(alex) == [seen_in_chat]
    assert sorted(pages(lina)) == sorted(pages(wang)) == sorted([*regulars, seen_in_chat])


def test_timeline_pages_without_gaps_or_repeats(store: Store) -> None:
    lina = agent(store, "lina")
    cid = store.create_customer("Many", [(IdentityKind.PHONE, "+8613800138009")])
    base = now_ms() - 100_000_000
    expected = set()
    for i in range(40):
        channel = [Channel.CHAT, Channel.EMAIL, Channel.VOICE][i % 3]
        # Pairs share a timestamp: the id breaks the tie.
        conv = store.create_conversation(cid, channel=channel, queue="chat",
                                         created_at=base + (i // 2) * 1000)
        expected.add(conv.id)
        if channel == Channel.VOICE:
            store.close_conversation(conv.id, closed_by=pp.ClosedBy.SYSTEM)
    for i in range(8):
        store.add_note(lina, pp.AddNote(op=op(), customer_id=cid, note_id=f"note_{i}",
                                        text=f"note {i}"))
        expected.add(f"note_{i}")
    seen: list[pp.TimelineItem] = []
    cursor: tuple[int | None, str | None] = (None, None)
    pages = 0
    while True:
        page = store.timeline(lina, pp.FetchTimeline(op=op(), customer_id=cid, limit=20,
                                                     before_at=cursor[0], before_id=cursor[1]))
        seen.extend(page.items)
        pages += 1
        if page.next_before_at is None:
            break
        cursor = (page.next_before_at, page.next_before_id)
    assert pages == 3
    assert len(seen) == len(expected) == 48
    assert {i.id for i in seen} == expected
    keys = [(i.at, i.id) for i in seen]
    assert keys == sorted(keys, reverse=True)
    voice = store.timeline(lina, pp.FetchTimeline(op=op(), customer_id=cid, limit=100,
                                                  channel=Channel.VOICE))
    assert len(voice.items) == 13 and all(i.channel == Channel.VOICE for i in voice.items)
    assert voice.next_before_at is None


def test_automatic_tags_carry_their_reasons(store: Store) -> None:
    lina = agent(store, "lina")
    cid, _ = customer_with_history(store, "Busy", "+8613800138010", 4)
    store.customer_changed(cid)
    tags = {a.rule: a for a in store.customer(cid).auto_tags}
    assert tags["frequent_contact"].reason == "4 contacts in the last 7 days"
    # the same as a code and parameters, for the desktop to say in the agent's language
    assert (tags["frequent_contact"].code, tags["frequent_contact"].params) == (
        "contacts_in_days", {"count": "4", "days": "7"})
    assert "recent_complaint" not in tags
    conv = store.create_conversation(cid, queue="chat")
    store.add_customer_message(conv.id, cid, "k1", "I want a REFUND now", "Busy")
    store.customer_changed(cid)
    tags = {a.rule: a for a in store.customer(cid).auto_tags}
    assert "“refund”" in tags["recent_complaint"].reason
    assert tags["recent_complaint"].code == "complaint_keyword"
    assert tags["recent_complaint"].params["keyword"] == "refund"
    store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=cid, tier=Tier.VIP))
    tags = {a.rule: a for a in store.customer(cid).auto_tags}
    assert tags["high_value"].reason == "tier is vip" and "churn_risk" not in tags
    assert (tags["high_value"].code, tags["high_value"].params) == ("tier", {"tier": "vip"})
    with store.engine.begin() as conn:
        conn.execute(t.customers.update().where(t.customers.c.id == cid).values(last_nps=4))
    store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=cid, name="Busy B"))
    tags = {a.rule: a for a in store.customer(cid).auto_tags}
    assert tags["churn_risk"].reason == "last NPS 4 (≤ 6)"
    assert (tags["churn_risk"].code, tags["churn_risk"].params) == (
        "last_nps", {"nps": "4", "max": "6"})


def test_attribute_values_are_typed(store: Store) -> None:
    lina = agent(store, "lina")
    cid, _ = customer_with_history(store, "Attr", "+8613800138011", 1)
    ok = pp.UpdateCustomer(op=op(), customer_id=cid, attributes={
        "member_level": "gold", "birthday": "1990-02-28", "lifetime_value": 1234.5,
        "company": "  الشركة 😀  "}, consent={"marketing_email": True})
    store.update_customer(lina, ok)
    record = store.customer(cid)
    assert record.attributes == {"member_level": "gold", "birthday": "1990-02-28",
                                 "lifetime_value": 1234.5, "company": "الشركة 😀"}
    assert record.consent == {"marketing_email": True}
    for attributes in ({"member_level": "diamond"}, {"birthday": "1990-02-30"},
                       {"birthday": "28/02/1990"}, {"lifetime_value": "lots"},
                       {"company": 5.0}, {"shoe_size": "42"}):
        with pytest.raises(StoreError) as info:
            store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=cid,
                                                          attributes=attributes))
        assert info.value.code == "invalid"
    store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=cid,
                                                  attributes={"company": None}))
    assert "company" not in store.customer(cid).attributes


def test_names_and_notes_refuse_control_characters(store: Store) -> None:
    lina = agent(store, "lina")
    cid, _ = customer_with_history(store, "N", "+8613800138012", 1)
    long_name = "😀" + "א" * 60 + "张" * 59
    store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=cid, name=long_name))
    assert store.customer(cid).name == long_name
    for bad in ("evil\x00name", "two\nlines", "bell\x07"):
        with pytest.raises(StoreError) as info:
            store.update_customer(lina, pp.UpdateCustomer(op=op(), customer_id=cid, name=bad))
        assert info.value.code == "invalid" and "control character" in info.value.message
    store.add_note(lina, pp.AddNote(op=op(), customer_id=cid, note_id="n_ok",
                                    text="第一行\n\tsecond 😀 مرحبا"))
    with pytest.raises(StoreError):
        store.add_note(lina, pp.AddNote(op=op(), customer_id=cid, note_id="n_bad",
                                        text="esc \x1b[31m red"))
    assert [n.text for n in store.customer(cid).notes] == ["第一行\n\tsecond 😀 مرحبا"]
