"""Quick replies on the hub: stored, edited by the commands of those allowed, and
announced in the ordered stream of every agent who sees them.

A personal reply is its owner's alone: only they save or delete it, and only
their desktops hear of it. A team reply is everyone's: supervisors and admins
edit it, and every agent's stream carries the change. The whole list an agent
sees travels in the last part of their snapshot (``quick_replies_of``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import assist
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.store import schema as t
from hub.store.store import Store, StoreError, now_ms
from hub.transport.fanout import FanOut


def reply_record(row: sa.Row[Any]) -> assist.QuickReply:
    return assist.QuickReply(
        id=row.id,
        scope=assist.QuickReplyScope(row.scope),
        title=row.title,
        text=row.text,
        channel=assist.QuickReplyChannel(row.channel),
        category=row.category,
        shortcut=row.shortcut,
        owner_id=row.owner_id,
        updated_at=row.updated_at,
    )


def visible_rows(conn: Connection, agent_id: str) -> list[sa.Row[Any]]:
    q = t.quick_replies.c
    return list(conn.execute(
        sa.select(t.quick_replies)
        .where(sa.or_(q.scope == assist.QuickReplyScope.TEAM.value, q.owner_id == agent_id))
        .order_by(q.category, q.title, q.id)
    ))


class QuickReplies:
    """The quick-reply commands and reads; built by the composition root."""

    def __init__(self, store: Store, fanout: FanOut) -> None:
        self.store = store
        self.fanout = fanout

    def quick_replies_of(self, agent_id: str) -> list[assist.QuickReply]:
        """Every reply the agent sees: the team's and their own."""
        with self.store.db.connect() as conn:
            return [reply_record(r) for r in visible_rows(conn, agent_id)]

    def apply(self, agent_id: str, cmd: assist.SaveQuickReply | assist.DeleteQuickReply) -> int:
        """Apply one command inside the caller's unit of work; records the op; the seq."""
        with self.store.db.begin() as conn:
            existing = conn.execute(
                sa.select(t.quick_replies).where(t.quick_replies.c.id == cmd.reply_id)
            ).first()
            if isinstance(cmd, assist.SaveQuickReply):
                scope = cmd.scope
                if existing is not None and existing.scope != scope.value:
                    raise StoreError("conflict", "a quick reply keeps its scope")
            else:
                if existing is None:
                    raise StoreError("not_found", "no such quick reply")
                scope = assist.QuickReplyScope(existing.scope)
            self._check_allowed(conn, agent_id, scope, existing)
            if isinstance(cmd, assist.SaveQuickReply):
                saved = self._save(conn, agent_id, cmd, existing)
                body: ap.EventBody = assist.QuickReplySaved(saved)
            else:
                conn.execute(t.quick_replies.delete().where(t.quick_replies.c.id == cmd.reply_id))
                body = assist.QuickReplyDeleted(reply_id=cmd.reply_id)
            if scope is assist.QuickReplyScope.TEAM:
                audience = list(conn.execute(
                    sa.select(t.agents.c.id).order_by(t.agents.c.id)).scalars())
            else:
                audience = [agent_id]
            seq: int | None = None
            for member in audience:
                event = self.store.append_event(conn, member, body)
                self.fanout.publish(member, event)
                if member == agent_id:
                    seq = event.seq
        if seq is None:
            seq = self.store.head_seq(agent_id)
        self.store.record_op(agent_id, cmd.op, seq)
        return seq

    @staticmethod
    def _check_allowed(
        conn: Connection, agent_id: str, scope: assist.QuickReplyScope,
        existing: sa.Row[Any] | None,
    ) -> None:
        if scope is assist.QuickReplyScope.TEAM:
            if not permits(conn, agent_id, Permission.SETTINGS):
                raise StoreError("forbidden", "team quick replies are edited by supervisors")
        elif existing is not None and existing.owner_id != agent_id:
            # Same answer whether it exists or not: no probing others' replies.
            raise StoreError("not_found", "no such quick reply")

    @staticmethod
    def _save(
        conn: Connection, agent_id: str, cmd: assist.SaveQuickReply,
        existing: sa.Row[Any] | None,
    ) -> assist.QuickReply:
        values = {
            "scope": cmd.scope.value,
            "owner_id": agent_id if cmd.scope is assist.QuickReplyScope.PERSONAL else None,
            "category": cmd.category.strip(),
            "shortcut": cmd.shortcut,
            "title": cmd.title.strip() or cmd.title,
            "text": cmd.text,
            "channel": cmd.channel.value,
            "updated_at": now_ms(),
            "updated_by": agent_id,
        }
        if existing is None:
            conn.execute(t.quick_replies.insert().values(id=cmd.reply_id, **values))
        else:
            if existing.owner_id is not None:
                values["owner_id"] = existing.owner_id
            conn.execute(t.quick_replies.update()
                         .where(t.quick_replies.c.id == cmd.reply_id).values(**values))
        row = conn.execute(
            sa.select(t.quick_replies).where(t.quick_replies.c.id == cmd.reply_id)
        ).one()
        return reply_record(row)
