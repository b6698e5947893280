"""Many agents and customers on hub processes behind one address, in one asyncio loop.

Used by the scale-out load test (tests/integration/test_scale_load.py). Agents are
``HeadlessAgent``s: the desktop's own cache, outbox and sync client, signed in with
tokens issued up front (an argon2 login costs the hub about 150 ms of CPU, so 200 of
them would be the load). Each agent takes every offer, answers each customer line
with ``re: <line>`` and closes the conversation once its second answer is stored.
Customers are ``SimCustomer``s on the real ``/customer`` websocket. All of them
connect and stay connected; the ones chosen to talk send two lines, the second
after the answer to the first. Whenever a customer's connection drops (its hub
process died) it connects again as the same visitor, as the widget does, and
sends an unanswered line again under the same client id.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
import websockets

from core.cache.cache import open_cache
from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol.models import Channel, ConversationStatus, MessageAuthor, MessageStatus
from core.session.headless import HeadlessAgent
from core.sync.client import Backoff, ConnectionState
from hub.auth import Authenticator
from hub.demo.simulator import SimCustomer
from hub.store.base import create_engine
from hub.store.store import Store
from testbed.agent_probe import eventually

LINES = 2  # lines each customer sends
_events = msgspec.json.Decoder(ap.EventBody)


def add_agents_with_tokens(db: str, names: list[str], capacity: int) -> dict[str, str]:
    """Chat agents of the given capacity, each with a session token; tokens by name."""
    engine = create_engine(db)
    try:
        store = Store(engine)
        auth = Authenticator(store, 3600)
        password = auth.hash_password("load-pass-1")  # one hash: argon2 is slow on purpose
        tokens = {}
        for name in names:
            agent_id = store.create_agent(name, name, password, "agent", None)
            store.set_agent_queues(agent_id, ["chat"])
            store.set_agent_skills(agent_id, {"chat": 3})
            store.set_agent_capacity(agent_id, Channel.CHAT, capacity)
            tokens[name], _ = auth.issue_token(agent_id)
        return tokens
    finally:
        engine.dispose()


def stored_streams(db: str) -> dict[str, list[ap.Event]]:
    """Every agent's event stream as the database holds it, by username."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT a.username, e.seq, e.ts, e.body FROM agent_events e "
                "JOIN agents a ON a.id = e.agent_id ORDER BY a.username, e.seq").all()
    finally:
        engine.dispose()
    streams: dict[str, list[ap.Event]] = {}
    for username, seq, ts, body in rows:
        streams.setdefault(str(username), []).append(
            ap.Event(seq=int(seq), ts=int(ts), body=_events.decode(body)))
    return streams


def answer_to(line: str) -> str:
    return f"re: {line}"


class LoadAgent:
    """One agent at a desktop: answers each customer line once, closes after the last."""

    def __init__(self, name: str, agent: HeadlessAgent) -> None:
        self.name = name
        self.agent = agent
        self.answered: set[tuple[str, str]] = set()  # (conversation, line)
        self.closing: set[str] = set()
        self.dirty = True

    def mark(self, *_: object) -> None:
        self.dirty = True

    def work(self) -> None:
        """Answer what is unanswered in the open conversations; close finished ones."""
        self.dirty = False
        service = self.agent.service
        for item in service.inbox():
            if item.status is not ConversationStatus.OPEN or item.channel is not Channel.CHAT:
                continue
            conversation = item.conversation_id
            if conversation in self.closing:
                continue
            messages = service.messages(conversation)
            lines = [m.text for m in messages if m.author is MessageAuthor.CUSTOMER]
            answers = [m for m in messages if m.author is MessageAuthor.AGENT]
            for line in lines:
                if (conversation, line) not in self.answered:
                    self.answered.add((conversation, line))
                    service.send_message(conversation, answer_to(line))
            if (len(lines) >= LINES and len(answers) >= LINES
                    and all(m.status is not MessageStatus.PENDING for m in answers)):
                self.closing.add(conversation)
                service.close_conversation(conversation)


class LoadCustomer:
    """One customer; ``connections`` holds every connection it made, in order."""

    def __init__(self, n: int, url: str, deadline: float) -> None:
        self.n = n
        self.url = url
        self.deadline = deadline  # loop time by which it must be done
        self.visitor_id: str | None = None
        # Where it is in each conversation, kept across connections as the widget
        # keeps it: a reconnect's welcome brings what it missed of a closed one.
        self.seen: dict[str, tuple[str, int]] = {}
        self.connections: list[SimCustomer] = []
        self.welcomes: list[cp.Welcome] = []
        self.lines = [f"c{n} m{k}" for k in range(1, LINES + 1)]
        self.sent_at: dict[str, float] = {}
        self.answered_at: dict[str, float] = {}
        self.connected = False
        self.done = False

    @property
    def sim(self) -> SimCustomer:
        return self.connections[-1]

    async def _connect(self) -> None:
        while True:
            # Ten customers an address: the hub caps each address's customer sockets.
            sim = SimCustomer(self.url, name=f"Customer {self.n}", visitor_id=self.visitor_id,
                              local_host=f"127.0.{self.n // 2500}.{2 + self.n // 10 % 250}",
                              seen=self.seen)
            try:
                welcome = await sim.connect(timeout=10)
            except (OSError, TimeoutError, websockets.WebSocketException, RuntimeError):
                with contextlib.suppress(Exception):
                    await sim.disconnect()
                if asyncio.get_running_loop().time() > self.deadline:
                    raise
                await asyncio.sleep(0.25)
                continue
            self.visitor_id = welcome.visitor_id
            self.connections.append(sim)
            self.welcomes.append(welcome)
            return

    async def _until_done(self, step: str, line: str) -> None:
        """Send ``line`` (or wait for its answer), connecting again whenever the
        connection drops; a line not yet acknowledged goes again under its id."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                if step == "send":
                    await self.sim.send(line, client_id=line.replace(" ", "-"), timeout=10)
                else:
                    await self.sim.wait_message(lambda m: m.text == answer_to(line), timeout=10)
                return
            except (ConnectionError, websockets.ConnectionClosed):
                if loop.time() > self.deadline:
                    raise
                with contextlib.suppress(Exception):
                    await self.sim.disconnect()
                await self._connect()
            except TimeoutError:
                if loop.time() > self.deadline:
                    raise

    async def run(self, talk: asyncio.Event | None) -> None:
        """Connect; once ``talk`` is set (talkers only), send the lines and wait for
        each answer; then stay connected (until cancelled)."""
        await self._connect()
        self.connected = True
        if talk is not None:
            await talk.wait()
            for line in self.lines:
                self.sent_at[line] = time.monotonic()
                await self._until_done("send", line)
                await self._until_done("answer", line)
                self.answered_at[line] = time.monotonic()
            self.done = True
        while True:
            try:
                await self.sim.wait_for(lambda: False, timeout=3600)
            except (ConnectionError, websockets.ConnectionClosed):
                with contextlib.suppress(Exception):
                    await self.sim.disconnect()
                await self._connect()

    def live(self) -> bool:
        """Connected now (after a drop: connected again)."""
        reader = self.sim._reader if self.connections else None
        return reader is not None and not reader.done()

    def live_answers(self) -> Counter[str]:
        """Agent messages that arrived as they were sent, over every connection."""
        return Counter(f.message.id for sim in self.connections for f in sim.frames
                       if isinstance(f, cp.NewMessage) and f.message.author == "agent")

    def seen_answers(self) -> dict[str, str]:
        """Agent messages it has, live or in a welcome (an open conversation's history,
        or what it missed of one closed meanwhile): text by id."""
        seen = {m.id: m.text for w in self.welcomes for m in w.messages if m.author == "agent"}
        seen.update((m.id, m.text) for w in self.welcomes for r in w.resumed
                    for m in r.messages if m.author == "agent")
        for sim in self.connections:
            for f in sim.frames:
                if isinstance(f, cp.NewMessage) and f.message.author == "agent":
                    seen[f.message.id] = f.message.text
        return seen

    async def close(self) -> None:
        for sim in self.connections:
            with contextlib.suppress(Exception):
                await sim.disconnect()


@dataclass
class ScaleLoad:
    """Agents and customers through ``url`` (nginx): every customer connects, then
    ``talkers`` of them (every n-th) talk, starting at ``rate`` a second."""

    url: str
    tokens: dict[str, str]
    workdir: Path
    customers_n: int
    talkers_n: int
    rate: float  # talkers starting per second
    deadline_s: float  # every talker done within this long after the talk starts
    agents: dict[str, LoadAgent] = field(default_factory=dict)
    customers: list[LoadCustomer] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)
    _desk: asyncio.Task[None] | None = None
    _runs: list[asyncio.Task[None]] = field(default_factory=list)
    _talk: list[asyncio.Event] = field(default_factory=list)

    async def sign_in(self) -> None:
        """Every agent's desktop core, online through the one address."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        # Every cache starts as the same empty file: made once, copied (making the
        # schema costs ~50 ms of this loop per agent).
        template = self.workdir / "empty-cache.sqlite3"
        cache, _ = open_cache(template)
        cache.close()
        for name, token in self.tokens.items():
            path = self.workdir / f"{name}.sqlite3"
            shutil.copyfile(template, path)
            headless = HeadlessAgent(self.url, name, "", path, token=token,
                                     backoff=Backoff(initial=0.25, maximum=2.0))
            agent = self.agents[name] = LoadAgent(name, headless)
            await headless.start()
            for hook in (headless.service.inbox_did_change,
                         headless.service.message_did_change,
                         headless.service.conversation_did_change):
                hook.connect(agent.mark)
        self._desk = asyncio.create_task(self._desks())
        await eventually(lambda: self.online() == len(self.agents), timeout=180, interval=0.2)

    def online(self) -> int:
        return sum(a.agent.service.connection.state is ConnectionState.ONLINE
                   for a in self.agents.values())

    async def connect_customers(self, timeout: float) -> None:
        """Every customer connected (talkers waiting for their turn)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout + self.deadline_s
        customer_url = "ws" + self.url[len("http"):] + "/customer"
        every = max(1, self.customers_n // max(1, self.talkers_n))
        for n in range(self.customers_n):
            customer = LoadCustomer(n, customer_url, deadline)
            self.customers.append(customer)
            talk = None
            if n % every == 0 and len(self._talk) < self.talkers_n:
                talk = asyncio.Event()
                self._talk.append(talk)
            task = asyncio.create_task(customer.run(talk))
            task.add_done_callback(self._finished)
            self._runs.append(task)
            if n % 50 == 49:  # a hundred handshakes in flight at most, not a thousand
                await eventually(lambda n=n: self.connected() >= n - 100 or self.failures,  # type: ignore[misc]
                                 timeout=timeout, interval=0.05)
        await eventually(lambda: self.connected() == self.customers_n or self.failures,
                         timeout=timeout, interval=0.1)

    def connected(self) -> int:
        return sum(c.connected for c in self.customers)

    def live(self) -> int:
        return sum(c.live() for c in self.customers)

    async def talk(self) -> None:
        """Let the talkers start, ``rate`` a second (paced by the clock)."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        for n, event in enumerate(self._talk):
            event.set()
            delay = start + (n + 1) / self.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)

    def talkers(self) -> list[LoadCustomer]:
        every = max(1, self.customers_n // max(1, self.talkers_n))
        return [c for c in self.customers if c.n % every == 0][:self.talkers_n]

    def started(self) -> int:
        return sum(e.is_set() for e in self._talk)

    def finished(self) -> int:
        return sum(c.done for c in self.customers)

    def _finished(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.failures.append(task.exception())  # type: ignore[arg-type]

    async def _desks(self) -> None:
        """The agents at their desks: each looks again when its cache changed, and
        every 2 s in any case (an acknowledged answer lets it close)."""
        sweep = 0
        while True:
            sweep += 1
            for agent in self.agents.values():
                if agent.dirty or sweep % 40 == 0:
                    agent.work()
            await asyncio.sleep(0.05)

    async def wait_talked(self, timeout: float) -> None:
        """Every talker's lines sent and answered (or a customer failed)."""
        await eventually(lambda: self.finished() == len(self._talk) or self.failures,
                         timeout=timeout, interval=0.1)

    async def stop(self) -> None:
        tasks = [*self._runs, *([self._desk] if self._desk else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for customer in self.customers:
            await customer.close()
        for agent in self.agents.values():
            with contextlib.suppress(Exception):
                await agent.agent.stop()
