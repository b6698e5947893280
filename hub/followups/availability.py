"""Whether anyone can answer a widget chat now, or the widget offers to leave a message.

Nobody is available for a queue when either
- the center is closed: outside the routing file's ``[business_hours]`` (its time
  zone, weekdays and holidays), when ``followups.use_business_hours`` is on and
  business hours are configured; or
- no agent of the queue is on duty: no agent who serves the queue with its skill
  at the queue's level is connected and available, busy (at capacity: the chat
  waits for them) or in after-call work. Away and offline agents do not count.

Pure functions over the router's agent states; the caller passes the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.protocol.followups import Unavailable
from core.protocol.models import Presence
from hub.routing.config import BusinessHours, QueueConfig
from hub.routing.selector import AgentState

ON_DUTY = frozenset({Presence.AVAILABLE, Presence.BUSY, Presence.AFTER_CALL_WORK})


def is_open(now_ms: int, hours: BusinessHours) -> bool:
    """Inside business hours (always, when none are configured)."""
    if not hours.days:
        return True
    local = dt.datetime.fromtimestamp(now_ms / 1000, tz=dt.UTC).astimezone(hours.timezone)
    if local.date() in hours.holidays:
        return False
    span = hours.days.get(local.weekday())
    return span is not None and span[0] <= local.time().replace(tzinfo=None) < span[1]


def on_duty(agent: AgentState, queue: QueueConfig) -> bool:
    return (agent.connected and agent.presence in ON_DUTY and queue.id in agent.queues
            and agent.has_skill(queue))


def unavailable(now_ms: int, hours: BusinessHours | None, queue: QueueConfig | None,
                agents: Iterable[AgentState]) -> Unavailable | None:
    """Why nobody can answer a chat of ``queue`` now; None when someone can.
    ``hours`` None: business hours are not consulted."""
    if hours is not None and not is_open(now_ms, hours):
        return Unavailable.CLOSED
    if queue is None or not any(on_duty(a, queue) for a in agents):
        return Unavailable.NO_AGENT
    return None
