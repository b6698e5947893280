"""Busy chat sessions through a hub crash and through repeated network drops:
every client resumes, nothing is lost or duplicated, caches and hub agree."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from core.protocol.models import MessageAuthor, MessageStatus
from core.session.headless import HeadlessAgent
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import eventually
from tests.conftest import HubProcess
from tests.support.cut_proxy import CutProxy
from tests.support.hub_sql import hub_rows

# The hub under these runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.postgresql

AGENTS = ("lina", "alex", "wang")


async def _agents(url: str, tmp_path: Path) -> list[HeadlessAgent]:
    agents = [HeadlessAgent(url, name, DEMO_PASSWORD, tmp_path / f"{name}.sqlite3")
              for name in AGENTS]
    for agent in agents:
        await agent.start()
    for agent in agents:
        await agent.wait_online()
    return agents


async def _customers(hub: HubProcess, count: int) -> list[SimCustomer]:
    customers = [SimCustomer(hub.customer_ws_url, name=f"Customer {i}") for i in range(count)]
    for c in customers:
        await c.connect()
    return customers


async def _reconnect(hub: HubProcess, customers: list[SimCustomer]) -> list[SimCustomer]:
    """Customers whose socket died come back as the same visitors (as the widget does)."""
    out = []
    for c in customers:
        if c.connected:
            out.append(c)
            continue
        again = SimCustomer(hub.customer_ws_url, visitor_id=c.visitor_id)
        await again.connect()
        out.append(again)
    return out


def _reply_to_waiting(agents: list[HeadlessAgent], round_no: int, sent: Counter[str]) -> None:
    """Each agent answers every open conversation of theirs, online or not."""
    for agent in agents:
        for item in agent.service.inbox():
            if item.status != "open":
                continue
            text = f"{agent.username} reply {round_no} to {item.conversation_id[-6:]}"
            if agent.service.send_message(item.conversation_id, text):
                sent[text] += 1


async def _all_agree(agents: list[HeadlessAgent], timeout: float = 30) -> None:
    for agent in agents:
        await agent.wait_until(lambda a=agent: a.outbox_size() == 0, timeout)  # type: ignore[misc]

    async def agreed() -> bool:
        for agent in agents:
            if agent.digest() != await agent.hub_digest():
                return False
        return True

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await agreed():
        if loop.time() > deadline:
            report = [(a.username, a.digest(), await a.hub_digest()) for a in agents]
            raise AssertionError(f"caches and hub disagree: {report}")
        await asyncio.sleep(0.2)


def _hub_agent_texts(hub: HubProcess) -> Counter[str]:
    rows = hub_rows(hub.db_path, "select text from messages where author = 'agent'")
    return Counter(text for (text,) in rows)


def _check_exactly_once(hub: HubProcess, customers: list[SimCustomer],
                        agents: list[HeadlessAgent], sent: Counter[str]) -> None:
    at_hub = _hub_agent_texts(hub)
    assert {t: at_hub[t] for t in sent} == dict(sent), "every reply stored exactly once"
    for agent in agents:
        for item in agent.service.inbox():
            ids = [m.id for m in agent.service.messages(item.conversation_id)]
            assert len(ids) == len(set(ids))
            assert all(m.status != MessageStatus.PENDING
                       for m in agent.service.messages(item.conversation_id))
    seen = Counter(m.text for c in customers for m in c.messages if m.author == "agent")
    for c in customers:
        assert len({m.id for m in c.messages}) == len(c.messages)
    # A customer that was connected at the end saw its replies once (a reconnecting
    # widget gets the history in its welcome, so nothing is counted twice there).
    assert all(seen[t] <= 1 for t in sent)


async def test_hub_killed_in_a_busy_session(make_hub: Callable[..., HubProcess],
                                             tmp_path: Path) -> None:
    hub = make_hub()
    agents = await _agents(hub.url, tmp_path)
    customers = await _customers(hub, 6)
    sent: Counter[str] = Counter()
    for round_no in range(6):
        if round_no == 3:
            # Replies typed just before the crash are in outboxes or in flight.
            _reply_to_waiting(agents, 100 + round_no, sent)
            await asyncio.to_thread(hub.restart)  # SIGKILL, then start on the same port
            customers = await _reconnect(hub, customers)
        for c in customers:
            await c.send(f"{c.visitor_id[-6:]} message {round_no}")
        await eventually(lambda n=round_no: all(
            any(f"message {n}" in (item.last_text or "") or item.last_author == "agent"
                for item in a.service.inbox()) for a in agents
            if a.service.inbox()), timeout=10)
        _reply_to_waiting(agents, round_no, sent)
        await asyncio.sleep(0.2)  # pacing: replies in flight as the next round starts
    assert any(" reply 103 " in t for t in sent), "some replies were typed just before the crash"
    await _all_agree(agents)
    # Everything the customers sent is in the agents' caches, once.
    texts = Counter(
        m.text for a in agents for item in a.service.inbox()
        for m in a.service.messages(item.conversation_id) if m.author == MessageAuthor.CUSTOMER
    )
    assert sum(texts.values()) == 6 * 6 and max(texts.values()) == 1
    _check_exactly_once(hub, customers, agents, sent)
    customers = await _reconnect(hub, customers)
    for c in customers:
        await c.disconnect()
    for agent in agents:
        await agent.stop()


async def test_repeated_network_drops_while_messages_flow(hub: HubProcess,
                                                          tmp_path: Path) -> None:
    proxy = CutProxy("127.0.0.1", hub.port)
    await proxy.start()
    agents = await _agents(proxy.url, tmp_path)
    customers = await _customers(hub, 5)
    sent: Counter[str] = Counter()
    counter = itertools.count()
    for cycle in range(5):
        # Traffic both ways while the link is up ...
        for c in customers:
            await c.send(f"up {cycle} #{next(counter)}")
        # Pacing, not proof: traffic is mid-flight when the link drops; what arrived
        # and what did not is checked at the end, against barriers (_all_agree).
        await asyncio.sleep(0.3)
        _reply_to_waiting(agents, cycle, sent)
        await asyncio.sleep(0.1)
        # ... then the agents' link drops in the middle of it.
        proxy.cut()
        for c in customers:
            await c.send(f"down {cycle} #{next(counter)}")
        _reply_to_waiting(agents, 50 + cycle, sent)  # typed offline: outbox
        await asyncio.sleep(0.5)  # real time: the link stays down a while
        proxy.restore()
        await asyncio.sleep(0.2)
    assert proxy.cuts == 5
    assert sum(n for t, n in sent.items() if " reply 5" in t) >= 5, "replies typed offline"
    await _all_agree(agents)
    customer_texts = Counter(
        m.text for a in agents for item in a.service.inbox()
        for m in a.service.messages(item.conversation_id) if m.author == MessageAuthor.CUSTOMER
    )
    assert sum(customer_texts.values()) == 5 * 10 and max(customer_texts.values()) == 1
    _check_exactly_once(hub, customers, agents, sent)
    for c in customers:
        await c.wait_for(lambda c=c: all(  # type: ignore[misc]
            any(m.text == t for m in c.messages) for t in sent
            if t.endswith(c.conversation_id[-6:] if c.conversation_id else "-")), timeout=10)
    for c in customers:
        await c.disconnect()
    for agent in agents:
        await agent.stop()
    await proxy.close()
