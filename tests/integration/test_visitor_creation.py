"""Finding 12: a widget hello from an unknown visitor makes a customer; one script
opening hundreds of connections must not make hundreds. New visitors are
rate-limited per address; returning visitors and other addresses are not."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import sqlalchemy as sa
import websockets

from hub.process import HubProcess
from hub.store import schema as t
from hub.store.store import create_engine


async def _hello(hub: HubProcess, source: str = "127.0.0.1",
                 visitor_id: str | None = None) -> tuple[dict[str, Any], int | None]:
    """The hub's answer to a hello, and the close code if it closed."""
    hello: dict[str, Any] = {"type": "hello", "v": 1}
    if visitor_id:
        hello["visitor_id"] = visitor_id
    async with websockets.connect(hub.customer_ws_url, local_addr=(source, 0)) as ws:
        await ws.send(json.dumps(hello))
        answer = json.loads(await ws.recv())
        if answer["type"] == "error":
            with contextlib.suppress(websockets.ConnectionClosed):
                await ws.recv()
            return answer, ws.close_code
        return answer, None


def _customers(hub: HubProcess) -> int:
    engine = create_engine(hub.db_path)
    with engine.connect() as conn:
        count = int(conn.execute(sa.select(sa.func.count()).select_from(t.customers)).scalar_one())
    engine.dispose()
    return count


async def test_a_script_of_hellos_makes_a_bounded_number_of_customers(hub: HubProcess) -> None:
    before = _customers(hub)
    started = time.monotonic()
    answers = [await _hello(hub) for _ in range(80)]
    elapsed = time.monotonic() - started
    welcomed = [a for a, _ in answers if a["type"] == "welcome"]
    refused = [(a, code) for a, code in answers if a["type"] == "error"]
    # A burst of 60, then one a second (60 a minute) while the script runs.
    assert 60 <= len(welcomed) <= 60 + int(elapsed) + 1
    assert refused and all(a["code"] == "rate_limited" and code == 1013 for a, code in refused)
    assert _customers(hub) == before + len(welcomed)

    # A returning visitor is welcome as before and makes no customer.
    again, _ = await _hello(hub, visitor_id=welcomed[0]["visitor_id"])
    assert again["type"] == "welcome" and again["visitor_id"] == welcomed[0]["visitor_id"]
    # Another address is not affected.
    other, _ = await _hello(hub, source="127.0.0.2")
    assert other["type"] == "welcome"
    assert _customers(hub) == before + len(welcomed) + 1
