"""What is behind a figure: the contacts (as conversations) or the agents of one
tile today, for ``drill_down``. The same predicates as the figures themselves
(hub.supervision.metrics), so a list always adds up to its number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlalchemy as sa

from core.protocol import supervision as sp
from core.protocol.models import Channel
from hub.routing.config import RoutingSettings
from hub.store import schema as t
from hub.store.store import Store, StoreError
from hub.supervision.board import BoardInput, day_start
from hub.supervision.contacts import Contact, ContactKind, ContactOutcome
from hub.supervision.metrics import Standards, is_short_abandon, sl_outcome

Predicate = Callable[[Contact], bool]


def tile_queues(tile: str, settings: RoutingSettings) -> set[str]:
    """The queue ids a tile key stands for; ``not_found`` for an unknown key."""
    kind, _, rest = tile.partition(":")
    if tile == "centre":
        return {q.id for q in settings.queues}
    if kind == "queue" and settings.queue(rest) is not None:
        return {rest}
    if kind == "channel" and rest in {c.value for c in Channel}:
        found = {q.id for q in settings.queues if q.channel.value == rest}
        if found:
            return found
    raise StoreError("not_found", f"no tile {tile!r}")


def predicate(figure: sp.Figure, standards: Standards, since: int, now: int) -> Predicate:
    def within(at: int | None) -> bool:
        return at is not None and since <= at < now

    def missed(c: Contact) -> bool:
        outcome = sl_outcome(c, standards, now)
        return outcome is not None and since <= outcome[0] < now and not outcome[1]

    return {
        sp.Figure.WAITING: lambda c: c.waiting_at(now),
        sp.Figure.ANSWERED: lambda c: within(c.answered_at),
        sp.Figure.MISSED_STANDARD: missed,
        sp.Figure.ABANDONED: lambda c: (c.outcome is ContactOutcome.ABANDONED
                                        and within(c.done_at)
                                        and not is_short_abandon(c, standards)),
        sp.Figure.TRANSFERS: lambda c: (c.outcome is ContactOutcome.TRANSFERRED
                                        and within(c.done_at)),
        sp.Figure.REOPENED: lambda c: c.kind is ContactKind.REOPEN and within(c.enqueued_at),
    }[figure]


def _customer_names(store: Store, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    c, u = t.conversations, t.customers
    with store.db.connect() as conn:
        rows = conn.execute(sa.select(c.c.id, u.c.name).join(u, u.c.id == c.c.customer_id)
                            .where(c.c.id.in_(ids))).all()
    return {r.id: r.name for r in rows}


def answer(frame: sp.DrillDown, data: BoardInput, settings: RoutingSettings,
           standards: Standards, escalated: Mapping[str, str], store: Store,
           roster: Callable[[], list[sp.AgentRow]]) -> sp.DrillDownResult:
    queues = tile_queues(frame.tile, settings)
    result = sp.DrillDownResult(op=frame.op, figure=frame.figure, tile=frame.tile)
    if frame.figure is sp.Figure.AGENTS:
        rows = [r for r in roster() if queues & set(r.queues)]
        result.agents, result.total = rows[:frame.limit], len(rows)
        return result
    since = day_start(data.now, settings)
    if frame.figure is sp.Figure.ESCALATIONS:
        ids = sorted(cid for cid, q in escalated.items() if q in queues)
        latest = {c.conversation_id: c for c in data.contacts if c.conversation_id in ids}
        found = [latest[i] for i in ids if i in latest]
    else:
        test = predicate(frame.figure, standards, since, data.now)
        found = [c for c in data.contacts if c.queue_id in queues and test(c)]
    found.sort(key=lambda c: c.enqueued_at)
    shown = found[:frame.limit]
    names = _customer_names(store, [c.conversation_id for c in shown])
    result.total = len(found)
    result.conversations = [sp.DrillConversation(
        conversation_id=c.conversation_id, customer_name=names.get(c.conversation_id, ""),
        queue_id=c.queue_id, channel=c.channel, agent_id=c.agent_id,
        agent_name=data.names.get(c.agent_id or "", ("", ""))[0],
        enqueued_at=c.enqueued_at, answered_at=c.answered_at, done_at=c.done_at,
        wait_s=round(((c.wait_end if c.wait_end is not None else data.now)
                      - c.enqueued_at) / 1000, 1),
    ) for c in shown]
    return result
