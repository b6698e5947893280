"""Finding 16 (call ids): a customer who sends another customer's call id gets
exactly what a fresh id would get: their own call, never "already in use", and
the other call is neither touched nor revealed."""

from __future__ import annotations

import json
from typing import Any

from core.protocol import call as cl
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess

OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"
CALL_FRAMES = (cl.CallRingingNotice, cl.CallQueuedNotice, cl.CallEndedNotice)


async def _start(customer: SimCustomer, call_id: str) -> Any:
    """Start a call; the first call frame or error the hub answers with."""
    seen = len(customer.frames)
    await customer.send_raw(json.dumps({"type": "call_start", "call_id": call_id,
                                        "sdp": OFFER}))

    def answered() -> Any:
        return next((f for f in customer.frames[seen:]
                     if isinstance(f, CALL_FRAMES) or type(f).__name__ == "Error"), None)

    return await customer.wait_for(answered)


async def test_another_customers_call_id_cannot_be_probed(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    owner = SimCustomer(hub.customer_ws_url, name="Owner")
    await owner.connect()
    assert isinstance(await _start(owner, "call-secret"), cl.CallRingingNotice)
    ringing = await agent.wait_for(
        lambda: next((f for f in agent.frames if isinstance(f, cl.CallRinging)), None))
    assert ringing.call_id == "call-secret"

    prober = SimCustomer(hub.customer_ws_url, name="Prober")
    await prober.connect()
    control = SimCustomer(hub.customer_ws_url, name="Control")
    await control.connect()
    probed = await _start(prober, "call-secret")
    fresh = await _start(control, "call-never-used")
    # The same answer as for an id nobody uses, under the prober's own id.
    assert type(probed) is type(fresh) and isinstance(probed, CALL_FRAMES)
    assert probed.call_id == "call-secret" and fresh.call_id == "call-never-used"
    assert not prober.errors

    # Hanging up "call-secret" ends the prober's call, not the owner's.
    await prober.send_raw(json.dumps({"type": "call_hangup", "call_id": "call-secret"}))
    await prober.send_raw(json.dumps({"type": "call_hangup", "call_id": "call-secret"}))
    await prober.wait_for(lambda: prober.errors)
    assert prober.errors[0].code == "not_found"  # the second hang-up: no call of theirs
    assert not any(isinstance(f, cl.CallEndedNotice) for f in owner.frames)
    assert not any(isinstance(f, cl.CallEnded) and f.call_id == "call-secret"
                   for f in agent.frames)
    # The owner's call still works under its id.
    await owner.send_raw(json.dumps({"type": "call_hangup", "call_id": "call-secret"}))
    await agent.wait_for(lambda: any(isinstance(f, cl.CallEnded) and f.call_id == "call-secret"
                                     for f in agent.frames))
    for c in (owner, prober, control):
        await c.disconnect()
    await agent.close()
