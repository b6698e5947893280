"""Routing with several hub processes on one PostgreSQL database.

One process routes at a time: the one holding a session-level advisory lock on a
connection of its own (``RouterLease``). Elected, it takes the routing term up by
one; every offer it makes checks that term in its own transaction, under a share
lock the next router's term update waits for, so a router that lost its lock
cannot offer any more. The elected router rebuilds its in-memory router from the
database (agents, who is connected on which process, open offers, waiting
conversations as ``routing_waiting`` holds them) and arms every timer from stored
deadlines: offers' ``expires_at``, conversations' ``sla_due_at``, after-call
work's ``presence_ends_at``, absences' ``since``. So when a router dies, the next
one goes on where it stopped, timers included.

Other processes (followers) queue conversations, apply accepts and declines and
presence changes to the database as before, but never offer: they send a wake-up
(``NOTIFY zuoxi_routing``) and the router reads the database again and offers.
Every process keeps a copy of the router's state for the questions its agents
ask (queue statistics, picking, an offer being answered), read again from the
database when another process changed something (``dirty``). Offers are also
guarded in the database: one open offer per conversation, none for a
conversation someone has, none over the agent's capacity (hub.routing.cluster_store).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg

from core.protocol.models import Presence
from hub.routing.absence import AbsenceTimers
from hub.routing.cluster_store import APP_PREFIX, ROUTING_CHANNEL, ClusterStore, OfferGuard
from hub.routing.engine import RoutingEngine, role_of
from hub.routing.router import Router, Waiting
from hub.routing.selector import AgentState
from hub.store.base import now_ms

log = logging.getLogger(__name__)

LOCK_KEY = 0x7A756F7869  # "zuoxi": the advisory lock the router holds
POLL_S = 0.25  # how often a follower tries the lock (and the router checks its link)
RECONNECT_S = 0.5
PASS_DELAY_S = 0.02  # wake-ups within this are handled by one pass
RESCAN_S = 5.0  # the router reads the database at least this often, woken or not


class ClusterRouting:
    """This process's part in routing with several processes. On the hub's loop."""

    def __init__(self, engine: RoutingEngine, store: ClusterStore, token: str) -> None:
        self.engine = engine
        self.store = store
        self.token = token
        self.leading = False
        self.term: int | None = None
        self.dirty = True
        self._pass: asyncio.TimerHandle | None = None
        self.local_agents: Callable[[], list[str]] = lambda: []
        # Absence (hub.service): what to do when an agent's grace and release end.
        self.on_grace: Callable[[str], None] = lambda agent_id: None
        self.on_release: Callable[[str], None] = lambda agent_id: None
        self.absence_s = (45.0, 300.0)
        self.takeovers: list[int] = []  # ms at which this process became the router

    # ---- election ------------------------------------------------------------------------

    def elected(self) -> None:
        """This process holds the lock: take the next term and route from the database."""
        try:
            self.term = self.store.take_term(self.token)
        except Exception:
            log.exception("routing: taking the term failed; again shortly")
            asyncio.get_running_loop().call_later(RECONNECT_S, self.elected)
            return
        self.leading = True
        self.takeovers.append(now_ms())
        log.info("routing here now (term %d)", self.term)
        self.resync(takeover=True)
        self.dispatch_all()

    def deposed(self) -> None:
        if self.leading:
            log.warning("routing lock lost (term %s); routing stops here", self.term)
        self.leading, self.term = False, None
        self.dirty = True
        for name in self.engine.timers.names():
            if name.startswith(("offer:", "sla:", "acw:", "absence")):
                self.engine.timers.cancel(name)

    def reconnected(self) -> None:
        """The routing connection is open (again): this process counts as alive, so
        its agents' sockets are recorded again, and it may have missed wake-ups."""
        for agent_id in self.local_agents():
            self.store.link(agent_id, self.token)
            self.store.absence_end(agent_id)
        self.woken()

    # ---- wake-ups ------------------------------------------------------------------------

    def changed(self) -> None:
        """Routing state changed here: the others read it again."""
        self.store.notify(self.token)

    def woken(self) -> None:
        """Another process changed routing state (on the loop)."""
        self.dirty = True
        if self.leading:
            self._schedule()

    def stale(self) -> None:
        """The database refused what this copy of the state expected."""
        self.dirty = True
        if self.leading:
            self._schedule()

    def _schedule(self) -> None:
        if self._pass is None:
            self._pass = asyncio.get_running_loop().call_later(PASS_DELAY_S, self._run_pass)

    def _run_pass(self) -> None:
        self._pass = None
        if not self.leading:
            return
        try:
            if self.dirty:
                self.resync()
            self.dispatch_all()
        except Exception:
            log.exception("routing pass failed; again shortly")
            self.dirty = True
            self._pass = asyncio.get_running_loop().call_later(0.5, self._run_pass)

    def fresh(self) -> None:
        if self.dirty:
            self.resync()

    # ---- the router's state from the database --------------------------------------------

    def resync(self, takeover: bool = False) -> None:
        """Rebuild the in-memory router from the database; the router also arms every
        timer from stored deadlines (and, taking over, routes what nobody routed)."""
        engine, store = self.engine, self.store
        self.dirty = False
        leading = self.leading
        for name in engine.timers.names():
            if name.startswith(("offer:", "sla:", "acw:", "absence")):
                engine.timers.cancel(name)
        live = store.live_processes() | {self.token}
        links = store.links()
        if leading:
            dead = {p for _, p in links if p not in live}
            if dead:
                store.drop_links_of(dead)
                now = now_ms()
                still = {a for a, p in links if p in live}
                for agent_id in {a for a, p in links if p in dead} - still:
                    store.absence_start(agent_id, now)
        connected = {a for a, p in links if p in live}
        router = Router(engine.settings)
        for row in engine.store.routing_agents():
            capacity = {c: row.capacity.get(c, n) for c, n in engine.settings.capacity.items()}
            router.put_agent(AgentState(
                id=row.id, presence=row.presence, connected=row.id in connected,
                queues=frozenset(row.queues), skills=row.skills, capacity=capacity,
                load=dict(row.load), last_assigned_at=row.last_assigned_at, missed=row.missed,
                role=role_of(row.role), auto_accept_chat=row.auto_accept_chat,
                away_reason=row.away_reason, ends_at=row.ends_at,
            ))
        engine.router = router
        engine.forget_offers()
        waiting, bare = store.waiting()
        offers: dict[str, Any] = {}
        now = now_ms()
        for offer in engine.store.open_offers():
            offers[offer.conversation_id] = offer
        for w in waiting:
            queue = engine.settings.queue(w.queue_id)
            if queue is None:
                continue
            item = Waiting(
                conversation_id=w.conversation_id, queue=queue, base=w.base,
                enqueued_ms=w.enqueued_at, excluded=set(w.excluded), declined=set(w.declined),
                preferred_agent=w.preferred_agent, transfer_note=w.transfer_note,
                transferred_by=w.transferred_by, customer_name=w.customer_name,
                strict=w.strict)
            offer = offers.pop(w.conversation_id, None)
            agent = router.agents.get(offer.agent_id) if offer is not None else None
            if offer is not None and agent is not None:
                item.offered_to = agent.id
                agent.offer_id = offer.id
                agent.load[queue.channel] = agent.load.get(queue.channel, 0) + 1
                engine.track_offer(offer.id, w.conversation_id, agent.id)
                if leading:
                    engine.arm_offer_timeout(offer.id, max(0.0, (offer.expires_at - now) / 1000))
            router.enqueue(item)
        if not leading:
            return
        for offer in offers.values():  # of no conversation waiting in the table
            engine.arm_offer_timeout(offer.id, max(0.0, (offer.expires_at - now) / 1000))
        for conversation_id, channel, due in store.unbreached_waiting():
            engine.arm_service_level(conversation_id, channel, max(0.0, (due - now) / 1000))
        for conversation_id, channel, due in engine.store.unanswered_assigned():
            engine.arm_service_level(conversation_id, channel, max(0.0, (due - now) / 1000))
        for state in router.agents.values():
            if state.presence == Presence.AFTER_CALL_WORK:
                engine.arm_after_call_work(
                    state.id, max(0.0, ((state.ends_at or now) - now) / 1000))
        grace_s, release_s = self.absence_s
        for absent in store.absences():
            if absent.agent_id in connected:
                store.absence_end(absent.agent_id)
                continue
            if not absent.graced:
                engine.timers.start(
                    f"absence-grace:{absent.agent_id}",
                    max(0.0, (absent.since + grace_s * 1000 - now) / 1000),
                    functools.partial(self._grace, absent.agent_id))
            engine.timers.start(
                f"absence-release:{absent.agent_id}",
                max(0.0, (absent.since + release_s * 1000 - now) / 1000),
                functools.partial(self._release, absent.agent_id))
        if takeover:
            for conversation_id in bare:  # as after a restart: routed afresh
                engine.route(conversation_id)

    def dispatch_all(self) -> None:
        """Offer every waiting conversation someone can take, best first."""
        engine = self.engine
        items = sorted((w for w in engine.router.waiting.values() if w.offered_to is None),
                       key=Waiting.sort_key)
        for item in items:
            if self.dirty:  # the database refused an offer: read it again first
                self._schedule()
                return
            if item.conversation_id in engine.router.waiting and item.offered_to is None:
                engine.dispatch(item)

    # ---- guards and persistence -----------------------------------------------------------

    def guard(self, item: Waiting, agent: AgentState, accept_now: bool) -> OfferGuard:
        return OfferGuard(term=None if accept_now else (self.term if self.term else -1),
                          channel=item.channel, capacity=agent.capacity.get(item.channel, 0))

    def saved(self, item: Waiting) -> None:
        self.store.save_waiting({
            "conversation_id": item.conversation_id, "queue_id": item.queue.id,
            "base": item.base, "enqueued_at": item.enqueued_ms,
            "preferred_agent": item.preferred_agent, "transferred_by": item.transferred_by,
            "customer_name": item.customer_name[:120], "excluded": item.excluded,
            "declined": item.declined, "strict": item.strict})

    def dropped(self, conversation_id: str) -> None:
        self.store.drop_waiting(conversation_id)

    # ---- connections and absence -------------------------------------------------------------

    def linked(self, agent_id: str) -> None:
        self.store.link(agent_id, self.token)
        self.changed()

    def unlinked(self, agent_id: str) -> None:
        self.store.unlink(agent_id, self.token)
        self.changed()

    def connected_anywhere(self, agent_id: str) -> bool:
        live = self.store.live_processes() | {self.token}
        return any(a == agent_id and p in live for a, p in self.store.links())

    def absence_start(self, agent_id: str) -> None:
        if not self.connected_anywhere(agent_id):
            self.store.absence_start(agent_id, now_ms())
            self.changed()

    def absence_end(self, agent_id: str) -> bool:
        """The agent is back: True when the hub had set them away for being gone."""
        row = self.store.absence_end(agent_id)
        if row is not None:
            self.changed()
        return row is not None and row.auto_away

    def absent(self) -> list[str]:
        return [a.agent_id for a in self.store.absences()]

    def _grace(self, agent_id: str) -> None:
        self.store.absence_mark(agent_id, graced=True)
        self.on_grace(agent_id)

    def _release(self, agent_id: str) -> None:
        self.store.absence_end(agent_id)
        self.on_release(agent_id)


class RouterLease:
    """The routing connection, in a thread: tries the router's advisory lock while
    not holding it, holds it while alive, and listens for routing wake-ups. Its
    ``application_name`` says that this process is alive."""

    def __init__(self, conninfo: str, loop: asyncio.AbstractEventLoop,
                 cluster: ClusterRouting) -> None:
        self.conninfo = conninfo
        self.loop = loop
        self.cluster = cluster
        self._stop = threading.Event()
        self.tried = threading.Event()  # the lock was tried at least once
        self._leading = False
        # Set while a wake-up is on its way to the loop: cleared there before the
        # cluster reads the database, so a notification that arrives after that is
        # delivered too (level-triggered; only duplicates in flight are coalesced).
        self._wake_queued = threading.Event()
        self._last_wake = 0.0  # monotonic; the router reads again after RESCAN_S without one
        self._thread = threading.Thread(target=self._run, name="routing-lease", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _call(self, fn: Callable[[], None]) -> None:
        def safe() -> None:
            try:
                fn()
            except Exception:
                log.exception("routing: %s failed", getattr(fn, "__name__", fn))
                self.cluster.dirty = True
        self.loop.call_soon_threadsafe(safe)

    def _wake(self) -> None:
        """Tell the loop that the routing state changed elsewhere (lease thread)."""
        self._last_wake = time.monotonic()
        if self._wake_queued.is_set():
            return  # the one on its way has not been taken yet: it covers this one
        self._wake_queued.set()

        def deliver() -> None:
            self._wake_queued.clear()  # before the cluster reads: later notes wake again
            self.cluster.woken()
        self._call(deliver)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True,
                                     application_name=APP_PREFIX + self.cluster.token) as conn:
                    conn.execute(f"LISTEN {ROUTING_CHANNEL}")
                    self._call(self.cluster.reconnected)
                    while not self._stop.is_set():
                        if not self._leading:
                            got = conn.execute("SELECT pg_try_advisory_lock(%s)",
                                               (LOCK_KEY,)).fetchone()
                            if got is not None and got[0]:
                                self._leading = True
                                self._call(self.cluster.elected)
                            self.tried.set()
                        for note in conn.notifies(timeout=POLL_S):
                            if note.payload != self.cluster.token:
                                self._wake()
                        if self._leading:
                            conn.execute("SELECT 1")  # a lost link ends the lease now
                            if time.monotonic() - self._last_wake > RESCAN_S:
                                self._wake()  # catch up on anything no wake-up announced
            except psycopg.Error as exc:
                log.warning("routing connection: %s; again in %.1f s", exc, RECONNECT_S)
                if self._leading:
                    self._leading = False
                    self._call(self.cluster.deposed)
                self._stop.wait(RECONNECT_S)
        if self._leading:
            self._leading = False
            self._call(self.cluster.deposed)



class ClusterAbsence(AbsenceTimers):
    """``AbsenceTimers`` for several processes: an agent gone from every process is
    a row (``agent_absence``) and the router runs the grace and release timers from
    it, so they fire even when the process that lost the agent's socket died."""

    def __init__(self, cluster: ClusterRouting, grace_s: float, release_s: float,
                 on_grace: Callable[[str], None], on_release: Callable[[str], None],
                 auto_away: set[str]) -> None:
        super().__init__(grace_s, release_s, on_grace, on_release)
        self.cluster = cluster
        self._auto_away = auto_away  # the hub's: agents it set away for being gone
        cluster.absence_s = (grace_s, release_s)

        def grace(agent_id: str) -> None:
            if cluster.connected_anywhere(agent_id):
                return
            on_grace(agent_id)
            if agent_id in auto_away:
                cluster.store.absence_mark(agent_id, auto_away=True)

        def release(agent_id: str) -> None:
            if not cluster.connected_anywhere(agent_id):
                on_release(agent_id)

        cluster.on_grace, cluster.on_release = grace, release

    def start(self, agent_id: str) -> None:
        self.cluster.absence_start(agent_id)

    def cancel(self, agent_id: str) -> None:
        if self.cluster.absence_end(agent_id):
            self._auto_away.add(agent_id)  # set away on another process: back now

    def pending(self) -> list[str]:
        return self.cluster.absent()

    def cancel_all(self) -> None:
        """A process stopping leaves absences to the router."""


def cluster_token(process_name: str) -> str:
    """This process's name among those routing together: unique, and short enough for
    PostgreSQL's application_name (63 bytes)."""
    return f"{process_name[:24]}-{os.getpid()}-{secrets.token_hex(4)}"
