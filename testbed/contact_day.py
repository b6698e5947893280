"""A generated day of contacts and presence for the supervisor's figures: many agents,
a backlog waiting, thousands of finished contacts with transfers, reopenings,
requeues, short and long abandons, chats replied to late or never. Used by the
figures' equality test (fast path against the definitions) and by the supervision
benchmark. Deterministic for a seed.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from core.protocol.models import Channel, Presence
from hub.routing.config import RoutingSettings
from hub.routing.selector import AgentState
from hub.supervision.contacts import Contact, ContactKind, ContactOutcome, PresenceChange

HOUR_MS = 3_600_000


@dataclass
class Day:
    contacts: list[Contact]
    presence: list[PresenceChange]
    agents: dict[str, AgentState]
    names: dict[str, tuple[str, str]]


def _finished(rng: random.Random, conv: str, queue_id: str, channel: Channel,
              kind: ContactKind, at: int, agents: list[str]) -> Contact:
    roll = rng.random()
    if roll < 0.12:  # abandoned, a third of them short
        wait = rng.randint(500, 4_000) if rng.random() < 0.33 else rng.randint(5_000, 200_000)
        return Contact(conv, queue_id, channel, kind, at, done_at=at + wait,
                       outcome=ContactOutcome.ABANDONED)
    answered = at + rng.randint(0, 120_000)
    agent = rng.choice(agents)
    reply = None
    if channel is not Channel.VOICE and rng.random() < 0.9:
        reply = answered + rng.randint(1_000, 90_000)
    done = (reply or answered) + rng.randint(10_000, 900_000)
    outcome = rng.choices([ContactOutcome.CLOSED, ContactOutcome.TRANSFERRED,
                           ContactOutcome.REQUEUED], [0.85, 0.1, 0.05])[0]
    return Contact(conv, queue_id, channel, kind, at, answered, agent, reply, done, outcome)


def generate(settings: RoutingSettings, day_start: int, now: int, agents: int = 500,
             waiting: int = 5_000, finished: int = 20_000, held: int = 600,
             seed: int = 7) -> Day:
    """``finished`` contacts spread over ``[day_start, now)`` (some from before the
    day, ending in it), ``held`` still with an agent, ``waiting`` still queued."""
    rng = random.Random(seed)
    queues = list(settings.queues)
    ids = [f"a{n:04d}" for n in range(agents)]
    span = now - day_start
    contacts: list[Contact] = []
    n = 0
    while len(contacts) < finished:
        n += 1
        queue = rng.choice(queues)
        at = day_start + rng.randint(-HOUR_MS, max(0, span - 1_200_000))
        c = _finished(rng, f"f{n}", queue.id, queue.channel, ContactKind.NEW, at, ids)
        contacts.append(c)
        if c.outcome is ContactOutcome.TRANSFERRED or (
                c.outcome is ContactOutcome.CLOSED and rng.random() < 0.05):
            # transferred on, or reopened by the customer later
            assert c.done_at is not None
            kind = (ContactKind.TRANSFER if c.outcome is ContactOutcome.TRANSFERRED
                    else ContactKind.REOPEN)
            other = rng.choice([q for q in queues if q.channel == queue.channel])
            start = c.done_at + (0 if kind is ContactKind.TRANSFER else rng.randint(1, 600_000))
            if start < now - 1:
                nxt = _finished(rng, c.conversation_id, other.id, other.channel, kind, start,
                                ids)
                if nxt.done_at is not None and nxt.done_at >= now:
                    nxt = dataclasses.replace(nxt, done_at=None, outcome=None)
                contacts.append(nxt)
        elif c.outcome is ContactOutcome.REQUEUED and c.done_at is not None \
                and c.done_at < now - 1:
            contacts.append(Contact(c.conversation_id, queue.id, queue.channel,
                                    ContactKind.REQUEUE, c.done_at))
    contacts = [c if c.done_at is None or c.done_at < now
                else dataclasses.replace(c, done_at=None, outcome=None) for c in contacts]
    for m in range(held):
        queue = rng.choice(queues)
        at = now - rng.randint(60_000, 1_800_000)
        answered = at + rng.randint(0, 60_000)
        reply = None if queue.channel is Channel.VOICE or rng.random() < 0.3 \
            else min(now - 1, answered + rng.randint(1_000, 120_000))
        contacts.append(Contact(f"h{m}", queue.id, queue.channel, ContactKind.NEW, at,
                                answered, rng.choice(ids), reply))
    for m in range(waiting):
        queue = rng.choice(queues)
        contacts.append(Contact(f"w{m}", queue.id, queue.channel, ContactKind.NEW,
                                now - rng.randint(0, 3 * HOUR_MS)))
    contacts.sort(key=lambda c: c.enqueued_at)
    presence: list[PresenceChange] = []
    states = [Presence.AVAILABLE, Presence.BUSY, Presence.AWAY, Presence.AFTER_CALL_WORK,
              Presence.NOT_RESPONDING, Presence.OFFLINE]
    for agent in ids:
        at = day_start - rng.randint(0, HOUR_MS)
        while at < now:
            presence.append(PresenceChange(agent, rng.choices(states, [5, 4, 1, 2, 1, 1])[0],
                                           at))
            at += rng.randint(60_000, 3 * HOUR_MS)
    presence.sort(key=lambda p: p.at)
    served = {a: frozenset(q.id for q in rng.sample(queues, rng.randint(1, len(queues))))
              for a in ids}
    states_now = {a: AgentState(id=a, presence=Presence.AVAILABLE, connected=True,
                                queues=served[a], capacity=dict(settings.capacity))
                  for a in ids}
    names = {a: (f"坐席 {a}", "agent") for a in ids}
    return Day(contacts, presence, states_now, names)
