"""Customer fields a role may not read never reach its socket or its cache, against a
real hub over real websockets: a trainee role without ``customers.contact`` gets a
visitor's phone number and e-mail address masked in the offer, the stream's events,
the profile, the timeline and search, cannot find the customer by the number, and
cannot edit contact points or sensitive attributes; a sensitive attribute is masked
even for a supervisor, who reveals it once and finds the reveal in the audit log.
A headless desktop signed in as the trainee keeps only masks in its cache file."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from core.protocol import agent as ap
from core.protocol import profile as pp
from core.protocol.models import IdentityKind
from core.session.headless import HeadlessAgent
from hub.access.field_access import MASK, mask_email, mask_phone, mask_text
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows

ROLES_FILE = """\
[roles.trainee]
description = "An agent who reads contact points masked"
like = "agent"
without = ["customers.contact"]
"""
PHONE, E164 = "138 1234 5678", "+8613812345678"
EMAIL = "mei.chen.fieldtest@example.org"
ADDRESS = "上海市浦东新区世纪大道100号"
ID_NUMBER = "310101199001011234"
SECRETS = ("13812345678", "mei.chen.fieldtest", ADDRESS, "世纪大道", ID_NUMBER)


def _cli(hub: HubProcess, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "hub", *args], env=dict(os.environ),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _leaks(text: str) -> list[str]:
    """The secrets in ``text`` as sent (JSON may escape non-ASCII) and decoded."""
    plain = json.dumps(json.loads(text), ensure_ascii=False) if text.startswith("{") else text
    return [s for s in SECRETS if s in text or s in plain]


async def _answer(probe: AgentProbe, frame: Any) -> Any:
    """The frame answering ``frame`` (any type carrying its op)."""
    await probe.send(frame)
    return await probe.wait_for(lambda: next(
        (f for f in probe.frames if getattr(f, "op", None) == frame.op), None), timeout=15)


def _cache_bytes(folder: Path) -> bytes:
    """The cache file, its WAL and anything beside it."""
    return b"".join(p.read_bytes() for p in folder.glob("lina-cache.sqlite3*"))


def _get(hub: HubProcess, path: str, token: str) -> tuple[int, dict[str, Any]]:
    host, port = hub.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    finally:
        conn.close()


async def test_masked_fields_never_reach_the_socket_or_the_cache(
        hub: HubProcess, tmp_path: Path) -> None:
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_FILE)
    _cli(hub, "roles", "--db", str(hub.db_path), "load", str(roles))
    _cli(hub, "set-role", "--db", str(hub.db_path), "lina", "trainee")

    lina = await AgentProbe.logged_in(hub.url)  # the trainee
    visitor = SimCustomer(hub.customer_ws_url, name="Mei Fieldtest", email=EMAIL,
                          phone_number=PHONE)
    await visitor.connect()
    await visitor.send("my order has not arrived")
    assigned = await lina.wait_body(ap.ConversationAssigned, timeout=20)
    wang = await AgentProbe.logged_in(hub.url, "wang", accept_offers=False)  # supervisor
    customer_id = assigned.customer.id
    shown = {i.kind: i.value for i in assigned.customer.identities}
    assert shown[IdentityKind.PHONE] == mask_phone(E164) == "+86 138****5678"
    assert shown[IdentityKind.EMAIL] == mask_email(EMAIL) == "m***@example.org"

    # The supervisor fills in an address (contact) and an ID number (sensitive).
    edit = pp.UpdateCustomer(op="wang-edit-1", customer_id=customer_id,
                             attributes={"address": ADDRESS, "id_number": ID_NUMBER})
    assert isinstance(await _answer(wang, edit), ap.Ack)
    updated = await lina.wait_body(
        pp.CustomerUpdated, lambda b: b.customer.attributes.get("address"), timeout=15)
    assert updated.customer.attributes == {"address": mask_text(ADDRESS), "id_number": MASK}
    # The supervisor's own view: the address in full, the ID number masked.
    mine = await _answer(wang, pp.FetchCustomer(op="wang-read", customer_id=customer_id))
    assert mine.customer.attributes == {"address": ADDRESS, "id_number": MASK}

    # Every read the trainee makes carries the masks.
    profile = await _answer(lina, pp.FetchCustomer(op="read-1", customer_id=customer_id))
    assert {i.value for i in profile.customer.identities if i.kind == IdentityKind.PHONE} \
        == {"+86 138****5678"}
    timeline = await _answer(lina, pp.FetchTimeline(op="read-2", customer_id=customer_id))
    assert isinstance(timeline, pp.Timeline)
    by_name = await _answer(lina, pp.SearchCustomers(op="read-3", query="Mei Fieldtest"))
    assert [c.id for c in by_name.customers] == [customer_id]
    # Search is no oracle: a number or address the trainee cannot read finds nobody.
    for n, query in enumerate(("13812345678", "138 1234 5678", "5678", "mei.chen", EMAIL)):
        found = await _answer(lina, pp.SearchCustomers(op=f"oracle-{n}", query=query))
        assert customer_id not in [c.id for c in found.customers], query
    supervisor_found = await _answer(wang, pp.SearchCustomers(op="w-s", query="13812345678"))
    assert customer_id in [c.id for c in supervisor_found.customers]

    # Edits of fields the role may not edit are refused, naming the permission.
    refused = [
        pp.AddIdentity(op="e-1", customer_id=customer_id, kind=IdentityKind.PHONE,
                       value="13900001111"),
        pp.RemoveIdentity(op="e-2", customer_id=customer_id, kind=IdentityKind.EMAIL,
                          value=EMAIL),
        pp.UpdateCustomer(op="e-3", customer_id=customer_id, attributes={"address": "x"}),
        pp.UpdateCustomer(op="e-4", customer_id=customer_id, attributes={"id_number": "1"}),
        pp.RevealField(op="e-5", customer_id=customer_id, key="id_number"),
    ]
    needed = ["customers.contact", "customers.contact", "customers.contact",
              "customers.sensitive", "customers.sensitive"]
    for frame, permission in zip(refused, needed, strict=True):
        error = await _answer(lina, frame)
        assert isinstance(error, ap.Error) and error.code == "forbidden", frame
        assert permission in error.message
    # A profile field of class "profile" is still the trainee's to edit.
    ok = pp.UpdateCustomer(op="e-6", customer_id=customer_id, attributes={"city": "上海"})
    assert isinstance(await _answer(lina, ok), ap.Ack)
    # The raw mail holds addresses in full: refused over HTTP as well.
    status, body = await asyncio.to_thread(_get, hub, "/api/email/raw/some-id", lina.token)
    assert status == 403 and "customers.contact" in body["error"]["message"]

    # The supervisor reveals the ID number once: the value, and a row in the audit log.
    revealed = await _answer(wang, pp.RevealField(op="reveal-1", customer_id=customer_id,
                                                  key="id_number"))
    assert isinstance(revealed, pp.FieldRevealed) and revealed.value == ID_NUMBER
    rows = hub_rows(hub.db_path, "SELECT a.actor, a.customer_id, a.target FROM audit_log a "
                    "WHERE a.action = 'field_revealed'")
    wang_id = hub_rows(hub.db_path, "SELECT id FROM agents WHERE username = 'wang'")[0][0]
    assert [tuple(r) for r in rows] == [(f"agent:{wang_id}", customer_id, "id_number")]
    listed = _cli(hub, "audit", "--db", str(hub.db_path), "--what", "field_revealed", "--json")
    assert "id_number" in listed and customer_id in listed
    _cli(hub, "audit", "verify", "--db", str(hub.db_path))

    # A fresh connection replays the stream from the start: masked as well.
    replay = await AgentProbe.logged_in(hub.url, last_seq=0, accept_offers=False)
    await replay.send(ap.Ping(nonce=7))
    await replay.wait_for(lambda: any(isinstance(f, ap.Pong) for f in replay.frames), 15)

    for probe in (lina, replay):
        leaked = [(t[:120], _leaks(t)) for t in probe.texts if _leaks(t)]
        assert not leaked, leaked
    # The supervisor read the number and address in full, and the ID only once.
    wang_ids = [t for t in wang.texts if ID_NUMBER in t]
    assert len(wang_ids) == 1 and '"field_revealed"' in wang_ids[0]

    # The desktop's core, signed in as the trainee: its cache file holds only masks.
    cache_path = tmp_path / "lina-cache.sqlite3"
    desktop = HeadlessAgent(hub.url, "lina", "zuoxi-demo", cache_path)
    await desktop.start()
    try:
        await desktop.wait_online(timeout=20)
        await desktop.wait_until(
            lambda: (p := desktop.service.customer_profile(customer_id)) is not None
            and p.attributes.get("address") == mask_text(ADDRESS), timeout=20)
        profile_cached = desktop.service.customer_profile(customer_id)
        assert profile_cached is not None
        assert {p.value for p in profile_cached.contact_points or ()} >= {
            "+86 138****5678", "m***@example.org"}
        await eventually(lambda: desktop.outbox_size() == 0, timeout=10)
    finally:
        await desktop.stop()
    stored = await asyncio.to_thread(_cache_bytes, tmp_path)
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, secret
    assert b"138****5678" in stored

    for probe in (lina, wang, replay):
        await probe.close()
    await visitor.disconnect()
