"""Routing with three hub processes on one PostgreSQL database: agents and
customers on different processes; every conversation is offered to one agent at
a time and no agent goes over capacity (from the database and from what each
agent's desktop received); SIGKILL of the routing process hands routing to
another within 5 s, and an offer the killed process made still times out."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from core.protocol import agent as ap
from core.protocol import routing as rp
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from testbed.routing_load import (
    PASSWORD,
    ChatLoad,
    Failover,
    add_agents,
    capacity_never_exceeded,
    check_offers,
    router_name,
    routing_file,
)
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.hub_sql import hub_rows

CAPACITY = 2
OFFER_TIMEOUT_S = 4
FAILOVER_LIMIT_S = 5.0


async def _start_hubs(make_hub: Callable[..., HubProcess], db: str, routing: Path,
                      names: tuple[str, ...]) -> list[HubProcess]:
    hubs = []
    for name in names:  # one after the other: the first one starts routing
        hubs.append(await asyncio.to_thread(
            make_hub, "--process-name", name, "--routing-config", str(routing),
            name=name, db=db))
    return hubs


def _check_agent_streams(probes: dict[str, AgentProbe]) -> dict[str, int]:
    """Replay what each agent received: ringing + held never over capacity, and a
    conversation offered to one agent at a time (by the events' hub timestamps).
    Returns how many conversations each agent was assigned."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    assigned = {}
    for name, probe in probes.items():
        ringing: dict[str, tuple[str, int]] = {}  # offer -> (conversation, since)
        held: set[str] = set()
        count = 0
        for event in probe.events:
            body = event.body
            if isinstance(body, rp.OfferMade):
                ringing[body.offer_id] = (body.conversation.id, event.ts)
            elif isinstance(body, rp.OfferWithdrawn):
                conversation_id, since = ringing.pop(body.offer_id)
                spans.setdefault(conversation_id, []).append((since, event.ts, name))
            elif isinstance(body, ap.ConversationAssigned):
                for offer_id, (conversation_id, since) in list(ringing.items()):
                    if conversation_id == body.conversation.id:
                        del ringing[offer_id]
                        spans.setdefault(conversation_id, []).append((since, event.ts, name))
                held.add(body.conversation.id)
                count += 1
            elif isinstance(body, ap.ConversationClosed | ap.ConversationUnassigned):
                held.discard(body.conversation_id)
            assert len(held) + len(ringing) <= CAPACITY, f"{name} over capacity at {event.seq}"
        for conversation_id, since in ringing.values():
            spans.setdefault(conversation_id, []).append((since, 2**62, name))
        assigned[name] = count
    for conversation_id, offered in spans.items():
        offered.sort()
        for (_, end, who), (start, _, other) in itertools.pairwise(offered):
            assert end <= start, f"{conversation_id} offered to {who} and {other} at once"
    return assigned


async def _agents(hubs: list[HubProcess], names: list[str], accept: bool
                  ) -> dict[str, AgentProbe]:
    """Agent i signs in on hub i mod 3."""
    probes = {}
    for i, name in enumerate(names):
        probes[name] = await AgentProbe.logged_in(hubs[i % len(hubs)].url, name, PASSWORD,
                                                  accept_offers=accept)
    return probes


async def _close_all(probes: dict[str, AgentProbe], db: str) -> int:
    """Each agent closes what it holds; the number closed."""
    closed = 0
    for probe in probes.values():
        rows = hub_rows(db, "SELECT c.id FROM conversations c JOIN agents a "
                            "ON a.id = c.agent_id WHERE a.username = :u AND c.status = 'open'",
                        u=next(n for n, p in probes.items() if p is probe))
        for (conversation_id,) in rows:
            answer = await probe.command(ap.CloseConversation(
                op=uuid.uuid4().hex, conversation_id=conversation_id), timeout=20)
            assert isinstance(answer, ap.Ack), answer
            closed += 1
    return closed


def _open_per_agent(db: str) -> list[int]:
    return [n for (n,) in hub_rows(
        db, "SELECT count(*) FROM conversations WHERE status = 'open' AND agent_id IS NOT NULL "
            "GROUP BY agent_id")]


async def test_three_processes_offer_each_conversation_once_within_capacity(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    db = postgres_dbs.new("shared")
    routing = routing_file(tmp_path, OFFER_TIMEOUT_S)
    hubs = await _start_hubs(make_hub, db, routing, ("a", "b", "c"))
    names = [f"agent{n}" for n in range(6)]
    add_agents(db, names, CAPACITY)
    probes = await _agents(hubs, names, accept=True)

    # More customers than seats, on every process, all at once.
    customers = [SimCustomer(hubs[n % 3].customer_ws_url, name=f"Customer {n}")
                 for n in range(20)]
    await asyncio.gather(*(c.connect() for c in customers))
    await asyncio.gather(*(c.send(f"hello {n}", timeout=30) for n, c in enumerate(customers)))
    seats = CAPACITY * len(names)

    def held() -> int:
        (n,), = hub_rows(db, "SELECT count(*) FROM conversations "
                             "WHERE status = 'open' AND agent_id IS NOT NULL")
        return int(n)

    await eventually(lambda: held() == seats, timeout=30)
    assert max(_open_per_agent(db)) <= CAPACITY
    # Seats free up on every process: the rest are offered as they do.
    closed = await _close_all(probes, db)
    assert closed == seats
    await eventually(lambda: held() == len(customers) - seats, timeout=30)
    assert max(_open_per_agent(db)) <= CAPACITY
    (waiting,), = hub_rows(db, "SELECT count(*) FROM conversations "
                               "WHERE status = 'open' AND agent_id IS NULL")
    assert waiting == 0

    check_offers(hub_rows(db, "SELECT conversation_id, created_at, answered_at, status "
                              "FROM offers"))
    # Every desktop's stream is complete (each agent's head reached) before replay.
    for name, probe in probes.items():
        (head,), = hub_rows(db, "SELECT head_seq FROM agents WHERE username = :u", u=name)
        await probe.wait_for(lambda p=probe, h=head: p.events and p.events[-1].seq >= h,
                             timeout=20)
    assigned = _check_agent_streams(probes)
    assert sum(assigned.values()) == len(customers)
    # Agents on every process took work (customers were on every process too).
    assert all(assigned[name] > 0 for name in names), assigned
    for probe in probes.values():
        await probe.close()
    for customer in customers:
        await customer.disconnect()


async def test_killing_the_routing_process_mid_load_hands_routing_over_within_5_s(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    db = postgres_dbs.new("shared")
    hubs = await _start_hubs(make_hub, db, routing_file(tmp_path, OFFER_TIMEOUT_S),
                             ("a", "b", "c"))
    names = [f"agent{n}" for n in range(6)]
    add_agents(db, names, CAPACITY)
    load = ChatLoad({h.extra_args[1]: h for h in hubs}, db, names)
    await load.start()
    failovers: list[Failover] = []
    try:
        for _ in range(3):
            # Mid-load: customers keep arriving and agents keep closing.
            await eventually(lambda: len(load.customers) >= 8, timeout=30)
            failover = await load.kill_router()
            failovers.append(failover)
            assert router_name(db) != failover.killed
            load.customers.clear()
            await load.restart(failover.killed)  # back, as a follower
        await eventually(lambda: len(load.customers) >= 8, timeout=30)
    finally:
        await load.stop_traffic()
    resumed = [f.routing_resumed_s for f in failovers]
    print(f"routing resumed after SIGKILL of the router, s: {sorted(resumed)} "
          f"(median {statistics.median(resumed):.2f}, max {max(resumed):.2f}); agents "
          f"resumed: {sorted(f.agents_resumed_s for f in failovers)}; next router elected: "
          f"{sorted(f.elected_s for f in failovers)}")
    assert max(resumed) < FAILOVER_LIMIT_S
    check_offers(hub_rows(db, "SELECT conversation_id, created_at, answered_at, status "
                              "FROM offers"))
    assert max(_open_per_agent(db), default=0) <= CAPACITY
    # Every event reached the agents' desktops once and in order (across the moves),
    # and no desktop ever had more ringing and held than its capacity.
    for name, probe in load.probes.items():
        (head,), = hub_rows(db, "SELECT head_seq FROM agents WHERE username = :u", u=name)
        await probe.wait_for(
            lambda n=name, h=head: (s := load.streams()[n]) and s[-1].seq >= h, timeout=20)
    capacity_never_exceeded(load.streams(), CAPACITY)
    await load.stop()


async def test_an_offer_and_a_service_level_of_the_killed_router_still_time_out(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    db = postgres_dbs.new("shared")
    # The first reply is due after 8 s: the breach, too, is the next router's to record.
    routing = routing_file(tmp_path, OFFER_TIMEOUT_S, chat_first_reply_s=8)
    hubs = await _start_hubs(make_hub, db, routing, ("a", "b"))
    assert router_name(db) == "a"
    ids = add_agents(db, ["slow"], CAPACITY)
    slow = await AgentProbe.logged_in(hubs[1].url, "slow", PASSWORD, accept_offers=False)
    customer = SimCustomer(hubs[1].customer_ws_url, name="Waits")
    await customer.connect()
    await customer.send("hello, please answer")
    offer = await slow.wait_body(rp.OfferMade, timeout=10)
    hubs[0].kill()  # the router that made the offer and armed its timer
    withdrawn = await slow.wait_body(rp.OfferWithdrawn, timeout=OFFER_TIMEOUT_S + 10)
    assert withdrawn.offer_id == offer.offer_id
    assert withdrawn.reason == rp.WithdrawReason.TIMEOUT
    (status, answered), = hub_rows(db, "SELECT status, answered_at FROM offers WHERE id = :o",
                                   o=offer.offer_id)
    assert status == "timeout" and answered >= offer.expires_at
    # Nobody else serves the queue: after the miss it is offered to them again.
    again = await slow.wait_for(lambda: [b for b in slow.bodies(rp.OfferMade)
                                         if b.offer_id != offer.offer_id], timeout=10)
    assert again[0].conversation.id == offer.conversation.id
    (missed,), = hub_rows(db, "SELECT missed_offers FROM agents WHERE id = :a", a=ids["slow"])
    assert missed == 1
    await eventually(lambda: hub_rows(
        db, "SELECT kind FROM sla_breaches WHERE conversation_id = :c",
        c=offer.conversation.id) == [("first_reply",)], timeout=20)
    await slow.close()
    await customer.disconnect()


async def test_an_agent_gone_with_the_killed_router_is_set_away_and_released(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    db = postgres_dbs.new("shared")
    routing = routing_file(tmp_path, OFFER_TIMEOUT_S)
    hubs = []
    for name in ("a", "b"):
        hubs.append(await asyncio.to_thread(
            make_hub, "--process-name", name, "--routing-config", str(routing),
            "--away-grace", "1", "--release-after", "3", name=name, db=db))
    assert router_name(db) == "a"
    ids = add_agents(db, ["gone", "stay"], CAPACITY)
    gone = await AgentProbe.logged_in(hubs[0].url, "gone", PASSWORD)
    customer = SimCustomer(hubs[1].customer_ws_url, name="Left Behind")
    await customer.connect()
    sent = await customer.send("hello")
    await gone.wait_body(ap.ConversationAssigned, timeout=10)
    stay = await AgentProbe.logged_in(hubs[1].url, "stay", PASSWORD)

    hubs[0].kill()  # the router, and the process holding gone's desktop
    killed = time.monotonic()

    def presence() -> str:
        (value,), = hub_rows(db, "SELECT presence FROM agents WHERE id = :a", a=ids["gone"])
        return str(value)

    await eventually(lambda: presence() == "away", timeout=15)
    away_after = time.monotonic() - killed
    taken = await stay.wait_body(ap.ConversationAssigned, timeout=15)
    released_after = time.monotonic() - killed
    assert taken.conversation.id == sent.conversation_id
    assert away_after >= 1 and released_after >= 3, (away_after, released_after)
    (owner,), = hub_rows(db, "SELECT agent_id FROM conversations WHERE id = :c",
                         c=sent.conversation_id)
    assert owner == ids["stay"]
    await stay.close()
    await customer.disconnect()
