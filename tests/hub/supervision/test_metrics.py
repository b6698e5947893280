"""Every figure on a scripted day, against values worked out by hand.

The day (seconds from 09:00 Shanghai on a Tuesday; window [0, 3600)):

voice (target 20 s)
  V1 new   queued 0,    answered 10 by A,   closed 310        within
  V2 new   queued 100,  answered 130 by B,  closed 230        30 s: miss
  V3 new   queued 200,  left 203                              short abandon: not counted
  V4 new   queued 300,  left 340                              abandoned: miss
  V5 new   queued 400,  still waiting at 3600                 overdue: miss
  V6 new   queued 2000, answered 2005 by A, closed 2100       within (last 30 min)
chat (target: first reply in 60 s)
  C1  new      queued 0,   answered 5 by B,    reply 20, transferred 50 to billing  within
  C1b transfer queued 50 in billing, answered 80 by A, reply 200, closed 400        150 s: miss
  C2  new      queued 100, answered 110 by B,  reply 130, closed 300                within
  C2r reopen   queued 500, answered 520 by B,  reply 540, closed 700                within
  C3  new      queued 600, answered 613 by A,  no reply,  closed 650                at 50 s: within
presence
  A: available 0, away 1000, available 1900, after-call work 2100, available 2160, offline 3000
  B: available 0 (all day)
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.protocol.models import Channel, Presence
from hub.routing import config as routing_config
from hub.supervision.contacts import (
    Contact,
    ContactKind,
    ContactOutcome,
    PresenceChange,
    spans,
)
from hub.supervision.metrics import (
    Standards,
    figures,
    grouped,
    longest_wait_s,
    overlap_ms,
    service_level,
    union,
)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
T0 = int(dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI).timestamp() * 1000)  # a Tuesday
NEW, TRANSFER, REOPEN = ContactKind.NEW, ContactKind.TRANSFER, ContactKind.REOPEN
CLOSED, TRANSFERRED, ABANDONED = (ContactOutcome.CLOSED, ContactOutcome.TRANSFERRED,
                                  ContactOutcome.ABANDONED)


def s(seconds: float) -> int:
    return T0 + int(seconds * 1000)


def contact(conv: str, queue: str, channel: Channel, kind: ContactKind, queued: float,
            answered: float | None = None, agent: str | None = None,
            reply: float | None = None, done: float | None = None,
            outcome: ContactOutcome | None = None) -> Contact:
    return Contact(conv, queue, channel, kind, s(queued),
                   None if answered is None else s(answered), agent,
                   None if reply is None else s(reply), None if done is None else s(done), outcome)


V, C = Channel.VOICE, Channel.CHAT
DAY = [
    contact("v1", "voice", V, NEW, 0, 10, "A", done=310, outcome=CLOSED),
    contact("v2", "voice", V, NEW, 100, 130, "B", done=230, outcome=CLOSED),
    contact("v3", "voice", V, NEW, 200, done=203, outcome=ABANDONED),
    contact("v4", "voice", V, NEW, 300, done=340, outcome=ABANDONED),
    contact("v5", "voice", V, NEW, 400),
    contact("v6", "voice", V, NEW, 2000, 2005, "A", done=2100, outcome=CLOSED),
    contact("c1", "chat", C, NEW, 0, 5, "B", 20, 50, TRANSFERRED),
    contact("c1", "billing", C, TRANSFER, 50, 80, "A", 200, 400, CLOSED),
    contact("c2", "chat", C, NEW, 100, 110, "B", 130, 300, CLOSED),
    contact("c2", "chat", C, REOPEN, 500, 520, "B", 540, 700, CLOSED),
    contact("c3", "chat", C, NEW, 600, 613, "A", None, 650, CLOSED),
]
PRESENCE = list(spans([
    PresenceChange("A", Presence.AVAILABLE, s(0)), PresenceChange("A", Presence.AWAY, s(1000)),
    PresenceChange("A", Presence.AVAILABLE, s(1900)),
    PresenceChange("A", Presence.AFTER_CALL_WORK, s(2100)),
    PresenceChange("A", Presence.AVAILABLE, s(2160)),
    PresenceChange("A", Presence.OFFLINE, s(3000)),
    PresenceChange("B", Presence.AVAILABLE, s(0)),
]))
SINCE, UNTIL = s(0), s(3600)


@pytest.fixture(scope="module")
def standards() -> Standards:
    return Standards(routing_config.load(None), short_abandon_s=5)


def test_voice_queue(standards: Standards) -> None:
    voice = [c for c in DAY if c.queue_id == "voice"]
    f = figures(voice, PRESENCE, ["A", "B"], standards, SINCE, UNTIL, all_contacts=DAY)
    assert (f.offered, f.answered, f.waiting) == (6, 3, 1)
    assert f.longest_wait_s == 3200.0  # V5, queued at 400
    # Measured: V1 within, V2 miss, V4 miss, V5 overdue, V6 within; V3 is short.
    assert (f.service_level.measured, f.service_level.within, f.service_level.pct) == (5, 2, 40.0)
    # Last 30 minutes [1800, 3600): V5 (overdue, counted at the end) and V6.
    assert (f.service_level_recent.measured, f.service_level_recent.pct) == (2, 50.0)
    assert f.asa_s == 15.0  # (10 + 30 + 5) / 3
    assert (f.abandoned, f.short_abandoned, f.abandon_pct) == (1, 1, 25.0)  # 1 / (3 + 1)
    assert f.aht_s == 165.0  # (300 + 100 + 95) / 3
    assert (f.fcr_pct, f.resolved) == (100.0, 3)
    assert (f.transfers, f.reopened) == (0, 0)


def test_chat_queues_with_a_transfer_and_a_reopen(standards: Standards) -> None:
    by_queue = grouped(DAY, lambda c: c.queue_id)
    chat = figures(by_queue["chat"], PRESENCE, [], standards, SINCE, UNTIL)
    assert (chat.offered, chat.answered, chat.waiting) == (4, 4, 0)
    assert chat.service_level.pct == 100.0  # C1, C2, C2r by reply; C3 ended at 50 s
    assert chat.asa_s == 12.0  # (5 + 10 + 20 + 13) / 4
    assert chat.aht_s == 113.0  # (45 + 190 + 180 + 37) / 4
    assert (chat.transfers, chat.reopened) == (1, 1)  # counted where they happened
    # c2 was reopened (not a first-contact resolution), c3 was; c1 closed in billing.
    assert (chat.fcr_pct, chat.resolved) == (50.0, 2)
    assert chat.occupancy_pct is None  # no agents given: no staffed time
    billing = figures(by_queue["billing"], PRESENCE, [], standards, SINCE, UNTIL)
    assert (billing.offered, billing.service_level.pct, billing.asa_s) == (1, 0.0, 30.0)
    assert (billing.fcr_pct, billing.aht_s) == (0.0, 320.0)  # arrived by transfer


def test_centre_first_contact_resolution_and_occupancy(standards: Standards) -> None:
    f = figures(DAY, PRESENCE, ["A", "B"], standards, SINCE, UNTIL)
    # Closed: v1 v2 v6 c1 (in billing) c2 c3; first contact: v1 v2 v6 c3.
    assert (f.fcr_pct, f.resolved) == (66.7, 6)
    # A: busy [10,400) + [613,650) + [2005,2100) + after-call [2100,2160) = 582 s of
    # 2100 s staffed; B: [5,50) + [110,300) + [520,700) = 415 s of 3600 s.
    assert f.occupancy_pct == 17.5  # 997 / 5700
    a = figures(grouped(DAY, lambda c: c.agent_id)["A"], PRESENCE, ["A"], standards,
                SINCE, UNTIL, all_contacts=DAY)
    assert a.occupancy_pct == 27.7 and a.answered == 4
    assert a.aht_s == 188.0  # (300 + 95 + 320 + 37) / 4
    b = figures(grouped(DAY, lambda c: c.agent_id)["B"], PRESENCE, ["B"], standards,
                SINCE, UNTIL, all_contacts=DAY)
    assert b.occupancy_pct == 11.5 and b.transfers == 1


def test_short_abandon_threshold_is_configurable(standards: Standards) -> None:
    voice = [c for c in DAY if c.queue_id == "voice"]
    strict = Standards(standards.settings, short_abandon_s=0)
    f = figures(voice, PRESENCE, [], strict, SINCE, UNTIL)
    assert (f.abandoned, f.short_abandoned, f.abandon_pct) == (2, 0, 40.0)
    assert f.service_level.measured == 6 and f.service_level.pct == 33.3


def test_waiting_inside_target_is_not_measured_yet(standards: Standards) -> None:
    fresh = [contact("x", "voice", V, NEW, 3590)]
    assert service_level(fresh, standards, SINCE, UNTIL).measured == 0
    assert service_level(fresh, standards, SINCE, UNTIL).pct is None
    assert longest_wait_s(fresh, UNTIL) == 10.0
    assert longest_wait_s(fresh, s(3000)) == 0.0  # not queued yet then


def test_email_is_measured_in_business_hours(standards: Standards) -> None:
    friday_5pm = int(dt.datetime(2026, 12, 11, 17, 0, tzinfo=SHANGHAI).timestamp() * 1000)
    monday_10am = friday_5pm + (2 * 24 + 17) * 3600 * 1000
    mail = Contact("e1", "email", Channel.EMAIL, NEW, friday_5pm, friday_5pm + 60_000, "A",
                   monday_10am, monday_10am + 1000, CLOSED)
    # One business hour on Friday and one on Monday: within the 4-hour standard.
    sl = service_level([mail], standards, friday_5pm, monday_10am + 3600_000)
    assert (sl.measured, sl.within) == (1, 1)
    late = Contact("e2", "email", Channel.EMAIL, NEW, friday_5pm, friday_5pm + 60_000, "A",
                   monday_10am + 3 * 3600_000, None, None)  # five business hours
    assert service_level([late], standards, friday_5pm, monday_10am + 4 * 3600_000).within == 0


def test_interval_helpers() -> None:
    assert union([(5, 10), (0, 3), (2, 6), (20, 20)]) == [(0, 10)]
    assert overlap_ms([(0, 10), (20, 30)], [(5, 25)]) == 10


def test_the_voice_standard_includes_its_boundary(standards: Standards) -> None:
    # Answered after 5, 10, 19, 20 and 30 s against 20 s: four of five within.
    calls = [contact(f"b{n}", "voice", V, NEW, 0, wait, "A", done=100, outcome=CLOSED)
             for n, wait in enumerate([5, 10, 19, 20, 30])]
    assert service_level(calls, standards, SINCE, UNTIL).pct == 80.0
