"""Hub features behind offline work: snapshots in parts, walk-in visits recorded
later, store-mode customer pages, and the state digest of the consistency check."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import msgspec

from core.protocol import agent as ap
from core.protocol.digest import StateDigest, conversation_line, message_line, table_digest
from core.protocol.models import Channel, ConversationStatus
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.routing_files import routing_variant

STORE = "store:shanghai-xujiahui"


async def test_large_snapshot_comes_in_bounded_parts(
    make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    # An agent allowed 200 chats at once, so one agent holds all 120.
    config = routing_variant(tmp_path, {"chat = 3": "chat = 200"})
    hub = make_hub("--routing-config", str(config), "--new-visitors-per-minute", "1000")
    lina = await AgentProbe.logged_in(hub.url, "lina")
    customers = [SimCustomer(hub.customer_ws_url, name=f"C{i}") for i in range(120)]
    for batch in range(0, 120, 20):
        group = customers[batch : batch + 20]
        await asyncio.gather(*(c.connect() for c in group))
        await asyncio.gather(*(c.send(f"hello from {c.name}") for c in group))
        await asyncio.gather(*(c.disconnect() for c in group))
    await lina.wait_for(lambda: len(lina.bodies(ap.ConversationAssigned)) == 120, timeout=20)
    await lina.close()

    fresh = AgentProbe(hub.url, lina.token)
    await fresh.connect(last_seq=None)
    parts = await fresh.wait_for(
        lambda: (p := [f for f in fresh.frames if isinstance(f, ap.Snapshot)]) and p[-1].last and p
    )
    assert len(parts) >= 3
    assert [p.part for p in parts] == list(range(len(parts)))
    assert [p.last for p in parts] == [False] * (len(parts) - 1) + [True]
    assert all(len(p.conversations) <= 50 for p in parts)
    assert len({c.conversation.id for p in parts for c in p.conversations}) == 120
    assert len({p.seq for p in parts}) == 1
    await fresh.close()


async def test_walk_in_visit_is_recorded_once_with_its_note(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    page = await lina.command(ap.FetchCustomers(op="fetch-1", tag=STORE, limit=5))
    assert isinstance(page, ap.Customers)
    customer = page.customers[0].customer
    visited_at = int(time.time() * 1000) - 3_600_000  # recorded offline an hour ago
    cmd = ap.RecordVisit(op="visit-op-1", conversation_id="conv_" + uuid.uuid4().hex,
                         customer_id=customer.id, note="到店咨询会员积分，已办理兑换。",
                         visited_at=visited_at)
    first = await lina.command(cmd)
    assert isinstance(first, ap.Ack) and first.seq is not None
    lina.frames.clear()
    again = await lina.command(cmd)
    assert isinstance(again, ap.Ack) and again.seq == first.seq
    body = await lina.wait_body(ap.ConversationAssigned,
                                lambda b: b.conversation.id == cmd.conversation_id)
    assert body.conversation.channel == Channel.STORE
    assert body.conversation.status == ConversationStatus.CLOSED
    assert body.conversation.created_at == visited_at
    assert [m.text for m in body.messages] == [cmd.note]
    assert len(lina.bodies(ap.ConversationAssigned)) == 1

    # The visit now shows in the customer's history for everyone.
    page = await lina.command(ap.FetchCustomers(op="fetch-2", tag=STORE, limit=500))
    assert isinstance(page, ap.Customers)
    record = next(r for r in page.customers if r.customer.id == customer.id)
    assert record.history[0].id == cmd.conversation_id
    assert record.history[0].channel == Channel.STORE

    bad = await lina.command(ap.RecordVisit(op="visit-op-2", conversation_id="conv_x",
                                            customer_id="c_nope", note="?", visited_at=1))
    assert isinstance(bad, ap.Error) and bad.code == "not_found"
    taken = await lina.command(ap.RecordVisit(op="visit-op-3",
                                              conversation_id=cmd.conversation_id,
                                              customer_id=customer.id, note="dup",
                                              visited_at=1))
    assert isinstance(taken, ap.Error) and taken.code == "conflict"
    await lina.close()


async def test_store_customers_come_in_pages_and_other_tags_are_refused(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    seen: list[str] = []
    after = None
    for n in range(20):
        page = await lina.command(ap.FetchCustomers(op=f"page-{n}", tag=STORE, after=after,
                                                    limit=2))
        assert isinstance(page, ap.Customers)
        assert len(page.customers) <= 2
        seen += [r.customer.id for r in page.customers]
        for record in page.customers:
            assert STORE in record.customer.tags
            assert all(i.kind != "visitor" for i in record.customer.identities)
        after = page.next_after
        if after is None:
            break
    assert after is None and len(seen) == len(set(seen)) >= 4
    refused = await lina.command(ap.FetchCustomers(op="vip", tag="vip"))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    await lina.close()


def _get_digest(hub: HubProcess, token: str) -> StateDigest:
    req = urllib.request.Request(hub.url + "/api/digest",
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return msgspec.json.decode(resp.read(), type=StateDigest)


async def test_digest_matches_what_the_agent_stream_says(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    c = SimCustomer(hub.customer_ws_url)
    await c.connect()
    await c.send("one")
    assigned = await lina.wait_body(ap.ConversationAssigned)
    await lina.reply(assigned.conversation.id, "two")
    await c.wait_message()
    await lina.wait_body(ap.MessageStatusChanged)
    # The hub's digest first: units after the reply (mood, suggestions) may still
    # append events, so the stream is read up to the head the digest names.
    digest = await asyncio.to_thread(_get_digest, hub, lina.token)
    await eventually(lambda: bool(lina.events) and lina.events[-1].seq >= digest.head_seq)
    events = [e for e in lina.events if e.seq <= digest.head_seq]
    # Rebuild the agent's view from its stream alone, as a client cache would.
    messages: dict[str, tuple[str, str, str, str]] = {}
    for body in [e.body for e in events]:
        if isinstance(body, ap.ConversationAssigned):
            for m in body.messages:
                messages[m.id] = (m.conversation_id, m.author, m.status, m.text)
        elif isinstance(body, ap.MessageAdded):
            m = body.message
            messages[m.id] = (m.conversation_id, m.author, m.status, m.text)
        elif isinstance(body, ap.MessageStatusChanged):
            conv, author, _, text = messages[body.message_id]
            messages[body.message_id] = (conv, author, body.status, text)
    expected = StateDigest(
        head_seq=events[-1].seq,
        conversations=table_digest([conversation_line(assigned.conversation.id,
                                                      assigned.customer.id, "open")]),
        messages=table_digest(message_line(i, *v) for i, v in messages.items()),
    )
    assert digest == expected
    assert digest.messages.count == 2

    try:
        await asyncio.to_thread(_get_digest, hub, "forged")
        raise AssertionError("a forged token must be refused")
    except urllib.error.HTTPError as err:
        assert err.code == 401
        assert json.loads(err.read())["error"]["code"] == "unauthorized"
    await c.disconnect()
    await lina.close()
