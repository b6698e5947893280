"""Hub processes run with --one-login-per-agent on one PostgreSQL database: a
second login of the agent on another process ends the first session there, with
an error frame and a close code that say why; the new session works, the old
token is refused, and a desktop's sync client stops with the reason. Without the
option an agent may keep several desktops (the default, tested elsewhere)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import msgspec

from core.cache.cache import Cache
from core.protocol import agent as ap
from core.protocol.codec import ErrorCode
from core.protocol.models import AgentInfo, Presence
from core.session.agent_service import AgentService
from core.sync.client import REPLACED_CLOSE_CODE, ConnectionState, SyncClient
from testbed.agent_probe import AgentProbe, eventually, login
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker


async def test_a_login_on_another_process_ends_the_first_session_with_its_reason(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess],
) -> None:
    db = postgres_dbs.new("shared")
    hub_a = make_hub("--one-login-per-agent", name="a", db=db)
    hub_b = make_hub("--one-login-per-agent", name="b", db=db)
    first = await AgentProbe.logged_in(hub_a.url, "lina")
    other = await AgentProbe.logged_in(hub_a.url, "alex")  # another agent: untouched

    second = await AgentProbe.logged_in(hub_b.url, "lina")

    await first.wait_for(lambda: first.close_code is not None, timeout=15)
    assert first.close_code == REPLACED_CLOSE_CODE
    errors = [f for f in first.frames if isinstance(f, ap.Error)]
    assert [e.code for e in errors] == [ErrorCode.SESSION_REPLACED.value]
    assert "signed in again" in errors[0].message
    # The new session works; the old token is refused on either process.
    answer = await second.command(ap.SetPresence(op=uuid.uuid4().hex,
                                                 presence=Presence.AVAILABLE))
    assert isinstance(answer, ap.Ack), answer
    for hub in (hub_a, hub_b):
        again = AgentProbe(hub.url, first.token, accept_offers=True)
        await again.connect()
        assert again.welcome is None and again.close_code == 4401
    assert other.close_code is None
    answer = await other.command(ap.SetPresence(op=uuid.uuid4().hex,
                                                presence=Presence.AVAILABLE))
    assert isinstance(answer, ap.Ack), answer

    # A desktop (cache, sync client) signs in on b: the probe's session there ends.
    data = await asyncio.to_thread(login, hub_b.url, "lina", "zuoxi-demo")
    desktop = AgentService(Cache(":memory:"), msgspec.convert(data["agent"], AgentInfo))
    failures: list[str] = []
    desktop.auth_did_fail.connect(failures.append)
    clients: list[SyncClient] = []

    def client(delegate: Any) -> SyncClient:
        clients.append(SyncClient(hub_b.agent_ws_url, data["token"], delegate))
        return clients[0]

    desktop.connect(client)
    await eventually(lambda: desktop.connection.state is ConnectionState.ONLINE, timeout=15)
    await second.wait_for(lambda: second.close_code is not None, timeout=15)
    assert second.close_code == REPLACED_CLOSE_CODE

    # A login back on a ends the desktop's session on b, which stops and says why
    # (the window turns it into words: desktop/app.py, DesktopApp._auth_failed).
    third = await AgentProbe.logged_in(hub_a.url, "lina")
    await eventually(lambda: desktop.connection.state is ConnectionState.AUTH_FAILED,
                     timeout=15)
    assert failures and failures[0].startswith(ErrorCode.SESSION_REPLACED.value), failures
    await eventually(lambda: not clients[0].running, timeout=5)  # no retries
    assert third.close_code is None
    await desktop.disconnect()
    for probe in (third, other):
        await probe.close()
