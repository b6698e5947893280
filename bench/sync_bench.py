"""Sync benchmarks: applying events, resuming after an absence, a cold snapshot.

- apply: events written into a cache file through the same slicing the sync
  client uses, in events per second;
- resume: a headless agent (the desktop's engine without Qt) misses 10,000 events
  and reconnects; time until its cache holds the hub's head, and the longest
  stall of its event loop meanwhile;
- cold snapshot: a real desktop process with an empty cache signs in as an agent
  with 200 open conversations and 50,000 messages; time until the inbox shows all
  of them, and the longest stall of the GUI loop on the way.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.desktop_bench import DesktopRun, compile_bytecode, display
from bench.hub_latency import login
from bench.stats import summary
from core.cache.cache import Cache, CacheKey
from core.protocol import agent as ap
from core.protocol.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    MessageAuthor,
    MessageStatus,
)
from core.session.headless import HeadlessAgent
from core.sync.catch_up import event_cost, slices
from hub.demo.seed import DEMO_PASSWORD
from hub.process import HubProcess
from hub.store import schema as t
from hub.store.store import Store, create_engine, new_id, now_ms


def _apply_rate(events_total: int = 100_000, conversations: int = 200,
                key: CacheKey | None = None) -> dict[str, Any]:
    """Events per second into a cache file, sliced as the sync client slices them
    (``key``: an encrypted cache file, see bench/cache_cipher_bench.py)."""
    with tempfile.TemporaryDirectory(prefix="zuoxi-apply-") as tmp:
        cache = Cache(Path(tmp) / "cache.sqlite3", key)
        t0 = now_ms()
        seq = 0
        events: list[ap.Event] = []
        for i in range(conversations):
            seq += 1
            conv = Conversation(id=f"conv_{i}", customer_id=f"c_{i}", channel=Channel.CHAT,
                                status=ConversationStatus.OPEN, created_at=t0, agent_id="a_1")
            events.append(ap.Event(seq=seq, ts=t0, body=ap.ConversationAssigned(
                conversation=conv, customer=Customer(id=f"c_{i}", name=f"客户 {i}"))))
        for i in range(events_total - conversations):
            seq += 1
            msg = Message(id=f"m_{i}", conversation_id=f"conv_{i % conversations}",
                          author=MessageAuthor.CUSTOMER, text=f"消息 message {i}",
                          created_at=t0 + i, status=MessageStatus.SENT)
            events.append(ap.Event(seq=seq, ts=t0 + i, body=ap.MessageAdded(message=msg)))
        slice_ms: list[float] = []
        start = time.perf_counter()
        for batch in slices(events, event_cost):
            s0 = time.perf_counter()
            cache.apply_events(batch)
            slice_ms.append((time.perf_counter() - s0) * 1000)
        elapsed = time.perf_counter() - start
        assert cache.last_seq() == seq
        cache.close()
    return {
        "events": len(events),
        "seconds": round(elapsed, 3),
        "events_per_s": round(len(events) / elapsed),
        "slice_ms": summary(slice_ms, "ms"),
    }


def _customer_flood(store: Store, agent_id: str, conversation_id: str, customer_id: str,
                    count: int) -> int:
    """``count`` customer messages the agent has not seen: one event each."""
    with store.engine.begin() as conn:
        base = now_ms()
        for i in range(count):
            msg = Message(id=new_id("m"), conversation_id=conversation_id,
                          author=MessageAuthor.CUSTOMER, text=f"while you were away {i}",
                          created_at=base + i, status=MessageStatus.SENT, author_name="Bench")
            conn.execute(t.messages.insert().values(
                id=msg.id, conversation_id=conversation_id, author=msg.author.value,
                author_name="Bench", text=msg.text, created_at=msg.created_at,
                status=msg.status.value, dedupe_key=f"{customer_id}:{uuid.uuid4().hex}"))
            store.append_event(conn, agent_id, ap.MessageAdded(message=msg))
    return store.head_seq(agent_id)


async def _loop_lag(stop: asyncio.Event, worst: list[float]) -> None:
    tick = 0.005
    while not stop.is_set():
        t0 = time.monotonic()
        await asyncio.sleep(tick)
        worst.append((time.monotonic() - t0 - tick) * 1000)


async def _resume_runs(hub: HubProcess, workdir: Path, runs: int, missed: int) -> dict[str, Any]:
    store = Store(create_engine(hub.db_path))
    cache_path = workdir / "resume-cache.sqlite3"
    agent = HeadlessAgent(hub.url, "alex", DEMO_PASSWORD, cache_path)
    await agent.start()
    await agent.wait_online()
    token = agent.token
    await agent.stop()
    # Written straight into the hub's database (the hub reads its state from
    # there): the agent learns of all of it only when it reconnects.
    agent_id = store.agent_by_username("alex").id  # type: ignore[union-attr]
    customer_id = store.create_customer("Bench 客户")
    conv = store.create_conversation(customer_id)
    store.assign(conv.id, agent_id)
    seconds, stalls = [], []
    for _ in range(runs):
        head = await asyncio.to_thread(_customer_flood, store, agent_id, conv.id, customer_id,
                                       missed)
        agent = HeadlessAgent(hub.url, "alex", DEMO_PASSWORD, cache_path, token=token)
        stop, lags = asyncio.Event(), list[float]()
        monitor = asyncio.create_task(_loop_lag(stop, lags))
        start = time.perf_counter()
        await agent.start()

        def caught_up(a: HeadlessAgent = agent, h: int = head) -> bool:
            return (a.cache.last_seq() or 0) >= h

        await agent.wait_until(caught_up, 60)
        seconds.append(time.perf_counter() - start)
        stop.set()
        await monitor
        stalls.append(max(lags))
        await agent.stop()
    return {
        "missed_events": missed,
        "catch_up_s": summary(seconds, "s"),
        "worst_loop_stall_ms": summary(stalls, "ms"),
    }


def _big_agent(hub: HubProcess, username: str, conversations: int, messages: int) -> int:
    """Give ``username`` open conversations holding ``messages`` messages in all."""
    store = Store(create_engine(hub.db_path))
    agent_id = store.agent_by_username(username).id  # type: ignore[union-attr]
    per = messages // conversations
    base = now_ms() - messages * 1000
    with store.engine.begin() as conn:
        for i in range(conversations):
            customer_id = new_id("c")
            conn.execute(t.customers.insert().values(id=customer_id, name=f"大客户 {i}",
                                                     created_at=base))
            conv_id = new_id("conv")
            conn.execute(t.conversations.insert().values(
                id=conv_id, customer_id=customer_id, channel="chat", status="open",
                queue_id="chat", agent_id=agent_id, created_at=base + i,
                last_message_at=base + per * 1000))
            conn.execute(t.messages.insert(), [
                {"id": new_id("m"), "conversation_id": conv_id,
                 "author": "customer" if j % 2 == 0 else "agent",
                 "agent_id": None if j % 2 == 0 else agent_id,
                 "text": f"历史消息 history message {j} of conversation {i}",
                 "created_at": base + j * 1000, "status": "delivered"}
                for j in range(per)
            ])
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.messages).where(
            t.messages.c.agent_id == agent_id)).scalar_one())


def _cold_snapshot(hub: HubProcess, workdir: Path, runs: int, conversations: int,
                   messages: int) -> dict[str, Any]:
    username = "wang"
    compile_bytecode()
    _big_agent(hub, username, conversations, messages)
    token = login(hub.url, username, DEMO_PASSWORD)
    usable, stalls, busy = [], [], []
    with display() as env:
        for _ in range(runs):
            run = DesktopRun(hub, token, env, workdir, username=username)
            run.start()
            try:
                deadline = time.monotonic() + 60
                done_at = None
                while done_at is None:
                    if time.monotonic() > deadline or (run.proc and run.proc.poll() is not None):
                        raise RuntimeError("the desktop did not show the whole inbox")
                    for fields in run.trace_lines():
                        if fields[0] == "inbox" and int(fields[1]) >= conversations:
                            done_at = float(fields[-1])
                    time.sleep(0.05)
                lines = run.trace_lines()
                shown = next(float(f[-1]) for f in lines if f[0] == "shown")
                # A stall is stamped when it ends; count those that began after the
                # window was shown (window construction is start-up, measured apart).
                lags = [f for f in lines if f[0] == "lag"
                        and shown <= float(f[-1]) - float(f[1]) / 1000 <= done_at]
                worst = max([float(f[1]) for f in lags] or [0.0])
                usable.append((done_at - run.started_at) * 1000)
                stalls.append(worst)
                # The GUI thread's own CPU time within a stall (desktop/startup_trace):
                # on a busy machine a stall is mostly waiting for the processor;
                # this is the part that was the desktop's own work.
                busy.append(max([float(f[2]) for f in lags if len(f) > 3] or [0.0]))
            finally:
                run.stop()
    return {
        "conversations": conversations,
        "messages": messages,
        "inbox_complete_after_spawn_ms": summary(usable, "ms"),
        # stamped when the inbox view drew its rows from a model holding them all
        "clock_stops": "painted",
        "worst_gui_stall_ms": summary(stalls, "ms"),
        "gui_stall_sampling": "5 ms timer; ticks later than 20 ms recorded",
        "worst_gui_thread_cpu_in_a_stall_ms": summary(busy, "ms"),
    }


def run_sync_benchmarks(hub: HubProcess, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-sync-bench-") as tmp:
        workdir = Path(tmp)
        return {
            "apply": _apply_rate(),
            "resume": asyncio.run(_resume_runs(hub, workdir, runs=min(runs, 5), missed=10_000)),
            "cold_snapshot": _cold_snapshot(hub, workdir, runs=min(runs, 5),
                                            conversations=200, messages=50_000),
        }
