"""Today's figures for every tile and the roster, kept up to date as contacts and
presence change instead of recomputed from all of the day's rows.

The definitions stay those of hub.supervision.metrics: each contact's share is
``contact_counts``, its service-level outcome ``sl_outcome``, a conversation's
first-contact resolution ``first_contact_resolution``, an agent's time
``agent_time``. What is kept between recomputations is only what cannot change:

- a contact's share while the contact is the same object (the contact log replaces
  a contact when it changes) and all its times are before ``until`` (a time at or
  after ``until`` would enter the window later: such a contact is redone next time);
- settled service-level outcomes, in sorted lists per tile, so the day's and the
  last 30 minutes' counts are two bisections; contacts still waiting for a response
  are kept sorted by queue time, and the overdue ones (the only outcome that moves
  with time) are found by bisection with the channel's own elapsed-time rule;
- a conversation's resolution while none of its contacts changed;
- an agent's busy and staffed time while none of their rows changed: from then on
  both only grow by the time since, when their open presence is staffed (busy too
  when they hold a contact or are in after-call work).

tests/hub/supervision/test_day_figures.py checks every figure against the
definitions on the scripted day and on a generated day replayed step by step.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.protocol.models import Channel, Presence
from hub.routing.config import RoutingSettings
from hub.routing.selector import AgentState
from hub.supervision.board import (
    BoardInput,
    RosterParts,
    channel_queues,
    day_start,
    serving,
)
from hub.supervision.contacts import STAFFED, Contact, PresenceChange, spans
from hub.supervision.metrics import (
    NO_COUNTS,
    RECENT_MS,
    Counts,
    Figures,
    ServiceLevel,
    Standards,
    add_counts,
    agent_time,
    contact_counts,
    figures_from,
    first_contact_resolution,
    occupancy_pct,
    response_at,
    sl_outcome,
)


def _latest(c: Contact) -> int:
    return max(c.enqueued_at, c.answered_at or 0, c.first_reply_at or 0, c.done_at or 0)


@dataclass(frozen=True)
class _Entry:
    contact: Contact
    groups: tuple[str, ...]
    counts: Counts
    outcome: tuple[int, bool] | None  # settled service-level outcome
    unresponded: bool  # open, no response yet: may become overdue


class _Group:
    """One tile's sums."""

    def __init__(self) -> None:
        self.totals = list(NO_COUNTS)
        self.waiting: dict[int, int] = {}  # contact index -> queue time
        self.measured: list[int] = []  # settled outcome times, sorted
        self.within: list[int] = []  # the ones that met the standard, sorted
        self.open: dict[Channel, list[int]] = {}  # unresponded queue times, sorted
        self.fcr = [0, 0]


def _drop(values: list[int], value: int) -> None:
    del values[bisect.bisect_left(values, value)]


class DayFigures:
    """The feed's incremental figures. ``update`` with the contact log's rows and the
    time; then ``figures`` and ``roster_parts`` equal ``board.group_figures`` and
    ``board.roster_parts`` over the same input. Runs on the hub's event loop."""

    def __init__(self, settings: RoutingSettings, standards: Standards) -> None:
        self.settings = settings
        self.standards = standards
        self._channels = channel_queues(settings)
        self._queue_channel = {q.id: q.channel for q in settings.queues}
        self._reset(-1)

    def _reset(self, since: int) -> None:
        self.since = since
        self.until = since
        keys = [f"queue:{q.id}" for q in self.settings.queues]
        keys += [f"channel:{c.value}" for c in self._channels] + ["centre"]
        self._groups = {key: _Group() for key in keys}
        self._seen: list[Contact] = []
        self._entries: list[_Entry | None] = []
        self._pending: set[int] = set()
        self._conversations: dict[str, list[int]] = {}
        self._fcr: dict[str, dict[str, tuple[int, int]]] = {}
        self._presence_seen = 0
        self._changes: dict[str, list[PresenceChange]] = {}
        self._last_change: dict[str, int] = {}
        self._held: dict[str, set[int]] = {}  # agent -> contact indexes
        self._handles: dict[str, tuple[int, int]] = {}
        self._agent_times: dict[str, tuple[int, int]] = {}
        self._growing: dict[str, tuple[bool, bool]] = {}  # (staffed, busy) now
        self._agents_pending: set[str] = set()

    # ---- keeping up --------------------------------------------------------------------

    def update(self, contacts: Sequence[Contact], presence: Sequence[PresenceChange],
               now: int) -> None:
        since = day_start(now, self.settings)
        if since != self.since or len(contacts) < len(self._seen) \
                or len(presence) < self._presence_seen:
            self._reset(since)
        seen = len(self._seen)
        changed = set(itertools.compress(range(seen), map(operator.is_not, contacts,
                                                          self._seen)))
        changed.update(range(seen, len(contacts)))
        changed |= self._pending
        self._seen.extend(contacts[seen:])
        self._entries.extend([None] * (len(contacts) - seen))
        self._pending = set()
        conversations: set[str] = set()
        agents = set(self._agents_pending)
        for index in changed:
            old = self._entries[index]
            if old is not None:
                self._remove(index, old)
                conversations.add(old.contact.conversation_id)
                if old.contact.agent_id is not None:
                    agents.add(old.contact.agent_id)
            contact = contacts[index]
            self._seen[index] = contact
            entry = self._entry(contact, now)
            self._entries[index] = entry
            if entry is not None:
                self._add(index, entry)
                conversations.add(contact.conversation_id)
                if contact.agent_id is not None:
                    agents.add(contact.agent_id)
                if _latest(contact) >= now:
                    self._pending.add(index)
        for change in presence[self._presence_seen:]:
            self._changes.setdefault(change.agent_id, []).append(change)
            if change.at >= self._last_change.get(change.agent_id, -1):
                self._last_change[change.agent_id] = change.at
            agents.add(change.agent_id)
        self._presence_seen = len(presence)
        for conversation in conversations:
            self._resolve(conversation, contacts, now)
        self._grow(now, agents)
        self._agents_pending = set()
        for agent in agents:
            self._agent(agent, contacts, now)
        self.until = now

    def _entry(self, c: Contact, now: int) -> _Entry | None:
        if c.done_at is not None and c.done_at < self.since:
            return None  # finished before today: not today's
        channel = self._queue_channel.get(c.queue_id)
        groups = ("centre",) if channel is None else (
            f"queue:{c.queue_id}", f"channel:{channel.value}", "centre")
        settled = c.done_at is not None or response_at(c) is not None
        return _Entry(c, groups, contact_counts(c, self.standards, self.since, now),
                      sl_outcome(c, self.standards, now) if settled else None,
                      not settled and self.standards.target_ms(c.channel) is not None)

    def _add(self, index: int, e: _Entry) -> None:
        c = e.contact
        for key in e.groups:
            group = self._groups[key]
            add_counts(group.totals, e.counts)
            if e.counts[-1]:
                group.waiting[index] = c.enqueued_at
            if e.outcome is not None:
                bisect.insort(group.measured, e.outcome[0])
                if e.outcome[1]:
                    bisect.insort(group.within, e.outcome[0])
            if e.unresponded:
                bisect.insort(group.open.setdefault(c.channel, []), c.enqueued_at)
        self._conversations.setdefault(c.conversation_id, []).append(index)
        if c.agent_id is not None:
            self._held.setdefault(c.agent_id, set()).add(index)
            if c.answered_at is not None and c.done_at is not None:
                n, total = self._handles.get(c.agent_id, (0, 0))
                self._handles[c.agent_id] = (n + 1, total + c.done_at - c.answered_at)

    def _remove(self, index: int, e: _Entry) -> None:
        c = e.contact
        for key in e.groups:
            group = self._groups[key]
            add_counts(group.totals, e.counts, -1)
            group.waiting.pop(index, None)
            if e.outcome is not None:
                _drop(group.measured, e.outcome[0])
                if e.outcome[1]:
                    _drop(group.within, e.outcome[0])
            if e.unresponded:
                _drop(group.open[c.channel], c.enqueued_at)
        self._conversations[c.conversation_id].remove(index)
        if c.agent_id is not None:
            self._held[c.agent_id].discard(index)
            if c.answered_at is not None and c.done_at is not None:
                n, total = self._handles[c.agent_id]
                self._handles[c.agent_id] = (n - 1, total - (c.done_at - c.answered_at))

    def _resolve(self, conversation: str, contacts: Sequence[Contact], now: int) -> None:
        """A conversation's first-contact resolution in each of its tiles, anew."""
        for key, (first, closed) in self._fcr.pop(conversation, {}).items():
            self._groups[key].fcr[0] -= first
            self._groups[key].fcr[1] -= closed
        indexes = sorted(self._conversations.get(conversation, []))  # the log's order
        mine: dict[str, list[Contact]] = {}
        for index in indexes:
            entry = self._entries[index]
            assert entry is not None
            for key in entry.groups:
                mine.setdefault(key, []).append(contacts[index])
        shares: dict[str, tuple[int, int]] = {}
        alone = None  # one contact: the same share in each of its tiles
        if len(indexes) == 1:
            alone = first_contact_resolution([contacts[indexes[0]]], self.since, now)
        for key, items in mine.items():
            first, closed = alone or first_contact_resolution(items, self.since, now)
            if first or closed:
                self._groups[key].fcr[0] += first
                self._groups[key].fcr[1] += closed
                shares[key] = (first, closed)
        if shares:
            self._fcr[conversation] = shares

    def _grow(self, now: int, changed: set[str]) -> None:
        """Agents whose rows did not change: their open time runs on to ``now``."""
        step = now - self.until
        for agent, (staffed, busy) in self._growing.items():
            if agent not in changed and step > 0 and staffed:
                b, s = self._agent_times[agent]
                self._agent_times[agent] = (b + step * busy, s + step)

    def _agent(self, agent: str, contacts: Sequence[Contact], now: int) -> None:
        held = [contacts[i] for i in self._held.get(agent, ())]
        mine = list(spans(self._changes.get(agent, [])))
        self._agent_times[agent] = agent_time(agent, held, mine, self.since, now)
        last = next((s for s in mine if s.end is None), None)
        staffed = last is not None and last.presence in STAFFED
        holding = any(c.answered_at is not None and c.done_at is None for c in held)
        busy = staffed and (holding or (last is not None
                                        and last.presence is Presence.AFTER_CALL_WORK))
        self._growing[agent] = (staffed, busy)
        if any(_latest(c) >= now for c in held) or any(s.start >= now for s in mine):
            self._agents_pending.add(agent)

    # ---- reading -----------------------------------------------------------------------

    def _overdue(self, group: _Group, now: int) -> int:
        """Contacts without a response past their standard at ``now`` (a miss)."""
        count = 0
        for channel, queued in group.open.items():
            target = self.standards.target_ms(channel)
            assert target is not None
            lo, hi = 0, len(queued)  # overdue is a prefix: queued earlier, waited longer
            while lo < hi:
                mid = (lo + hi) // 2
                if self.standards.elapsed_ms(channel, queued[mid], now) > target:
                    lo = mid + 1
                else:
                    hi = mid
            count += lo
        return count

    def _service_level(self, group: _Group, start: int, overdue: int) -> ServiceLevel:
        now = self.until
        measured = bisect.bisect_left(group.measured, now) - bisect.bisect_left(
            group.measured, start)
        within = bisect.bisect_left(group.within, now) - bisect.bisect_left(group.within, start)
        # an overdue contact is measured at now - 1: inside any window ending at now
        return ServiceLevel(measured + (overdue if now - 1 >= start else 0), within)

    def figures(self, agents: Mapping[str, AgentState]) -> dict[str, Figures]:
        """Every tile's figures at the last ``update``; ``agents`` as routing has them."""
        out = {}
        for key, group in self._groups.items():
            oldest = min(group.waiting.values(), default=None)
            overdue = self._overdue(group, self.until)
            out[key] = figures_from(
                group.totals,
                0.0 if oldest is None else round((self.until - oldest) / 1000, 1),
                self._service_level(group, self.since, overdue),
                self._service_level(group, max(self.since, self.until - RECENT_MS), overdue),
                (group.fcr[0], group.fcr[1]),
                occupancy_pct(self._serving(key, agents), self._agent_times))
        return out

    def _serving(self, key: str, agents: Mapping[str, AgentState]) -> list[str]:
        kind, _, rest = key.partition(":")
        if kind == "queue":
            return serving(agents, {rest})
        if kind == "channel":
            return serving(agents, self._channels[Channel(rest)])
        return list(agents)

    def roster_parts(self) -> RosterParts:
        return RosterParts(dict(self._agent_times), dict(self._last_change),
                           {a: h for a, h in self._handles.items() if h[0]})

    def refresh(self, data: BoardInput) -> tuple[dict[str, Figures], RosterParts]:
        """``update`` from a board input, then its tiles' figures and roster parts."""
        self.update(data.contacts, data.presence, data.now)
        return self.figures(data.agents), self.roster_parts()
