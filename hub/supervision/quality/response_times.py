"""Reply times inside one conversation, as quality inspection measures them.

A wait starts at the first customer message nobody has answered yet and ends at
the next agent (or bot) message; only waits an agent ended count. Not the
supervisor's first-reply metric (hub/supervision/metrics.py ``response_at``) on
purpose: that one starts when a contact is queued and counts the first reply
only; this judges the agent on every wait. docs/quality.md says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.protocol.models import MessageAuthor


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


def average_ms(replies: Sequence[Reply]) -> float | None:
    if not replies:
        return None
    return sum(r.delay_ms for r in replies) / len(replies)
