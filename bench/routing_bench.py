"""Routing benchmarks.

* decision: one routing decision with 500 agents and 5,000 waiting conversations,
  in the hub's own router (``hub.routing.router``): a new conversation finds its
  agent, and a freed agent finds its best waiting conversation. Target p99 ≤ 5 ms.
* sustained: 50 new chats per second for a while through a real hub process over
  loopback websockets; agents accept every offer and close their chats after a
  few seconds. Reports offer delivery (customer's send → ``offer_made`` at the
  agent, target p99 ≤ 100 ms), accept → ``conversation_assigned`` latency, and
  the hub process's CPU use.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import websockets

from bench.hub_latency import login
from bench.stats import summary
from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol.codec import (
    PROTOCOL_VERSION,
    agent_server_decoder,
    customer_server_decoder,
    encode_text,
)
from core.protocol.models import Channel, Presence
from core.tasks import BackgroundTasks
from hub.auth import Authenticator
from hub.demo.seed import DEMO_PASSWORD
from hub.process import HubProcess
from hub.routing import config as routing_config
from hub.routing.router import Router, Waiting
from hub.routing.selector import AgentState
from hub.store.store import Store, create_engine

AGENTS, WAITING = 500, 5000
LIVE_AGENTS = 30  # agents online for the sustained run (each rings one offer at a time)


def _router(rng: random.Random) -> Router:
    settings = routing_config.load()
    router = Router(settings)
    queues = [q for q in settings.queues]
    for n in range(AGENTS):
        served = rng.sample(queues, rng.randint(2, len(queues)))
        busy = rng.random() < 0.8  # most agents are at capacity under a backlog
        router.put_agent(AgentState(
            id=f"a{n:04d}", presence=Presence.BUSY if busy else Presence.AVAILABLE,
            connected=rng.random() < 0.95, queues=frozenset(q.id for q in served),
            skills={q.skill or q.id: rng.randint(1, 5) for q in served},
            capacity=dict(settings.capacity),
            load=dict(settings.capacity) if busy else {},
            last_assigned_at=rng.randint(0, 10**9),
        ))
    for n in range(WAITING):
        queue = rng.choice(queues)
        item = Waiting(f"w{n:05d}", queue, rng.choice([0.0, 0.0, 40.0, 100.0, 230.0]),
                       rng.randint(0, 3_600_000))
        item.excluded = {f"a{rng.randrange(AGENTS):04d}" for _ in range(rng.randint(0, 3))}
        router.enqueue(item)
    return router


def run_decision_benchmark(samples: int = 4000, seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    router = _router(rng)
    queues = list(router.settings.queues)
    free = [a for a in router.agents.values() if a.presence == Presence.AVAILABLE]
    new_ms: list[float] = []
    freed_ms: list[float] = []
    for n in range(samples):
        queue = rng.choice(queues)
        item = Waiting(f"new{n}", queue, rng.choice([0.0, 100.0]), 3_600_000 + n)
        t0 = time.perf_counter()
        router.enqueue(item)
        router.agent_for(item)
        new_ms.append((time.perf_counter() - t0) * 1000)
        router.remove(item.conversation_id)
        agent = rng.choice(free)
        t0 = time.perf_counter()
        router.work_for(agent)
        freed_ms.append((time.perf_counter() - t0) * 1000)
    both = new_ms + freed_ms
    return {
        "agents": AGENTS, "waiting": WAITING,
        "decision_ms": summary(both, "ms"),
        "new_conversation_ms": summary(new_ms, "ms"),
        "freed_agent_ms": summary(freed_ms, "ms"),
    }


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Agent:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.accepted_at: dict[str, float] = {}
        self.assign_ms: list[float] = []


async def _agent_loop(agent: _Agent, offered_at: dict[str, float], hub_ts: dict[str, int],
                      hold_s: float) -> None:
    decode = agent_server_decoder().decode
    loop = asyncio.get_running_loop()
    # a close due after the run ends finds the socket closed: expected, not a failure
    closing = BackgroundTasks(
        "routing bench", on_error=lambda exc: isinstance(exc, websockets.ConnectionClosed))
    async for data in agent.ws:
        frame = decode(data)
        if not isinstance(frame, ap.Events):
            continue
        now = time.perf_counter()
        for event in frame.events:
            body = event.body
            if isinstance(body, rp.OfferMade):
                offered_at[body.customer.name] = now
                hub_ts[body.customer.name] = event.ts
                op = uuid.uuid4().hex
                agent.accepted_at[body.conversation.id] = time.perf_counter()
                await agent.ws.send(encode_text(rp.AcceptOffer(op=op, offer_id=body.offer_id)))
            elif isinstance(body, ap.ConversationAssigned):
                start = agent.accepted_at.pop(body.conversation.id, None)
                if start is not None:
                    agent.assign_ms.append((now - start) * 1000)
                conv_id = body.conversation.id

                def close(cid: str = conv_id) -> None:
                    frame = ap.CloseConversation(op=uuid.uuid4().hex, conversation_id=cid)
                    closing.spawn(agent.ws.send(encode_text(frame)), loop=loop)

                loop.call_later(hold_s, close)


async def _customer(url: str, name: str, sent_at: dict[str, float], sent_wall: dict[str, int],
                    stay_s: float) -> None:
    decode = customer_server_decoder().decode
    async with websockets.connect(url) as ws:
        await ws.send(encode_text(cp.Hello(v=PROTOCOL_VERSION, name=name)))
        decode(await ws.recv())
        sent_at[name] = time.perf_counter()
        sent_wall[name] = int(time.time() * 1000)
        await ws.send(encode_text(cp.Send(id=uuid.uuid4().hex, text="need help with my order")))
        await asyncio.sleep(stay_s)


def _add_agents(db: Path | str, count: int) -> list[str]:
    """Agents written into the running hub's database; the hub loads each on connect."""
    store = Store(create_engine(db))
    auth = Authenticator(store)
    password = auth.hash_password(DEMO_PASSWORD)
    names = []
    for n in range(count):
        name = f"bench{n:02d}"
        agent_id = store.create_agent(name, f"Bench {n}", password)
        store.set_agent_queues(agent_id, ["chat", "complaints", "billing"])
        store.set_agent_skills(agent_id, {"chat": 3, "complaints": 3, "billing": 3})
        names.append(name)
    store.engine.dispose()
    return names


async def _sustained(hub: HubProcess, rate: float, seconds: float) -> dict[str, Any]:
    names = _add_agents(hub.db_path, LIVE_AGENTS)
    tokens = [login(hub.url, name, DEMO_PASSWORD) for name in names]
    ws_base = "ws" + hub.url[len("http"):]
    agents = []
    for token in tokens:
        ws = await websockets.connect(ws_base + "/agent", max_size=2**26)
        await ws.send(encode_text(ap.Hello(v=PROTOCOL_VERSION, token=token)))
        agents.append(_Agent(ws))
    offered_at: dict[str, float] = {}
    sent_at: dict[str, float] = {}
    hub_ts: dict[str, int] = {}
    sent_wall: dict[str, int] = {}
    readers = [asyncio.create_task(_agent_loop(a, offered_at, hub_ts, 3.0)) for a in agents]
    await asyncio.sleep(0.5)
    assert hub.proc is not None
    cpu0, wall0 = _cpu_s(hub.proc.pid), time.perf_counter()
    own0 = time.process_time()
    tasks = []
    total = int(rate * seconds)
    start = time.perf_counter()
    for n in range(total):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(
            _customer(hub.customer_ws_url, f"bench-{n}", sent_at, sent_wall, 2.0)))
    await asyncio.gather(*tasks, return_exceptions=True)
    deadline = time.perf_counter() + 10
    while len(offered_at) < total and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)  # offers still in flight; bounded by the deadline
    cpu1, wall1 = _cpu_s(hub.proc.pid), time.perf_counter()
    own1 = time.process_time()
    for r in readers:
        r.cancel()
    for a in agents:
        await a.ws.close()
    delivery = [(offered_at[n] - sent_at[n]) * 1000 for n in sent_at if n in offered_at]
    assigns = [ms for a in agents for ms in a.assign_ms]
    # The hub's share: wall-clock send → the offer event's timestamp at the hub
    # (same machine, same clock); the rest is the clients' own scheduling.
    at_hub = [float(hub_ts[n] - sent_wall[n]) for n in sent_wall if n in hub_ts]
    return {
        "rate_per_s": rate, "seconds": seconds, "conversations": total,
        "agents": len(agents),
        "offered": len(delivery),
        "offer_delivery_ms": summary(delivery, "ms") if delivery else None,
        "accept_to_assigned_ms": summary(assigns, "ms") if assigns else None,
        "offer_made_at_hub_ms": summary(at_hub, "ms") if at_hub else None,
        "hub_cpu_percent": round(100 * (cpu1 - cpu0) / (wall1 - wall0), 1),
        "clients_cpu_percent": round(100 * (own1 - own0) / (wall1 - wall0), 1),
    }


def run_routing_benchmarks(seconds: float = 20.0, rate: float = 50.0) -> dict[str, Any]:
    results = run_decision_benchmark()
    with tempfile.TemporaryDirectory(prefix="zuoxi-routing-bench-") as tmp:
        # Room for many chats per agent: the run measures routing, not staffing.
        text = routing_config.DEFAULT_PATH.read_text(encoding="utf-8")
        path = Path(tmp) / "routing.toml"
        path.write_text(text.replace("\nchat = 3\n", "\nchat = 100\n"), encoding="utf-8")
        if routing_config.load(path).capacity[Channel.CHAT] != 100:
            raise RuntimeError("the shipped routing.toml no longer says chat = 3")
        hub = HubProcess(Path(tmp) / "hub.sqlite3", Path(tmp),
                         extra_args=["--routing-config", str(path),
                                     "--new-visitors-per-minute", "100000"])
        hub.start()
        try:
            results["sustained"] = asyncio.run(_sustained(hub, rate, seconds))
        finally:
            hub.stop()
    return results
