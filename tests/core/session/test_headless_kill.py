"""The headless agent killed with an unsent outbox loses nothing and sends nothing twice.

A customer writes while no agent is reachable; the agent's process runs against a
hub address that does not answer, queues replies (each one durably in the outbox
before it says "queued"), and is killed with SIGKILL. Started again on the same
cache and pointed at the real hub, it delivers every reply exactly once, and its
cache ends up with the same digest as the hub.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.support.routing_files import routing_variant

ROOT = Path(__file__).resolve().parents[3]
HUB_HAS_DIGEST = "api/digest" in (ROOT / "hub" / "app.py").read_text()
REPLIES = ["第一条回复 one", "second reply", "third reply — 第三", "fourth"]
MARKER = "marker: sent after every reply was acknowledged"


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Headless:
    """``python -m core.session.headless`` as a child process speaking JSON lines."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.events: list[dict[str, Any]] = []

    @classmethod
    async def start(cls, hub_url: str, cache: Path) -> Headless:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "core.session.headless", "--hub", hub_url, "--user", "lina",
            "--password", "zuoxi-demo", "--cache", str(cache),
            cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def send(self, **command: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        await self.proc.stdin.drain()

    async def expect(self, event: str, timeout: float = 30) -> dict[str, Any]:
        assert self.proc.stdout is not None
        for seen in self.events:
            if seen["event"] == event:
                self.events.remove(seen)
                return seen
        while True:
            line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
            assert line, f"the headless agent exited before {event!r}: {self.events}"
            data = json.loads(line)
            if data["event"] == event:
                return data
            self.events.append(data)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)

    async def quit(self) -> int:
        await self.send(cmd="quit")
        return await asyncio.wait_for(self.proc.wait(), 15)


async def test_killed_with_unsent_outbox_delivers_everything_once(
    make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    # Chats are accepted as they are offered, so the waiting chat is lina's the
    # moment she connects, before her queued replies go out.
    config = routing_variant(tmp_path, {"auto_accept_chat = false": "auto_accept_chat = true"})
    hub = make_hub("--routing-config", str(config))
    customer = SimCustomer(hub.customer_ws_url, name="Kill Test")
    await customer.connect()
    await customer.send("Is anybody there? 有人吗？")
    conversation_id = customer.conversation_id
    assert conversation_id is not None
    cache = tmp_path / "lina.sqlite3"

    # 1. the hub is unreachable: the replies go to the outbox, then the process dies
    agent = await Headless.start(f"http://127.0.0.1:{closed_port()}", cache)
    await agent.expect("offline")
    ids = []
    for text in REPLIES:
        await agent.send(cmd="send", conversation_id=conversation_id, text=text)
        queued = await agent.expect("queued")
        ids.append(queued["message_id"])
    agent.kill()
    await agent.proc.wait()
    assert agent.proc.returncode == -signal.SIGKILL

    # 2. the same cache against the real hub: everything goes out, once
    agent = await Headless.start(hub.url, cache)
    await agent.expect("online")
    await agent.send(cmd="wait_idle")
    await agent.expect("idle")
    # Every reply is acknowledged. One more, sent now, is a marker: the hub handles an
    # agent's commands in order and writes to the customer in order, so once the
    # marker arrives, any duplicate of an earlier reply has arrived before it.
    await agent.send(cmd="send", conversation_id=conversation_id, text=MARKER)
    await agent.expect("queued")
    await customer.wait_for(lambda: any(m.text == MARKER for m in customer.messages),
                            timeout=15)
    agent_messages = [m for m in customer.messages if m.author == "agent"]
    assert [m.text for m in agent_messages] == [*REPLIES, MARKER]
    assert [m.id for m in agent_messages[:-1]] == ids
    with sqlite3.connect(hub.db_path) as db:
        rows = db.execute(
            "SELECT text, COUNT(*) FROM messages WHERE conversation_id=? AND author='agent' "
            "GROUP BY text", [conversation_id],
        ).fetchall()
    assert sorted(rows) == sorted((text, 1) for text in [*REPLIES, MARKER])

    # 3. the cache holds what the hub holds
    if not HUB_HAS_DIGEST:
        await agent.quit()
        await customer.disconnect()
        pytest.skip("the hub has no /api/digest yet: delivery checked, digest not")
    deadline = asyncio.get_running_loop().time() + 15
    while True:
        await agent.send(cmd="digest")
        digest = await agent.expect("digest")
        if digest["equal"] or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.3)
    assert digest["equal"], digest
    assert digest["conversations"]["count"] == 1
    assert digest["messages"]["count"] == 1 + len(REPLIES) + 1
    assert await agent.quit() == 0
    await customer.disconnect()
