"""Frames to a customer's widget on another hub process: what the way through the
database costs.

Two ``zuoxi-hub serve`` processes on one throw-away PostgreSQL cluster; the agent's
desktop on a; one customer's widget on a ("same process"), another's on b
("across"). The agent replies to each in turn; each sample is from sending the
reply to the widget receiving it (the reply's own ack is not waited for first).
On b the reply arrives as a stored frame announced by NOTIFY and read back
(hub.store.bus, hub.store.relay_frames); on a it goes straight to the socket.
A delivery receipt (the desktop's ``delivered``) to each widget is timed the same
way. Median and p95 over ``rounds`` samples of each.
"""

from __future__ import annotations

import asyncio
import functools
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.stats import summary
from core.protocol import agent as ap
from core.protocol.models import Message, MessageStatus
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from testbed.pg_cluster import PostgresCluster


def _has_text(text: str, message: Message) -> bool:
    return message.text == text


def _added(message_id: str, body: ap.MessageAdded) -> bool:
    return body.message.id == message_id


def _assigned(conversation_id: str, body: ap.ConversationAssigned) -> bool:
    return body.conversation.id == conversation_id


async def _timed_replies(lina: AgentProbe, widget: SimCustomer, conversation_id: str,
                         rounds: int) -> list[float]:
    samples = []
    for n in range(rounds):
        text = f"reply {n} {uuid.uuid4().hex}"
        start = time.perf_counter()
        await lina.send(ap.SendMessage(op=uuid.uuid4().hex, conversation_id=conversation_id,
                                       message_id=uuid.uuid4().hex, text=text))
        await widget.wait_message(functools.partial(_has_text, text), timeout=10)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


# A widget's lines at most ~8 a second: the hub's per-customer flood guard (10/s,
# burst 30) refuses faster ones, which a quiet machine reached after 30 lines.
LINE_GAP_S = 0.12


async def _timed_receipts(lina: AgentProbe, widget: SimCustomer, conversation_id: str,
                          rounds: int) -> list[float]:
    samples = []
    last_line = 0.0
    for n in range(rounds):
        await asyncio.sleep(max(0.0, last_line + LINE_GAP_S - time.perf_counter()))
        last_line = time.perf_counter()
        line = await widget.send(f"line {n}")
        await lina.wait_body(ap.MessageAdded, functools.partial(_added, line.id), timeout=10)
        start = time.perf_counter()
        await lina.send(ap.Delivered(conversation_id=conversation_id, message_ids=[line.id]))
        await widget.wait_status(line.id, MessageStatus.DELIVERED, timeout=10)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def _measure(hub_a: HubProcess, hub_b: HubProcess, rounds: int) -> dict[str, Any]:
    lina = await AgentProbe.logged_in(hub_a.url)
    widgets = {"same": SimCustomer(hub_a.customer_ws_url, name="Same"),
               "across": SimCustomer(hub_b.customer_ws_url, name="Across")}
    conversations = {}
    for key, widget in widgets.items():
        await widget.connect()
        sent = await widget.send("hello")
        assigned = await lina.wait_body(
            ap.ConversationAssigned, functools.partial(_assigned, sent.conversation_id),
            timeout=15)
        conversations[key] = assigned.conversation.id
    result: dict[str, Any] = {}
    for key, widget in widgets.items():
        await _timed_replies(lina, widget, conversations[key], 10)  # warm-up
    replies: dict[str, list[float]] = {"same": [], "across": []}
    receipts: dict[str, list[float]] = {"same": [], "across": []}
    for _ in range(rounds // 10):  # interleaved, so load on the machine hits both alike
        for key, widget in widgets.items():
            replies[key] += await _timed_replies(lina, widget, conversations[key], 10)
            receipts[key] += await _timed_receipts(lina, widget, conversations[key], 10)
    for key in widgets:
        result[f"reply_{key}_ms"] = summary(replies[key], "ms")
        result[f"receipt_{key}_ms"] = summary(receipts[key], "ms")
    for widget in widgets.values():
        await widget.disconnect()
    await lina.close()
    return result


def run_xframes_benchmark(rounds: int = 200) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-xframes-") as tmp:
        root = Path(tmp)
        cluster = PostgresCluster()
        cluster.start()
        hubs: list[HubProcess] = []
        try:
            cluster.execute("CREATE DATABASE zuoxi")
            db = cluster.url("zuoxi")
            for name in ("a", "b"):
                hub = HubProcess(db, root / name, extra_args=[
                    "--process-name", name, "--new-visitors-per-minute", "100000"])
                hub.start(timeout=90)
                hubs.append(hub)
            return {"processes": 2, **asyncio.run(_measure(hubs[0], hubs[1], rounds))}
        finally:
            for hub in hubs:
                hub.stop()
            cluster.stop()


if __name__ == "__main__":
    import json

    print(json.dumps(run_xframes_benchmark(), indent=2))
