"""Scale-out benchmarks: throughput and CPU per message on one and three hub
processes, and the cost of many connections.

* throughput (``./dev bench --only scaleout_throughput``): one hub process on
  SQLite, one on PostgreSQL, three on PostgreSQL behind Debian's nginx, in one run.
  Agents (raw agent-protocol sockets) hold conversations with customers; the
  customers send lines at a stepped rate (open loop: each line at its time, without
  waiting for the previous ack) and each line is timed from the customer's send to
  its ``message_added`` event on the agent's socket. A rate is sustained when every
  line arrives and p99 ≤ 100 ms; the steps stop at the first one that is not. At
  each step the CPU of the hub processes, of PostgreSQL (postmaster, its backends
  and those that exited) and of nginx is read from ``/proc/<pid>/stat`` and divided
  by the lines delivered. Whether the step that failed was limited by CPU is said
  from the busiest hub process's share of a core and the machine's idle time.
* connections (``./dev bench --only scaleout_connections``): three hub processes
  on PostgreSQL behind nginx; 1,000 agents, then 10,000 customers connect through
  nginx; memory per connection is the hub processes' RSS growth divided by the
  connections; then new conversations arrive at 50 a second and each offer is
  timed from the customer's send to ``offer_made`` on the agent's socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.stats import percentile, summary
from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol.codec import encode_text
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe, eventually
from testbed.nginx import Nginx
from testbed.pg_cluster import PostgresCluster
from testbed.routing_load import routing_file
from testbed.scale_load import add_agents_with_tokens

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
HUB_ARGS = ["--trusted-proxy", "127.0.0.1", "--new-visitors-per-minute", "10000000"]


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime + stime of ``pid`` (plus its reaped children's with ``children``)."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def rss_bytes(pid: int) -> int:
    fields = _stat(pid)
    return 0 if fields is None else int(fields[21]) * PAGE


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None \
                and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def machine_idle() -> tuple[int, int]:
    """(idle + iowait ticks, all ticks) of the whole machine so far."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return values[3] + values[4], sum(values)


@dataclass
class Deployment:
    """Hub processes on SQLite or PostgreSQL, with nginx in front of several."""

    name: str
    root: Path
    processes: int
    postgres: bool
    hubs: list[HubProcess] = field(default_factory=list)
    cluster: PostgresCluster | None = None
    nginx: Nginx | None = None
    db: str = ""

    def start(self, routing: Path) -> None:
        if self.postgres:
            self.cluster = PostgresCluster()  # its own directory, readable by postgres
            self.cluster.start()
            self.cluster.execute("CREATE DATABASE zuoxi")
            self.db = self.cluster.url("zuoxi")
        else:
            self.db = str(self.root / "hub.sqlite3")
        for n in range(self.processes):
            hub = HubProcess(self.db, self.root / f"hub{n}", seed_demo=False, extra_args=[
                *HUB_ARGS, "--routing-config", str(routing), "--process-name", f"p{n}"])
            hub.start(timeout=120)
            self.hubs.append(hub)
        if self.processes > 1:
            self.nginx = Nginx([f"127.0.0.1:{h.port}" for h in self.hubs], self.root / "nginx")
            self.nginx.start()

    @property
    def url(self) -> str:
        return self.nginx.url if self.nginx is not None else self.hubs[0].url

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for hub in self.hubs:
            hub.stop()
        if self.cluster is not None:
            self.cluster.stop()

    def postmaster(self) -> int | None:
        if self.cluster is None:
            return None
        return int((self.cluster.data / "postmaster.pid").read_text().split()[0])

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far: hub processes, PostgreSQL, nginx."""
        hubs = sum(cpu_seconds(h.proc.pid) for h in self.hubs if h.proc is not None)
        pg = 0.0
        if (pm := self.postmaster()) is not None:
            pg = cpu_seconds(pm, children=True) + sum(cpu_seconds(c) for c in children_of(pm))
        nginx = 0.0
        if self.nginx is not None and self.nginx.proc is not None:
            master = self.nginx.proc.pid
            nginx = cpu_seconds(master, children=True) + sum(
                cpu_seconds(c) for c in children_of(master))
        return {"hubs": hubs, "postgresql": pg, "nginx": nginx,
                "busiest_hub": max(cpu_seconds(h.proc.pid) for h in self.hubs
                                   if h.proc is not None)}

    def hub_rss(self) -> int:
        return sum(rss_bytes(h.proc.pid) for h in self.hubs if h.proc is not None)


@contextlib.contextmanager
def deployment(name: str, root: Path, processes: int, postgres: bool,
               routing: Path) -> Iterator[Deployment]:
    dep = Deployment(name, root / name, processes, postgres)
    try:
        dep.start(routing)
        yield dep
    finally:
        dep.stop()


def raise_descriptor_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def customer_address(n: int) -> str:
    """Customers come from many addresses (the hub caps sockets per address)."""
    return f"127.{1 + n // 62500}.{n // 250 % 250}.{2 + n % 250}"


async def online(probe: AgentProbe) -> AgentProbe:
    """Connected and welcomed (a busy hub's welcome may take longer than the probe's 5 s)."""
    try:
        await probe.connect(None)
    except TimeoutError:
        await probe.wait_for(lambda: probe.welcome is not None or probe.close_code is not None,
                             timeout=120)
    if probe.welcome is None:
        raise RuntimeError(f"agent not welcomed: closed {probe.close_code}")
    return probe


# ---- throughput ----------------------------------------------------------------------

THROUGHPUT_AGENTS = 10
THROUGHPUT_CAPACITY = 5
STEPS = (5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0)
STEP_S = 8.0
P99_LIMIT_MS = 100.0


async def _converse(url: str, tokens: dict[str, str], customers_n: int
                    ) -> tuple[list[AgentProbe], list[SimCustomer]]:
    """Agents online and each customer's conversation assigned to one of them."""
    agents = []
    for token in tokens.values():
        agents.append(await online(AgentProbe(url, token)))
    ws = "ws" + url[len("http"):] + "/customer"
    customers = [SimCustomer(ws, name=f"Bench {n}", local_host=customer_address(n))
                 for n in range(customers_n)]
    await asyncio.gather(*(c.connect(timeout=60) for c in customers))
    await asyncio.gather(*(c.send(f"hello {n}", timeout=60) for n, c in enumerate(customers)))

    def assigned() -> int:
        return sum(len(a.bodies(ap.ConversationAssigned)) for a in agents)

    await eventually(lambda: assigned() >= customers_n, timeout=120, interval=0.1)
    return agents, customers


async def _idle(dep: Deployment, step_s: float) -> dict[str, float]:
    """CPU seconds a second with everyone connected and nobody writing (routing
    polls, database watches, pings): subtracted to see what a message adds."""
    cpu0, t0 = dep.cpu(), time.perf_counter()
    await asyncio.sleep(step_s)
    cpu1, elapsed = dep.cpu(), time.perf_counter() - t0
    return {k: (cpu1[k] - cpu0[k]) / elapsed for k in cpu0}


async def _step(dep: Deployment, agents: list[AgentProbe], customers: list[SimCustomer],
                rate: float, idle: dict[str, float], step_s: float) -> dict[str, Any]:
    sent_at: dict[str, float] = {}
    latency: dict[str, float] = {}

    def on_frame(frame: Any) -> None:
        if isinstance(frame, ap.Events):
            now = time.perf_counter()
            for event in frame.events:
                body = event.body
                if isinstance(body, ap.MessageAdded) and body.message.text in sent_at:
                    latency.setdefault(body.message.text,
                                       (now - sent_at[body.message.text]) * 1000)

    for agent in agents:
        agent.on_frame = on_frame
    tag = uuid.uuid4().hex[:6]
    cpu0, idle0, t0 = dep.cpu(), machine_idle(), time.perf_counter()
    total = max(1, int(rate * step_s))
    for n in range(total):
        delay = t0 + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        text = f"{tag}-{n}"
        sent_at[text] = time.perf_counter()
        await customers[n % len(customers)].send_raw(encode_text(cp.Send(id=text, text=text)))
    with contextlib.suppress(TimeoutError):
        await eventually(lambda: len(latency) == total, timeout=5, interval=0.02)
    elapsed = time.perf_counter() - t0
    cpu1, idle1 = dep.cpu(), machine_idle()
    for agent in agents:
        agent.on_frame = None
    samples = list(latency.values())
    delivered = len(samples)
    used = {k: cpu1[k] - cpu0[k] for k in cpu0}
    p99 = percentile(samples, 99) if samples else float("inf")
    return {
        "rate_per_s": rate, "sent": total, "delivered": delivered,
        "latency_ms": summary(samples, "ms") if samples else None,
        "sustained": delivered == total and p99 <= P99_LIMIT_MS,
        "cpu_ms_per_message": {k: round(v * 1000 / max(1, delivered), 3)
                               for k, v in used.items() if k != "busiest_hub"},
        "cpu_ms_per_message_above_idle": {
            k: round((v - idle[k] * elapsed) * 1000 / max(1, delivered), 3)
            for k, v in used.items() if k != "busiest_hub"},
        "busiest_hub_core_percent": round(100 * used["busiest_hub"] / elapsed, 1),
        "machine_idle_percent": round(100 * (idle1[0] - idle0[0])
                                      / max(1, idle1[1] - idle0[1]), 1),
    }


async def _throughput_of(dep: Deployment, step_s: float) -> dict[str, Any]:
    names = [f"{dep.name}{n}" for n in range(THROUGHPUT_AGENTS)]
    tokens = add_agents_with_tokens(dep.db, names, THROUGHPUT_CAPACITY)
    agents, customers = await _converse(dep.url, tokens, THROUGHPUT_AGENTS * THROUGHPUT_CAPACITY)
    steps = []
    try:
        idle = await _idle(dep, step_s)
        for rate in STEPS:
            step = await _step(dep, agents, customers, rate, idle, step_s)
            steps.append(step)
            if not step["sustained"]:
                break
    finally:
        for agent in agents:
            await agent.close()
        for customer in customers:
            with contextlib.suppress(Exception):
                await customer.disconnect()
    passed = [s for s in steps if s["sustained"]]
    failed = next((s for s in steps if not s["sustained"]), None)
    limit = None
    if failed is not None:
        cpu_bound = (failed["busiest_hub_core_percent"] >= 85
                     or failed["machine_idle_percent"] <= 10)
        limit = ("cpu" if cpu_bound else "not cpu (a lock, the bus or waiting on the "
                 "database)")
    return {"sustained_per_s": passed[-1]["rate_per_s"] if passed else 0.0,
            "limited_by": limit, "steps": steps,
            "idle_cpu_percent": {k: round(v * 100, 1) for k, v in idle.items()}}


def run_throughput_benchmark(step_s: float = STEP_S) -> dict[str, Any]:
    raise_descriptor_limit()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-throughput-") as tmp:
        root = Path(tmp)
        routing = routing_file(root, offer_timeout_s=30)
        for name, processes, postgres in (("sqlite_1", 1, False), ("postgresql_1", 1, True),
                                          ("postgresql_3_nginx", 3, True)):
            with deployment(name, root, processes, postgres, routing) as dep:
                results[name] = asyncio.run(_throughput_of(dep, step_s))
            print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    # CPU per message compared at the highest rate every deployment sustained (the
    # first step when one sustained none: its messages were still all delivered, or
    # the comparison says how many were).
    common = min(r["sustained_per_s"] for r in results.values()) or STEPS[0]
    per_message: dict[str, Any] = {}
    above_idle: dict[str, Any] = {}
    for name, result in results.items():
        step = next((s for s in result["steps"] if s["rate_per_s"] == common), None)
        if step is not None:
            for key, into in (("cpu_ms_per_message", per_message),
                              ("cpu_ms_per_message_above_idle", above_idle)):
                into[name] = {**step[key], "total": round(sum(step[key].values()), 3)}

    def ratio_of(table: dict[str, Any]) -> float | None:
        if "postgresql_3_nginx" in table and "postgresql_1" in table:
            return round(table["postgresql_3_nginx"]["total"] / table["postgresql_1"]["total"], 2)
        return None

    ratio = ratio_of(per_message)
    return {"deployments": results, "compared_at_per_s": common,
            "cpu_ms_per_message_above_idle": above_idle,
            "three_vs_one_cpu_ratio_above_idle": ratio_of(above_idle),
            "delivered_at_compared_rate": {
                name: next((s["delivered"] for s in r["steps"] if s["rate_per_s"] == common),
                           None) for name, r in results.items()},
            "cpu_ms_per_message": per_message, "three_vs_one_cpu_ratio": ratio,
            "step_s": step_s, "load_average_after": round(os.getloadavg()[0], 2)}


# ---- connections ---------------------------------------------------------------------

async def _connections(dep: Deployment, agents_n: int, customers_n: int, new_per_s: float,
                       seconds: float) -> dict[str, Any]:
    names = [f"conn{n:04d}" for n in range(agents_n)]
    tokens = add_agents_with_tokens(dep.db, names, 3)
    base_rss = dep.hub_rss()
    agents: list[AgentProbe] = []
    customers: list[SimCustomer] = []
    ws = "ws" + dep.url[len("http"):] + "/customer"
    try:
        t0 = time.perf_counter()
        agents.extend(AgentProbe(dep.url, token) for token in tokens.values())
        slots = asyncio.Semaphore(50)  # fifty sign-ins in flight at a time

        async def sign_in(probe: AgentProbe) -> None:
            async with slots:
                await online(probe)

        await asyncio.gather(*(sign_in(p) for p in agents))
        agents_s = time.perf_counter() - t0
        await asyncio.sleep(1)  # let the hubs settle before reading their memory
        agents_rss = dep.hub_rss()
        t0 = time.perf_counter()
        handshakes = asyncio.Semaphore(100)  # a hundred in flight at a time
        refused: Counter[str] = Counter()

        async def connect(customer: SimCustomer) -> None:
            async with handshakes:
                try:
                    await customer.connect(timeout=120)
                except Exception as exc:  # counted and named in the results
                    refused[f"{type(exc).__name__}: {exc}"[:120]] += 1

        customers.extend(SimCustomer(ws, name=f"Idle {n}", local_host=customer_address(n))
                         for n in range(customers_n))
        await asyncio.gather(*(connect(c) for c in customers))
        customers_s = time.perf_counter() - t0
        await asyncio.sleep(1)
        customers_rss = dep.hub_rss()

        # New conversations at ``new_per_s``: send → offer_made on an agent's socket.
        offered: dict[str, float] = {}
        sent_at: dict[str, float] = {}

        def on_frame(frame: Any) -> None:
            if isinstance(frame, ap.Events):
                now = time.perf_counter()
                for event in frame.events:
                    if isinstance(event.body, rp.OfferMade):
                        for m in event.body.messages:
                            if m.text in sent_at:
                                offered.setdefault(m.text, (now - sent_at[m.text]) * 1000)

        for agent in agents:
            agent.on_frame = on_frame
        ready = [c for c in customers if c.visitor_id is not None]
        total = min(int(new_per_s * seconds), len(ready))
        start = time.perf_counter()
        for n in range(total):
            delay = start + n / new_per_s - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            text = f"new conversation {n}"
            sent_at[text] = time.perf_counter()
            await ready[n].send_raw(encode_text(cp.Send(id=uuid.uuid4().hex, text=text)))
        with contextlib.suppress(TimeoutError):
            await eventually(lambda: len(offered) == total, timeout=30, interval=0.05)
        samples = list(offered.values())
        connected = sum(c.visitor_id is not None for c in customers)
        return {
            "agents": agents_n, "customers": customers_n, "customers_connected": connected,
            "customers_refused": dict(refused.most_common(5)),
            "agents_connect_s": round(agents_s, 1), "customers_connect_s": round(customers_s, 1),
            "hub_rss_mb": {"before": round(base_rss / 2**20, 1),
                           "agents": round(agents_rss / 2**20, 1),
                           "customers": round(customers_rss / 2**20, 1)},
            "kb_per_agent_connection": round((agents_rss - base_rss) / agents_n / 1024, 1),
            "kb_per_customer_connection": round(
                (customers_rss - agents_rss) / max(1, connected) / 1024, 1),
            "new_conversations_per_s": new_per_s, "offers_sent": total,
            "offers_delivered": len(samples),
            "offer_delivery_ms": summary(samples, "ms") if samples else None,
        }
    finally:
        for agent in agents:
            with contextlib.suppress(Exception):
                await agent.close()
        for customer in customers:
            with contextlib.suppress(Exception):
                await customer.disconnect()


def run_connections_benchmark(agents: int = 1000, customers: int = 10_000,
                              new_per_s: float = 50.0, seconds: float = 10.0) -> dict[str, Any]:
    limit = raise_descriptor_limit()
    if limit < customers + agents + 1000:
        raise RuntimeError(f"the open-file limit {limit} is too low for "
                           f"{customers + agents} connections")
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-connections-") as tmp:
        root = Path(tmp)
        routing = routing_file(root, offer_timeout_s=30)
        with deployment("postgresql_3_nginx", root, 3, True, routing) as dep:
            result = asyncio.run(_connections(dep, agents, customers, new_per_s, seconds))
    return {**result, "processes": 3, "load_average_after": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "throughput"
    run = run_throughput_benchmark if which == "throughput" else run_connections_benchmark
    print(json.dumps(run(), indent=2))
