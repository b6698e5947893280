"""Every agent frame and every HTTP endpoint, tried as every role against a real hub
over real websockets and HTTP: an agent, a supervisor, an admin and a custom role
from a roles file. What the role lacks is refused by the one check (code
``forbidden``, naming the permission), changes nothing in the database and is in
the audit log; what it holds passes the check (the handler may still say
``not_found`` for the made-up ids). A role change takes effect at the next frame."""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import coaching as cop
from core.protocol import profile as pp
from core.protocol import quality as qp
from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.roles_file import parse
from hub.access.table import FRAME_RULES, HTTP_RULES
from hub.store.base import create_engine
from hub.store.transfer import _tables, table_digest
from testbed.agent_probe import AgentProbe, login
from tests.conftest import HubProcess
from tests.support.frame_samples import frame_types, sample
from tests.support.hub_sql import hub_rows

PASSWORD = "a-long-password"
ROLES_FILE = """\
[roles.qa_analyst]
description = "Reviews quality and reads reports"
permissions = ["qa.own", "qa.review", "reports", "customers.read", "customers.all",
               "transcripts", "kb.read"]
"""
# role -> (username, password)
USERS = {
    "agent": ("lina", "zuoxi-demo"),
    "supervisor": ("wang", "zuoxi-demo"),
    "admin": ("ada", PASSWORD),
    "qa_analyst": ("quinn", PASSWORD),
}
GRANTED = {**BUILTIN_ROLES, **{r.name: r.permissions for r in parse(ROLES_FILE)}}
# Rows that change without anyone's frame (sign-ins, the health probe) or are the
# refusals' own record.
_VOLATILE = {"audit_log", "audit_head", "tokens", "health_probe"}
_nonce = itertools.count(1)


def _cli(hub: HubProcess, *args: str) -> str:
    env = {**os.environ, "ZUOXI_NEW_PASSWORD": PASSWORD}
    done = subprocess.run([sys.executable, "-m", "hub", *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _add_people(hub: HubProcess, tmp_path: Path) -> None:
    db = str(hub.db_path)
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_FILE)
    _cli(hub, "roles", "--db", db, "load", str(roles))
    _cli(hub, "create-agent", "--db", db, "ada", "--name", "Ada", "--role", "admin")
    _cli(hub, "create-agent", "--db", db, "quinn", "--name", "Quinn", "--role", "qa_analyst")


def _digests(hub: HubProcess) -> dict[str, Any]:
    engine = create_engine(hub.db_path)
    try:
        with engine.connect() as conn:
            return {t.name: table_digest(conn, t) for t in _tables()
                    if t.name not in _VOLATILE}
    finally:
        engine.dispose()


def _refusals(hub: HubProcess, username: str) -> int:
    rows = hub_rows(hub.db_path, "SELECT count(*) FROM audit_log a JOIN agents g "
                    "ON a.actor = 'agent:' || g.id WHERE g.username = :u "
                    "AND a.action = 'refused'", u=username)
    return int(rows[0][0])


def _gate_refusal(frame: Any) -> bool:
    return isinstance(frame, ap.Error) and frame.code == "forbidden" and (
        "does not allow" in frame.message or "no declared permission" in frame.message)


async def _answers(probe: AgentProbe, frame: Any) -> list[Any]:
    """Everything the hub answered to ``frame``: a ping sent after it is a barrier
    (one connection's frames are handled in order)."""
    start = len(probe.frames)
    nonce = next(_nonce)
    await probe.send(frame)
    await probe.send(ap.Ping(nonce=nonce))
    await probe.wait_for(lambda: any(isinstance(f, ap.Pong) and f.nonce == nonce
                                     for f in probe.frames[start:]), timeout=15)
    return probe.frames[start:]


def _allowed(role: str, cls: type) -> bool:
    needed = FRAME_RULES[cls].permission
    return needed is None or needed in GRANTED[role]


async def test_every_frame_as_every_role(hub: HubProcess, tmp_path: Path) -> None:
    _add_people(hub, tmp_path)
    classes = frame_types(ap.ClientFrame)
    assert len(classes) == len(FRAME_RULES)
    # Spot checks, independent of the table.
    assert not _allowed("agent", cop.MonitorConversation)
    assert _allowed("supervisor", cop.Reassign) and not _allowed("qa_analyst", ap.SendMessage)
    assert _allowed("qa_analyst", qp.QaReview) and not _allowed("qa_analyst", pp.UpdateCustomer)
    refused_total = 0
    for role, (username, password) in USERS.items():
        probe = await AgentProbe.logged_in(hub.url, username, password, accept_offers=False)
        assert probe.welcome is not None, (role, probe.frames)
        refused = [c for c in classes if not _allowed(role, c)]
        allowed = [c for c in classes if _allowed(role, c)]
        if role == "admin":
            assert not refused
        before, audited = _digests(hub), _refusals(hub, username)
        for cls in refused:
            frame = sample(cls)
            answers = await _answers(probe, frame)
            needed = FRAME_RULES[cls].permission
            assert needed is not None
            errors = [f for f in answers if isinstance(f, ap.Error)]
            assert len(errors) == 1 and _gate_refusal(errors[0]), (role, cls.__name__, answers)
            assert errors[0].op == getattr(frame, "op", None)
            assert needed.value in errors[0].message
        assert _digests(hub) == before, f"{role}: a refused frame changed the database"
        assert _refusals(hub, username) == audited + len(refused)
        refused_total += len(refused)
        for cls in allowed:
            answers = await _answers(probe, sample(cls))
            assert not any(_gate_refusal(f) for f in answers), (role, cls.__name__, answers)
            assert probe.close_code is None, (role, cls.__name__, probe.close_code)
        await probe.close()
    assert refused_total > 60  # the table leaves something to refuse


def _http(hub: HubProcess, method: str, path: str, token: str | None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = b"hello" if method == "POST" else None
    if path == "/api/email/uploads":
        path += "?filename=note.txt"
        headers["Content-Type"] = "text/plain"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, None


def _filled(path: str) -> str:
    return path.replace("{week}", "2026-W01").replace("{name}", "report.pdf") \
        .replace("{id}", "nope").replace("{message_id}", "nope").replace("{token}", "nope")


async def test_every_endpoint_as_every_role(hub: HubProcess, tmp_path: Path) -> None:
    _add_people(hub, tmp_path)
    tokens = {role: (await asyncio.to_thread(login, hub.url, user, pw))["token"]
              for role, (user, pw) in USERS.items()}
    guarded = [(m, p, rule) for (m, p), rule in HTTP_RULES.items()
               if not rule.public and m != "WEBSOCKET"]
    assert guarded
    for method, path, rule in guarded:
        status, body = await asyncio.to_thread(_http, hub, method, _filled(path), None)
        assert status == 401, (method, path, status, body)
        for role, token in tokens.items():
            if method == "POST" and path == "/api/logout":
                continue  # would end the session the rest of the test uses
            before = _digests(hub)
            status, body = await asyncio.to_thread(_http, hub, method, _filled(path), token)
            needed = rule.permission
            if needed is not None and needed not in GRANTED[role]:
                assert status == 403 and body["error"]["code"] == "forbidden", \
                    (role, method, path, status, body)
                assert needed.value in body["error"]["message"]
                assert _digests(hub) == before, (role, method, path)
            else:
                assert status not in (401, 403), (role, method, path, status, body)
    for (method, path), rule in HTTP_RULES.items():
        if rule.public and method == "GET" and "{" not in path and path != "/static":
            status, _ = await asyncio.to_thread(_http, hub, method, path, None)
            assert status not in (401, 403), (method, path, status)
    # A refused download is in the audit log with what it needed.
    rows = hub_rows(hub.db_path, "SELECT a.target, a.detail FROM audit_log a JOIN agents g "
                    "ON a.actor = 'agent:' || g.id WHERE g.username = 'lina' "
                    "AND a.action = 'refused'")
    assert ("GET /api/reports/weekly/2026-W01/report.pdf",
            json.dumps({"needed": Permission.EXPORTS.value}, separators=(",", ":"))) in rows


async def test_a_role_change_takes_effect_at_the_next_frame(
    hub: HubProcess, tmp_path: Path,
) -> None:
    probe = await AgentProbe.logged_in(hub.url, "lina", accept_offers=False)
    answers = await _answers(probe, sample(cop.FetchLiveConversations))
    assert any(_gate_refusal(f) for f in answers)
    out = _cli(hub, "set-role", "--db", str(hub.db_path), "lina", "supervisor")
    assert "agent -> supervisor" in out
    answers = await _answers(probe, sample(cop.FetchLiveConversations))
    assert any(isinstance(f, cop.LiveConversations) for f in answers), answers
    rows = hub_rows(hub.db_path, "SELECT actor, action, detail FROM audit_log "
                    "WHERE action = 'role_changed'")
    assert len(rows) == 1 and rows[0][0].startswith("cli:")
    assert json.loads(rows[0][2]) == {"from": "agent", "to": "supervisor",
                                      "username": "lina"}
    await probe.close()
    engine = create_engine(hub.db_path)
    with engine.connect() as conn:
        role = conn.execute(sa.text("SELECT role FROM agents WHERE username = 'lina'")).scalar()
    engine.dispose()
    assert role == "supervisor"
