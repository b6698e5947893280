"""The hub process's figures for Prometheus (``GET /metrics``).

Connections, agent events, offer latency, queue depth and the database pool, each
series labelled with the hub process's name (``process``), so that several hub
processes behind one address can be told apart. Gauges are read from the hub's
parts when the metrics are asked for; the counter and the histogram are fed as
things happen (a fan-out listener, an offer watcher). Thread: the event loop's.
"""

from __future__ import annotations

import os
from collections import Counter as Tally

from core.protocol import agent as ap
from core.protocol import routing as rp
from hub.operations.exposition import Counter, Family, Gauge, Histogram, render
from hub.routing.engine import RoutingEngine
from hub.transport.peers import PeerRegistry

# Seconds from a conversation entering its queue to an offer of it: routing itself
# takes milliseconds, waiting for a free agent can take minutes.
OFFER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class PoolStats:
    """What SQLAlchemy's connection pool says (``engine.pool``); zeros for a pool
    that does not count (SQLite's in-memory ``StaticPool``)."""

    def __init__(self, pool: object) -> None:
        self.pool = pool

    def _call(self, name: str) -> int:
        method = getattr(self.pool, name, None)
        return int(method()) if callable(method) else 0

    def size(self) -> int:
        return self._call("size")

    def checked_out(self) -> int:
        return self._call("checkedout")

    def overflow(self) -> int:
        # QueuePool's overflow() starts at -size (connections it may still open).
        return max(0, self._call("overflow"))


class HubMetrics:
    def __init__(
        self, process_name: str, database: str, agents: PeerRegistry,
        customers: PeerRegistry, routing: RoutingEngine, pool: PoolStats,
    ) -> None:
        self.const = (("process", process_name),)
        self.database = database
        self.agents = agents
        self.customers = customers
        self.routing = routing
        self.pool = pool
        self.info = Gauge("zuoxi_hub_info", "The hub process: its operating-system pid and "
                          "database kind (always 1).", ("pid", "database"))
        self.connections = Gauge("zuoxi_connections", "Open websockets on this process, "
                                 "by side (agent desktops, customer widgets).", ("side",))
        self.agents_online = Gauge("zuoxi_agents_connected", "Agents with at least one "
                                   "desktop connected to this process.")
        self.events = Counter("zuoxi_agent_events_total", "Events of agents' streams this "
                              "process sent out (its own, and on PostgreSQL those other "
                              "processes made for agents connected here); rate() gives events/s.")
        self.offer_latency = Histogram(
            "zuoxi_offer_latency_seconds", "From a conversation entering its queue to each "
            "offer of it made by this process, by channel.", OFFER_BUCKETS, ("channel",))
        self.offers = Counter("zuoxi_offers_total", "Offers made by this process, by channel.",
                              ("channel",))
        self.queue_depth = Gauge("zuoxi_queue_depth", "Conversations waiting in each queue "
                                 "of this process's router (offers not yet taken included).",
                                 ("queue",))
        self.pool_size = Gauge("zuoxi_db_pool_size", "Connections the database pool keeps.")
        self.pool_checked_out = Gauge("zuoxi_db_pool_checked_out",
                                      "Pool connections in use right now.")
        self.pool_overflow = Gauge("zuoxi_db_pool_overflow",
                                   "Connections open beyond the pool's size.")

    # ---- fed as things happen --------------------------------------------------------

    def events_published(self, agent_id: str, events: list[ap.Event]) -> None:
        """A fan-out listener: called once per batch of an agent's events."""
        self.events.inc(len(events))

    def offer_made(self, conversation_id: str, agent_id: str, offer_id: str) -> None:
        """An offer watcher (``RoutingEngine.watchers``): called as each offer is made."""
        item = self.routing.router.waiting.get(conversation_id)
        if item is None:
            return
        channel = item.channel.value
        waited_ms = self.routing.clock.now_ms() - item.enqueued_ms
        self.offer_latency.observe(max(0, waited_ms) / 1000, channel)
        self.offers.inc(1, channel)

    def offer_ended(self, conversation_id: str, agent_id: str, offer_id: str,
                    reason: rp.WithdrawReason) -> None:
        """Ended offers are not measured here."""

    # ---- read when asked ---------------------------------------------------------------

    def families(self) -> list[Family]:
        self.info.set(1, str(os.getpid()), self.database)
        self.connections.replace([(("agent",), self.agents.count()),
                                  (("customer",), self.customers.count())])
        self.agents_online.set(len(self.agents.owners()))
        depth = Tally(w.queue.id for w in self.routing.router.waiting.values())
        self.queue_depth.replace(
            ((q.id,), depth.get(q.id, 0)) for q in self.routing.settings.queues)
        self.pool_size.set(self.pool.size())
        self.pool_checked_out.set(self.pool.checked_out())
        self.pool_overflow.set(self.pool.overflow())
        return [self.info, self.connections, self.agents_online, self.events,
                self.offer_latency, self.offers, self.queue_depth, self.pool_size,
                self.pool_checked_out, self.pool_overflow]

    def text(self) -> str:
        return render(self.families(), self.const)
