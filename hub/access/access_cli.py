"""``zuoxi-hub roles``, ``set-role`` and ``audit``: roles, role changes, the audit log.

Every change made here is itself in the audit log, written in the change's own
transaction; the actor is ``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import re
import sys
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.access import audit_log, role_store, roles_file
from hub.access.audit_log import AuditAction
from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.store import schema as t
from hub.store.base import create_engine
from hub.store.schema import migrate

_DURATION = re.compile(r"(\d+)\s*([smhd])")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def add_parsers(sub: Any) -> None:
    roles = sub.add_parser("roles", help="the roles and what they may do; load custom roles")
    roles.add_argument("--db", required=True)
    roles_sub = roles.add_subparsers(dest="roles_command", required=True)
    roles_sub.add_parser("list", help="every role and its permissions")
    load = roles_sub.add_parser("load", help="define custom roles from a TOML file")
    load.add_argument("file")
    check = roles_sub.add_parser("check", help="validate a roles file; stores nothing")
    check.add_argument("file")

    set_role = sub.add_parser("set-role", help="give an agent another role")
    set_role.add_argument("--db", required=True)
    set_role.add_argument("username")
    set_role.add_argument("role")

    audit = sub.add_parser("audit", help="query the audit log, or verify its hash chain")
    audit.add_argument("action", nargs="?", choices=["verify"],
                       help="verify: check the chain; exit 1 naming the first bad row")
    audit.add_argument("--db", required=True)
    audit.add_argument("--since", help="ISO date/time (UTC) or a duration back: 30m, 2h, 7d")
    audit.add_argument("--actor", help="a username, or an actor as logged (agent:ID, cli:USER)")
    audit.add_argument("--customer", help="a customer id")
    audit.add_argument("--what", help="one action, e.g. merged, login_failed")
    audit.add_argument("--limit", type=int, help="at most this many rows (oldest first)")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")


def _engine(db: str) -> Engine:
    engine = create_engine(db)
    migrate(engine)
    return engine


def run(args: argparse.Namespace) -> int:
    if args.command == "roles":
        return _roles(args)
    if args.command == "set-role":
        return _set_role(args)
    return _audit(args)


def _roles(args: argparse.Namespace) -> int:
    if args.roles_command == "check":
        defined = roles_file.load(args.file)
        print(f"{args.file}: {len(defined)} role(s): " + ", ".join(r.name for r in defined))
        return 0
    engine = _engine(args.db)
    if args.roles_command == "load":
        defined = roles_file.load(args.file)
        with engine.begin() as conn:
            changed = [r.name for r in defined if role_store.define_role(conn, r)]
            if changed:
                audit_log.append(conn, cli_actor(), AuditAction.ROLES_DEFINED,
                                 target=",".join(changed)[:200],
                                 detail={"file": str(args.file), "roles": {
                                     r.name: sorted(r.permissions) for r in defined
                                     if r.name in changed}})
        print(f"{len(defined)} role(s) in {args.file}; {len(changed)} new or changed")
        return 0
    with engine.connect() as conn:
        custom = role_store.custom_roles(conn)
    for name, granted in BUILTIN_ROLES.items():
        print(f"{name} (built in): {', '.join(sorted(granted))}")
    for role in custom:
        print(f"{role.name}: {', '.join(sorted(role.permissions))}"
              + (f"  — {role.description}" if role.description else ""))
    return 0


def _set_role(args: argparse.Namespace) -> int:
    engine = _engine(args.db)
    with engine.begin() as conn:
        row = conn.execute(sa.select(t.agents.c.id, t.agents.c.role)
                           .where(t.agents.c.username == args.username)).first()
        if row is None:
            print(f"zuoxi-hub: no agent {args.username!r}", file=sys.stderr)
            return 1
        if not role_store.known_role(conn, args.role):
            print(f"zuoxi-hub: no role {args.role!r} (built in: {', '.join(BUILTIN_ROLES)}; "
                  "custom roles: zuoxi-hub roles load FILE)", file=sys.stderr)
            return 2
        if row.role == args.role:
            print(f"{args.username} already has the role {args.role}")
            return 0
        conn.execute(t.agents.update().where(t.agents.c.id == row.id).values(role=args.role))
        audit_log.append(conn, cli_actor(), AuditAction.ROLE_CHANGED, target=f"agent:{row.id}",
                         detail={"username": args.username, "from": row.role,
                                 "to": args.role})
    print(f"{args.username}: {row.role} -> {args.role} (takes effect at their next frame)")
    return 0


def parse_since(value: str, now: dt.datetime | None = None) -> int:
    """Milliseconds since the epoch from an ISO date/time (UTC unless it says) or a
    duration back from now (``30m``, ``2h``, ``7d``, ``1d12h``)."""
    text = value.strip()
    if _DURATION.fullmatch(text) or re.fullmatch(r"(\d+\s*[smhd]\s*)+", text):
        seconds = sum(int(n) * _UNIT_S[u] for n, u in _DURATION.findall(text))
        moment = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=seconds)
        return int(moment.timestamp() * 1000)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since: {value!r} is neither a date/time (2026-12-01, "
                         "2026-12-01T08:00) nor a duration (30m, 2h, 7d)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return int(parsed.timestamp() * 1000)


def _actor(engine: Engine, value: str) -> str:
    if ":" in value:
        return value
    with engine.connect() as conn:
        agent_id = conn.execute(sa.select(t.agents.c.id)
                                .where(t.agents.c.username == value)).scalar()
    return f"agent:{agent_id}" if agent_id else value


def _audit(args: argparse.Namespace) -> int:
    engine = create_engine(args.db)
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("audit_log"):
            print("zuoxi-hub: this database has no audit log yet (run zuoxi-hub migrate)",
                  file=sys.stderr)
            return 2
        if args.action == "verify":
            result = audit_log.verify(conn)
            if result.ok:
                print(f"audit log verified: {result.rows} row(s), the chain is whole")
                return 0
            print(f"zuoxi-hub: audit log tampered: first bad row {result.bad_id}: "
                  f"{result.problem}", file=sys.stderr)
            return 1
    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        print(f"zuoxi-hub: {exc}", file=sys.stderr)
        return 2
    actor = _actor(engine, args.actor) if args.actor else None
    with engine.connect() as conn:
        rows = audit_log.query(conn, since=since, actor=actor, customer_id=args.customer,
                               action=args.what, limit=args.limit)
    for entry in rows:
        if args.json:
            print(json.dumps(entry.as_json(), ensure_ascii=False, sort_keys=True))
            continue
        when = dt.datetime.fromtimestamp(entry.at / 1000, dt.UTC).strftime(
            "%Y-%m-%d %H:%M:%S")
        about = " ".join(f"{k}={v}" for k, v in (
            ("customer", entry.customer_id), ("conversation", entry.conversation_id),
            ("target", entry.target)) if v)
        print(f"{entry.id:>7} {when} {entry.actor} {entry.action} {about}".rstrip())
    return 0


def known_permissions() -> list[str]:
    return [p.value for p in Permission]
