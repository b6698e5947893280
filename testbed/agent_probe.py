"""A raw agent-protocol client for hub tests: logs in, keeps every frame."""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import websockets

from core.protocol import agent as ap
from core.protocol import routing as rp
from core.protocol.codec import PROTOCOL_VERSION, agent_server_decoder, encode_text
from core.protocol.models import Channel

_decoder = agent_server_decoder()


def login(base_url: str, username: str, password: str) -> dict[str, Any]:
    req = urllib.request.Request(
        base_url + "/api/login",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        result: dict[str, Any] = json.loads(resp.read())
    return result


class AgentProbe:
    def __init__(self, base_url: str, token: str, accept_offers: bool = True) -> None:
        # Accept every offer as it arrives, as an agent at the desktop would; tests
        # of offers themselves turn this off and answer by hand.
        self.accept_offers = accept_offers
        self.routing_config: rp.RoutingConfig | None = None
        self.ws_url = "ws" + base_url[len("http") :] + "/agent"
        self.token = token
        self.frames: list[ap.ServerFrame] = []
        self.texts: list[str] = []  # every frame as it came over the socket
        self.events: list[ap.Event] = []
        self.welcome: ap.Welcome | None = None
        self.snapshot: ap.Snapshot | None = None
        self.close_code: int | None = None
        # Called with every decoded frame (e.g. a call manager's handle_frame).
        self.on_frame: Callable[[Any], object] | None = None
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Condition()

    @classmethod
    async def logged_in(
        cls,
        base_url: str,
        username: str = "lina",
        password: str = "zuoxi-demo",
        last_seq: int | None = None,
        accept_offers: bool = True,
    ) -> AgentProbe:
        data = await asyncio.to_thread(login, base_url, username, password)
        probe = cls(base_url, data["token"], accept_offers)
        await probe.connect(last_seq)
        return probe

    async def connect(self, last_seq: int | None = None) -> None:
        self._ws = await websockets.connect(self.ws_url, max_size=2**26)
        await self._ws.send(
            encode_text(ap.Hello(v=PROTOCOL_VERSION, token=self.token, last_seq=last_seq))
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda: self.welcome is not None or self.close_code is not None)

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self.texts.append(data if isinstance(data, str) else data.decode())
                frame = _decoder.decode(data)
                self.frames.append(frame)
                if self.on_frame is not None:
                    self.on_frame(frame)
                if isinstance(frame, ap.Welcome):
                    self.welcome = frame
                elif isinstance(frame, ap.Snapshot):
                    self.snapshot = frame
                elif isinstance(frame, ap.Events):
                    self.events.extend(frame.events)
                    if self.accept_offers:
                        await self._accept(
                            [e.body for e in frame.events if isinstance(e.body, rp.OfferMade)]
                        )
                elif isinstance(frame, rp.RoutingConfig):
                    self.routing_config = frame
                    if self.accept_offers:
                        await self._accept(frame.offers)
                async with self._changed:
                    self._changed.notify_all()
        except websockets.ConnectionClosed:
            pass
        self.close_code = self._ws.close_code
        async with self._changed:
            self._changed.notify_all()

    async def _accept(self, offers: list[rp.OfferMade]) -> None:
        # A voice offer rings as a call: the call engine answers it (or not).
        for offer in (o for o in offers if o.conversation.channel != Channel.VOICE):
            await self._ws.send(
                encode_text(rp.AcceptOffer(op=f"accept-{offer.offer_id}", offer_id=offer.offer_id))
            )

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5) -> Any:
        async def _wait() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(_wait(), timeout)

    async def send(self, frame: Any) -> None:
        await self._ws.send(encode_text(frame))

    async def send_raw(self, data: str | bytes) -> None:
        await self._ws.send(data)

    async def command(self, frame: Any, timeout: float = 5) -> Any:
        """Send a command (or read); returns its Ack, Error or Customers answer."""
        await self.send(frame)
        return await self.command_answer(frame.op, timeout)

    async def command_answer(self, op: str, timeout: float = 5) -> Any:
        """The Ack, Error or Customers answer to the command ``op`` sent earlier."""

        def answered() -> Any:
            for f in self.frames:
                if isinstance(f, ap.Ack | ap.Error | ap.Customers) and f.op == op:
                    return f
            return None

        return await self.wait_for(answered, timeout)

    async def reply(self, conversation_id: str, text: str) -> ap.Ack | ap.Error:
        return await self.command(
            ap.SendMessage(
                op=uuid.uuid4().hex,
                conversation_id=conversation_id,
                message_id=uuid.uuid4().hex,
                text=text,
            )
        )

    def bodies(self, kind: type) -> list[Any]:
        return [e.body for e in self.events if isinstance(e.body, kind)]

    async def wait_body(
        self, kind: type, predicate: Callable[[Any], bool] | None = None, timeout: float = 5
    ) -> Any:
        def found() -> Any:
            for body in self.bodies(kind):
                if predicate is None or predicate(body):
                    return body
            return None

        return await self.wait_for(found, timeout)

    def errors(self) -> list[ap.Error]:
        return [f for f in self.frames if isinstance(f, ap.Error)]

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await self._reader


async def eventually(
    predicate: Callable[[], Any], timeout: float = 5, interval: float = 0.02
) -> Any:
    """Poll ``predicate`` until truthy (for conditions spanning several clients)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := predicate()):
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)
    return result
