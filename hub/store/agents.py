"""The store's agent side: accounts, tokens, presence, idempotent ops, routing order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol.models import (
    AgentInfo,
    Presence,
)
from hub.store import schema as t
from hub.store.base import (
    StoreBase,
    StoreError,
    new_id,
    now_ms,
)


class AgentStore(StoreBase):
    def create_agent(
        self, username: str, display_name: str, password_hash: str, role: str = "agent",
        team: str | None = None,
    ) -> str:
        agent_id = new_id("a")
        with self.db.begin() as conn:
            conn.execute(
                t.agents.insert().values(
                    id=agent_id,
                    username=username,
                    display_name=display_name,
                    password_hash=password_hash,
                    role=role,
                    created_at=now_ms(),
                    # Only when set: a store older than the team column takes agents too.
                    **({"team": team} if team is not None else {}),
                )
            )
        return agent_id

    def agent_by_username(self, username: str) -> sa.Row[Any] | None:
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.agents).where(t.agents.c.username == username)).first()

    def agent_info(self, agent_id: str) -> AgentInfo:
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()
        return AgentInfo(id=row.id, username=row.username, display_name=row.display_name)

    def agent_row(self, agent_id: str) -> sa.Row[Any]:
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.agents).where(t.agents.c.id == agent_id)).one()

    def save_token(self, token_hash: str, agent_id: str, expires_at: int) -> None:
        with self.db.begin() as conn:
            conn.execute(
                t.tokens.insert().values(
                    token_hash=token_hash,
                    agent_id=agent_id,
                    created_at=now_ms(),
                    expires_at=expires_at,
                )
            )

    def token_row(self, token_hash: str) -> sa.Row[Any] | None:
        with self.db.connect() as conn:
            return conn.execute(
                sa.select(t.tokens).where(t.tokens.c.token_hash == token_hash)
            ).first()

    def revoke_token(self, token_hash: str) -> bool:
        with self.db.begin() as conn:
            result = conn.execute(
                t.tokens.update()
                .where(t.tokens.c.token_hash == token_hash, t.tokens.c.revoked_at.is_(None))
                .values(revoked_at=now_ms())
            )
        return result.rowcount > 0

    def revoke_agent_tokens(self, agent_id: str, keep_hash: str) -> int:
        """Revoke the agent's live tokens but ``keep_hash``; how many."""
        with self.db.begin() as conn:
            result = conn.execute(
                t.tokens.update()
                .where(t.tokens.c.agent_id == agent_id, t.tokens.c.token_hash != keep_hash,
                       t.tokens.c.revoked_at.is_(None))
                .values(revoked_at=now_ms())
            )
        return result.rowcount

    def set_presence(
        self, agent_id: str, presence: Presence, reason: str | None = None
    ) -> ap.Event | None:
        """Store presence; returns the event, or None when it did not change."""
        with self.db.begin() as conn:
            current = conn.execute(
                sa.select(t.agents.c.presence).where(t.agents.c.id == agent_id)
            ).scalar_one()
            if current == presence.value:
                return None
            conn.execute(
                t.agents.update().where(t.agents.c.id == agent_id).values(presence=presence.value)
            )
            return self.append_event(
                conn, agent_id, ap.PresenceChanged(presence=presence, reason=reason)
            )

    def agents_with_presence(self, presence: Presence) -> list[str]:
        with self.db.connect() as conn:
            return list(
                conn.execute(
                    sa.select(t.agents.c.id).where(t.agents.c.presence == presence.value)
                ).scalars()
            )

    def op_result(self, agent_id: str, op: str) -> sa.Row[Any] | None:
        with self.db.connect() as conn:
            return conn.execute(
                sa.select(t.ops).where(t.ops.c.agent_id == agent_id, t.ops.c.op == op)
            ).first()

    def lock_stream(self, agent_id: str) -> None:
        """Hold the agent's stream until the unit of work ends: another hub process
        applying a command of this agent waits, then sees its op id."""
        with self.db.connect() as conn:
            self.lock_stream_in(conn, agent_id)

    def record_failed_op(self, agent_id: str, op: str, error: StoreError) -> None:
        try:
            with self.db.savepoint(), self.db.begin() as conn:
                self._record_op(conn, agent_id, op, None, error)
        except sa.exc.IntegrityError:
            # Another hub process recorded this op's answer first; it stands.
            if self.op_result(agent_id, op) is None:
                raise

    def record_op(self, agent_id: str, op: str, seq: int | None) -> None:
        with self.db.begin() as conn:
            self._record_op(conn, agent_id, op, seq)

    def routable_agents(self, agent_ids: Iterable[str]) -> list[str]:
        """Of ``agent_ids``, the available ones in round-robin order."""
        ids = list(agent_ids)
        if not ids:
            return []
        with self.db.connect() as conn:
            return list(
                conn.execute(
                    sa.select(t.agents.c.id)
                    .where(
                        t.agents.c.id.in_(ids),
                        t.agents.c.presence == Presence.AVAILABLE.value,
                    )
                    .order_by(t.agents.c.last_assigned_at, t.agents.c.id)
                ).scalars()
            )

    def message_counts(self) -> dict[str, int]:
        """Row counts, for /healthz and tests."""
        with self.db.connect() as conn:
            return {
                name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for name, table in (
                    ("customers", t.customers),
                    ("conversations", t.conversations),
                    ("messages", t.messages),
                )
            }

    def agents_with_open_conversations(self) -> list[str]:
        with self.db.connect() as conn:
            return list(
                conn.execute(
                    sa.select(t.conversations.c.agent_id)
                    .where(
                        t.conversations.c.status == "open",
                        t.conversations.c.agent_id.is_not(None),
                    )
                    .distinct()
                ).scalars()
            )
