"""The router's in-memory indexes: agents by queue, waiting conversations by rank.

No I/O and no clock of its own: callers pass times in. Two questions are asked:

* a conversation became routable: which agent (``agent_for``)?
* an agent became free: which waiting conversation (``work_for``)?

After every answer acted on, no waiting conversation has an eligible agent; so a
new conversation only needs an agent for itself, and a freed agent only needs the
best conversation it may take. Waiting conversations are kept per queue, sorted
by ``priority.rank_key`` (time-invariant, see priority.py), so both questions cost
O(agents of the queue) or O(queues of the agent) plus skipped entries.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from core.protocol.models import Channel, Customer
from hub.routing import priority
from hub.routing.config import QueueConfig, RoutingSettings
from hub.routing.selector import AgentState, select


@dataclass
class Waiting:
    conversation_id: str
    queue: QueueConfig
    base: float
    enqueued_ms: int
    rank: float = 0.0
    excluded: set[str] = field(default_factory=set)  # declined or missed it
    # Declined it: said "not me", so never offered it again by itself (a missed offer
    # is tried again when nobody else can take it). Picking it by hand stays possible.
    declined: set[str] = field(default_factory=set)
    offered_to: str | None = None
    preferred_agent: str | None = None  # a transfer to one agent, or a reopen
    transfer_note: str | None = None
    transferred_by: str | None = None
    customer: Customer | None = None  # the record sent with the current offer
    customer_name: str = ""  # shown to pickers in the queue view
    # A ringing call: who declined or missed it is never offered it again (a chat
    # or an email tries everyone again rather than wait for ever).
    strict: bool = False

    @property
    def channel(self) -> Channel:
        return self.queue.channel

    def sort_key(self) -> tuple[float, int, str]:
        # Ascending list: highest rank first, then oldest, then id.
        return (-self.rank, self.enqueued_ms, self.conversation_id)


class Router:
    def __init__(self, settings: RoutingSettings) -> None:
        self.settings = settings
        self.agents: dict[str, AgentState] = {}
        self._queue_agents: dict[str, set[str]] = {}
        self.waiting: dict[str, Waiting] = {}
        # Per queue: sorted keys of conversations waiting and not being offered.
        self._ranked: dict[str, list[tuple[float, int, str]]] = {}

    # ---- agents ------------------------------------------------------------------------

    def put_agent(self, agent: AgentState) -> None:
        old = self.agents.get(agent.id)
        if old is not None:
            for q in old.queues:
                self._queue_agents.get(q, set()).discard(agent.id)
        self.agents[agent.id] = agent
        for q in agent.queues:
            self._queue_agents.setdefault(q, set()).add(agent.id)

    def agents_of(self, queue_id: str) -> list[AgentState]:
        return [self.agents[a] for a in self._queue_agents.get(queue_id, ())]

    def channels_of(self, agent: AgentState) -> set[Channel]:
        return {q.channel for q in self.settings.queues if q.id in agent.queues}

    # ---- waiting conversations ------------------------------------------------------------

    def enqueue(self, item: Waiting) -> None:
        item.rank = priority.rank_key(self.settings.weights, item.base, item.enqueued_ms)
        self.waiting[item.conversation_id] = item
        if item.offered_to is None:
            bisect.insort(self._ranked.setdefault(item.queue.id, []), item.sort_key())

    def _unrank(self, item: Waiting) -> None:
        ranked = self._ranked.get(item.queue.id, [])
        key = item.sort_key()
        i = bisect.bisect_left(ranked, key)
        if i < len(ranked) and ranked[i] == key:
            del ranked[i]

    def remove(self, conversation_id: str) -> Waiting | None:
        item = self.waiting.pop(conversation_id, None)
        if item is not None and item.offered_to is None:
            self._unrank(item)
        return item

    def mark_offered(self, item: Waiting, agent_id: str) -> None:
        if item.offered_to is None:
            self._unrank(item)
        item.offered_to = agent_id

    def mark_unoffered(self, item: Waiting, exclude: str | None) -> None:
        if exclude:
            item.excluded.add(exclude)
        if item.offered_to is not None:
            item.offered_to = None
            bisect.insort(self._ranked.setdefault(item.queue.id, []), item.sort_key())

    # ---- decisions -------------------------------------------------------------------------

    def agent_for(self, item: Waiting) -> AgentState | None:
        """The agent to offer ``item`` to now, or None."""
        blocks = self.settings.voice_blocks_chat
        if item.preferred_agent is not None:
            agent = self.agents.get(item.preferred_agent)
            if (
                agent is not None
                and agent.id not in item.excluded
                and agent.may_take(item.queue, blocks)
            ):
                return agent
            if item.transferred_by is not None and item.preferred_agent not in item.excluded:
                return None  # a transfer to one agent waits for that agent
        excluded = item.excluded
        pool = self.agents_of(item.queue.id)
        if excluded and not item.strict and all(a.id in excluded for a in pool if a.connected):
            # Everyone connected has missed or declined it: try those who missed it
            # again rather than let it wait for ever (not those who declined it).
            excluded = set(item.declined)
        return select(pool, item.queue, blocks, excluded)

    def work_for(self, agent: AgentState, limit_scan: int = 200) -> Waiting | None:
        """The highest-ranked waiting conversation ``agent`` may take now, or None."""
        blocks = self.settings.voice_blocks_chat
        best: Waiting | None = None
        for queue in self.settings.queues:
            if not agent.may_take(queue, blocks):
                continue
            for n, key in enumerate(self._ranked.get(queue.id, ())):
                if n >= limit_scan:
                    break
                item = self.waiting[key[2]]
                if agent.id in item.declined:
                    continue
                if agent.id in item.excluded and (
                    item.strict or len(item.excluded) < self._connected_of(queue)
                ):
                    continue
                if item.preferred_agent not in (None, agent.id) and item.transferred_by:
                    continue
                if best is None or key < best.sort_key():
                    best = item
                break
        return best

    def _connected_of(self, queue: QueueConfig) -> int:
        return sum(1 for a in self.agents_of(queue.id) if a.connected)

    def waiting_in(self, queue_id: str) -> list[Waiting]:
        """Every waiting conversation of the queue, best first (offered ones last)."""
        ranked = [self.waiting[k[2]] for k in self._ranked.get(queue_id, ())]
        offered = [w for w in self.waiting.values()
                   if w.queue.id == queue_id and w.offered_to is not None]
        return ranked + offered
