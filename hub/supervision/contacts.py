"""The rows the figures are computed from: contacts (one stretch of waiting in a
queue and its handling) and agents' presence spans. Plain data, no I/O.

A conversation makes one contact each time it is queued: when it arrives (NEW),
after a transfer (TRANSFER), when the customer writes again after it was closed
(REOPEN) or when the hub takes it back from an agent who left (REQUEUE). See
docs/metrics.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.protocol.models import Channel, Presence


class ContactKind(enum.StrEnum):
    NEW = "new"
    TRANSFER = "transfer"
    REOPEN = "reopen"
    REQUEUE = "requeue"


class ContactOutcome(enum.StrEnum):
    ABANDONED = "abandoned"  # the customer left while it waited
    CLOSED = "closed"  # closed while an agent held it
    TRANSFERRED = "transferred"  # the agent passed it on
    REQUEUED = "requeued"  # the hub took it back (the agent left)


@dataclass(frozen=True)
class Contact:
    conversation_id: str
    queue_id: str
    channel: Channel
    kind: ContactKind
    enqueued_at: int
    answered_at: int | None = None
    agent_id: str | None = None
    first_reply_at: int | None = None  # the agent's first message after answering
    done_at: int | None = None  # abandoned or ended
    outcome: ContactOutcome | None = None

    def waiting_at(self, now: int) -> bool:
        if self.enqueued_at > now:
            return False
        if self.answered_at is not None and self.answered_at <= now:
            return False
        return self.done_at is None or self.done_at > now

    @property
    def abandoned(self) -> bool:
        return self.outcome is ContactOutcome.ABANDONED

    @property
    def wait_end(self) -> int | None:
        """When it stopped waiting (answered or abandoned), if it has."""
        return self.answered_at if self.answered_at is not None else self.done_at

    def handled_span(self) -> tuple[int, int | None] | None:
        """While an agent held it: from the answer to the end (None: still held)."""
        if self.answered_at is None:
            return None
        return self.answered_at, self.done_at


# Presence that counts as staffed (logged in and working) for occupancy.
STAFFED = frozenset({Presence.AVAILABLE, Presence.BUSY, Presence.AFTER_CALL_WORK,
                     Presence.NOT_RESPONDING})


@dataclass(frozen=True)
class PresenceChange:
    agent_id: str
    presence: Presence
    at: int


@dataclass(frozen=True)
class PresenceSpan:
    agent_id: str
    presence: Presence
    start: int
    end: int | None  # None: still in it


def spans(changes: Iterable[PresenceChange]) -> Iterator[PresenceSpan]:
    """Each agent's changes, in time order, as spans (the last one open)."""
    by_agent: dict[str, list[PresenceChange]] = {}
    for change in changes:
        by_agent.setdefault(change.agent_id, []).append(change)
    for agent_id, items in by_agent.items():
        items.sort(key=lambda c: c.at)
        for here, after in zip(items, [*items[1:], None], strict=True):
            yield PresenceSpan(agent_id, here.presence, here.at,
                               after.at if after is not None else None)
