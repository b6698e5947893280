"""The router at work in the hub: queue, offer, accept, decline, time out, presence.

``RoutingEngine`` owns the in-memory ``Router`` and keeps it in step with the
store. It runs on the hub's event loop and never awaits, like ``HubService``;
frames go out through the fan-out it is given (hub.transport.fanout). ``hub.routing.actions``
holds the agent commands built on it (transfer, pick, close, options).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol.models import Channel, ConversationStatus, Presence
from hub.routing import priority, sla
from hub.routing.classify import Inbound, NoQueueError, classify
from hub.routing.config import QueueConfig, RoutingSettings
from hub.routing.offers import Clock, Timers
from hub.routing.router import Router, Waiting
from hub.routing.selector import ROUTABLE, AgentState
from hub.store.store import Store, StoreError
from hub.supervision.contacts import ContactOutcome
from hub.transport.fanout import FanOut
from hub.unit_of_work import UnitRunner

if TYPE_CHECKING:
    from hub.routing.cluster import ClusterRouting

log = logging.getLogger(__name__)

SETTABLE = frozenset({Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE})


def role_of(value: str) -> rp.AgentRole:
    if value in ("supervisor", "admin"):
        return rp.AgentRole.SUPERVISOR
    return rp.AgentRole.PICKER if value == "picker" else rp.AgentRole.AGENT


class OfferWatcher(Protocol):
    def offer_made(self, conversation_id: str, agent_id: str, offer_id: str) -> None: ...
    def offer_ended(self, conversation_id: str, agent_id: str, offer_id: str,
                    reason: rp.WithdrawReason) -> None: ...


class ContactWatcher(Protocol):
    """Told of each contact's life and each presence change, inside the unit of
    work (the supervisor's figures, hub.supervision.contact_log)."""

    def contact_queued(self, conversation_id: str, queue_id: str, channel: Channel,
                       at: int) -> None: ...
    def contact_moved(self, conversation_id: str, queue_id: str) -> None: ...
    def contact_answered(self, conversation_id: str, agent_id: str, at: int) -> None: ...
    def contact_replied(self, conversation_id: str, at: int) -> None: ...
    def contact_abandoned(self, conversation_id: str, at: int) -> None: ...
    def contact_ended(self, conversation_id: str, outcome: ContactOutcome, at: int) -> None: ...
    def presence_changed(self, agent_id: str, presence: Presence, at: int) -> None: ...


class RoutingEngine:
    def __init__(
        self, store: Store, settings: RoutingSettings, clock: Clock, fanout: FanOut,
        unit: UnitRunner | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.router = Router(settings)
        # Offer timeouts, SLA breaches, the end of after-call work: each a unit of work.
        self.timers = Timers(clock, unit)
        self.fanout = fanout
        self._offers: dict[str, tuple[str, str]] = {}  # offer -> (conversation, agent)
        self.abandoned: list[str] = []  # left while waiting: reported, not lost
        # Told of every offer made (before its event goes out) and ended (not by an
        # accept): the call relay rings a desktop for a voice offer with them.
        self.watchers: list[OfferWatcher] = []
        self.contact_watchers: list[ContactWatcher] = []
        # With several hub processes on PostgreSQL (hub.routing.cluster): only the
        # elected process offers and runs the timers. None: this process routes alone.
        self.cluster: ClusterRouting | None = None

    @property
    def routes_here(self) -> bool:
        return self.cluster is None or self.cluster.leading

    def fresh(self) -> None:
        """With several processes: read the router's state again if another changed it."""
        if self.cluster is not None:
            self.cluster.fresh()

    def _changed(self) -> None:
        if self.cluster is not None:
            self.cluster.changed()

    def _arm(self, name: str, delay_s: float, callback: Callable[[], None]) -> None:
        """Routing timers run where routing runs (with several processes, the
        router arms them from stored deadlines)."""
        if self.routes_here:
            self.timers.start(name, delay_s, callback)

    # ---- start-up --------------------------------------------------------------------

    def load(self, connected: frozenset[str] = frozenset()) -> None:
        """Agents from the store, stale offers ended, waiting conversations queued."""
        if self.cluster is not None:  # open offers are another router's, maybe: kept
            self.store.ensure_queues([(q.id, q.name, q.channel.value)
                                      for q in self.settings.queues])
            self.cluster.resync(takeover=self.cluster.leading)
            if self.cluster.leading:
                self.cluster.dispatch_all()
            return
        self.store.ensure_queues([(q.id, q.name, q.channel.value) for q in self.settings.queues])
        for row in self.store.routing_agents():
            capacity = {c: row.capacity.get(c, n) for c, n in self.settings.capacity.items()}
            self.router.put_agent(AgentState(
                id=row.id, presence=row.presence, connected=row.id in connected,
                queues=frozenset(row.queues), skills=row.skills, capacity=capacity,
                load=dict(row.load), last_assigned_at=row.last_assigned_at, missed=row.missed,
                role=role_of(row.role), auto_accept_chat=row.auto_accept_chat,
                away_reason=row.away_reason, ends_at=row.ends_at,
            ))
        for offer in self.store.open_offers():
            self.fanout.publish(offer.agent_id, self.store.end_offer(
                offer.id, "timeout", rp.WithdrawReason.TIMEOUT))
        for conversation_id in self.store.waiting_conversations():
            self.route(conversation_id)
        # Service-level timers of conversations agents hold without a first reply.
        now = self.clock.now_ms()
        # After-call work outlives a restart only until its end: its timer is in memory.
        for state in self.router.agents.values():
            if state.presence == Presence.AFTER_CALL_WORK:
                left_s = max(0.0, ((state.ends_at or now) - now) / 1000)
                self.timers.start(f"acw:{state.id}", left_s,
                                  functools.partial(self._after_call_ended, state.id))
        for conversation_id, channel, due in self.store.unanswered_assigned():
            self._sla_timer(conversation_id, channel, max(0.0, (due - now) / 1000))

    def reload(self) -> None:
        """After a unit of work rolled back: rebuild the in-memory router from the
        store, which holds only what committed. Open offers end and their
        conversations are offered again, as after a restart."""
        if self.cluster is not None:
            self.cluster.stale()
            self.cluster.fresh()
            return
        connected = frozenset(a.id for a in self.router.agents.values() if a.connected)
        for name in self.timers.names():
            if name.startswith(("offer:", "sla:")):
                self.timers.cancel(name)
        self._offers.clear()
        self.router = Router(self.settings)
        self.load(connected)

    def agent(self, agent_id: str) -> AgentState:
        self.fresh()
        state = self.router.agents.get(agent_id)
        if state is None:  # created after start-up
            self.load_agent(agent_id)
            state = self.router.agents[agent_id]
        return state

    def load_agent(self, agent_id: str) -> None:
        for row in self.store.routing_agents():
            if row.id == agent_id:
                capacity = {c: row.capacity.get(c, n) for c, n in self.settings.capacity.items()}
                old = self.router.agents.get(agent_id)
                self.router.put_agent(AgentState(
                    id=row.id, presence=row.presence, connected=old.connected if old else False,
                    queues=frozenset(row.queues), skills=row.skills, capacity=capacity,
                    load=dict(row.load), last_assigned_at=row.last_assigned_at,
                    missed=row.missed, role=role_of(row.role),
                    auto_accept_chat=row.auto_accept_chat, away_reason=row.away_reason,
                    ends_at=row.ends_at, offer_id=old.offer_id if old else None,
                ))

    # ---- connections and presence ----------------------------------------------------------

    def agent_connected(self, agent_id: str) -> None:
        self.agent(agent_id).connected = True
        if self.cluster is not None:
            self.cluster.linked(agent_id)
        self.stats_changed()
        self.dispatch_agent(agent_id)

    def agent_disconnected(self, agent_id: str) -> None:
        self.agent(agent_id).connected = False
        if self.cluster is not None:
            self.cluster.unlinked(agent_id)

    def apply_presence(
        self, agent_id: str, presence: Presence, away_reason: rp.AwayReason | None = None,
        ends_at: int | None = None, cause: str | None = None,
    ) -> list[ap.Event]:
        state = self.agent(agent_id)
        events = self.store.set_presence_detail(
            agent_id, presence, away_reason, ends_at, state.missed, cause)
        if presence != state.presence:
            for watcher in self.contact_watchers:
                watcher.presence_changed(agent_id, presence, self.clock.now_ms())
        state.presence, state.away_reason, state.ends_at = presence, away_reason, ends_at
        if presence != Presence.AFTER_CALL_WORK:
            self.timers.cancel(f"acw:{agent_id}")
        self.fanout.publish(agent_id, *events)
        if events:
            self._changed()
        return events

    def set_presence(self, agent_id: str, presence: Presence,
                     reason: rp.AwayReason | None) -> int | None:
        """The agent's own choice; the seq of the last event, or None if unchanged."""
        if presence not in SETTABLE:
            raise StoreError("invalid", f"the hub sets {presence.value}; choose available, "
                                        "away or offline")
        state = self.agent(agent_id)
        if presence == Presence.AVAILABLE:
            state.missed = 0
        away = (reason or rp.AwayReason.OTHER) if presence == Presence.AWAY else None
        events = self.apply_presence(agent_id, presence, away)
        if presence == Presence.AVAILABLE:
            events += self.refresh_busy(state)
            self.dispatch_agent(agent_id)
        return events[-1].seq if events else None

    def refresh_busy(self, state: AgentState) -> list[ap.Event]:
        """Busy exactly while at capacity on every channel the agent serves."""
        if state.presence not in ROUTABLE:
            return []
        full = state.at_capacity(self.router.channels_of(state), self.settings.voice_blocks_chat)
        target = Presence.BUSY if full else Presence.AVAILABLE
        if target == state.presence:
            return []
        return self.apply_presence(state.id, target, cause="capacity")

    def start_after_call_work(self, agent_id: str) -> None:
        state = self.agent(agent_id)
        if state.presence not in ROUTABLE:
            return
        length = self.settings.after_call_work_s
        ends = self.clock.now_ms() + int(length * 1000)
        self.apply_presence(agent_id, Presence.AFTER_CALL_WORK, ends_at=ends, cause="after_call")
        self._arm(f"acw:{agent_id}", length, lambda: self._after_call_ended(agent_id))

    def _after_call_ended(self, agent_id: str) -> None:
        state = self.agent(agent_id)
        if state.presence != Presence.AFTER_CALL_WORK:
            return
        self.apply_presence(agent_id, Presence.AVAILABLE, cause="after_call_ended")
        self.refresh_busy(state)
        self.dispatch_agent(agent_id)

    # ---- queueing ------------------------------------------------------------------------------

    def route(self, conversation_id: str, inbound: Inbound | None = None,
              preferred_agent: str | None = None, transferred_by: str | None = None,
              exclude: str | None = None, never: frozenset[str] | None = None) -> bool:
        """Queue the conversation (classify, score, SLA) and offer it if anyone can take it.

        ``never``: agents who must not be offered it at all (a call's agents who
        declined or missed it); their exclusion is never lifted.
        """
        self.fresh()
        item = self.router.waiting.get(conversation_id)
        if item is not None:
            return item.offered_to is not None or self.dispatch(item)
        inputs = self.store.routing_inputs(conversation_id)
        if inputs is None:
            return False
        row, tier, language, text = inputs.row, inputs.tier, inputs.language, inputs.first_text
        if row.status != ConversationStatus.OPEN.value or row.agent_id:
            return False
        channel = Channel(row.channel)
        queue = self.settings.queue(row.queue_id or "")
        if queue is None or queue.default or queue.channel != channel:
            try:
                queue = classify(self.settings, inbound or Inbound(
                    channel=channel, text=text, language=language))
            except NoQueueError:
                log.warning("no queue for %s conversation %s", channel, conversation_id)
                return False
        signals = priority.detect(self.settings.weights, text, queue.topic, tier)
        base = priority.base_score(self.settings.weights, signals)
        if getattr(row, "escalated_at", None):
            # Escalated before (a restart, a reopen, a transfer): it keeps its place.
            base += self.settings.escalation.priority
            queue = self._escalation_queue(queue)
        now = self.clock.now_ms()
        due = sla.due_at(self.settings, channel, now)
        self.store.set_routing(conversation_id, queue.id, int(base), due)
        item = Waiting(conversation_id=conversation_id, queue=queue, base=base, enqueued_ms=now,
                       preferred_agent=preferred_agent, transfer_note=row.transfer_note,
                       transferred_by=transferred_by, customer_name=inputs.customer_name,
                       excluded=({exclude} if exclude else set()) | set(never or ()),
                       strict=never is not None)
        self.router.enqueue(item)
        if self.cluster is not None:
            self.cluster.saved(item)
        for watcher in self.contact_watchers:
            watcher.contact_queued(conversation_id, queue.id, channel, now)
        if due is not None and row.first_reply_at is None:
            self._sla_timer(conversation_id, channel, (due - now) / 1000)
        self.stats_changed()
        return self.dispatch(item)

    def _escalation_queue(self, queue: QueueConfig) -> QueueConfig:
        target = self.settings.queue(self.settings.escalation.queue or "")
        return target if target is not None and target.channel == queue.channel else queue

    def escalate(self, conversation_id: str, stored_priority: int) -> tuple[int, str | None]:
        """A customer message escalated the conversation: its priority rises by the
        routing file's ``[escalation] priority`` and, while it waits, it moves to the
        escalation queue (a senior skill) and is offered from there. Returns the new
        priority and queue, which the caller stores in the same unit of work."""
        boost = self.settings.escalation.priority
        self.fresh()
        item = self.router.waiting.get(conversation_id)
        if item is None:  # with an agent already, or closed: only the score rises
            return int(stored_priority + boost), None
        offered = item.offered_to is not None
        self.router.remove(conversation_id)
        item.queue = self._escalation_queue(item.queue)
        inputs = self.store.routing_inputs(conversation_id)
        if inputs is not None:  # scored as route() scores it: the new queue's topic counts
            signals = priority.detect(self.settings.weights, inputs.first_text,
                                      item.queue.topic, inputs.tier)
            item.base = priority.base_score(self.settings.weights, signals) + boost
        else:
            item.base += boost
        self.router.enqueue(item)  # an open offer runs on; if it ends, the new queue serves
        if self.cluster is not None:
            self.cluster.saved(item)
            self.cluster.changed()
        for watcher in self.contact_watchers:
            watcher.contact_moved(conversation_id, item.queue.id)
        self.stats_changed()
        if not offered:
            self.dispatch(item)
        return int(item.base), item.queue.id

    def dispatch(self, item: Waiting) -> bool:
        if not self.routes_here:  # the router offers it
            self._changed()
            return False
        agent = self.router.agent_for(item)
        if agent is None:
            return False
        try:
            self.offer(item, agent)
        except StoreError:
            if self.cluster is None:
                raise
            self.cluster.stale()  # refused by the database: it is read again
            return False
        return True

    def dispatch_agent(self, agent_id: str) -> None:
        """Offer the freed agent the best work they may take (several if auto-accepted)."""
        if not self.routes_here:  # the router offers it
            self._changed()
            return
        state = self.agent(agent_id)
        for _ in range(sum(state.capacity.values()) + 1):
            item = self.router.work_for(state)
            if item is None:
                return
            try:
                self.offer(item, state)
            except StoreError:
                if self.cluster is None:
                    raise
                self.cluster.stale()
                return
            if state.offer_id is not None:
                return

    # ---- offers ------------------------------------------------------------------------------

    def offer(self, item: Waiting, agent: AgentState, accept_now: bool = False) -> int:
        """Offer ``item`` to ``agent``; returns the offer's seq (or the assignment's)."""
        now = self.clock.now_ms()
        timeout = self.settings.offer_timeout_s.get(item.channel, 30.0)
        expires = now + int(timeout * 1000)
        # The conversation's priority, as the waiting list shows it (waiting time
        # raises its rank in the queue; the number stays the same).
        score = int(item.base)
        guard = None if self.cluster is None else self.cluster.guard(item, agent, accept_now)
        offer_id, event = self.store.create_offer(
            item.conversation_id, agent.id, expires, score,
            item.queue.id, item.transfer_note, item.transferred_by, guard)
        self.router.mark_offered(item, agent.id)
        assert isinstance(event.body, rp.OfferMade)
        item.customer = event.body.customer
        agent.offer_id = offer_id
        agent.load[item.channel] = agent.load.get(item.channel, 0) + 1
        self._offers[offer_id] = (item.conversation_id, agent.id)
        for watcher in self.watchers:
            watcher.offer_made(item.conversation_id, agent.id, offer_id)
        self.fanout.publish(agent.id, event)
        self._changed()
        self.stats_changed()
        auto = accept_now or (item.channel == Channel.CHAT and (
            agent.auto_accept_chat or self.settings.auto_accept_chat))
        if auto:
            return self.accept(agent.id, offer_id)
        self._arm(f"offer:{offer_id}", timeout, lambda: self._timed_out(offer_id))
        return event.seq

    def _open_offer(self, agent_id: str, offer_id: str) -> tuple[str, AgentState, Waiting]:
        self.fresh()
        row = self.store.offer_row(offer_id)
        if row is None or row.agent_id != agent_id:
            raise StoreError("not_found", "no such offer of yours")
        if self.cluster is not None and row.status == "open" and offer_id not in self._offers:
            self.cluster.resync()  # made by the router on another process
        if row.status != "open" or offer_id not in self._offers:
            raise StoreError("conflict", f"the offer is no longer open ({row.status})")
        conversation_id = row.conversation_id
        return conversation_id, self.agent(agent_id), self.router.waiting[conversation_id]

    def accept(self, agent_id: str, offer_id: str) -> int:
        conversation_id, state, item = self._open_offer(agent_id, offer_id)
        self.timers.cancel(f"offer:{offer_id}")
        self._offers.pop(offer_id, None)
        ended, _ = self.store.end_open_offer(offer_id, "accepted", None)
        if not ended:  # timed out or withdrawn on another process meanwhile
            if self.cluster is not None:
                self.cluster.stale()
            raise StoreError("conflict", "the offer is no longer open")
        self.router.remove(conversation_id)
        if self.cluster is not None:
            self.cluster.dropped(conversation_id)
        state.offer_id = None
        if state.missed and self.cluster is not None:
            self.store.set_missed_offers(agent_id, 0)
        state.missed = 0
        now = self.clock.now_ms()
        state.last_assigned_at = now
        event = self.store.assign(conversation_id, agent_id, item.customer)
        self.fanout.publish(agent_id, event)
        if item.channel == Channel.VOICE:
            self.timers.cancel(f"sla:{conversation_id}")
        for watcher in self.contact_watchers:
            watcher.contact_answered(conversation_id, agent_id, now)
        body = event.body
        assert isinstance(body, ap.ConversationAssigned)
        name = self.store.agent_info(agent_id).display_name
        self.fanout.to_customer(body.conversation.customer_id,
                          cp.AgentJoined(conversation_id=conversation_id, agent_name=name))
        self.refresh_busy(state)
        self.stats_changed()
        self.dispatch_agent(agent_id)
        return event.seq

    def decline(self, agent_id: str, offer_id: str,
                reason: rp.DeclineReason = rp.DeclineReason.OTHER) -> int:
        _, state, item = self._open_offer(agent_id, offer_id)
        item.declined.add(agent_id)
        event = self._end(offer_id, state, item, "declined", rp.WithdrawReason.DECLINED,
                          stored_reason=reason.value)
        if event is None:  # ended on another process meanwhile
            raise StoreError("conflict", "the offer is no longer open")
        self.dispatch(item)
        self.dispatch_agent(agent_id)
        return event.seq

    def _end(self, offer_id: str, state: AgentState, item: Waiting, status: str,
             reason: rp.WithdrawReason, stored_reason: str | None = None) -> ap.Event | None:
        self.timers.cancel(f"offer:{offer_id}")
        self._offers.pop(offer_id, None)
        ended, event = self.store.end_open_offer(offer_id, status, reason, stored_reason)
        if not ended and self.cluster is not None:
            self.cluster.stale()  # another process ended it first
            return None
        self.fanout.publish(state.id, event)
        state.offer_id = None
        state.load[item.channel] = max(0, state.load.get(item.channel, 0) - 1)
        self.router.mark_unoffered(item, state.id if reason != rp.WithdrawReason.CUSTOMER_LEFT
                                   else None)
        if self.cluster is not None:
            if item.conversation_id in self.router.waiting:
                self.cluster.saved(item)
            self.cluster.changed()
        self.stats_changed()
        for watcher in self.watchers:
            watcher.offer_ended(item.conversation_id, state.id, offer_id, reason)
        return event

    def _timed_out(self, offer_id: str) -> None:
        entry = self._offers.get(offer_id)
        if entry is None:
            return
        conversation_id, agent_id = entry
        state, item = self.agent(agent_id), self.router.waiting.get(conversation_id)
        if item is None or offer_id not in self._offers:  # read again meanwhile: gone
            return
        if self._end(offer_id, state, item, "timeout", rp.WithdrawReason.TIMEOUT) is None:
            return
        state.missed += 1
        if self.cluster is not None:  # the next router counts on from it
            self.store.set_missed_offers(agent_id, state.missed)
        if state.missed >= self.settings.max_missed_offers and state.presence in ROUTABLE:
            self.apply_presence(agent_id, Presence.NOT_RESPONDING, cause="missed_offers")
        self.dispatch(item)
        self.dispatch_agent(agent_id)

    def withdraw(self, conversation_id: str) -> None:
        """The customer left a waiting conversation: end any offer, report it abandoned."""
        self.fresh()
        item = self.router.waiting.get(conversation_id)
        if item is None:
            return
        freed = None
        if item.offered_to is not None:
            offer_id = next((o for o, (c, _) in self._offers.items() if c == conversation_id),
                            None)
            if offer_id is not None:
                freed = self.agent(item.offered_to)
                self._end(offer_id, freed, item, "withdrawn", rp.WithdrawReason.CUSTOMER_LEFT)
        self.router.remove(conversation_id)
        if self.cluster is not None:
            self.cluster.dropped(conversation_id)
            self.cluster.changed()
        self.timers.cancel(f"sla:{conversation_id}")
        self.abandoned.append(conversation_id)
        for watcher in self.contact_watchers:
            watcher.contact_abandoned(conversation_id, self.clock.now_ms())
        self.stats_changed()
        if freed is not None:
            self.dispatch_agent(freed.id)

    # ---- service levels and queue statistics -------------------------------------------------

    # ---- restoring from the database (hub.routing.cluster, after an election or a
    # change by another process) -------------------------------------------------------

    def forget_offers(self) -> None:
        """The offers this engine tracks are re-read from the database next."""
        self._offers.clear()

    def track_offer(self, offer_id: str, conversation_id: str, agent_id: str) -> None:
        self._offers[offer_id] = (conversation_id, agent_id)

    def arm_offer_timeout(self, offer_id: str, delay_s: float) -> None:
        self.timers.start(f"offer:{offer_id}", delay_s,
                          functools.partial(self._timed_out, offer_id))

    def arm_service_level(self, conversation_id: str, channel: Channel, delay_s: float) -> None:
        self._sla_timer(conversation_id, channel, delay_s)

    def arm_after_call_work(self, agent_id: str, delay_s: float) -> None:
        self.timers.start(f"acw:{agent_id}", delay_s,
                          functools.partial(self._after_call_ended, agent_id))

    def _sla_timer(self, conversation_id: str, channel: Channel, delay_s: float) -> None:
        self._arm(f"sla:{conversation_id}", delay_s,
                          lambda: self._sla_due(conversation_id, channel))

    def _sla_due(self, conversation_id: str, channel: Channel) -> None:
        row = self.store.conversation_row(conversation_id)
        if row is None or row.status != ConversationStatus.OPEN.value:
            return
        if channel == Channel.VOICE and row.agent_id:
            return
        if channel != Channel.VOICE and row.first_reply_at is not None:
            return
        agent_id, event = self.store.record_breach(
            conversation_id, sla.sla_kind(channel), self.clock.now_ms())
        if agent_id is not None:
            self.fanout.publish(agent_id, event)
        self.stats_changed()

    def stats_changed(self) -> None:
        if "stats" not in self.timers:
            self.timers.start("stats", self.settings.queue_stats_interval_s, self.push_stats)

    def queue_stats(self, now: int, detailed: bool = False) -> dict[str, rp.QueueStat]:
        """Per queue at ``now``; ``detailed`` adds the waiting list pickers see."""
        stats = {}
        for queue in self.settings.queues:
            items = self.router.waiting_in(queue.id)
            oldest = min((w.enqueued_ms for w in items), default=None)
            worst = rp.SlaState.OK
            for w in items:
                due = sla.due_at(self.settings, queue.channel, w.enqueued_ms)
                state = sla.state(w.enqueued_ms, due, now)
                if state == rp.SlaState.BREACHED or (
                        state == rp.SlaState.AT_RISK and worst == rp.SlaState.OK):
                    worst = state
            shown = items[:50]
            stats[queue.id] = rp.QueueStat(
                queue=queue.id, waiting=len(items),
                oldest_wait_ms=now - oldest if oldest is not None else 0,
                sla_state=worst, waiting_ids=[w.conversation_id for w in shown],
                oldest_enqueued_at=oldest,
                waiting_list=[rp.WaitingConversation(
                    conversation_id=w.conversation_id, customer_name=w.customer_name,
                    channel=w.channel, enqueued_at=w.enqueued_ms,
                    priority=int(w.base),
                ) for w in shown] if detailed else [])
        return stats

    def push_stats(self) -> None:
        self.fresh()
        now = self.clock.now_ms()
        stats = self.queue_stats(now)
        detailed: dict[str, rp.QueueStat] | None = None
        for agent in self.router.agents.values():
            if not agent.connected:
                continue
            table = stats
            if agent.role.can_pick:
                detailed = detailed or self.queue_stats(now, detailed=True)
                table = detailed
            mine = [table[q] for q in sorted(agent.queues) if q in table]
            self.fanout.to_agent(agent.id, rp.QueueStats(at=now, queues=mine))
