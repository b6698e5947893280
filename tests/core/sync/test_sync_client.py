"""SyncClient against a scripted fake hub on a loopback websocket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from core.cache.cache import Cache
from core.protocol import agent_client_decoder, encode_text
from core.protocol.agent import (
    Ack,
    Delivered,
    Error,
    Events,
    Hello,
    SendMessage,
    Welcome,
)
from core.protocol.models import AgentInfo, MessageStatus, Presence
from core.session.agent_service import AgentService
from core.sync.client import Backoff, ConnectionState, SyncClient
from tests.core.factories import T0, added, assigned, event, message

AGENT = AgentInfo(id="a1", username="lina", display_name="李娜")
decoder = agent_client_decoder()


class FakeHub:
    """Replays a fixed event log; each connection is handled by ``script``."""

    def __init__(self) -> None:
        self.hellos: list[Hello] = []
        self.received: list[Any] = []
        self.log = [event(1, assigned()), added(2, message("m2", at=T0 + 5)),
                    added(3, message("m3", at=T0 + 6))]
        self.skip_seq: int | None = None  # drop this seq from the first replay: a gap
        self.refuse_token = False

    async def handler(self, ws: ServerConnection) -> None:
        hello = decoder.decode(await ws.recv())
        assert isinstance(hello, Hello)
        self.hellos.append(hello)
        if self.refuse_token:
            await ws.send(encode_text(Error(code="token_expired", message="expired")))
            await ws.close(4401)
            return
        await ws.send(encode_text(Welcome(v=1, agent=AGENT, presence=Presence.AVAILABLE,
                                          head_seq=len(self.log), mode="replay", server_time=0)))
        after = hello.last_seq or 0
        batch = [e for e in self.log if e.seq > after and e.seq != self.skip_seq]
        self.skip_seq = None
        await ws.send(encode_text(Events(events=batch)))
        async for raw in ws:
            frame = decoder.decode(raw)
            self.received.append(frame)
            if isinstance(frame, SendMessage):
                await ws.send(encode_text(Ack(op=frame.op, seq=None)))


@pytest.fixture
async def fake_hub() -> AsyncIterator[tuple[FakeHub, str]]:
    hub = FakeHub()
    async with serve(hub.handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield hub, f"ws://127.0.0.1:{port}/agent"


async def wait_for(predicate: Callable[[], bool], limit_s: float = 5) -> None:
    """Poll a condition (no event to wait on: the state lives in the cache)."""
    async with asyncio.timeout(limit_s):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


def make_service(url: str, token: str = "tok") -> tuple[AgentService, list[SyncClient]]:
    service = AgentService(Cache(":memory:"), AGENT)
    clients: list[SyncClient] = []

    def factory(delegate: Any) -> SyncClient:
        clients.append(SyncClient(url, token, delegate, backoff=Backoff(initial=0.05)))
        return clients[0]

    service.connect(factory)
    return service, clients


async def test_replay_outbox_flush_and_receipts(fake_hub: tuple[FakeHub, str]) -> None:
    hub, url = fake_hub
    service, _ = make_service(url)
    mid = service.send_message("c1", "queued while offline")
    await wait_for(lambda: service.connection.state is ConnectionState.ONLINE)
    assert hub.hellos[0].token == "tok" and hub.hellos[0].last_seq is None
    await wait_for(lambda: service.last_seq() == 3)
    await wait_for(lambda: service.message(mid or "").status is MessageStatus.SENT)  # type: ignore[union-attr]
    await wait_for(lambda: any(isinstance(f, Delivered) for f in hub.received))
    delivered = [i for f in hub.received if isinstance(f, Delivered) for i in f.message_ids]
    assert sorted(delivered) == ["c1-m1", "m2", "m3"]
    await service.disconnect()
    assert service.connection.state is ConnectionState.OFFLINE


async def test_gap_reconnects_from_last_applied_seq(fake_hub: tuple[FakeHub, str]) -> None:
    hub, url = fake_hub
    hub.skip_seq = 2
    service, _ = make_service(url)
    await wait_for(lambda: service.last_seq() == 3)
    assert [h.last_seq for h in hub.hellos] == [None, 1]
    assert [m.id for m in service.messages("c1")] == ["c1-m1", "m2", "m3"]
    await service.disconnect()


async def test_refused_token_stops_until_renewed(fake_hub: tuple[FakeHub, str]) -> None:
    hub, url = fake_hub
    hub.refuse_token = True
    service, clients = make_service(url)
    failures: list[str] = []
    service.auth_did_fail.connect(failures.append)
    await wait_for(lambda: service.connection.state is ConnectionState.AUTH_FAILED)
    # No retry storm with a dead token: the connection loop has ended, so the one
    # hello the hub saw is the last until a new token comes.
    await wait_for(lambda: not clients[0].running)
    assert len(hub.hellos) == 1 and failures
    hub.refuse_token = False
    service.renew_token("fresh")
    await wait_for(lambda: service.connection.state is ConnectionState.ONLINE)
    assert hub.hellos[-1].token == "fresh"
    await service.disconnect()


async def test_unreachable_hub_backs_off() -> None:
    service, _ = make_service("ws://127.0.0.1:9/agent")
    await wait_for(lambda: service.connection.state is ConnectionState.RECONNECTING)
    status = service.connection
    assert status.next_try_at is not None and status.attempt >= 1
    await service.disconnect()


def test_backoff_grows_with_jitter_and_caps() -> None:
    low = Backoff(initial=1, maximum=8, rng=lambda: 0.0)
    high = Backoff(initial=1, maximum=8, rng=lambda: 1.0)
    assert [low.delay(a) for a in range(5)] == [0.5, 1, 2, 4, 4]
    assert [high.delay(a) for a in range(5)] == [1, 2, 4, 8, 8]
