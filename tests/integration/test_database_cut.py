"""A network cut between one hub process and PostgreSQL (testbed/tcp_proxy.py).

Two hub processes share one database behind nginx (the shipped example); hub "a"
reaches PostgreSQL through a proxy the test cuts (open connections reset, new
ones blackholed). Within a bounded time "a" answers 503 on /readyz naming the
database and on /healthz, closes its websockets, and refuses new ones: its agent
and its customer move to "b" through nginx. What the customers write during the
cut reaches the agents once, the replies typed as the cut began are stored once,
nothing written before the cut is lost, and once the link is restored "a" is
ready again without a restart."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from core.protocol.models import MessageAuthor
from core.session.headless import HeadlessAgent
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import eventually
from testbed.nginx import Nginx
from testbed.tcp_proxy import TcpProxy
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker, postgres_required
from tests.support.hub_sql import hub_rows
from tests.support.metrics_text import scrape, value

if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
    pytestmark = pytest.mark.skipif(
        not postgres_required(), reason="nginx is not installed (apt-get install nginx-light)")

UNREADY_WITHIN_S = 20  # measured about 4 s here; the slack is for a loaded machine
READY_AGAIN_WITHIN_S = 15


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    with TcpProxy("/nonexistent") as link:  # its target is set once the database exists
        yield link


@pytest.fixture
def hubs(postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], proxy: TcpProxy
         ) -> tuple[str, HubProcess, HubProcess]:
    db = postgres_dbs.new("shared")
    parts = urlsplit(db)
    socket_dir = parse_qs(parts.query)["host"][0]
    proxy.target = f"{socket_dir}/.s.PGSQL.5432"
    through_proxy = f"postgresql://{parts.username}@127.0.0.1:{proxy.port}{parts.path}"
    args = ("--trusted-proxy", "127.0.0.1", "--process-name")
    cut = make_hub(*args, "a", name="a", db=through_proxy)
    healthy = make_hub(*args, "b", name="b", db=db)
    return db, cut, healthy


@pytest.fixture
def front(hubs: tuple[str, HubProcess, HubProcess], tmp_path: Path) -> Iterator[Nginx]:
    nginx = Nginx([f"127.0.0.1:{h.port}" for h in hubs[1:]], tmp_path / "nginx")
    nginx.start()
    yield nginx
    nginx.stop()


def _connected(hub: HubProcess, side: str) -> float:
    return value(scrape(hub.url), "zuoxi_connections", side=side)


def _fetch(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=20) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


async def _get(url: str) -> tuple[int, dict[str, object]]:
    """Status and JSON body, off the test's event loop."""
    return await asyncio.to_thread(_fetch, url)


async def test_a_hub_cut_from_postgresql_is_unready_and_its_clients_move(
    hubs: tuple[str, HubProcess, HubProcess], front: Nginx, proxy: TcpProxy, tmp_path: Path
) -> None:
    db, cut_hub, healthy = hubs
    agents = []
    for name in ("lina", "alex"):  # both serve the chat queue
        agent = HeadlessAgent(front.url, name, DEMO_PASSWORD, tmp_path / f"{name}.sqlite3")
        await agent.start()
        await agent.wait_online()
        agents.append(agent)
    assert [_connected(h, "agent") for h in (cut_hub, healthy)] == [1, 1]  # least_conn

    ws_url = "ws" + front.url[len("http"):] + "/customer"
    customers = []
    sent: dict[int, list[str]] = {}
    for n in range(2):
        customer = SimCustomer(ws_url, name=f"Customer {n}")
        await customer.connect()
        customers.append(customer)
        sent[n] = [(await customer.send(f"customer {n} before the cut")).text]
    assert [_connected(h, "customer") for h in (cut_hub, healthy)] == [1, 1]
    for n, customer in enumerate(customers):
        for k in range(2):
            sent[n].append((await customer.send(f"customer {n} before the cut {k}")).text)

    def owner_of(customer: SimCustomer) -> HeadlessAgent | None:
        return next((a for a in agents if any(
            c.conversation_id == customer.conversation_id for c in a.service.inbox())), None)

    owners = [await eventually(lambda c=c: owner_of(c), timeout=15) for c in customers]

    def customer_texts(n: int) -> Counter[str]:
        conversation = customers[n].conversation_id
        return Counter(m.text for m in owners[n].service.messages(conversation)
                       if m.author == MessageAuthor.CUSTOMER)

    for n in range(2):
        await owners[n].wait_until(lambda n=n: len(customer_texts(n)) == len(sent[n]), 15)
    replies: dict[int, list[str]] = {n: [] for n in range(2)}
    for n in range(2):
        text = f"reply to {n} before the cut"
        assert owners[n].service.send_message(customers[n].conversation_id, text)
        replies[n].append(text)
    for agent in agents:
        await agent.wait_until(lambda a=agent: a.outbox_size() == 0, 15)
    assert (await _get(cut_hub.url + "/readyz"))[0] == 200

    cut_at = time.monotonic()
    reset = proxy.cut()
    assert reset > 0, "the hub held connections to PostgreSQL through the proxy"
    for n in range(2):  # typed as the link went: in the outbox or in flight
        text = f"reply to {n} as the cut began"
        assert owners[n].service.send_message(customers[n].conversation_id, text)
        replies[n].append(text)

    async def unready() -> None:
        deadline = time.monotonic() + UNREADY_WITHIN_S
        while True:
            status, body = await _get(cut_hub.url + "/readyz")
            problems = body.get("problems")
            # The bus (its LISTEN connection) may be missed first; the database follows.
            if status == 503 and isinstance(problems, dict) and "database" in problems:
                return
            assert time.monotonic() < deadline, f"the cut hub still says {status} {body}"
            await asyncio.sleep(0.2)

    await unready()
    unready_s = time.monotonic() - cut_at
    status, health = await _get(cut_hub.url + "/healthz")
    assert status == 503 and health["status"] == "unhealthy", health
    assert (await _get(healthy.url + "/readyz"))[0] == 200

    # The cut hub's websockets close; the one customer there sees it, the other not.
    await eventually(lambda: any(not c.connected for c in customers), timeout=UNREADY_WITHIN_S)
    moved_s = time.monotonic() - cut_at
    dropped = [n for n, c in enumerate(customers) if not c.connected]
    assert len(dropped) == 1, "only the customer on the cut hub was disconnected"
    # The desktop on the cut hub reconnects through nginx, which now reaches "b" only.
    await eventually(lambda: _connected(healthy, "agent") == 2, timeout=30)
    for agent in agents:
        await agent.wait_online(timeout=30)
    agents_moved_s = time.monotonic() - cut_at
    # A new websocket straight to the cut hub is refused with 503.
    with pytest.raises(Exception, match="503"):
        await SimCustomer(cut_hub.customer_ws_url).connect()

    n = dropped[0]
    customers[n] = SimCustomer(ws_url, visitor_id=customers[n].visitor_id)
    await customers[n].connect()
    assert _connected(healthy, "customer") == 2
    for n, customer in enumerate(customers):  # during the cut, all through "b"
        for k in range(3):
            sent[n].append((await customer.send(f"customer {n} during the cut {k}")).text)
    for n in range(2):
        await owners[n].wait_until(lambda n=n: len(customer_texts(n)) == len(sent[n]), 20)
        assert customer_texts(n) == Counter(sent[n]), "each customer line once"
    for agent in agents:
        await agent.wait_until(lambda a=agent: a.outbox_size() == 0, 30)
    for n in range(2):
        stored = Counter(text for (text,) in hub_rows(
            db, "SELECT text FROM messages WHERE conversation_id = :c AND author = 'agent'",
            c=customers[n].conversation_id))
        assert stored == Counter(replies[n]), "each reply stored once"
        await customers[n].wait_for(
            lambda n=n: {m.text for m in customers[n].messages} >= set(replies[n]), 15)
    assert cut_hub.running(), "the cut hub process keeps running"

    restored_at = time.monotonic()
    proxy.restore()
    deadline = time.monotonic() + READY_AGAIN_WITHIN_S
    while (await _get(cut_hub.url + "/readyz"))[0] != 200:
        assert time.monotonic() < deadline, "the hub did not become ready again"
        await asyncio.sleep(0.2)
    ready_again_s = time.monotonic() - restored_at
    assert (await _get(cut_hub.url + "/healthz"))[0] == 200
    # It takes websockets again: a customer straight to it is welcomed with history.
    back = SimCustomer(cut_hub.customer_ws_url, visitor_id=customers[0].visitor_id)
    welcome = await back.connect()
    assert Counter(m.text for m in welcome.messages
                   if m.author == MessageAuthor.CUSTOMER) >= Counter(sent[0])
    await back.disconnect()
    for agent in agents:
        await _agree(agent)
    print(f"cut: /readyz 503 after {unready_s:.2f} s, a customer dropped after {moved_s:.2f} s, "
          f"both agents online on 'b' after {agents_moved_s:.2f} s; ready again "
          f"{ready_again_s:.2f} s after the link came back")

    for customer in customers:
        await customer.disconnect()
    for agent in agents:
        await agent.stop()


async def _agree(agent: HeadlessAgent, timeout: float = 20) -> None:
    """The agent's cache digest equals the database's, as the hub computes it."""
    deadline = time.monotonic() + timeout
    while agent.digest() != (hub := await agent.hub_digest()):
        assert time.monotonic() < deadline, f"{agent.username}: {agent.digest()} != {hub}"
        await asyncio.sleep(0.1)
