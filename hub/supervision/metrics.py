"""The supervisor's figures as pure functions over contacts and presence spans.

One definition for the live wallboard and the historical reports: both call
``figures`` with the rows of a window ``[since, until)``. The formulas, and how
transfers, reopened conversations, short abandons and business hours count, are
written down in docs/metrics.md ("Formulas"); the tests in
tests/hub/supervision/test_metrics.py compute a scripted day by hand.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

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
    # The outcome of a contact whose wait is over never changes: kept by the
    # object's identity (with the object, so the identity stays its own), so a
    # recomputation only measures what is still open.
    settled: dict[int, tuple[Contact, tuple[int, bool] | None]] = field(
        default_factory=dict, compare=False, repr=False)

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
    if contact.done_at is not None or response_at(contact) is not None:
        known = standards.settled.get(id(contact))
        if known is not None and known[0] is contact:
            return known[1]
        outcome = _sl_outcome(contact, standards, until)
        standards.settled[id(contact)] = (contact, outcome)
        return outcome
    return _sl_outcome(contact, standards, until)


def forget_settled(standards: Standards, live: Sequence[Contact]) -> None:
    """Drop cached outcomes of contacts no longer in ``live`` (replaced or old)."""
    keep = {id(c) for c in live}
    for key in [k for k in standards.settled if k not in keep]:
        del standards.settled[key]


def _sl_outcome(contact: Contact, standards: Standards, until: int) -> tuple[int, bool] | None:
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


AgentTimes = dict[str, tuple[int, int]]


def agent_times(contacts: Iterable[Contact], spans: Iterable[PresenceSpan], since: int,
                until: int) -> AgentTimes:
    """``agent_time`` of every agent seen, in one pass over the rows."""
    held: dict[str, list[Contact]] = {}
    for contact in contacts:
        if contact.agent_id is not None:
            held.setdefault(contact.agent_id, []).append(contact)
    theirs: dict[str, list[PresenceSpan]] = {}
    for span in spans:
        theirs.setdefault(span.agent_id, []).append(span)
    return {a: agent_time(a, held.get(a, []), theirs.get(a, []), since, until)
            for a in {*held, *theirs}}


def occupancy_pct(agent_ids: Iterable[str], times: AgentTimes) -> float | None:
    busy = staffed = 0
    for agent_id in agent_ids:
        b, s = times.get(agent_id, (0, 0))
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

# What one contact adds to its groups' figures, in this order (``contact_counts``).
COUNTS = ("offered", "answered", "asa_ms", "abandoned", "short_abandoned", "handled",
          "handle_ms", "transfers", "reopened", "waiting")
Counts = tuple[int, int, int, int, int, int, int, int, int, int]
NO_COUNTS: Counts = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def contact_counts(c: Contact, standards: Standards, since: int, until: int) -> Counts:
    """One contact's share of the additive figures over ``[since, until)``: queued,
    answered (and its wait), ended (abandoned long or short, handled, transferred),
    reopened, waiting at ``until``. Every group's figures are sums of these."""
    answered = _in(c.answered_at, since, until)
    ended = _in(c.done_at, since, until)
    abandoned = ended and c.abandoned
    short = abandoned and is_short_abandon(c, standards)
    handled = ended and c.answered_at is not None
    return (
        int(_in(c.enqueued_at, since, until)),
        int(answered),
        (c.answered_at or 0) - c.enqueued_at if answered else 0,
        int(abandoned and not short),
        int(short),
        int(handled),
        (c.done_at or 0) - (c.answered_at or 0) if handled else 0,
        int(ended and c.outcome is ContactOutcome.TRANSFERRED),
        int(c.kind is ContactKind.REOPEN and _in(c.enqueued_at, since, until)),
        int(c.waiting_at(until)),
    )


def add_counts(totals: list[int], counts: Counts, sign: int = 1) -> None:
    totals[:] = map(operator.add if sign > 0 else operator.sub, totals, counts)


def figures_from(totals: Sequence[int], longest_s: float, sl: ServiceLevel,
                 sl_recent: ServiceLevel, fcr: tuple[int, int], occupancy: float | None
                 ) -> Figures:
    """The figures of a group from the sums of its contacts' counts and the rest."""
    (offered, answered, asa_ms, abandoned, short, handled, handle_ms, transfers, reopened,
     waiting_now) = totals
    return Figures(
        offered=offered, answered=answered, waiting=waiting_now, longest_wait_s=longest_s,
        service_level=sl, service_level_recent=sl_recent,
        asa_s=round(asa_ms / answered / 1000, 1) if answered else None,
        abandoned=abandoned, short_abandoned=short,
        abandon_pct=_pct(abandoned, answered + abandoned),
        aht_s=round(handle_ms / handled / 1000, 1) if handled else None,
        occupancy_pct=occupancy, fcr_pct=_pct(*fcr), resolved=fcr[1],
        transfers=transfers, reopened=reopened)


def figures(contacts: Sequence[Contact], spans: Sequence[PresenceSpan], agent_ids: Iterable[str],
            standards: Standards, since: int, until: int,
            all_contacts: Sequence[Contact] | None = None,
            times: AgentTimes | None = None) -> Figures:
    """Every figure of one group (a queue, a channel, an agent, the centre) over the
    window. ``contacts`` are the group's; occupancy is of ``agent_ids`` over
    ``all_contacts`` (an agent busy in another queue is busy), or from ``times``
    (``agent_times``, computed once for many groups)."""
    if times is None:
        times = agent_times(contacts if all_contacts is None else all_contacts, spans,
                            since, until)
    totals = list(NO_COUNTS)
    for contact in contacts:
        add_counts(totals, contact_counts(contact, standards, since, until))
    return figures_from(
        totals, longest_wait_s(contacts, until),
        service_level(contacts, standards, since, until),
        service_level(contacts, standards, max(since, until - RECENT_MS), until),
        first_contact_resolution(contacts, since, until),
        occupancy_pct(agent_ids, times))


def grouped(contacts: Sequence[Contact], key: Callable[[Contact], str | None]
            ) -> dict[str, list[Contact]]:
    groups: dict[str, list[Contact]] = {}
    for contact in contacts:
        k = key(contact)
        if k is not None:
            groups.setdefault(k, []).append(contact)
    return groups
