"""The supervisor's live figures at 500 agents, 5,000 waiting and a day of 20,000
finished contacts.

* metrics: in this process, over a generated day (testbed.contact_day), one
  recomputation of every tile and the roster as the feed does it after a second
  of events (ten contacts changed), the incremental figures against the
  definitions recomputed from all rows (what the feed did before). The hub's CPU
  on the figures is that time once a second: the feed recomputes at most once a
  second however many events come.
* live: a real hub process whose store holds that day (the contacts, presence
  changes and 500 agents written before it starts, so its contact log loads them
  like after a restart), customers from the routing simulator
  (hub.demo.simulator) arriving on a thread of their own, and the supervisor's
  side in this process: the core figures client over the agent websocket feeding
  the real workspace widgets, offscreen, on a qasync loop. Measured: a customer's
  first message → the centre tile's "waiting" showing it (the k-th message sent
  against the k-th increase of the shown figure), the longest stall of the GUI
  loop (a 10 ms timer's lateness), the hub process's CPU, and this process's
  resident memory at the end.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.hub_latency import login
from bench.routing_bench import _cpu_s
from bench.stats import summary
from hub.routing import config as routing_config
from hub.supervision import board
from hub.supervision.day_figures import DayFigures
from hub.supervision.metrics import Standards
from hub.supervision.thresholds import parse
from testbed.contact_day import Day, generate

AGENTS, WAITING, FINISHED = 500, 5_000, 20_000
HOUR_MS = 3_600_000


def _day(now: int, agents: int = AGENTS, waiting: int = WAITING, finished: int = FINISHED
         ) -> tuple[Day, int]:
    settings = routing_config.load(None)
    since = board.day_start(now, settings)
    return generate(settings, since, now, agents, waiting, finished, seed=17), since


def _changes(day: Day, now: int, n: int, step: int) -> None:
    """A second of events: waiting contacts answered, held ones closed, new arrivals."""
    import dataclasses

    from hub.supervision.contacts import Contact, ContactKind, ContactOutcome

    contacts = day.contacts
    agents = list(day.agents)
    for k in range(n):
        index = (step * 7919 + k * 104_729) % len(contacts)
        c = contacts[index]
        if c.answered_at is None and c.done_at is None:
            contacts[index] = dataclasses.replace(c, answered_at=now - k,
                                                  agent_id=agents[k % len(agents)])
        elif c.done_at is None:
            contacts[index] = dataclasses.replace(c, done_at=now - k,
                                                  outcome=ContactOutcome.CLOSED)
        else:
            contacts.append(Contact(f"n{step}-{k}", c.queue_id, c.channel, ContactKind.NEW,
                                    now - k))


def run_metrics(steps: int = 30, reference_steps: int = 3, agents: int = AGENTS,
                waiting: int = WAITING, finished: int = FINISHED) -> dict[str, Any]:
    settings = routing_config.load(None)
    now = int(time.time() * 1000)
    since = board.day_start(now, settings)
    if now - since < 6 * HOUR_MS:  # early in the day: a day that has run longer
        now = since - 6 * HOUR_MS
    day, since = _day(now, agents, waiting, finished)
    standards = Standards(settings)
    thresholds = parse("", [q.id for q in settings.queues])
    fast = DayFigures(settings, standards)

    def data() -> board.BoardInput:
        return board.BoardInput(now=now, contacts=day.contacts, presence=day.presence,
                                agents=day.agents, names=day.names, feedback=[],
                                escalations={})

    began = time.process_time()
    fast.refresh(data())
    first_s = time.process_time() - began
    fast_ms, reference_ms = [], []
    for step in range(steps):
        now += 1000
        _changes(day, now, 10, step)
        began = time.process_time()
        by_key, parts = fast.refresh(data())
        board.tiles(data(), settings, standards, thresholds, by_key)
        board.roster(data(), settings, parts)
        fast_ms.append((time.process_time() - began) * 1000)
    for _ in range(reference_steps):
        began = time.process_time()
        board.tiles(data(), settings, standards, thresholds)
        board.roster(data(), settings)
        reference_ms.append((time.process_time() - began) * 1000)
    assert by_key == board.group_figures(data(), settings, standards)  # same figures
    return {
        "agents": len(day.agents), "contacts": len(day.contacts),
        "waiting": sum(1 for c in day.contacts if c.waiting_at(now)),
        "recompute_ms": summary(fast_ms, "ms"),
        "from_all_rows_ms": summary(reference_ms, "ms"),
        "first_build_ms": round(first_s * 1000, 1),
        "hub_cpu_percent": round(statistics.median(fast_ms) / 10, 2),  # once a second
        "hub_cpu_percent_from_all_rows": round(statistics.median(reference_ms) / 10, 1),
    }


# ---- live ----------------------------------------------------------------------------


def _prepare(db: Path, now: int) -> Day:
    """The day's rows and 500 agents (and the supervisor) into a new store."""
    from hub.auth import Authenticator
    from hub.demo.seed import DEMO_PASSWORD
    from hub.store import schema as t
    from hub.store.store import Store, create_engine

    engine = create_engine(db)
    t.migrate(engine)
    store = Store(engine)
    password = Authenticator(store).hash_password(DEMO_PASSWORD)
    store.create_agent("wang", "王伟", password, role="supervisor")
    day, _ = _day(now)
    ids = {a: store.create_agent(f"bench{a}", name, password)
           for a, (name, _) in day.names.items()}
    for a, state in day.agents.items():
        store.set_agent_queues(ids[a], sorted(state.queues))
    with engine.begin() as conn:
        conn.execute(t.contact_segments.insert(), [
            {"conversation_id": c.conversation_id, "queue_id": c.queue_id,
             "channel": c.channel.value, "kind": c.kind.value, "enqueued_at": c.enqueued_at,
             "answered_at": c.answered_at, "agent_id": ids.get(c.agent_id or "", c.agent_id),
             "first_reply_at": c.first_reply_at, "done_at": c.done_at,
             "outcome": c.outcome.value if c.outcome else None} for c in day.contacts])
        conn.execute(t.presence_log.insert(), [
            {"agent_id": ids[p.agent_id], "presence": p.presence.value, "at": p.at}
            for p in day.presence])
    engine.dispose()
    return day


def _customers(url: str, count: int, rate: float, sent: list[float],
               done: threading.Event) -> None:
    """The simulator's customers, on their own thread and loop: one chat each."""
    from hub.demo.simulator import SimCustomer

    async def one(n: int) -> None:
        customer = SimCustomer(url, name=f"访客{n}", visitor_id=uuid.uuid4().hex)
        await customer.connect()
        sent.append(time.time())
        await customer.send("请问我的订单到哪了 / where is my order")
        await asyncio.sleep(30)  # stays while the run lasts (waiting, no agent free)

    async def main() -> None:
        tasks = []
        start = time.perf_counter()
        for n in range(count):
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.sleep(3)
        done.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _watch(hub: Any, token: str, customers: int, rate: float) -> dict[str, Any]:
    import websockets
    from PySide6.QtCore import QTimer

    from core.protocol import agent as ap
    from core.protocol import supervision as sp
    from core.protocol.codec import PROTOCOL_VERSION, agent_server_decoder, encode_text
    from core.supervision.figures_client import FiguresClient
    from ui.supervision.workspace import SupervisorWorkspace

    workspace = SupervisorWorkspace()
    workspace.resize(1920, 1080)
    workspace.show()
    shown: list[tuple[int, float]] = []  # (offered on screen, when)

    def changed(keys: list[str]) -> None:
        workspace.show_board(client.board, keys)
        card = workspace.cards.get("centre")
        label = card.values.get("Waiting") if card is not None else None
        if label is not None and label.text().isdigit():
            value = int(label.text())
            if not shown or value != shown[-1][0]:
                shown.append((value, time.time()))

    client = FiguresClient(changed, lambda code: None)
    stalls: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        stalls.append((now - last[0]) * 1000 - 10)
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    decode = agent_server_decoder().decode
    async with websockets.connect(hub.agent_ws_url, max_size=2**26) as ws:
        await ws.send(encode_text(ap.Hello(v=PROTOCOL_VERSION, token=token)))
        loop = asyncio.get_running_loop()

        sending: set[asyncio.Task[None]] = set()

        def request(frame: sp.SupervisionCommand) -> bool:
            task = loop.create_task(ws.send(encode_text(frame)))
            sending.add(task)
            task.add_done_callback(sending.discard)
            return True

        client.attach(request)
        client.watch()
        sent: list[float] = []
        done = threading.Event()

        async def read() -> None:
            async for data in ws:
                frame = decode(data)
                if isinstance(frame, sp.FiguresSnapshot | sp.FiguresUpdate):
                    client.frame_received(frame)

        reader = asyncio.create_task(read())
        while not shown:  # noqa: ASYNC110 - the snapshot painted: the load starts
            await asyncio.sleep(0.05)
        base = shown[-1][0]
        timer.start(10)
        last[0] = time.perf_counter()
        cpu0, wall0 = _cpu_s(hub.proc.pid), time.perf_counter()
        thread = threading.Thread(target=_customers, args=(
            hub.customer_ws_url, customers, rate, sent, done), daemon=True)
        thread.start()
        while not done.is_set():  # noqa: ASYNC110 - bounded by the customers' own run
            await asyncio.sleep(0.05)
        cpu1, wall1 = _cpu_s(hub.proc.pid), time.perf_counter()
        timer.stop()
        reader.cancel()
        thread.join(timeout=40)
    rss = _rss_mb()
    workspace.close()
    reached: dict[int, float] = {}
    for value, at in shown:
        for k in range(base + 1, value + 1):
            reached.setdefault(k, at)
    latencies = [(reached[base + 1 + k] - at) * 1000
                 for k, at in enumerate(sorted(sent)) if base + 1 + k in reached]
    return {
        "customers": customers, "rate_per_s": rate,
        "seen": len(latencies),
        "event_to_screen_ms": summary(latencies, "ms") if latencies else None,
        "gui_stall_ms": summary([max(0.0, s) for s in stalls], "ms") if stalls else None,
        "hub_cpu_percent": round(100 * (cpu1 - cpu0) / (wall1 - wall0), 1),
        "desktop_rss_mb": round(rss, 1),
    }


def run_live(customers: int = 40, rate: float = 4.0) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    from hub.demo.seed import DEMO_PASSWORD
    from hub.process import HubProcess

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-supervision-") as tmp:
        db = Path(tmp) / "hub.sqlite3"
        _prepare(db, int(time.time() * 1000))
        hub = HubProcess(db, Path(tmp), seed_demo=False,
                         extra_args=["--new-visitors-per-minute", "100000"])
        hub.start(timeout=120)
        try:
            token = login(hub.url, "wang", DEMO_PASSWORD)
            loop = qasync.QEventLoop(app)
            try:
                result = loop.run_until_complete(_watch(hub, token, customers, rate))
            finally:
                loop.close()
            engine = sa.create_engine(f"sqlite:///{db}")
            with engine.connect() as conn:
                result["contacts_in_store"] = conn.execute(
                    sa.text("select count(*) from contact_segments")).scalar()
            engine.dispose()
        finally:
            hub.stop()
    return result


def run_supervision_benchmark(customers: int = 40, runs: int = 3) -> dict[str, Any]:
    metrics = sorted((run_metrics() for _ in range(runs)),
                     key=lambda m: m["recompute_ms"]["median"])
    live = [run_live(customers) for _ in range(runs)]

    def median(values: list[Any]) -> float | None:
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 1) if values else None

    return {
        "runs": runs,
        "metrics": metrics[len(metrics) // 2],  # the run of the median recomputation
        "metrics_cpu": {"median": median([m["hub_cpu_percent"] for m in metrics]),
                        "from_all_rows": median([m["hub_cpu_percent_from_all_rows"]
                                                 for m in metrics])},
        "live": live,
        "live_summary": {
            "event_to_screen_ms": {"p95": median([(r["event_to_screen_ms"] or {}).get("p95")
                                                  for r in live]), "n": runs},
            "gui_stall_ms": {"max": median([(r["gui_stall_ms"] or {}).get("max")
                                            for r in live]), "n": runs},
            "desktop_rss_mb": {"median": median([r["desktop_rss_mb"] for r in live]),
                               "n": runs},
            "hub_cpu_percent": median([r["hub_cpu_percent"] for r in live]),
        },
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run_supervision_benchmark(customers=20, runs=1), indent=2))
