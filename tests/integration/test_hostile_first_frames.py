"""Finding 10: a first frame that is valid JSON but hostile to the decoder (an
integer of 4,400 digits, nesting 8,000 deep) gets a clear error code and a close
code on both websockets; the hub writes no traceback and its log stays bounded
when hundreds of such connections arrive at once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from hub.demo.simulator import SimCustomer
from tests.conftest import HubProcess

HUGE_INT = '{"type": "hello", "v": ' + "9" * 4400 + "}"
DEEP = "[" * 8000 + "]" * 8000
DEEP_IN_HELLO = '{"type": "hello", "v": 1, "visitor_id": ' + "[" * 7000 + "]" * 7000 + "}"
HOSTILE = [HUGE_INT, DEEP, DEEP_IN_HELLO]


async def _refused(url: str, frame: str) -> tuple[dict[str, Any], int | None]:
    """Send ``frame`` first; the error frame and the close code the hub answers with."""
    async with websockets.connect(url, open_timeout=10, close_timeout=5) as ws:
        await ws.send(frame)
        reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
        return reply, ws.close_code


@pytest.mark.parametrize("frame", HOSTILE, ids=["huge_int", "deep", "deep_in_hello"])
@pytest.mark.parametrize("endpoint", ["customer", "agent"])
async def test_hostile_first_frame_gets_an_error_code_and_a_close_code(
    hub: HubProcess, endpoint: str, frame: str
) -> None:
    url = hub.customer_ws_url if endpoint == "customer" else hub.agent_ws_url
    reply, close_code = await _refused(url, frame)
    assert reply["type"] == "error"
    assert reply["code"] == "invalid"
    assert close_code == 1008
    assert "Traceback" not in hub.log_text()


async def test_hostile_frames_after_hello_get_error_codes(hub: HubProcess) -> None:
    c = SimCustomer(hub.customer_ws_url)
    await c.connect()
    for frame in (DEEP, '{"type": "send", "id": "x1", "text": ' + "9" * 4400 + "}"):
        before = len(c.errors)
        await c.send_raw(frame)
        await c.wait_for(lambda before=before: len(c.errors) > before)
        assert c.errors[-1].code == "invalid"
    assert (await c.send("still here")).text == "still here"
    await c.disconnect()


async def test_a_burst_of_hostile_connections_leaves_a_short_log(hub: HubProcess) -> None:
    before = hub.log_path.stat().st_size if hub.log_path.exists() else 0

    async def one(i: int) -> int | None:
        url = hub.customer_ws_url if i % 2 else hub.agent_ws_url
        _reply, code = await _refused(url, HOSTILE[i % len(HOSTILE)])
        return code

    codes: list[int | None] = []
    for start in range(0, 500, 100):
        codes += await asyncio.gather(*(one(i) for i in range(start, start + 100)))
    assert codes == [1008] * 500
    grown = hub.log_path.read_text(errors="replace")[before:]
    assert "Traceback" not in grown
    # Hostile first frames are not errors of the hub: at most a few summary lines.
    assert len(grown.splitlines()) <= 10, grown[:2000]
    assert len(grown) < 4096

    # And everyone else is still served.
    c = SimCustomer(hub.customer_ws_url)
    await c.connect()
    assert (await c.send("after the burst")).text == "after the burst"
    await c.disconnect()
