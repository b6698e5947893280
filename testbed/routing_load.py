"""Chat load on several hub processes sharing one PostgreSQL database, and the
SIGKILL of the routing process in the middle of it.

Used by the failover test (tests/integration/test_routing_across_processes.py)
and the scale-out benchmark (bench/scaleout_bench.py). Agents are ``AgentProbe``s
that accept every offer and close each conversation shortly after it is theirs;
customers arrive at a steady rate on the live processes. When a process dies,
its agents sign in again on a live one (as nginx would send their desktops).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from core.protocol import agent as ap
from core.protocol import routing as rp
from core.protocol.models import Channel
from hub.auth import Authenticator
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from hub.store.base import create_engine
from hub.store.store import Store
from testbed.agent_probe import AgentProbe, eventually

PASSWORD = "cluster-pass-1"


def add_agents(db: str, names: list[str], capacity: int) -> dict[str, str]:
    """Chat agents of the given capacity; their ids by name."""
    engine = create_engine(db)
    try:
        store = Store(engine)
        password = Authenticator(store, 3600).hash_password(PASSWORD)
        ids = {}
        for name in names:
            ids[name] = store.create_agent(name, name, password, "agent", None)
            store.set_agent_queues(ids[name], ["chat"])
            store.set_agent_skills(ids[name], {"chat": 3})
            store.set_agent_capacity(ids[name], Channel.CHAT, capacity)
        return ids
    finally:
        engine.dispose()


def routing_file(tmp: Path, offer_timeout_s: int, chat_first_reply_s: int = 60) -> Path:
    """The shipped routing file with chat offers of ``offer_timeout_s`` and a chat's
    first reply due after ``chat_first_reply_s``."""
    text = (Path(__file__).parents[1] / "hub" / "routing.toml").read_text(encoding="utf-8")
    for old, new in (
        ("timeout_s = { voice = 20, chat = 30, email = 60 }",
         f"timeout_s = {{ voice = 20, chat = {offer_timeout_s}, email = 60 }}"),
        ("chat_first_reply_s = 60", f"chat_first_reply_s = {chat_first_reply_s}"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp / "routing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def router_name(db: str) -> str:
    """The ``--process-name`` of the process routing now."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            holder = conn.exec_driver_sql("SELECT holder FROM routing_lease WHERE id = 1").scalar()
    finally:
        engine.dispose()
    return str(holder).split("-")[0]


def elected_at(db: str) -> int:
    """When the routing process took its term (ms)."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(
                "SELECT since FROM routing_lease WHERE id = 1").scalar_one())
    finally:
        engine.dispose()


def first_offer_after(db: str, since_ms: int) -> int | None:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            value = conn.exec_driver_sql(
                "SELECT min(created_at) FROM offers WHERE created_at > %(t)s",
                {"t": since_ms}).scalar()
    finally:
        engine.dispose()
    return None if value is None else int(value)


@dataclass
class Failover:
    """One SIGKILL of the router: seconds from the kill to the first offer made by
    the next router, and to every agent of the killed process signed in again."""

    routing_resumed_s: float
    agents_resumed_s: float
    elected_s: float  # from the kill to the next router's term
    killed: str
    agents_moved: int


@dataclass
class ChatLoad:
    hubs: dict[str, HubProcess]  # by process name
    db: str
    agent_names: list[str]
    hold_s: float = 0.3  # how long an agent keeps a conversation before closing it
    customers_per_s: float = 4.0
    probes: dict[str, AgentProbe] = field(default_factory=dict)
    customers: list[SimCustomer] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _down: set[str] = field(default_factory=set)
    _closed: set[str] = field(default_factory=set)
    # Events of desktops that died with their process (a moved agent's new desktop
    # resumes from the last of them, so the two lists make one stream).
    earlier: dict[str, list[ap.Event]] = field(default_factory=dict)

    def streams(self) -> dict[str, list[ap.Event]]:
        return {n: self.earlier.get(n, []) + p.events for n, p in self.probes.items()}

    def live(self) -> list[HubProcess]:
        return [h for n, h in self.hubs.items() if n not in self._down]

    def _hub_of(self, probe: AgentProbe) -> str:
        return next(n for n, h in self.hubs.items() if probe.ws_url == h.agent_ws_url)

    async def start(self) -> None:
        hubs = list(self.hubs.values())
        for n, name in enumerate(self.agent_names):
            self.probes[name] = await AgentProbe.logged_in(hubs[n % len(hubs)].url, name,
                                                           PASSWORD, last_seq=0)
        self._tasks = [asyncio.create_task(self._arrivals()),
                       asyncio.create_task(self._closer())]

    async def stop_traffic(self) -> None:
        """No more customers arrive and agents stop closing; desktops stay connected."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    async def stop(self) -> None:
        await self.stop_traffic()
        for probe in self.probes.values():
            with contextlib.suppress(Exception):
                await probe.close()
        for customer in self.customers:
            with contextlib.suppress(Exception):
                await customer.disconnect()

    async def _arrivals(self) -> None:
        """A customer every 1/rate s, each on its own (one stuck on a process that
        died does not hold up the next)."""
        pending: set[asyncio.Task[None]] = set()
        try:
            for n in itertools.count():
                live = self.live()
                task = asyncio.create_task(self._arrive(n, live[n % len(live)]))
                pending.add(task)
                task.add_done_callback(pending.discard)
                await asyncio.sleep(1 / self.customers_per_s)
        finally:
            for task in pending:
                task.cancel()

    async def _arrive(self, n: int, hub: HubProcess) -> None:
        customer = SimCustomer(hub.customer_ws_url, name=f"Load {n}")
        try:
            await customer.connect()
            await customer.send(f"hello {n}", timeout=10)
            self.customers.append(customer)
        except Exception:  # its process died meanwhile: the next one goes elsewhere
            with contextlib.suppress(Exception):
                await customer.disconnect()

    async def _closer(self) -> None:
        """Each agent closes what it was assigned once it has held it ``hold_s``."""
        while True:
            now = time.time() * 1000
            for name, probe in list(self.probes.items()):
                if probe.close_code is not None:
                    continue
                for event in self.earlier.get(name, []) + probe.events:
                    body = event.body
                    if (isinstance(body, ap.ConversationAssigned)
                            and body.conversation.id not in self._closed
                            and now - event.ts >= self.hold_s * 1000):
                        self._closed.add(body.conversation.id)
                        with contextlib.suppress(Exception):
                            await probe.send(ap.CloseConversation(
                                op=uuid.uuid4().hex, conversation_id=body.conversation.id))
            await asyncio.sleep(0.1)

    async def kill_router(self, limit_s: float = 30) -> Failover:
        """SIGKILL the routing process; its agents sign in again on a live one."""
        name = router_name(self.db)
        victim = self.hubs[name]
        moving = [n for n, p in self.probes.items() if self._hub_of(p) == name]
        killed_ms = int(time.time() * 1000)
        killed = time.monotonic()
        victim.kill()
        self._down.add(name)

        async def move(agent: str) -> float:
            await self.probes[agent].wait_for(
                lambda: self.probes[agent].close_code is not None, timeout=limit_s)
            target = self.live()[len(agent) % len(self.live())]
            old = self.probes[agent]
            history = self.earlier.setdefault(agent, [])
            history.extend(old.events)
            last = history[-1].seq if history else None
            self.probes[agent] = await self._resume(old, target, last)
            return time.monotonic() - killed

        moved = await asyncio.gather(*(move(a) for a in moving))
        first = await eventually(lambda: first_offer_after(self.db, killed_ms),
                                 timeout=limit_s, interval=0.02)
        return Failover(routing_resumed_s=(first - killed_ms) / 1000,
                        elected_s=(elected_at(self.db) - killed_ms) / 1000,
                        agents_resumed_s=max(moved, default=0.0), killed=name,
                        agents_moved=len(moving))

    async def restart(self, name: str) -> None:
        """Start the killed process again; as many agents as on the others move to
        it (desktops opened later would connect to it)."""
        hub = self.hubs[name]
        await asyncio.to_thread(hub.start, hub.port, 120)
        self._down.discard(name)
        share = len(self.probes) // len(self.hubs)
        for agent in sorted(self.probes)[:share]:
            old = self.probes[agent]
            if self._hub_of(old) == name:
                continue
            await old.close()
            history = self.earlier.setdefault(agent, [])
            history.extend(old.events)
            self.probes[agent] = await self._resume(
                old, hub, history[-1].seq if history else None)

    @staticmethod
    async def _resume(old: AgentProbe, hub: HubProcess, last_seq: int | None) -> AgentProbe:
        """The agent's desktop connects to ``hub`` with its session token and resumes
        from its cursor, as a desktop does after its link dropped."""
        probe = AgentProbe(hub.url, old.token)
        try:
            await probe.connect(last_seq)
        except TimeoutError:  # a loaded machine: the welcome is slow, not lost
            await probe.wait_for(
                lambda: probe.welcome is not None or probe.close_code is not None, timeout=60)
        assert probe.welcome is not None, f"not welcomed: closed {probe.close_code}"
        return probe


def check_offers(rows: list[tuple[str, int, int | None, str]]) -> None:
    """Offers (conversation, created, answered, status) by creation: none of a
    conversation made while another of it was open; at most one accepted."""
    last: dict[str, tuple[int | None, str]] = {}
    accepted: dict[str, int] = {}
    for conversation_id, created, answered, status in sorted(rows, key=lambda r: (r[0], r[1])):
        before = last.get(conversation_id)
        if before is not None:
            ended, was = before
            assert was != "open" and ended is not None and ended <= created, (
                f"{conversation_id}: offered again while its last offer was open")
        last[conversation_id] = (answered, status)
        if status == "accepted":
            accepted[conversation_id] = accepted.get(conversation_id, 0) + 1
    assert all(n == 1 for n in accepted.values()), "a conversation accepted twice"


def capacity_never_exceeded(streams: dict[str, list[ap.Event]], capacity: int) -> None:
    """Replay each agent's stream: ringing offers plus held conversations ≤ capacity;
    every stream gap-free (each desktop got every event, once, in order)."""
    for name, events in streams.items():
        assert [e.seq for e in events] == list(range(1, len(events) + 1)), f"{name}: gaps"
        ringing: dict[str, str] = {}
        held: set[str] = set()
        for event in events:
            body = event.body
            if isinstance(body, rp.OfferMade):
                ringing[body.offer_id] = body.conversation.id
            elif isinstance(body, rp.OfferWithdrawn):
                ringing.pop(body.offer_id, None)
            elif isinstance(body, ap.ConversationAssigned):
                ringing = {o: c for o, c in ringing.items() if c != body.conversation.id}
                held.add(body.conversation.id)
            elif isinstance(body, ap.ConversationClosed | ap.ConversationUnassigned):
                held.discard(body.conversation_id)
            assert len(held) + len(ringing) <= capacity, f"{name} over capacity at {event.seq}"
