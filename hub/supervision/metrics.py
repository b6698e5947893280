"""The supervisor's figures as pure functions over contacts and presence spans.

One definition for the live wallboard and the historical reports: both call
``figures`` with the rows of a window ``[since, until)``. The formulas, and how
transfers, reopened conversations, short abandons and business hours count, are
written down in docs/metrics.md ("Formulas"); the tests in
tests/hub/supervision/test_metrics.py compute a scripted day by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from core.protocol.models import Channel, Presence
from hub.routing import sla
from hub.routing.config import RoutingSettings
from hub.supervision.contacts import STAFFED, Contact, ContactKind, ContactOutcome, PresenceSpan

RECENT_MS = 30 * 60 * 1000
DEFAULT_SHORT_ABANDON_S = 5.0

Interval = tuple[int, int]


@dataclass(frozen=True)
class Standards:
    """Each channel's response standard (routing.toml ``[sla]``) and the short
    abandon threshold: a customer who leaves sooner is not counted as abandoned."""

    settings: RoutingSettings
    short_abandon_s: float = DEFAULT_SHORT_ABANDON_S

    def target_ms(self, channel: Channel) -> int | None:
        target = sla.target_s(self.settings, channel)
        return None if target is None else int(target * 1000)

    def elapsed_ms(self, channel: Channel, start: int, end: int) -> int:
        """Email is measured in business time (its standard is in business hours)."""
        if channel == Channel.EMAIL:
            return sla.business_ms_between(start, end, self.settings.hours)
        return max(0, end - start)

    @property
    def target_pct(self) -> float:
        return self.settings.voice_target_pct


@dataclass(frozen=True)
class ServiceLevel:
    measured: int
    within: int

    @property
    def pct(self) -> float | None:
        return None if not self.measured else round(100.0 * self.within / self.measured, 1)


@dataclass(frozen=True)
class Figures:
    offered: int  # contacts queued in the window (new, transferred in, reopened)
    answered: int
    waiting: int  # at ``until``
    longest_wait_s: float
    service_level: ServiceLevel
    service_level_recent: ServiceLevel  # the last 30 minutes of the window
    asa_s: float | None
    abandoned: int  # long abandons only
    short_abandoned: int
    abandon_pct: float | None
    aht_s: float | None
    occupancy_pct: float | None
    fcr_pct: float | None
    resolved: int  # conversations closed in the window (the FCR denominator)
    transfers: int
    reopened: int


def _in(at: int | None, since: int, until: int) -> bool:
    return at is not None and since <= at < until


def _mean_s(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values) / 1000, 1) if values else None


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# ---- each figure ---------------------------------------------------------------------


def waiting(contacts: Iterable[Contact], now: int) -> list[Contact]:
    return [c for c in contacts if c.waiting_at(now)]


def longest_wait_s(contacts: Iterable[Contact], now: int) -> float:
    oldest = min((c.enqueued_at for c in waiting(contacts, now)), default=None)
    return 0.0 if oldest is None else round((now - oldest) / 1000, 1)


def is_short_abandon(contact: Contact, standards: Standards) -> bool:
    return (contact.abandoned and contact.done_at is not None
            and contact.done_at - contact.enqueued_at < standards.short_abandon_s * 1000)


def response_at(contact: Contact) -> int | None:
    """When the customer got a person: voice on answer, chat and email on the
    agent's first reply; a contact that ended without a reply counts at its end."""
    if contact.answered_at is None:
        return None
    if contact.channel == Channel.VOICE:
        return contact.answered_at
    return contact.first_reply_at if contact.first_reply_at is not None else contact.done_at


def sl_outcome(contact: Contact, standards: Standards, until: int) -> tuple[int, bool] | None:
    """When the contact is measured and whether it met the standard; None when it is
    not (yet) measured: unmeasured channel, short abandon, or still inside target."""
    target = standards.target_ms(contact.channel)
    if target is None or is_short_abandon(contact, standards):
        return None
    responded = response_at(contact)
    if responded is not None:
        return responded, standards.elapsed_ms(contact.channel, contact.enqueued_at,
                                               responded) <= target
    if contact.abandoned and contact.done_at is not None:
        return contact.done_at, False
    if contact.done_at is None and standards.elapsed_ms(
            contact.channel, contact.enqueued_at, until) > target:
        return until - 1, False  # overdue and still waiting: a miss already
    return None


def service_level(contacts: Iterable[Contact], standards: Standards, since: int,
                  until: int) -> ServiceLevel:
    measured = within = 0
    for contact in contacts:
        outcome = sl_outcome(contact, standards, until)
        if outcome is not None and since <= outcome[0] < until:
            measured += 1
            within += outcome[1]
    return ServiceLevel(measured, within)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap_ms(a: list[Interval], b: list[Interval]) -> int:
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _clip(start: int, end: int | None, since: int, until: int) -> Interval:
    return max(start, since), min(end if end is not None else until, until)


def agent_time(agent_id: str, contacts: Iterable[Contact], spans: Iterable[PresenceSpan],
               since: int, until: int) -> tuple[int, int]:
    """(busy ms while staffed, staffed ms) of one agent in the window. Busy: holding
    at least one contact (several chats at once count once) or in after-call work."""
    held = [_clip(*span, since, until) for c in contacts if c.agent_id == agent_id
            for span in [c.handled_span()] if span is not None]
    mine = [s for s in spans if s.agent_id == agent_id]
    acw = [_clip(s.start, s.end, since, until) for s in mine
           if s.presence is Presence.AFTER_CALL_WORK]
    staffed = union(_clip(s.start, s.end, since, until) for s in mine if s.presence in STAFFED)
    return overlap_ms(union([*held, *acw]), staffed), sum(e - s for s, e in staffed)


def occupancy_pct(agent_ids: Iterable[str], contacts: Sequence[Contact],
                  spans: Sequence[PresenceSpan], since: int, until: int) -> float | None:
    busy = staffed = 0
    for agent_id in agent_ids:
        b, s = agent_time(agent_id, contacts, spans, since, until)
        busy, staffed = busy + b, staffed + s
    return _pct(busy, staffed)


def first_contact_resolution(contacts: Iterable[Contact], since: int, until: int
                             ) -> tuple[int, int]:
    """(conversations resolved at the first contact, conversations closed in the
    window). Closed: its last contact closed by an agent inside the window. First
    contact: one contact only, answered, never transferred, requeued or reopened."""
    by_conversation: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_conversation.setdefault(contact.conversation_id, []).append(contact)
    first = closed = 0
    for items in by_conversation.values():
        last = max(items, key=lambda c: c.enqueued_at)
        if last.outcome is not ContactOutcome.CLOSED or not _in(last.done_at, since, until):
            continue
        closed += 1
        first += len(items) == 1 and last.kind is ContactKind.NEW
    return first, closed


# ---- all of them ---------------------------------------------------------------------


def figures(contacts: Sequence[Contact], spans: Sequence[PresenceSpan], agent_ids: Iterable[str],
            standards: Standards, since: int, until: int,
            all_contacts: Sequence[Contact] | None = None) -> Figures:
    """Every figure of one group (a queue, a channel, an agent, the centre) over the
    window. ``contacts`` are the group's; occupancy is of ``agent_ids`` over
    ``all_contacts`` (an agent busy in another queue is busy)."""
    answered = [c for c in contacts if _in(c.answered_at, since, until)]
    ended = [c for c in contacts if _in(c.done_at, since, until)]
    abandons = [c for c in ended if c.abandoned]
    short = sum(1 for c in abandons if is_short_abandon(c, standards))
    long_abandons = len(abandons) - short
    handled = [c.done_at - c.answered_at for c in ended
               if c.answered_at is not None and c.done_at is not None]
    fcr, resolved = first_contact_resolution(contacts, since, until)
    return Figures(
        offered=sum(1 for c in contacts if _in(c.enqueued_at, since, until)),
        answered=len(answered),
        waiting=len(waiting(contacts, until)),
        longest_wait_s=longest_wait_s(contacts, until),
        service_level=service_level(contacts, standards, since, until),
        service_level_recent=service_level(contacts, standards, max(since, until - RECENT_MS),
                                           until),
        asa_s=_mean_s([c.answered_at - c.enqueued_at for c in answered
                       if c.answered_at is not None]),
        abandoned=long_abandons,
        short_abandoned=short,
        abandon_pct=_pct(long_abandons, len(answered) + long_abandons),
        aht_s=_mean_s(handled),
        occupancy_pct=occupancy_pct(agent_ids, contacts if all_contacts is None else all_contacts,
                                    spans, since, until),
        fcr_pct=_pct(fcr, resolved),
        resolved=resolved,
        transfers=sum(1 for c in ended if c.outcome is ContactOutcome.TRANSFERRED),
        reopened=sum(1 for c in contacts
                     if c.kind is ContactKind.REOPEN and _in(c.enqueued_at, since, until)),
    )


def grouped(contacts: Sequence[Contact], key: Callable[[Contact], str | None]
            ) -> dict[str, list[Contact]]:
    groups: dict[str, list[Contact]] = {}
    for contact in contacts:
        k = key(contact)
        if k is not None:
            groups.setdefault(k, []).append(contact)
    return groups
