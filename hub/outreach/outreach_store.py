"""What outreach stores: one row per outreach (``outreach_log``), read by the rate
limits and by the customer's timeline. Writes join the caller's unit of work."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import profile as pp
from core.protocol.outreach import OutreachChannel, OutreachSource
from hub.outreach.triggers import DAY_MS, Record
from hub.store import schema as t
from hub.store.base import StoreBase, new_id


@dataclass(frozen=True)
class OutreachEntry:
    customer_id: str
    at: int
    source: OutreachSource
    channel: OutreachChannel
    text: str
    trigger_id: str | None = None
    agent_id: str | None = None
    conversation_id: str | None = None
    lang: str | None = None
    url: str | None = None


class OutreachStore(StoreBase):
    def record(self, entry: OutreachEntry) -> str:
        outreach_id = new_id("out")
        with self.db.begin() as conn:
            conn.execute(t.outreach_log.insert().values(
                id=outreach_id, customer_id=entry.customer_id, at=entry.at,
                source=entry.source.value, trigger_id=entry.trigger_id,
                agent_id=entry.agent_id, channel=entry.channel.value,
                conversation_id=entry.conversation_id, lang=entry.lang,
                url=entry.url[:2048] if entry.url else None, text=entry.text,
            ))
        return outreach_id

    def automatic_record(self, customer_id: str, now_ms: int, longest_h: float) -> Record:
        """Automatic outreach to the customer: the last time per trigger (within the
        longest ``every_h`` of the file) and how many in the last 24 hours.

        Inside a unit the customer's row is locked first (PostgreSQL), so two page
        reports of one customer on two hub processes are decided one after the
        other and the second sees the first's record."""
        o = t.outreach_log
        since = now_ms - int(max(longest_h * 3_600_000, DAY_MS))
        with self.db.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(t.customers.c.id).where(
                    t.customers.c.id == customer_id).with_for_update())
            rows = conn.execute(
                sa.select(o.c.trigger_id, o.c.at)
                .where(o.c.customer_id == customer_id,
                       o.c.source == OutreachSource.TRIGGER.value, o.c.at > since)
            ).all()
        last: dict[str, int] = {}
        for trigger_id, at in rows:
            if trigger_id is not None and at > last.get(trigger_id, -1):
                last[trigger_id] = at
        return Record(last, sum(1 for _, at in rows if at > now_ms - DAY_MS))

    def last_by_agents(self, customer_id: str) -> int | None:
        """When any agent last reached out to the customer."""
        o = t.outreach_log
        with self.db.connect() as conn:
            value = conn.execute(
                sa.select(sa.func.max(o.c.at))
                .where(o.c.customer_id == customer_id,
                       o.c.source == OutreachSource.AGENT.value)
            ).scalar()
        return None if value is None else int(value)


def _before(at: int | None, ident: str | None) -> sa.ColumnElement[bool]:
    o = t.outreach_log
    if at is None:
        return sa.true()
    if ident is None:
        return o.c.at < at
    return sa.or_(o.c.at < at, sa.and_(o.c.at == at, o.c.id < ident))


def outreach_items(conn: Connection, frame: pp.FetchTimeline) -> list[pp.TimelineItem]:
    """Newest first, at most ``frame.limit + 1`` (the caller merges and cuts). A
    channel filter keeps none: outreach is not a conversation of a channel."""
    if frame.channel is not None:
        return []
    o, a = t.outreach_log, t.agents
    rows = conn.execute(
        sa.select(o, a.c.display_name)
        .select_from(o.outerjoin(a, a.c.id == o.c.agent_id))
        .where(o.c.customer_id == frame.customer_id, _before(frame.before_at, frame.before_id))
        .order_by(o.c.at.desc(), o.c.id.desc())
        .limit(frame.limit + 1)
    ).all()
    items = []
    for row in rows:
        # Hub text travels as a code and parameters; the desktop words it.
        params = {"channel": row.channel}
        if row.trigger_id:
            params["trigger"] = row.trigger_id
        if row.url:
            params["url"] = row.url
        items.append(pp.TimelineItem(
            kind="outreach", id=row.id, at=row.at, agent_name=row.display_name,
            preview=row.text, code=f"outreach.{row.source}", params=params))
    return items
