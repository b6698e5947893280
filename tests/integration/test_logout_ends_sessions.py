"""Finding 7: logging out revokes the token and ends every live /agent socket
that was opened with it, within a second; sockets of other tokens stay."""

from __future__ import annotations

import asyncio
import time
import urllib.request

import pytest

from core.protocol import agent as ap
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, login
from tests.conftest import HubProcess

pytestmark = pytest.mark.serial  # measures sockets closed within a second


def _logout(url: str, token: str) -> int:
    req = urllib.request.Request(
        url + "/api/logout", method="POST", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return int(resp.status)


async def test_logout_closes_the_live_socket_within_a_second(hub: HubProcess) -> None:
    data = await asyncio.to_thread(login, hub.url, "lina", "zuoxi-demo")
    revoked_a = AgentProbe(hub.url, data["token"])
    revoked_b = AgentProbe(hub.url, data["token"])  # a second window on the same token
    await revoked_a.connect()
    await revoked_b.connect()
    other = await AgentProbe.logged_in(hub.url, "lina")  # another sign-in, another token
    assert revoked_a.welcome and revoked_b.welcome and other.welcome

    started = time.monotonic()
    assert await asyncio.to_thread(_logout, hub.url, data["token"]) == 204
    await revoked_a.wait_for(lambda: revoked_a.close_code is not None, timeout=1.0)
    await revoked_b.wait_for(lambda: revoked_b.close_code is not None, timeout=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0
    assert revoked_a.close_code == 4401 and revoked_b.close_code == 4401
    assert [e.code for e in revoked_a.errors()] == ["unauthorized"]

    # The revoked sockets get nothing more; the other session still gets its events.
    received = len(revoked_a.events)
    customer = SimCustomer(hub.customer_ws_url)
    await customer.connect()
    await customer.send("after logout")
    await other.wait_body(ap.ConversationAssigned)
    assert len(revoked_a.events) == received
    assert other.close_code is None
    await customer.disconnect()
    await other.close()
