"""Which queue a new conversation belongs to.

Rules, first match wins, in this order: the entry point (a voice number), the
widget choice the customer made, the email address written to, then keywords in
the first message. A queue with a ``language`` only takes customers of that
language. Nothing matched: the channel's default queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.protocol.models import Channel
from hub.routing.config import QueueConfig, RoutingSettings


@dataclass(frozen=True)
class Inbound:
    """What is known about a conversation when it is routed."""

    channel: Channel
    text: str = ""
    entry_point: str | None = None
    widget_choice: str | None = None
    email_address: str | None = None
    language: str | None = None


class NoQueueError(LookupError):
    pass


def _language_fits(queue: QueueConfig, language: str | None) -> bool:
    if queue.language is None:
        return True
    return bool(language) and (language or "").lower().startswith(queue.language.lower())


def classify(settings: RoutingSettings, inbound: Inbound) -> QueueConfig:
    candidates = [
        q for q in settings.queues
        if q.channel == inbound.channel and _language_fits(q, inbound.language)
    ]
    checks: list[tuple[str | None, str]] = [
        (inbound.entry_point, "entry_points"),
        (inbound.widget_choice, "widget_choices"),
        (inbound.email_address, "email_addresses"),
    ]
    for value, attr in checks:
        if value:
            key = value.strip().lower()
            for queue in candidates:
                if key in getattr(queue, attr):
                    return queue
    text = inbound.text.lower()
    if text:
        for queue in candidates:
            if any(word in text for word in queue.keywords):
                return queue
    default = settings.default_queue(inbound.channel)
    if default is None:
        raise NoQueueError(f"no queue for channel {inbound.channel}")
    return default
