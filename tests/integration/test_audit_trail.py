"""The audit log of a real hub, on SQLite and PostgreSQL: sign-ins (and failed
ones), a profile edit, a transfer and a transcript view are recorded with who,
what, which customer or conversation and when; a command's row commits with it
(a retried op id writes no second row, a refused command none); and
``zuoxi-hub audit verify`` finds the chain whole, then names a row edited behind
the hub's back."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import urllib.error
import uuid
from typing import Any

import pytest

from core.protocol import agent as ap
from core.protocol import profile as pp
from core.protocol import routing as rp
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, login
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows

pytestmark = pytest.mark.postgresql


def _rows(hub: HubProcess) -> list[tuple[Any, ...]]:
    return hub_rows(hub.db_path, "SELECT id, actor, action, customer_id, conversation_id, "
                    "target, detail FROM audit_log ORDER BY id")


def _cli(hub: HubProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args, "--db", str(hub.db_path)],
                          capture_output=True, text=True, timeout=120, check=False)


async def test_actions_are_audited_once_and_the_chain_verifies(hub: HubProcess) -> None:
    with pytest.raises(urllib.error.HTTPError):
        await asyncio.to_thread(login, hub.url, "lina", "not-her-password")
    lina = await AgentProbe.logged_in(hub.url, "lina")
    lina_id = lina.welcome.agent.id if lina.welcome else ""
    customer = SimCustomer(hub.customer_ws_url, name="赵敏", locale="zh-CN")
    await customer.connect()
    await customer.send("我的订单还没到")
    assigned = await lina.wait_body(ap.ConversationAssigned, timeout=10)
    conv_id, customer_id = assigned.conversation.id, assigned.conversation.customer_id

    edit = pp.UpdateCustomer(op=uuid.uuid4().hex, customer_id=customer_id, name="赵敏 VIP")
    assert isinstance(await lina.command(edit), ap.Ack)
    lina.frames.clear()
    assert isinstance(await lina.command(edit), ap.Ack)  # a retry: answered, not applied
    missing = pp.UpdateCustomer(op=uuid.uuid4().hex, customer_id="nobody", name="x")
    assert isinstance(await lina.command(missing), ap.Error)
    transcript = pp.FetchTranscript(op=uuid.uuid4().hex, conversation_id=conv_id)
    await lina.send(transcript)
    await lina.wait_for(lambda: any(getattr(f, "op", None) == transcript.op
                                    for f in lina.frames))
    transfer = rp.Transfer(op=uuid.uuid4().hex, conversation_id=conv_id, to_queue="billing")
    assert isinstance(await lina.command(transfer), ap.Ack), lina.errors()

    rows = _rows(hub)
    actions = [(r[1], r[2]) for r in rows]
    me = f"agent:{lina_id}"
    assert actions[0] == ("address:127.0.0.1", "login_failed")
    assert json.loads(rows[0][6]) == {"address": "127.0.0.1"} and rows[0][5] == "lina"
    assert (me, "login") in actions
    edits = [r for r in rows if r[2] == "profile_edited"]
    assert len(edits) == 1, edits  # once, though sent twice; none for the refused one
    assert edits[0][1] == me and edits[0][3] == customer_id
    assert json.loads(edits[0][6])["name"] == "赵敏 VIP"
    assert json.loads(edits[0][6])["op"] == edit.op
    viewed = [r for r in rows if r[2] == "transcript_viewed"]
    assert len(viewed) == 1 and viewed[0][4] == conv_id
    moved = [r for r in rows if r[2] == "transferred"]
    assert len(moved) == 1 and moved[0][4] == conv_id and moved[0][5] == "billing"
    # In order: each row after the action before it.
    ids = [r[0] for r in rows]
    assert ids == list(range(1, len(rows) + 1))
    await lina.close()
    await customer.disconnect()

    done = _cli(hub, "audit", "verify")
    assert done.returncode == 0 and "the chain is whole" in done.stdout, done.stderr
    done = _cli(hub, "audit", "--actor", "lina", "--json")
    listed = [json.loads(line) for line in done.stdout.splitlines()]
    assert {e["action"] for e in listed} >= {"login", "profile_edited", "transcript_viewed"}
    assert all(e["actor"] == me for e in listed)
    done = _cli(hub, "audit", "--customer", customer_id)
    assert "profile_edited" in done.stdout

    # Someone with the database edits a row: verification names it.
    from hub.store.base import create_engine  # the test's own connection
    engine = create_engine(hub.db_path)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET actor = 'agent:someone-else' "
                             f"WHERE id = {edits[0][0]}")
    engine.dispose()
    done = _cli(hub, "audit", "verify")
    assert done.returncode == 1
    assert f"first bad row {edits[0][0]}" in done.stderr
