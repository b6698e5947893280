"""Service-level arithmetic: due times, with business hours, holidays and time zones.

Pure functions over epoch milliseconds. Business time counts only the opening hours
of working days in the configured zone (``zoneinfo``, so DST shifts are honoured:
an hour that does not exist is not counted, a repeated one is counted once as
wall-clock time would suggest).
"""

from __future__ import annotations

import datetime as dt

from core.protocol.models import Channel
from core.protocol.routing import SlaKind, SlaState
from hub.routing.config import BusinessHours, RoutingSettings

_MAX_DAYS = 3660  # give up after ten years without an open day (bad config)


def _local(ms: int, hours: BusinessHours) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).astimezone(hours.timezone)


def _epoch_ms(local: dt.datetime) -> int:
    return int(local.astimezone(dt.UTC).timestamp() * 1000)


def _window(day: dt.date, hours: BusinessHours) -> tuple[dt.datetime, dt.datetime] | None:
    """The opening window of ``day`` as aware datetimes, or None when closed."""
    if day in hours.holidays:
        return None
    span = hours.days.get(day.weekday())
    if span is None:
        return None
    opens = dt.datetime.combine(day, span[0], tzinfo=hours.timezone)
    closes = dt.datetime.combine(day, span[1], tzinfo=hours.timezone)
    return opens, closes


def add_business_time(start_ms: int, seconds: float, hours: BusinessHours) -> int:
    """The instant ``seconds`` of business time after ``start_ms``."""
    if not hours.days:
        raise ValueError("no business hours configured")
    remaining_ms = int(seconds * 1000)
    cursor = _local(start_ms, hours)
    day = cursor.date()
    for _ in range(_MAX_DAYS):
        window = _window(day, hours)
        if window is not None:
            opens_ms, closes_ms = _epoch_ms(window[0]), _epoch_ms(window[1])
            begin = max(opens_ms, start_ms)
            if begin < closes_ms:
                available = closes_ms - begin
                if remaining_ms <= available:
                    return begin + remaining_ms
                remaining_ms -= available
        day += dt.timedelta(days=1)
    raise ValueError("no business day found within ten years")


def business_ms_between(start_ms: int, end_ms: int, hours: BusinessHours) -> int:
    """Business time between two instants (0 when ``end_ms`` <= ``start_ms``)."""
    if end_ms <= start_ms:
        return 0
    total = 0
    day = _local(start_ms, hours).date()
    last = _local(end_ms, hours).date()
    while day <= last:
        window = _window(day, hours)
        if window is not None:
            lo = max(_epoch_ms(window[0]), start_ms)
            hi = min(_epoch_ms(window[1]), end_ms)
            total += max(0, hi - lo)
        day += dt.timedelta(days=1)
    return total


def target_s(settings: RoutingSettings, channel: Channel) -> float | None:
    if channel == Channel.VOICE:
        return settings.voice_answer_s
    if channel == Channel.CHAT:
        return settings.chat_first_reply_s
    if channel == Channel.EMAIL:
        return settings.email_first_reply_business_h * 3600
    return None


def sla_kind(channel: Channel) -> SlaKind:
    return SlaKind.ANSWER if channel == Channel.VOICE else SlaKind.FIRST_REPLY


def due_at(settings: RoutingSettings, channel: Channel, created_ms: int) -> int | None:
    """When the conversation's service level is breached; None for unmeasured channels."""
    target = target_s(settings, channel)
    if target is None:
        return None
    if channel == Channel.EMAIL:
        return add_business_time(created_ms, target, settings.hours)
    return created_ms + int(target * 1000)


def state(created_ms: int, due_ms: int | None, now_ms: int) -> SlaState:
    """OK, AT_RISK (under a quarter of the time left) or BREACHED, by wall clock."""
    if due_ms is None:
        return SlaState.OK
    if now_ms >= due_ms:
        return SlaState.BREACHED
    total = max(1, due_ms - created_ms)
    return SlaState.AT_RISK if (due_ms - now_ms) * 4 < total else SlaState.OK

