"""Every notification the agent service publishes, each declared once.

A ``Notice`` is one kind of change: its core name (the attribute, named
``<subject>_did_<verb>``), the Qt signal the desktop re-emits it as
(``<noun>_changed``), the types of its payload and, for what a cache transaction
reports, how to read its payloads out of ``Changes``. The service's hooks, its
announce path and the Qt bridge are all made from these declarations: adding a
notice means adding one line here (and, for what a cache transaction reports, the
field of ``core.records.Changes`` it reads, which merges and counts generically).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, ParamSpec, overload

from core.profile.outbox import ProfileFailure
from core.protocol.models import AgentInfo, Presence
from core.records import Changes, ScreenPop
from core.session.hooks import Hook
from core.sync.client import ConnectionStatus

P = ParamSpec("P")

# The payloads of one notice in one transaction, in the order they are announced.
Payloads = Callable[[Changes], Iterable[tuple[Any, ...]]]


class Notice(Generic[P]):
    """One kind of notification; on an instance of its owner it is that owner's Hook."""

    def __init__(self, signal: str, *payload: type, announces: Payloads | None = None) -> None:
        self.name = ""  # the attribute it is declared as (``__set_name__``)
        self.signal = signal
        self.payload = payload
        self.announces = announces

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> Notice[P]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> Hook[P]: ...
    def __get__(self, instance: object | None, owner: type) -> Notice[P] | Hook[P]:
        if instance is None:
            return self
        return self.hook(instance)

    def hook(self, instance: object) -> Hook[P]:
        """The observer list of this notice on ``instance`` (made on first use)."""
        hooks: dict[str, Hook[P]] = vars(instance)
        hook = hooks.get(self.name)
        if hook is None:
            hook = hooks[self.name] = Hook(self.name)
        return hook

    def __repr__(self) -> str:
        return f"Notice({self.name} -> {self.signal})"


def _each(ids: Callable[[Changes], Iterable[str]]) -> Payloads:
    return lambda changes: ((i,) for i in sorted(ids(changes)))


def _when(flag: Callable[[Changes], bool]) -> Payloads:
    return lambda changes: [()] if flag(changes) else []


def _presence(changes: Changes) -> list[tuple[Presence]]:
    return [] if changes.presence is None else [(changes.presence,)]


def _hub_presence(changes: Changes) -> list[tuple[Presence, str]]:
    if changes.presence is None or not changes.presence_reason:
        return []
    return [(changes.presence, changes.presence_reason)]


def _screen_pops(changes: Changes) -> list[tuple[ScreenPop]]:
    return [(ScreenPop(customer_id, conversation_id),)
            for conversation_id, customer_id in changes.arrived.items()]


class AgentNotices:
    """The agent service's notifications. Those read out of ``Changes`` are announced
    in the order they are declared here (messages before their conversation, screen
    pops last, once everything else is up to date)."""

    message_did_change = Notice[[str, str]](
        "message_changed", str, str, announces=lambda c: sorted(c.messages))
    customer_did_change = Notice[[str]](
        "customer_changed", str, announces=_each(lambda c: c.customers))
    conversation_did_change = Notice[[str]](
        "conversation_changed", str, announces=_each(lambda c: c.conversations))
    presence_did_change = Notice[[Presence]](
        "presence_changed", Presence, announces=_presence)
    # The hub changed the presence by itself, and why ("disconnected", "reconnected").
    hub_did_set_presence = Notice[[Presence, str]](
        "hub_presence_changed", Presence, str, announces=_hub_presence)
    inbox_did_change = Notice[[]]("inbox_changed", announces=_when(lambda c: c.inbox))
    # (conversation id, reason): no longer the agent's; its tab should go.
    assignment_did_end = Notice[[str, str]](
        "assignment_changed", str, str, announces=lambda c: sorted(c.unassigned.items()))
    # (source id, target id): the source customer is gone into the target.
    customer_did_merge = Notice[[str, str]](
        "customer_merged", str, str, announces=lambda c: sorted(c.merged.items()))
    timeline_did_change = Notice[[str]](
        "timeline_changed", str, announces=_each(lambda c: c.timelines))
    profile_config_did_change = Notice[[]](
        "profile_config_changed", announces=_when(lambda c: c.profile_config))
    # Routing (read through ``AgentService.routing``): offers ringing, queue
    # statistics, the hub's routing settings, presence detail (away reason, wrap-up end).
    offers_did_change = Notice[[]]("offers_changed", announces=_when(lambda c: c.offers))
    queue_stats_did_change = Notice[[]](
        "queue_stats_changed", announces=_when(lambda c: c.queue_stats))
    routing_config_did_change = Notice[[]](
        "routing_config_changed", announces=_when(lambda c: c.routing_config))
    presence_detail_did_change = Notice[[]](
        "presence_detail_changed", announces=_when(lambda c: c.presence_detail))
    # Agent assist: the cached quick replies changed; new suggestions for a conversation.
    quick_replies_did_change = Notice[[]](
        "quick_replies_changed", announces=_when(lambda c: c.quick_replies))
    suggestions_did_change = Notice[[str]](
        "suggestions_changed", str, announces=_each(lambda c: c.suggestions))
    # The cached knowledge base changed (read through ``AgentService.knowledge``).
    knowledge_base_did_change = Notice[[]](
        "knowledge_base_changed", announces=_when(lambda c: c.knowledge))
    # Which articles an event changed ({id: title before or None}); a change announced
    # without this one (a listing's pages, its end) names none.
    knowledge_articles_did_change = Notice[[dict[str, str | None]]](
        "knowledge_articles_changed", dict,
        announces=lambda c: [(dict(c.knowledge_articles),)] if c.knowledge_articles else [])
    # The listing of the hub's articles into the cache moved on or ended (its progress:
    # ``AgentService.knowledge.listing_progress()``).
    knowledge_listing_did_progress = Notice[[]](
        "knowledge_listing_changed", announces=_when(lambda c: c.knowledge_listing))
    # Supervisors: an escalation alert arrived (read through ``escalation_alerts``).
    escalation_alerts_did_change = Notice[[]](
        "escalation_alerts_changed", announces=_when(lambda c: c.alerts))
    # Coaching: notes (or a supervisor joining) in a conversation; the conversations
    # this supervisor monitors changed (read through ``AgentService.coaching``).
    coaching_did_change = Notice[[str]](
        "coaching_changed", str, announces=_each(lambda c: c.coaching))
    monitors_did_change = Notice[[]]("monitors_changed", announces=_when(lambda c: c.monitors))
    # Follow-ups: the agent's list changed (read through ``AgentService.followups``);
    # a follow-up is due soon (the hub's reminder: the desktop notifies).
    followups_did_change = Notice[[]](
        "followups_changed", announces=_when(lambda c: c.followups))
    followup_reminder_did_arrive = Notice[[str]](
        "followup_reminder_changed", str, announces=_each(lambda c: c.reminders))
    screen_pop_did_request = Notice[[ScreenPop]](
        "screen_pop_changed", ScreenPop, announces=_screen_pops)

    # Not from a cache transaction: the service emits these itself.
    # Store mode stored a directory page, or the directory's state changed.
    directory_did_change = Notice[[]]("directory_changed")
    # Supervisors: the live figures moved (the keys of the tiles that changed), or
    # the hub would not give them (a code: forbidden, offline).
    figures_did_change = Notice[[list[str]]]("figures_changed", list)
    figures_did_fail = Notice[[str]]("figures_failed", str)
    # Quality: the hub took (code "") or refused an appeal or review of a conversation.
    quality_did_change = Notice[[str, str]]("quality_changed", str, str)
    connection_did_change = Notice[[ConnectionStatus]]("connection_changed", ConnectionStatus)
    typing_did_change = Notice[[str, bool]]("typing_changed", str, bool)
    agent_did_change = Notice[[AgentInfo]]("agent_changed", AgentInfo)
    auth_did_fail = Notice[[str]]("auth_failed", str)
    # (command kind, error code): e.g. the hub refused a presence change.
    command_did_fail = Notice[[str, str]]("command_failed", str, str)
    profile_command_did_fail = Notice[[ProfileFailure]](
        "profile_command_failed", ProfileFailure)
    # Supervisors: the hub answered ``fetch_live_conversations``.
    live_conversations_did_change = Notice[[]]("live_conversations_changed")
    # (command kind, error code): the hub refused a quick-reply edit (it was undone).
    quick_reply_did_fail = Notice[[str, str]]("quick_reply_failed", str, str)

    @classmethod
    def notices(cls) -> Iterator[Notice[...]]:
        """Every declared notice, in declaration order."""
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                if isinstance(value, Notice):
                    yield value

    def announce(self, changes: Changes) -> None:
        """Emit what one transaction changed, notice by notice in declaration order."""
        for notice, payloads in _FROM_CHANGES:
            hook = notice.hook(self)
            for payload in payloads(changes):
                hook.emit(*payload)


# Walked once per transaction: found once.
_FROM_CHANGES = tuple((n, n.announces) for n in AgentNotices.notices()
                      if n.announces is not None)
