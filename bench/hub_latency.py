"""Customer message → agent connection latency through a real hub on loopback.

This isolates the hub's share of the path; the desktop benchmark measures the
whole path to the agent's screen.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
import uuid

import websockets

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol.codec import (
    PROTOCOL_VERSION,
    agent_server_decoder,
    customer_server_decoder,
    encode_text,
)


def login(base_url: str, username: str, password: str) -> str:
    req = urllib.request.Request(
        base_url + "/api/login",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    # 30 s: on a busy shared machine (load 14 on 2 cores) a hub that has just taken
    # the sync suite's 50,000 messages did not answer a sign-in within 10 s
    with urllib.request.urlopen(req, timeout=30) as resp:
        return str(json.loads(resp.read())["token"])


async def measure(base_url: str, token: str, messages: int, gap_s: float) -> list[float]:
    """Milliseconds from the customer's send to the agent socket's receipt."""
    ws_base = "ws" + base_url[len("http") :]
    adec, cdec = agent_server_decoder(), customer_server_decoder()
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    offered: set[str] = set()
    async with websockets.connect(ws_base + "/agent", max_size=2**26) as agent:
        await agent.send(encode_text(ap.Hello(v=PROTOCOL_VERSION, token=token)))
        async with websockets.connect(ws_base + "/customer") as customer:
            await customer.send(encode_text(cp.Hello(v=PROTOCOL_VERSION, name="Bench")))
            cdec.decode(await customer.recv())

            async def drain_customer() -> None:
                async for _ in customer:
                    pass

            async def read_agent() -> None:
                async for data in agent:
                    frame = adec.decode(data)
                    if not isinstance(frame, ap.Events):
                        continue
                    now = time.perf_counter()
                    for event in frame.events:
                        body = event.body
                        if isinstance(body, ap.MessageAdded) and body.message.text in sent_at:
                            latencies.append((now - sent_at[body.message.text]) * 1000)
                        elif isinstance(body, rp.OfferMade):
                            # The first message comes with the offer; later ones
                            # once the agent has accepted it.
                            for m in body.messages:
                                if m.text in sent_at:
                                    offered.add(m.text)
                                    latencies.append((now - sent_at[m.text]) * 1000)
                            await agent.send(encode_text(rp.AcceptOffer(
                                op=uuid.uuid4().hex, offer_id=body.offer_id)))
                        elif isinstance(body, ap.ConversationAssigned):
                            for m in body.messages:
                                if m.text in sent_at and m.text not in offered:
                                    latencies.append((now - sent_at[m.text]) * 1000)
                    if len(latencies) >= messages:
                        return

            drain = asyncio.create_task(drain_customer())
            reader = asyncio.create_task(read_agent())
            for i in range(messages):
                text = f"bench {i} {uuid.uuid4().hex[:6]}"
                sent_at[text] = time.perf_counter()
                await customer.send(encode_text(cp.Send(id=uuid.uuid4().hex, text=text)))
                await asyncio.sleep(gap_s)
            await asyncio.wait_for(reader, 30)
            drain.cancel()
    return latencies
