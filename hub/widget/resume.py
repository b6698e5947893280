"""What a returning widget missed: the rest of conversations closed while it was away.

A customer's socket can die unnoticed (a process killed, a link cut without a
close) while the agent answers and then ends the chat; the welcome's history only
covers an open conversation, so without this the answer was stored but never
shown. The widget names, in its hello's ``seen``, the last message it showed of
each conversation whose close it has not shown; the welcome's ``resumed`` carries,
for each of those closed since, the messages after that one and the close.

Bounded: conversations closed within ``RESUME_WINDOW_MS``, at most ``MAX_SEEN``
named (the protocol's cap), and ``RESUME_MAX_MESSAGES`` messages in all (the
newest kept; every close is still told).
"""

from __future__ import annotations

from typing import Protocol

from core.protocol import customer as cp
from core.protocol.models import ClosedBy, Conversation, Message

RESUME_WINDOW_MS = 24 * 3600 * 1000  # a chat closed longer ago is not resumed
RESUME_MAX_MESSAGES = 200  # in one welcome, over all resumed conversations


class MissedReader(Protocol):
    def missed_since(
        self, customer_ids: set[str], seen: dict[str, str], closed_since: int, limit: int,
    ) -> list[tuple[Conversation, list[Message]]]: ...


def resumed_for(
    store: MissedReader, customer_ids: set[str], seen: list[cp.Seen], now: int,
) -> list[cp.Resumed]:
    """The ``resumed`` of a welcome to a widget that sent ``seen``; ``customer_ids``:
    whom this connection is (a conversation of anyone else is never told)."""
    cursors: dict[str, str] = {}
    for entry in seen:  # a repeated conversation: its last entry counts
        cursors[entry.conversation_id] = entry.message_id
    found = store.missed_since(customer_ids, cursors, now - RESUME_WINDOW_MS,
                               RESUME_MAX_MESSAGES)
    budget = RESUME_MAX_MESSAGES
    resumed: list[cp.Resumed] = []
    for conv, messages in reversed(found):  # the newest closes keep their messages
        kept = messages[max(0, len(messages) - budget):] if budget > 0 else []
        budget -= len(kept)
        resumed.append(cp.Resumed(
            conversation_id=conv.id, closed_by=conv.closed_by or ClosedBy.SYSTEM,
            closed_at=conv.closed_at or now, messages=kept))
    resumed.reverse()
    return resumed
