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
from hub.auth import Authenticator
from hub.demo.simulator import SimCustomer
from hub.store.base import create_engine
from hub.store.store import Store
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.hub_sql import hub_rows

CAPACITY = 2
PASSWORD = "cluster-pass-1"
OFFER_TIMEOUT_S = 4
FAILOVER_LIMIT_S = 5.0


def _routing_file(tmp_path: Path) -> Path:
    """The shipped routing file with short chat offers."""
    text = (Path(__file__).parents[2] / "hub" / "routing.toml").read_text()
    text = text.replace("timeout_s = { voice = 20, chat = 30, email = 60 }",
                        f"timeout_s = {{ voice = 20, chat = {OFFER_TIMEOUT_S}, email = 60 }}")
    assert f"chat = {OFFER_TIMEOUT_S}," in text
    path = tmp_path / "routing.toml"
    path.write_text(text)
    return path


def _add_agents(db: str, names: list[str]) -> dict[str, str]:
    """Chat agents of capacity ``CAPACITY``; their ids by name."""
    engine = create_engine(db)
    try:
        store = Store(engine)
        password = Authenticator(store, 3600).hash_password(PASSWORD)
        ids = {}
        for name in names:
            ids[name] = store.create_agent(name, name, password, "agent", None)
            store.set_agent_queues(ids[name], ["chat"])
            store.set_agent_skills(ids[name], {"chat": 3})
            store.set_agent_capacity(ids[name], rp.Channel.CHAT, CAPACITY)
        return ids
    finally:
        engine.dispose()


async def _start_hubs(make_hub: Callable[..., HubProcess], db: str, routing: Path,
                      names: tuple[str, ...]) -> list[HubProcess]:
    hubs = []
    for name in names:  # one after the other: the first one starts routing
        hubs.append(await asyncio.to_thread(
            make_hub, "--process-name", name, "--routing-config", str(routing),
            name=name, db=db))
    return hubs


def _router(db: str) -> str:
    """The process name of the routing process (its token starts with it)."""
    (holder,), = hub_rows(db, "SELECT holder FROM routing_lease WHERE id = 1")
    return str(holder).split("-")[0]


def _check_offers_in_db(db: str) -> None:
    """No conversation had two offers open at once; no offer outlived its answer."""
    rows = hub_rows(db, "SELECT conversation_id, created_at, answered_at, status FROM offers "
                        "ORDER BY conversation_id, created_at")
    by_conversation: dict[str, list[tuple[int, int | None, str]]] = {}
    for conversation_id, created, answered, status in rows:
        by_conversation.setdefault(conversation_id, []).append((created, answered, status))
    for conversation_id, offers in by_conversation.items():
        for (_c1, a1, s1), (c2, _, _) in itertools.pairwise(offers):
            assert s1 != "open" and a1 is not None and a1 <= c2, (
                f"{conversation_id}: offered again before the last offer ended")
        assert sum(s == "accepted" for _, _, s in offers) <= 1


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
    routing = _routing_file(tmp_path)
    hubs = await _start_hubs(make_hub, db, routing, ("a", "b", "c"))
    names = [f"agent{n}" for n in range(6)]
    _add_agents(db, names)
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

    _check_offers_in_db(db)
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


async def test_killing_the_routing_process_hands_routing_over_within_5_s(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    db = postgres_dbs.new("shared")
    routing = _routing_file(tmp_path)
    hubs = await _start_hubs(make_hub, db, routing, ("a", "b", "c"))
    by_name = {h.extra_args[1]: h for h in hubs}
    names = [f"agent{n}" for n in range(6)]
    _add_agents(db, names)
    probes = await _agents(hubs, names, accept=True)
    takeovers = []
    for run in range(3):
        router = by_name[_router(db)]
        others = [h for h in hubs if h is not router]
        # A customer on a surviving process, connected before the kill.
        customer = SimCustomer(others[run % 2].customer_ws_url, name=f"Failover {run}")
        await customer.connect()
        router.kill()
        killed = time.monotonic()
        sent = await customer.send(f"anyone there? {run}", timeout=30)

        def offered(conversation_id: str = sent.conversation_id) -> bool:
            rows = hub_rows(db, "SELECT count(*) FROM offers WHERE conversation_id = :c",
                            c=conversation_id)
            return bool(rows[0][0])

        try:
            await eventually(offered, timeout=FAILOVER_LIMIT_S + 5, interval=0.02)
        except TimeoutError:
            for q in ("SELECT * FROM routing_lease", "SELECT * FROM agent_links",
                      "SELECT * FROM routing_waiting", "SELECT * FROM agent_absence",
                      "SELECT application_name FROM pg_stat_activity",
                      "SELECT id, status, agent_id, queue_id FROM conversations WHERE status='open'",
                      "SELECT username, presence FROM agents"):
                print(q, hub_rows(db, q))
            print("run", run, "killed", router.extra_args[1])
            raise
        takeovers.append(time.monotonic() - killed)
        assert _router(db) != router.extra_args[1]
        # Its agents sign in again on a survivor (as nginx would send them), and the
        # killed process comes back, as a follower, for the next run.
        for name, probe in list(probes.items()):
            if probe.ws_url.startswith("ws" + router.url[len("http"):]):
                probes[name] = await AgentProbe.logged_in(others[0].url, name, PASSWORD)
        await asyncio.to_thread(router.start, router.port)
    print(f"routing resumed after SIGKILL of the router: {sorted(takeovers)} s "
          f"(median {statistics.median(takeovers):.2f}, max {max(takeovers):.2f})")
    assert max(takeovers) < FAILOVER_LIMIT_S
    _check_offers_in_db(db)
    assert max(_open_per_agent(db), default=0) <= CAPACITY


async def test_an_offer_made_by_the_killed_router_still_times_out(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    db = postgres_dbs.new("shared")
    routing = _routing_file(tmp_path)
    hubs = await _start_hubs(make_hub, db, routing, ("a", "b"))
    assert _router(db) == "a"
    ids = _add_agents(db, ["slow"])
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
    await slow.close()
    await customer.disconnect()
