"""Two hub processes on one PostgreSQL database behind nginx (the shipped example
config): agents and a customer connect through the one address; SIGKILL of the
process holding the agent's and the customer's sockets moves both to the other
process, the agent resumes from its cursor, and nothing is lost or duplicated."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.protocol.models import MessageAuthor
from core.session.headless import HeadlessAgent
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import eventually
from testbed.nginx import Nginx
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker, postgres_required
from tests.support.hub_sql import hub_rows
from tests.support.metrics_text import scrape, value

if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
    pytestmark = pytest.mark.skipif(
        not postgres_required(), reason="nginx is not installed (apt-get install nginx-light)")


@pytest.fixture
def two_hubs(postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess]
             ) -> tuple[str, list[HubProcess]]:
    db = postgres_dbs.new("shared")
    return db, [make_hub("--trusted-proxy", "127.0.0.1", "--process-name", name,
                         name=name, db=db) for name in ("a", "b")]


@pytest.fixture
def front(two_hubs: tuple[str, list[HubProcess]], tmp_path: Path) -> Iterator[Nginx]:
    nginx = Nginx([f"127.0.0.1:{h.port}" for h in two_hubs[1]], tmp_path / "nginx")
    nginx.start()
    yield nginx
    nginx.stop()


def _connected(hub: HubProcess, side: str) -> float:
    return value(scrape(hub.url), "zuoxi_connections", side=side)


async def test_agent_resumes_on_the_other_hub_process_through_nginx(
    two_hubs: tuple[str, list[HubProcess]], front: Nginx, tmp_path: Path
) -> None:
    db, hubs = two_hubs
    agents = []
    for name in ("lina", "alex"):  # both serve the chat queue
        agent = HeadlessAgent(front.url, name, DEMO_PASSWORD, tmp_path / f"{name}.sqlite3")
        await agent.start()
        await agent.wait_online()
        agents.append(agent)
    # least_conn: the second desktop goes to the process without one.
    assert [_connected(h, "agent") for h in hubs] == [1, 1]

    ws_url = "ws" + front.url[len("http"):] + "/customer"
    customer = SimCustomer(ws_url, name="Behind Nginx")
    await customer.connect()
    sent = [await customer.send("hello through the one address")]
    # One of the two desktops takes it (the router offers across processes).
    owner = await eventually(lambda: next(
        (a for a in agents if a.service.inbox()), None), timeout=10)
    conversation = owner.service.inbox()[0].conversation_id
    victim, survivor = sorted(hubs, key=lambda h: -_connected(h, "customer"))
    assert _connected(victim, "customer") == 1 and _connected(survivor, "customer") == 0

    def customer_texts() -> Counter[str]:
        return Counter(m.text for m in owner.service.messages(conversation)
                       if m.author == MessageAuthor.CUSTOMER)

    for n in range(3):
        sent.append(await customer.send(f"before the crash {n}"))
    await owner.wait_until(lambda: len(customer_texts()) == len(sent))
    replies = [f"reply {n}" for n in range(4)]
    for text in replies[:2]:
        assert owner.service.send_message(conversation, text)
    await owner.wait_until(lambda: owner.outbox_size() == 0)
    for text in replies[2:]:  # typed just before the crash: in the outbox or in flight
        assert owner.service.send_message(conversation, text)

    killed_at = time.monotonic()
    await asyncio.to_thread(victim.kill)  # SIGKILL
    # The desktop reconnects through nginx, which leaves the dead process out.
    await eventually(lambda: _connected(survivor, "agent") == 2, timeout=20)
    await owner.wait_online()
    failover_s = time.monotonic() - killed_at

    again = SimCustomer(ws_url, visitor_id=customer.visitor_id)
    await again.connect()
    for n in range(3):
        sent.append(await again.send(f"after the crash {n}"))

    await owner.wait_until(lambda: owner.outbox_size() == 0, timeout=20)
    await owner.wait_until(lambda: len(customer_texts()) == len(sent), timeout=20)
    assert customer_texts() == Counter(m.text for m in sent), "each customer line once"
    for agent in agents:
        await eventually_agree(agent)
    stored = Counter(text for (text,) in hub_rows(
        db, "SELECT text FROM messages WHERE conversation_id = :c AND author = 'agent'",
        c=conversation))
    assert stored == Counter(replies), "each reply stored once"
    await again.wait_for(lambda: {m.text for m in again.messages} >= set(replies), timeout=10)
    print(f"agent resumed on the other hub process {failover_s:.2f} s after SIGKILL")

    await again.disconnect()
    for agent in agents:
        await agent.stop()


async def eventually_agree(agent: HeadlessAgent, timeout: float = 20) -> None:
    """The agent's cache digest equals the database's, as the hub computes it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while agent.digest() != (hub := await agent.hub_digest()):
        if loop.time() > deadline:
            raise AssertionError(f"{agent.username}: cache {agent.digest()} != hub {hub}")
        await asyncio.sleep(0.1)


