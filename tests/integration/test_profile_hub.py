"""Customer profiles through a real hub: profile_config, commands and reads over
the agent socket, identity resolution from the widget, permissions."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import profile as pp
from core.protocol.codec import PROTOCOL_VERSION, encode_text
from core.protocol.models import ClosedBy, IdentityKind
from hub.demo.simulator import SimCustomer
from hub.store import schema as t
from hub.store.store import Store, create_engine, now_ms
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess

# The hub under these runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.postgresql


def op() -> str:
    return uuid.uuid4().hex


async def ask(probe: AgentProbe, frame: Any) -> Any:
    """Send a command or read; the frame that answers its op."""
    await probe.send(frame)
    return await probe.wait_for(
        lambda: next((f for f in probe.frames if getattr(f, "op", None) == frame.op), None)
    )


def seeded(hub: HubProcess) -> tuple[Store, dict[str, str]]:
    """The hub's database (read beside the running hub) and a seeded customer by email."""
    store = Store(create_engine(hub.db_path))
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.identities.c.customer_id, t.identities.c.value)
                            .where(t.identities.c.kind == "phone")
                            .order_by(t.identities.c.value)).all()
    return store, {r.value: r.customer_id for r in rows}


async def test_profile_config_comes_right_after_welcome(hub: HubProcess) -> None:
    probe = await AgentProbe.logged_in(hub.url)
    await probe.wait_for(lambda: len(probe.frames) >= 2)
    assert isinstance(probe.frames[0], ap.Welcome)
    config = probe.frames[1]
    assert isinstance(config, pp.ProfileConfig)
    assert config.default_region == "CN"
    assert {a.key: a.type.value for a in config.attributes}["birthday"] == "date"
    assert "marketing_email" in config.consent_keys
    await probe.close()


async def test_widget_contact_points_are_claims_never_an_identity_takeover(
    hub: HubProcess,
) -> None:
    store, by_phone = seeded(hub)
    phone, owner = next((p, c) for p, c in by_phone.items() if p.startswith("+86"))
    spelled = f"00{phone[1:3]}-{phone[3:6]} {phone[6:10]}.{phone[10:]}"
    before = store.customer(owner)
    agent = await AgentProbe.logged_in(hub.url, "wang")
    visitor = SimCustomer(hub.customer_ws_url, name="Anon")
    await visitor.connect()
    await visitor.send("我之前打过电话")
    assigned = await agent.wait_body(ap.ConversationAssigned)
    anon_id = assigned.customer.id
    await visitor.disconnect()
    # Comes back and types someone else's phone number (in another spelling).
    back = SimCustomer(hub.customer_ws_url, visitor_id=visitor.visitor_id)
    back_ws = await _hello(back, phone=spelled)
    assert back_ws.customer_name == "Anon"  # whose number it is is not revealed
    assert back_ws.conversation_id == assigned.conversation.id  # only their own chat
    # No merge: the agent gets a note on the visitor's record and decides.
    updated = await agent.wait_body(pp.CustomerUpdated, lambda b: b.customer.id == anon_id)
    # The note says the number is someone else's without naming whose: the note is
    # on the visitor, and who the other customer is stays behind their permissions.
    note = next(n for n in updated.customer.notes if phone in n.text)
    assert "belongs to another existing customer" in note.text
    assert owner not in note.text and before.name not in note.text
    assert agent.bodies(pp.CustomerMerged) == []
    assert store.conversation(assigned.conversation.id).customer_id == anon_id  # type: ignore
    assert store.customer(owner) == before
    await back.disconnect()
    # A new visitor typing an unknown email gets it, unverified: shown, never resolved.
    fresh = SimCustomer(hub.customer_ws_url, name="New")
    await _hello(fresh, email=" New.Person@Example.COM ")
    await fresh.send("hi")
    assigned_new = await agent.wait_body(ap.ConversationAssigned,
                                         lambda b: b.customer.id != anon_id)
    assert any(i.value == "new.person@example.com" and not i.verified
               for i in store.customer(assigned_new.customer.id).identities)
    assert store.resolve_identity(IdentityKind.EMAIL, "new.person@example.com") is None
    await fresh.disconnect()
    await agent.close()


async def _hello(sim: SimCustomer, email: str | None = None, phone: str | None = None
                 ) -> cp.Welcome:
    """SimCustomer.connect with contact points in the hello."""
    import websockets

    from core.protocol.codec import customer_server_decoder

    sim._ws = await websockets.connect(sim.url)
    await sim._ws.send(encode_text(cp.Hello(v=PROTOCOL_VERSION, visitor_id=sim.visitor_id,
                                            name=sim.name, email=email, phone=phone)))
    welcome = customer_server_decoder().decode(await sim._ws.recv())
    assert isinstance(welcome, cp.Welcome)
    sim.visitor_id = welcome.visitor_id
    import asyncio

    sim._reader = asyncio.create_task(sim._read())
    return welcome


async def test_commands_ack_with_the_event_seq_and_repeat_safely(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url)
    visitor = SimCustomer(hub.customer_ws_url, name="Profile Test")
    await visitor.connect()
    await visitor.send("hello")
    assigned = await lina.wait_body(ap.ConversationAssigned)
    cid = assigned.customer.id
    assert assigned.customer.stats is not None and assigned.customer.stats.open_conversations == 1
    note = pp.AddNote(op=op(), customer_id=cid, note_id="note_it1", text="喜欢 😀 emoji")
    ack = await ask(lina, note)
    assert isinstance(ack, ap.Ack) and ack.seq is not None
    updated = await lina.wait_body(pp.CustomerUpdated)
    assert [n.text for n in updated.customer.notes] == ["喜欢 😀 emoji"]
    assert updated.customer.notes[0].author_name == "李娜"
    assert any(e.seq == ack.seq and isinstance(e.body, pp.CustomerUpdated) for e in lina.events)
    # The same op again: the same answer, the note stored once.
    await lina.send(note)
    await lina.wait_for(lambda: sum(isinstance(f, ap.Ack) and f.op == note.op
                                    for f in lina.frames) == 2)
    assert len(lina.bodies(pp.CustomerUpdated)) == 1
    bad = await ask(lina, pp.AddIdentity(op=op(), customer_id=cid, kind=IdentityKind.PHONE,
                                         value="555"))
    assert isinstance(bad, ap.Error) and bad.code == "invalid_identity" and "555" in bad.message
    wrong = await ask(lina, pp.UpdateCustomer(op=op(), customer_id=cid,
                                              attributes={"birthday": "yesterday"}))
    assert isinstance(wrong, ap.Error) and wrong.code == "invalid"
    itself = await ask(lina, pp.MergeCustomers(op=op(), target_id=cid, source_id=cid))
    assert isinstance(itself, ap.Error) and itself.code == "merge_refused"
    fetched = await ask(lina, pp.FetchCustomer(op=op(), customer_id=cid))
    assert isinstance(fetched, pp.CustomerFrame) and fetched.customer.notes
    await visitor.disconnect()
    await lina.close()


async def test_permissions_follow_queues_and_roles(hub: HubProcess) -> None:
    store = Store(create_engine(hub.db_path))
    mail = store.create_customer("Only Email", [(IdentityKind.EMAIL, "only@example.com")])
    conv = store.create_conversation(mail, queue="email")
    store.add_customer_message(conv.id, mail, "e1", "by email", "Only Email")
    # Closed, so routing (which ignores queues so far) gives it to nobody.
    store.close_conversation(conv.id, ClosedBy.SYSTEM)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    wang = await AgentProbe.logged_in(hub.url, "wang")
    lina = await AgentProbe.logged_in(hub.url, "lina")
    for frame in (pp.FetchCustomer(op=op(), customer_id=mail),
                  pp.FetchTimeline(op=op(), customer_id=mail),
                  pp.FetchTranscript(op=op(), conversation_id=conv.id),
                  pp.AddNote(op=op(), customer_id=mail, note_id="n_x", text="no")):
        answer = await ask(alex, frame)
        assert isinstance(answer, ap.Error) and answer.code == "forbidden", frame
    results = await ask(alex, pp.SearchCustomers(op=op(), query="only@"))
    assert isinstance(results, pp.CustomerResults) and results.customers == []
    for probe in (wang, lina):
        results = await ask(probe, pp.SearchCustomers(op=op(), query="ONLY@example"))
        assert [c.id for c in results.customers] == [mail]
        transcript = await ask(probe, pp.FetchTranscript(op=op(), conversation_id=conv.id))
        assert isinstance(transcript, pp.Transcript)
        assert [m.text for m in transcript.messages] == ["by email"]
    for probe in (alex, wang, lina):
        await probe.close()


STORE = "store:shanghai-xujiahui"


def store_regular(hub: HubProcess, name: str, phone: str) -> str:
    """A regular of the store who never chatted, mailed or called: only the store's
    staff (and supervisors) may see them."""
    store = Store(create_engine(hub.db_path))
    customer_id = store.create_customer(name, [(IdentityKind.PHONE, phone)])
    store.add_tags(customer_id, [STORE])
    return customer_id


async def test_a_visit_is_no_way_in_to_a_customer_outside_the_agents_queues(
    hub: HubProcess,
) -> None:
    store = Store(create_engine(hub.db_path))
    regular = store_regular(hub, "Store Regular", "+8613600136001")
    before = store.customer(regular)
    alex = await AgentProbe.logged_in(hub.url, "alex")  # chat, billing, voice: not the store
    lina = await AgentProbe.logged_in(hub.url, "lina")  # serves the store's queue
    visit = ap.RecordVisit(op=op(), conversation_id="conv_" + uuid.uuid4().hex,
                           customer_id=regular, note="路过看看", visited_at=now_ms())
    refused = await ask(alex, visit)
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    # The same op again: the same refusal, nothing stored.
    alex.frames.clear()
    again = await ask(alex, visit)
    assert isinstance(again, ap.Error) and again.code == "forbidden"
    assert store.conversation(visit.conversation_id) is None
    assert alex.bodies(ap.ConversationAssigned) == []
    for frame in (pp.FetchCustomer(op=op(), customer_id=regular),
                  pp.FetchTimeline(op=op(), customer_id=regular),
                  pp.UpdateCustomer(op=op(), customer_id=regular, name="Taken Over"),
                  pp.AddNote(op=op(), customer_id=regular, note_id="n_" + op(), text="x")):
        answer = await ask(alex, frame)
        assert isinstance(answer, ap.Error) and answer.code == "forbidden", frame
    results = await ask(alex, pp.SearchCustomers(op=op(), query="Store Regular"))
    assert isinstance(results, pp.CustomerResults) and results.customers == []
    assert store.customer(regular) == before

    # The store's staff record the very visit; it opens nothing to Alex.
    kept = await ask(lina, ap.RecordVisit(op=op(), conversation_id=visit.conversation_id,
                                          customer_id=regular, note=visit.note,
                                          visited_at=visit.visited_at))
    assert isinstance(kept, ap.Ack) and kept.seq is not None
    stored = store.conversation(visit.conversation_id)
    assert stored is not None and stored.customer_id == regular
    for frame in (pp.FetchCustomer(op=op(), customer_id=regular),
                  pp.FetchTranscript(op=op(), conversation_id=visit.conversation_id)):
        answer = await ask(alex, frame)
        assert isinstance(answer, ap.Error) and answer.code == "forbidden", frame
    await alex.close()
    await lina.close()


async def test_store_pages_carry_only_customers_the_agent_may_see(hub: HubProcess) -> None:
    regular = store_regular(hub, "Page Regular", "+8613600136002")
    alex = await AgentProbe.logged_in(hub.url, "alex")  # not the store's staff
    lina = await AgentProbe.logged_in(hub.url, "lina")
    wang = await AgentProbe.logged_in(hub.url, "wang")

    async def every_page(probe: AgentProbe) -> list[str]:
        ids: list[str] = []
        after = None
        while True:
            page = await probe.command(ap.FetchCustomers(op=op(), tag=STORE, after=after,
                                                         limit=3))
            assert isinstance(page, ap.Customers) and len(page.customers) <= 3
            ids += [r.customer.id for r in page.customers]
            after = page.next_after
            if after is None:
                return ids

    given = await every_page(alex)
    assert regular not in given
    assert len(given) == len(set(given))
    for customer_id in given:  # each one a customer Alex may open anyway
        answer = await ask(alex, pp.FetchCustomer(op=op(), customer_id=customer_id))
        assert isinstance(answer, pp.CustomerFrame), customer_id
    for probe in (lina, wang):
        staff = await every_page(probe)
        assert regular in staff and set(given) < set(staff)
    for probe in (alex, lina, wang):
        await probe.close()


async def test_bad_profile_config_stops_the_hub_naming_the_key(
    make_hub: Any, tmp_path: Path
) -> None:
    from hub.process import HubStartError

    bad = tmp_path / "rules.toml"
    bad.write_text('[[attributes]]\nkey = "vip_since"\ntype = "colour"\n')
    try:
        make_hub("--profile-config", str(bad), name="bad")
    except HubStartError as exc:
        assert "attributes[0].type" in exc.log and "colour" in exc.log
    else:
        raise AssertionError("the hub started with a bad profile config")
    bad.write_text('default_region = "CN"\n[rules.frequent_contact\n')
    try:
        make_hub("--profile-config", str(bad), name="bad2")
    except HubStartError as exc:
        assert "line 2" in exc.log
    else:
        raise AssertionError("the hub started with a bad profile config")


async def test_timeline_pages_over_the_wire_and_transcripts_of_others(hub: HubProcess) -> None:
    store = Store(create_engine(hub.db_path))
    alex_id = store.agent_by_username("alex").id  # type: ignore[union-attr]
    cid = store.create_customer("Long History", [(IdentityKind.PHONE, "+8613700137000")])
    channels = ["chat", "email", "voice", "store"]
    with store.engine.begin() as conn:
        conn.execute(t.conversations.insert(), [
            {"id": f"conv_h{i:03d}", "customer_id": cid, "channel": channels[i % 4],
             "status": "closed", "queue_id": "chat", "agent_id": alex_id,
             "created_at": 1_700_000_000_000 + (i // 3) * 1000,
             "duration_s": 65 if channels[i % 4] == "voice" else None,
             "outcome": "resolved" if channels[i % 4] == "voice" else None}
            for i in range(47)
        ])
        conn.execute(t.messages.insert(), [
            {"id": f"m_h{i:03d}", "conversation_id": f"conv_h{i:03d}", "author": "customer",
             "text": f"问题 {i}", "created_at": 1_700_000_000_000 + i, "status": "delivered"}
            for i in range(47)
        ])
    lina = await AgentProbe.logged_in(hub.url, "lina")
    ids: list[str] = []
    before: tuple[int | None, str | None] = (None, None)
    while True:
        page = await ask(lina, pp.FetchTimeline(op=op(), customer_id=cid, limit=20,
                                                before_at=before[0], before_id=before[1]))
        assert isinstance(page, pp.Timeline) and len(page.items) <= 20
        ids.extend(i.id for i in page.items)
        if page.next_before_at is None:
            break
        before = (page.next_before_at, page.next_before_id)
    assert len(ids) == len(set(ids)) == 47
    assert set(ids) == {f"conv_h{i:03d}" for i in range(47)}
    calls = await ask(lina, pp.FetchTimeline(op=op(), customer_id=cid, channel="voice",
                                             limit=100))
    assert len(calls.items) == 12
    assert all(i.duration_s == 65 and i.outcome == "resolved" and i.agent_name == "Alex Chen"
               for i in calls.items)
    # Alex handled it; Lina serves the chat queue and may read it, read-only.
    transcript = await ask(lina, pp.FetchTranscript(op=op(), conversation_id="conv_h005"))
    assert isinstance(transcript, pp.Transcript)
    assert transcript.conversation.agent_id == alex_id
    assert [m.text for m in transcript.messages] == ["问题 5"]
    await lina.close()
