"""CSAT ratings and NPS answers as entries of a customer's timeline."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import profile as pp
from hub.store import schema as t


def _before(at_col: sa.ColumnElement[int], id_col: sa.ColumnElement[str],
            at: int | None, ident: str | None) -> sa.ColumnElement[bool]:
    if at is None:
        return sa.true()
    if ident is None:
        return at_col < at
    return sa.or_(at_col < at, sa.and_(at_col == at, id_col < ident))


def feedback_items(conn: Connection, frame: pp.FetchTimeline) -> list[pp.TimelineItem]:
    """Newest first, at most ``frame.limit + 1`` of each kind (the caller merges and
    cuts). A channel filter keeps the ratings of that channel's conversations."""
    r, n, a = t.conversation_ratings, t.nps_answers, t.agents
    query = (
        sa.select(r, a.c.display_name)
        .select_from(r.outerjoin(a, a.c.id == r.c.agent_id))
        .where(r.c.customer_id == frame.customer_id,
               _before(r.c.rated_at, r.c.conversation_id, frame.before_at, frame.before_id))
        .order_by(r.c.rated_at.desc(), r.c.conversation_id.desc())
        .limit(frame.limit + 1)
    )
    if frame.channel is not None:
        query = query.where(r.c.channel == frame.channel.value)
    items = [
        pp.TimelineItem(kind="rating", id=row.conversation_id, at=row.rated_at,
                        agent_name=row.display_name, preview=row.comment, score=row.score,
                        solved=row.solved)
        for row in conn.execute(query)
    ]
    if frame.channel is not None:
        return items
    nps_id = sa.literal("nps_", sa.String) + sa.cast(n.c.id, sa.String)
    rows = conn.execute(
        sa.select(n, a.c.display_name, nps_id.label("item_id"))
        .select_from(n.outerjoin(a, a.c.id == n.c.agent_id))
        .where(n.c.customer_id == frame.customer_id,
               _before(n.c.answered_at, nps_id, frame.before_at, frame.before_id))
        .order_by(n.c.answered_at.desc(), n.c.id.desc())
        .limit(frame.limit + 1)
    )
    items += [
        pp.TimelineItem(kind="nps", id=row.item_id, at=row.answered_at,
                        agent_name=row.display_name, preview=row.reason, score=row.score)
        for row in rows
    ]
    return items
