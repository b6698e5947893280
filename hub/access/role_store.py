"""Whose role grants what, read from the database on every check.

Built-in roles come from hub.access.permissions; custom roles from the ``roles``
table (written from the operator's roles file). The check reads the agent's role
each time, so a role change or a new roles file takes effect at the next frame,
in every hub process on the database.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.roles_file import RoleDefinition
from hub.store import schema as t
from hub.store.base import now_ms


def _parse(text: str) -> frozenset[Permission]:
    known = {p.value for p in Permission}
    # A permission a newer hub wrote and this one does not know grants nothing here.
    return frozenset(Permission(v) for v in json.loads(text) if v in known)


def role_permissions(conn: Connection, role: str) -> frozenset[Permission] | None:
    """The role's permissions; None when no such role exists."""
    builtin = BUILTIN_ROLES.get(role)
    if builtin is not None:
        return builtin
    text = conn.execute(sa.select(t.roles.c.permissions).where(t.roles.c.name == role)).scalar()
    return None if text is None else _parse(str(text))


def role_of(conn: Connection, agent_id: str) -> str | None:
    value = conn.execute(sa.select(t.agents.c.role).where(t.agents.c.id == agent_id)).scalar()
    return None if value is None else str(value)


def permissions_of(conn: Connection, agent_id: str) -> frozenset[Permission]:
    """What the agent may do: nothing for an unknown agent or a role nobody defined."""
    role = role_of(conn, agent_id)
    if role is None:
        return frozenset()
    return role_permissions(conn, role) or frozenset()


def permits(conn: Connection, agent_id: str, permission: Permission) -> bool:
    return permission in permissions_of(conn, agent_id)


def roles_with(conn: Connection, permission: Permission) -> list[str]:
    """Every role name that grants ``permission`` (for queries over agents)."""
    names = [name for name, granted in BUILTIN_ROLES.items() if permission in granted]
    for row in conn.execute(sa.select(t.roles.c.name, t.roles.c.permissions)):
        if permission in _parse(row.permissions):
            names.append(row.name)
    return names


def agents_with(conn: Connection, permission: Permission) -> list[str]:
    """The ids of every agent whose role grants ``permission``."""
    return list(conn.execute(
        sa.select(t.agents.c.id).where(t.agents.c.role.in_(roles_with(conn, permission)))
        .order_by(t.agents.c.id)).scalars())


def custom_roles(conn: Connection) -> list[RoleDefinition]:
    rows = conn.execute(sa.select(t.roles).order_by(t.roles.c.name)).all()
    return [RoleDefinition(r.name, _parse(r.permissions), r.description) for r in rows]


def define_role(conn: Connection, role: RoleDefinition) -> bool:
    """Store (or replace) a custom role; True when it changed anything."""
    permissions = json.dumps(sorted(p.value for p in role.permissions))
    row = conn.execute(sa.select(t.roles).where(t.roles.c.name == role.name)).first()
    if row is not None and row.permissions == permissions and \
            row.description == role.description:
        return False
    values = {"permissions": permissions, "description": role.description,
              "updated_at": now_ms()}
    if row is None:
        conn.execute(t.roles.insert().values(name=role.name, **values))
    else:
        conn.execute(t.roles.update().where(t.roles.c.name == role.name).values(**values))
    return True


def known_role(conn: Connection, role: str) -> bool:
    return role_permissions(conn, role) is not None
