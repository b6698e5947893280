"""The feed's incremental figures (hub.supervision.day_figures) equal the definitions
(board.group_figures and board.roster_parts over hub.supervision.metrics) at every
step of a replayed day: the scripted day of test_metrics at each of its instants
(and a millisecond either side), and a generated day of thousands of contacts with
transfers, reopenings, requeues and abandons, replayed in uneven steps across
midnight. The replay changes the rows as the contact log does: a contact is
replaced in place when it changes, new ones are appended, presence only grows.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence

import pytest

from core.protocol.models import Presence
from hub.routing import config as routing_config
from hub.routing.config import RoutingSettings
from hub.routing.selector import AgentState
from hub.supervision import board
from hub.supervision.contacts import Contact, PresenceChange
from hub.supervision.day_figures import DayFigures
from hub.supervision.metrics import Standards
from testbed.contact_day import generate
from tests.hub.supervision.test_metrics import DAY, s

SCRIPTED_PRESENCE = [
    PresenceChange("A", Presence.AVAILABLE, s(0)), PresenceChange("B", Presence.AVAILABLE, s(0)),
    PresenceChange("A", Presence.AWAY, s(1000)), PresenceChange("A", Presence.AVAILABLE, s(1900)),
    PresenceChange("A", Presence.AFTER_CALL_WORK, s(2100)),
    PresenceChange("A", Presence.AVAILABLE, s(2160)),
    PresenceChange("A", Presence.OFFLINE, s(3000)),
]


def as_seen(c: Contact, at: int) -> Contact | None:
    """The contact as the log held it at ``at``."""
    if c.enqueued_at > at:
        return None
    if c.done_at is not None and c.done_at > at:
        c = dataclasses.replace(c, done_at=None, outcome=None)
    if c.first_reply_at is not None and c.first_reply_at > at:
        c = dataclasses.replace(c, first_reply_at=None)
    if c.answered_at is not None and c.answered_at > at:
        c = dataclasses.replace(c, answered_at=None, agent_id=None)
    return c


class Replay:
    def __init__(self, contacts: Sequence[Contact], presence: Sequence[PresenceChange],
                 agents: dict[str, AgentState], settings: RoutingSettings) -> None:
        self.final = sorted(contacts, key=lambda c: c.enqueued_at)
        self.changes = sorted(presence, key=lambda p: p.at)
        self.agents = agents
        self.settings = settings
        self.standards = Standards(settings, short_abandon_s=5)
        self.fast = DayFigures(settings, self.standards)
        self.log: list[Contact] = []
        self.presence: list[PresenceChange] = []
        self.checked = 0

    def step(self, at: int) -> None:
        for index, contact in enumerate(self.final):
            seen = as_seen(contact, at)
            if seen is None:
                break
            if index == len(self.log):
                self.log.append(seen)
            elif self.log[index] != seen:
                self.log[index] = seen
        while len(self.presence) < len(self.changes) \
                and self.changes[len(self.presence)].at <= at:
            self.presence.append(self.changes[len(self.presence)])
        data = board.BoardInput(now=at, contacts=self.log, presence=self.presence,
                                agents=self.agents, names={}, feedback=[], escalations={})
        by_key, parts = self.fast.refresh(data)
        expected = board.group_figures(data, self.settings, self.standards)
        assert set(by_key) == set(expected)
        for key, figures in expected.items():
            assert by_key[key] == figures, (at, key)
        assert parts == board.roster_parts(data, self.settings), at
        self.checked += 1

    def run(self, instants: Iterable[int]) -> None:
        for at in instants:
            self.step(at)


@pytest.fixture(scope="module")
def settings() -> RoutingSettings:
    return routing_config.load(None)


def test_scripted_day_at_every_instant(settings: RoutingSettings) -> None:
    agents = {a: AgentState(id=a, queues=frozenset({"voice", "chat", "billing"}))
              for a in ("A", "B")}
    replay = Replay(DAY, SCRIPTED_PRESENCE, agents, settings)
    times = {t for c in DAY for t in (c.enqueued_at, c.answered_at, c.first_reply_at,
                                      c.done_at) if t is not None}
    times |= {p.at for p in SCRIPTED_PRESENCE}
    instants = sorted({t + d for t in times for d in (-1, 0, 1)} | {s(3600), s(7200)})
    replay.run(instants)
    assert replay.checked == len(instants)
    # The end of the day as test_metrics computes it by hand, through the fast path.
    voice = replay.fast.figures(agents)["queue:voice"]
    assert voice.service_level.pct is not None and voice.waiting == 1


def test_generated_day_replayed_in_uneven_steps(settings: RoutingSettings) -> None:
    end = s(10 * 3600)  # 19:00 Shanghai
    day = board.day_start(end, settings)
    generated = generate(settings, day, end, agents=60, waiting=400, finished=2500,
                         held=80, seed=3)
    rng = random.Random(5)
    instants = [day - 1_800_000, day - 1, day, day + 1]  # across midnight: a new day
    event_times = sorted({t for c in generated.contacts
                          for t in (c.enqueued_at, c.answered_at, c.done_at)
                          if t is not None and day < t < end})
    at = day + 1
    while at < end:
        at += rng.randint(1, 3_600_000)
        instants.append(min(at, end))
        instants.append(rng.choice(event_times))  # exactly at an event: the same millisecond
    instants = [*sorted(set(instants)), end]
    replay = Replay(generated.contacts, generated.presence, generated.agents, settings)
    replay.run(instants)
    assert replay.checked == len(instants) > 40
    final = replay.fast.figures(generated.agents)["centre"]
    # the 400 generated as waiting and the requeued ones still waiting
    assert final.waiting >= 400 and final.offered > 2000 and final.transfers > 0
    assert final.service_level.measured > 0 and final.occupancy_pct is not None
