"""Routing settings: queues, skills, priority weights, capacity, offers, SLA, hours.

Read from ``hub/routing.toml`` (or a file given with ``--routing-config``). Every
problem is a ``RoutingConfigError`` naming the key, e.g. ``queues[2].channel``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.protocol.call import NO_RECORDING, RecordingMode, RecordingPolicy
from core.protocol.models import Channel
from core.protocol.routing import Disposition

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "routing.toml"
ROUTED_CHANNELS = (Channel.VOICE, Channel.CHAT, Channel.EMAIL)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RoutingConfigError(ValueError):
    """The routing file is wrong; the message names the key."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"routing config: {key}: {problem}")
        self.key = key


@dataclass(frozen=True)
class QueueConfig:
    id: str
    name: str
    channel: Channel
    topic: str = ""
    language: str | None = None
    skill: str | None = None  # None: serving the queue is enough
    min_level: int = 1
    default: bool = False  # the channel's queue when nothing else matches
    keywords: tuple[str, ...] = ()
    entry_points: tuple[str, ...] = ()
    widget_choices: tuple[str, ...] = ()
    email_addresses: tuple[str, ...] = ()
    dispositions: tuple[Disposition, ...] = ()
    # Call recording (docs/telephony.md, "Recording"): the policy the agent's desktop
    # gets with the call, and how long the hub keeps a recording (0: the reports
    # file's recordings_days alone decides).
    recording: RecordingPolicy = NO_RECORDING
    recording_retention_days: int = 0


@dataclass(frozen=True)
class WidgetTopic:
    """A topic the chat widget offers before the first message (its ``topic`` in hello)."""

    choice: str  # one of a chat queue's ``widget_choices``
    labels: dict[str, str]  # language ("en", "zh") -> what the visitor reads


@dataclass(frozen=True)
class PriorityWeights:
    """See docs/routing.md for the formula."""

    aging_per_min: float = 10.0
    tier: dict[str, float] = field(default_factory=dict)
    complaint: float = 80.0
    negative_sentiment: float = 50.0
    complaint_keywords: tuple[str, ...] = ()
    negative_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class EscalationSettings:
    """What an escalating customer message (hub/assist) does to its conversation."""

    priority: float = 150.0  # added to the conversation's score, once
    # A waiting conversation moves to this queue (a senior skill); None: it stays.
    queue: str | None = None


@dataclass(frozen=True)
class BusinessHours:
    timezone: zoneinfo.ZoneInfo
    # Weekday (0 = Monday) -> (opens, closes); a missing day is closed.
    days: dict[int, tuple[dt.time, dt.time]]
    holidays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class BotSettings:
    """The self-service bot (``[bot]``): which new widget chats it holds first, and
    when it hands them to a person (see hub/selfservice)."""

    topics: tuple[str, ...] = ()  # widget choices the bot answers first
    no_topic: bool = False  # and chats whose visitor chose no topic
    max_declined: int = 2  # answers the customer said did not help, then a person
    person_words: tuple[str, ...] = ("转人工", "人工", "真人", "human", "agent", "person")
    handoff_tiers: tuple[str, ...] = ("vip",)  # customers of these tiers go to a person
    handoff_attributes: tuple[str, ...] = ("elderly",)  # ... and with these attributes/tags
    related: int = 2  # related articles offered with an answer

    def holds(self, topic: str | None) -> bool:
        return topic in self.topics if topic else self.no_topic


@dataclass(frozen=True)
class RoutingSettings:
    queues: tuple[QueueConfig, ...]
    hours: BusinessHours
    weights: PriorityWeights = PriorityWeights()
    capacity: dict[Channel, int] = field(default_factory=dict)
    voice_blocks_chat: bool = True
    offer_timeout_s: dict[Channel, float] = field(default_factory=dict)
    max_missed_offers: int = 3
    after_call_work_s: float = 60.0
    voice_answer_s: float = 20.0
    voice_target_pct: float = 80.0
    chat_first_reply_s: float = 60.0
    email_first_reply_business_h: float = 4.0
    auto_accept_chat: bool = False
    disposition_required: bool = False
    transfer_message: str = "You are being transferred to a colleague."
    reopen_window_s: float = 1800.0
    queue_stats_interval_s: float = 1.0
    widget_topics: tuple[WidgetTopic, ...] = ()
    escalation: EscalationSettings = EscalationSettings()
    bot: BotSettings = BotSettings()

    def queue(self, queue_id: str) -> QueueConfig | None:
        return next((q for q in self.queues if q.id == queue_id), None)

    def default_queue(self, channel: Channel) -> QueueConfig | None:
        return next((q for q in self.queues if q.channel == channel and q.default), None)


def _get(data: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...], default: Any
         ) -> Any:
    value = data.get(key, default)
    if value is default:
        return value
    if kind in (int, float, (int, float)) and isinstance(value, bool):
        raise RoutingConfigError(f"{path}{key}", "must be a number")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise RoutingConfigError(f"{path}{key}", f"must be {names}, not {value!r}")
    return value


def _positive(data: dict[str, Any], key: str, path: str, default: float) -> float:
    value = float(_get(data, key, path, (int, float), default))
    if value <= 0:
        raise RoutingConfigError(f"{path}{key}", "must be greater than 0")
    return value


def _strings(data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = _get(data, key, path, list, [])
    if not all(isinstance(v, str) and v for v in value):
        raise RoutingConfigError(f"{path}{key}", "must be a list of non-empty strings")
    return tuple(v.lower() for v in value)


def _channel(value: Any, key: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        names = ", ".join(c.value for c in ROUTED_CHANNELS)
        raise RoutingConfigError(key, f"unknown channel {value!r} (use {names})") from None


def _per_channel(data: dict[str, Any], key: str, defaults: dict[Channel, float]) -> dict[Channel,
                                                                                          float]:
    table = _get(data, key, "", dict, {})
    result = dict(defaults)
    for name, value in table.items():
        channel = _channel(name, f"{key}.{name}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise RoutingConfigError(f"{key}.{name}", "must be a number greater than 0")
        result[channel] = float(value)
    return result


def _queue(data: Any, n: int) -> QueueConfig:
    path = f"queues[{n}]."
    if not isinstance(data, dict):
        raise RoutingConfigError(f"queues[{n}]", "must be a table")
    qid = _get(data, "id", path, str, None)
    if not qid:
        raise RoutingConfigError(f"{path}id", "is required")
    level = _get(data, "min_level", path, int, 1)
    if not 1 <= level <= 5:
        raise RoutingConfigError(f"{path}min_level", "must be 1 to 5")
    dispositions = []
    for i, item in enumerate(_get(data, "dispositions", path, list, [])):
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise RoutingConfigError(f"{path}dispositions[{i}]", "needs a code and a label")
        dispositions.append(Disposition(code=item["code"], label=str(item.get("label", ""))))
    return QueueConfig(
        id=qid,
        name=_get(data, "name", path, str, qid),
        channel=_channel(data.get("channel"), f"{path}channel"),
        topic=_get(data, "topic", path, str, ""),
        language=_get(data, "language", path, str, None),
        skill=_get(data, "skill", path, str, None),
        min_level=level,
        default=_get(data, "default", path, bool, False),
        keywords=_strings(data, "keywords", path),
        entry_points=_strings(data, "entry_points", path),
        widget_choices=_strings(data, "widget_choices", path),
        email_addresses=_strings(data, "email_addresses", path),
        dispositions=tuple(dispositions),
        recording=_recording(data, path),
        recording_retention_days=_retention_days(data, path),
    )


def _recording(data: dict[str, Any], path: str) -> RecordingPolicy:
    value = _get(data, "recording", path, str, RecordingMode.NEVER.value)
    try:
        mode = RecordingMode(value)
    except ValueError:
        names = ", ".join(m.value for m in RecordingMode)
        raise RoutingConfigError(f"{path}recording", f"{value!r} is not one of {names}"
                                 ) from None
    announce = _get(data, "recording_announcement", path, bool, False)
    return RecordingPolicy(mode=mode, announce=announce)


def _retention_days(data: dict[str, Any], path: str) -> int:
    days = _get(data, "recording_retention_days", path, int, 0)
    if not 0 <= days <= 36_500:
        raise RoutingConfigError(f"{path}recording_retention_days", "must be 0 to 36500")
    return int(days)


def _time(value: Any, key: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise RoutingConfigError(key, f"{value!r} is not a time like 09:00") from None


def _hours(data: dict[str, Any]) -> BusinessHours:
    table = _get(data, "business_hours", "", dict, {})
    tz_name = _get(table, "timezone", "business_hours.", str, "Asia/Shanghai")
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise RoutingConfigError("business_hours.timezone", f"unknown time zone {tz_name!r}"
                                 ) from None
    days: dict[int, tuple[dt.time, dt.time]] = {}
    for i, name in enumerate(WEEKDAYS):
        span = table.get(name)
        if span is None:
            continue
        key = f"business_hours.{name}"
        if not isinstance(span, list) or len(span) != 2:
            raise RoutingConfigError(key, "must be [opens, closes], e.g. [\"09:00\", \"18:00\"]")
        opens, closes = _time(span[0], key), _time(span[1], key)
        if closes <= opens:
            raise RoutingConfigError(key, "closes before it opens")
        days[i] = (opens, closes)
    holidays = set()
    for i, value in enumerate(_get(table, "holidays", "business_hours.", list, [])):
        try:
            holidays.add(value if isinstance(value, dt.date) else dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            raise RoutingConfigError(f"business_hours.holidays[{i}]",
                                     f"{value!r} is not a date like 2026-10-01") from None
    return BusinessHours(timezone=tz, days=days, holidays=frozenset(holidays))


def _widget_topics(data: dict[str, Any], queues: tuple[QueueConfig, ...]
                   ) -> tuple[WidgetTopic, ...]:
    choices = {c for q in queues if q.channel == Channel.CHAT for c in q.widget_choices}
    topics: list[WidgetTopic] = []
    for n, item in enumerate(_get(data, "widget_topics", "", list, [])):
        path = f"widget_topics[{n}]."
        if not isinstance(item, dict):
            raise RoutingConfigError(f"widget_topics[{n}]", "must be a table")
        choice = _get(item, "choice", path, str, "").strip().lower()
        if choice not in choices:
            raise RoutingConfigError(f"{path}choice", f"{choice!r} is no chat queue's "
                                                      "widget_choices")
        if any(t.choice == choice for t in topics):
            raise RoutingConfigError(f"{path}choice", f"{choice!r} is listed twice")
        labels = {}
        for lang in ("en", "zh"):
            label = _get(item, lang, path, str, "").strip()
            if not label or len(label) > 60:
                raise RoutingConfigError(f"{path}{lang}", "needs a label of 1 to 60 characters")
            labels[lang] = label
        topics.append(WidgetTopic(choice=choice, labels=labels))
    return tuple(topics)


def _escalation(data: dict[str, Any], queues: tuple[QueueConfig, ...]) -> EscalationSettings:
    section = _get(data, "escalation", "", dict, {})
    for key in section:
        if key not in ("priority", "queue"):
            raise RoutingConfigError(f"escalation.{key}", "unknown setting (known: priority, "
                                     "queue)")
    boost = float(_get(section, "priority", "escalation.", (int, float), 150.0))
    if boost < 0:
        raise RoutingConfigError("escalation.priority", "must not be negative")
    queue = _get(section, "queue", "escalation.", str, "") or None
    if queue is not None and queue not in {q.id for q in queues}:
        raise RoutingConfigError("escalation.queue", f"no queue {queue!r} in [[queues]]")
    return EscalationSettings(priority=boost, queue=queue)


def parse(data: dict[str, Any]) -> RoutingSettings:
    queues = tuple(_queue(q, n) for n, q in enumerate(_get(data, "queues", "", list, [])))
    if not queues:
        raise RoutingConfigError("queues", "at least one queue is required")
    seen: set[str] = set()
    for n, q in enumerate(queues):
        if q.id in seen:
            raise RoutingConfigError(f"queues[{n}].id", f"{q.id!r} is used twice")
        seen.add(q.id)
    for channel in ROUTED_CHANNELS:
        defaults = [q for q in queues if q.channel == channel and q.default]
        if len(defaults) > 1:
            raise RoutingConfigError("queues", f"more than one default queue for {channel}")
    prio = _get(data, "priority", "", dict, {})
    tiers = _get(prio, "tier", "priority.", dict, {})
    for name, value in tiers.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RoutingConfigError(f"priority.tier.{name}", "must be a number")
    weights = PriorityWeights(
        aging_per_min=_positive(prio, "aging_per_min", "priority.", 10.0),
        tier={k: float(v) for k, v in tiers.items()},
        complaint=float(_get(prio, "complaint", "priority.", (int, float), 80.0)),
        negative_sentiment=float(_get(prio, "negative_sentiment", "priority.", (int, float), 50.0)),
        complaint_keywords=_strings(prio, "complaint_keywords", "priority."),
        negative_keywords=_strings(prio, "negative_keywords", "priority."),
    )
    cap = _per_channel(data, "capacity", {Channel.VOICE: 1, Channel.CHAT: 3, Channel.EMAIL: 5})
    offers = _get(data, "offers", "", dict, {})
    sla = _get(data, "sla", "", dict, {})
    pct = float(_get(sla, "voice_target_pct", "sla.", (int, float), 80.0))
    if not 0 < pct <= 100:
        raise RoutingConfigError("sla.voice_target_pct", "must be between 0 and 100")
    missed = _get(offers, "max_missed", "offers.", int, 3)
    if missed < 1:
        raise RoutingConfigError("offers.max_missed", "must be at least 1")
    return RoutingSettings(
        queues=queues,
        hours=_hours(data),
        weights=weights,
        capacity={k: int(v) for k, v in cap.items()},
        voice_blocks_chat=_get(data, "voice_blocks_chat", "", bool, True),
        offer_timeout_s=_per_channel(
            offers, "timeout_s", {Channel.VOICE: 20, Channel.CHAT: 30, Channel.EMAIL: 60}
        ),
        max_missed_offers=missed,
        after_call_work_s=_positive(offers, "after_call_work_s", "offers.", 60.0),
        auto_accept_chat=_get(offers, "auto_accept_chat", "offers.", bool, False),
        voice_answer_s=_positive(sla, "voice_answer_s", "sla.", 20.0),
        voice_target_pct=pct,
        chat_first_reply_s=_positive(sla, "chat_first_reply_s", "sla.", 60.0),
        email_first_reply_business_h=_positive(sla, "email_first_reply_business_h", "sla.", 4.0),
        disposition_required=_get(data, "disposition_required", "", bool, False),
        transfer_message=_get(data, "transfer_message", "", str,
                              "You are being transferred to a colleague."),
        reopen_window_s=60 * _positive(data, "reopen_window_min", "", 30.0),
        queue_stats_interval_s=_positive(data, "queue_stats_interval_s", "", 1.0),
        widget_topics=_widget_topics(data, queues),
        escalation=_escalation(data, queues),
        bot=_bot(data),
    )


def _bot(data: dict[str, Any]) -> BotSettings:
    bot = _get(data, "bot", "", dict, {})
    known = {"topics", "no_topic", "max_declined", "person_words", "handoff_tiers",
             "handoff_attributes", "related"}
    for key in bot:
        if key not in known:
            raise RoutingConfigError(f"bot.{key}",
                                     f"unknown setting (known: {', '.join(sorted(known))})")
    default = BotSettings()
    declined = _get(bot, "max_declined", "bot.", int, default.max_declined)
    if declined < 1:
        raise RoutingConfigError("bot.max_declined", "must be at least 1")
    related = _get(bot, "related", "bot.", int, default.related)
    if not 0 <= related <= 5:
        raise RoutingConfigError("bot.related", "must be between 0 and 5")
    return BotSettings(
        topics=_strings(bot, "topics", "bot."),
        no_topic=_get(bot, "no_topic", "bot.", bool, False),
        max_declined=declined,
        person_words=(_strings(bot, "person_words", "bot.") if "person_words" in bot
                      else default.person_words),
        handoff_tiers=(_strings(bot, "handoff_tiers", "bot.") if "handoff_tiers" in bot
                       else default.handoff_tiers),
        handoff_attributes=(_strings(bot, "handoff_attributes", "bot.")
                            if "handoff_attributes" in bot else default.handoff_attributes),
        related=related,
    )


def load(path: Path | str | None = None) -> RoutingSettings:
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RoutingConfigError(str(file), f"cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutingConfigError(str(file), f"is not valid TOML ({exc})") from None
    return parse(data)
