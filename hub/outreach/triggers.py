"""Which trigger of the outreach file fires for a page visit, if any (pure; no I/O).

The caller passes what the record says (when each trigger last reached this
customer, how many outreaches in the last 24 hours), the clock, and whether the
center is open and someone is on duty. Triggers are tried in file order; the
first whose conditions all hold fires. When a trigger only waits for more time
on the page, ``recheck_s`` says when the widget should report again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hub.outreach.config import OutreachSettings, Trigger

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True)
class Visit:
    """A customer on a page, as the widget reported it and the profile says."""

    url: str
    seconds: int
    tier: str | None = None
    tags: frozenset[str] = frozenset()
    open_conversation: bool = False


@dataclass(frozen=True)
class Record:
    """What the hub's outreach record says about this customer."""

    last_by_trigger: Mapping[str, int]  # trigger id -> when it last reached them (ms)
    automatic_last_day: int  # automatic outreaches in the last 24 hours


@dataclass(frozen=True)
class Conditions:
    open_now: bool = True  # inside business hours
    agents_on_duty: bool = True  # someone of the chat queue can answer


@dataclass(frozen=True)
class Decision:
    trigger: Trigger | None = None
    recheck_s: int | None = None


def _rate_allows(trigger: Trigger, record: Record, now_ms: int) -> bool:
    last = record.last_by_trigger.get(trigger.id)
    return last is None or now_ms - last >= trigger.every_h * HOUR_MS


def _profile_matches(trigger: Trigger, visit: Visit) -> bool:
    if trigger.open_conversation and not visit.open_conversation:
        return False
    if trigger.tiers or trigger.tags:
        in_tier = visit.tier is not None and visit.tier in trigger.tiers
        tagged = bool(trigger.tags & {t.lower() for t in visit.tags})
        if not (in_tier or tagged):
            return False
    return True


def evaluate(settings: OutreachSettings, visit: Visit, record: Record, now_ms: int,
             conditions: Conditions) -> Decision:
    if record.automatic_last_day >= settings.per_day:
        return Decision()
    wait: int | None = None
    for trigger in settings.triggers:
        if not _rate_allows(trigger, record, now_ms):
            continue
        if not trigger.url_matches(visit.url) or not _profile_matches(trigger, visit):
            continue
        if trigger.business_hours and not conditions.open_now:
            continue
        if trigger.agents_available and not conditions.agents_on_duty:
            continue
        if visit.seconds >= trigger.after_s:
            return Decision(trigger=trigger)
        left = trigger.after_s - visit.seconds
        wait = left if wait is None else min(wait, left)
    return Decision(recheck_s=wait)
