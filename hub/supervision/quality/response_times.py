"""Reply times inside one conversation, as quality inspection measures them.

A wait starts at the first customer message nobody has answered yet and ends at
the next agent (or bot) message; only waits an agent ended count. Not the
supervisor's first-reply metric (hub/supervision/metrics.py ``response_at``) on
purpose: that one starts when a contact is queued and counts the first reply
only; this judges the agent on every wait. docs/quality.md says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.protocol.models import Channel, MessageAuthor
from hub.routing.config import BusinessHours
from hub.routing.sla import business_ms_between


@dataclass(frozen=True)
class Utterance:
    """A message, or a segment of a call's transcript (``id`` None, ``at`` its time)."""

    id: str | None
    author: MessageAuthor
    text: str
    at: int  # ms since the epoch


@dataclass(frozen=True)
class Reply:
    """One wait the agent ended: the customer message that started it and the reply."""

    asked: Utterance
    answer: Utterance

    @property
    def delay_ms(self) -> int:
        return max(0, self.answer.at - self.asked.at)


def agent_replies(lines: Sequence[Utterance]) -> list[Reply]:
    """Every wait an agent ended, in order (``lines`` in time order)."""
    replies: list[Reply] = []
    waiting: Utterance | None = None
    for line in lines:
        if line.author is MessageAuthor.CUSTOMER:
            if waiting is None:
                waiting = line
        elif line.author is MessageAuthor.AGENT:
            if waiting is not None:
                replies.append(Reply(waiting, line))
            waiting = None
        elif line.author is MessageAuthor.BOT:
            waiting = None  # the bot answered it: not the agent's wait
    return replies


class ReplyStandards(dict[Channel, float]):
    """The channels' first-reply standards in seconds; an email's wait counts business
    hours only (its standard is in business hours, as on the wallboard:
    hub.supervision.metrics.Standards.elapsed_ms)."""

    def __init__(self, values: Iterable[tuple[Channel, float]],
                 hours: BusinessHours | None = None) -> None:
        super().__init__(values)
        self.hours = hours

    def waited_ms(self, channel: Channel, reply: Reply) -> int:
        if channel is Channel.EMAIL and self.hours is not None:
            return business_ms_between(reply.asked.at, reply.answer.at, self.hours)
        return reply.delay_ms


def waited_ms(standards: object, channel: Channel, reply: Reply) -> int:
    """How long ``reply`` kept the customer waiting, as the standards count time."""
    if isinstance(standards, ReplyStandards):
        return standards.waited_ms(channel, reply)
    return reply.delay_ms


def average_ms(replies: Sequence[Reply], waits: Sequence[int] | None = None) -> float | None:
    if not replies:
        return None
    values = waits if waits is not None else [r.delay_ms for r in replies]
    return sum(values) / len(values)
