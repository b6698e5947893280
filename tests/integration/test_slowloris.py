"""Finding 5: 2,000 connections from one address that never finish their request
headers must not take the hub from anyone else, even with 1,024 descriptors.

The hub runs in this process on a real uvicorn server (with the settings
``zuoxi-hub serve`` uses) under a soft limit of 1,024 open files; the attacker is
a child process on 127.0.0.1; "everyone else" is 127.0.0.2."""

from __future__ import annotations

import asyncio
import http.client
import json
import resource
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import uvicorn
import websockets

from hub.app import Hub
from hub.config import HubConfig
from hub.demo.seed import DEMO_PASSWORD, seed_demo
from hub.process import PACKAGE_ROOT
from hub.transport.serving import GuardSettings, HalfOpen, uvicorn_config
from testbed.agent_probe import eventually

pytestmark = pytest.mark.serial  # measures answers within a bound while 2,000 sockets hang

ATTACK = """
import resource, socket, sys

hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, max(4096, hard)))
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: hub\\r\\nX-Slow: ")
    socks.append(s)
print("ready", flush=True)
for line in sys.stdin:
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1, socket.MSG_PEEK) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print(closed, flush=True)
"""

HEADER_TIMEOUT_S = 3.0


@pytest.fixture
def few_descriptors() -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.fixture
async def served(tmp_path: Path, few_descriptors: None) -> AsyncIterator[tuple[HalfOpen, int]]:
    hub = Hub(HubConfig(db=tmp_path / "hub.sqlite3"))
    seed_demo(hub.store, hub.auth)
    half_open = HalfOpen(GuardSettings(header_timeout_s=HEADER_TIMEOUT_S))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn_config(hub.app, half_open))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no started event
        await asyncio.sleep(0.01)
    yield half_open, int(sock.getsockname()[1])
    server.should_exit = True
    await task


def _request(port: int, method: str, path: str, body: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5,
                                      source_address=("127.0.0.2", 0))
    conn.request(method, path, json.dumps(body) if body else None,
                 {"Content-Type": "application/json"})
    status = conn.getresponse().status
    conn.close()
    return status


async def test_half_open_connections_from_one_address_leave_the_hub_to_others(
    served: tuple[HalfOpen, int],
) -> None:
    half_open, port = served
    attacker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", ATTACK, str(port), "2000", cwd=PACKAGE_ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert attacker.stdout is not None and attacker.stdin is not None
    try:
        line = await asyncio.wait_for(attacker.stdout.readline(), 60)
        assert line.strip() == b"ready"
        # The hub works through the kernel's backlog of accepted connections.
        await eventually(lambda: half_open.refused + half_open.admitted >= 2000, timeout=60)
        assert half_open.count("127.0.0.1") <= half_open.settings.half_open_hard_cap
        assert half_open.refused >= 1000

        started = time.monotonic()
        assert await asyncio.to_thread(_request, port, "GET", "/healthz") == 200
        login = {"username": "lina", "password": DEMO_PASSWORD}
        assert await asyncio.to_thread(_request, port, "POST", "/api/login", login) == 200
        async with websockets.connect(f"ws://127.0.0.1:{port}/customer",
                                      local_addr=("127.0.0.2", 0)) as ws:
            await ws.send(json.dumps({"type": "hello", "v": 1}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "welcome"
        print(f"\nanswered others in {time.monotonic() - started:.2f} s "
              f"with 2,000 half-open connections from one address")

        # The ones let in are closed when their headers take too long.
        await asyncio.sleep(HEADER_TIMEOUT_S + 1)
        attacker.stdin.write(b"check\n")
        await attacker.stdin.drain()
        closed = int(await asyncio.wait_for(attacker.stdout.readline(), 30))
        assert closed == 2000
        assert half_open.count("127.0.0.1") == 0
        assert half_open.timed_out >= 1
    finally:
        attacker.kill()
        await attacker.wait()
