"""The phone's websocket layer against a real websocket server on loopback:
subprotocol, registration over it, reconnect with backoff, re-registration."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from http import HTTPStatus

import pytest
from websockets.asyncio.server import Request as HttpRequest
from websockets.asyncio.server import Response as HttpResponse
from websockets.asyncio.server import ServerConnection, serve
from websockets.typing import Subprotocol

from core.sip.events import RegistrationDidChange, RegistrationState, SipEvent
from core.sip.message import Request, parse_message
from core.sip.phone import SipPhone, backoff_delays
from core.sip.registrator import Account
from core.sip.transaction import make_response


class Registrar:
    """Accepts every REGISTER (no auth); can refuse the next N handshakes."""

    def __init__(self, subprotocol: str = "sip") -> None:
        self.subprotocol = subprotocol
        self.refuse = 0
        self.handshakes = 0
        self.registers: list[Request] = []
        self.connections: list[ServerConnection] = []

    def process_request(self, connection: ServerConnection,
                        request: HttpRequest) -> HttpResponse | None:
        self.handshakes += 1
        if self.refuse > 0:
            self.refuse -= 1
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "busy\n")
        return None

    def select(self, connection: ServerConnection,
               offered: Sequence[Subprotocol]) -> Subprotocol | None:
        return Subprotocol(self.subprotocol) if self.subprotocol in offered else None

    async def handler(self, connection: ServerConnection) -> None:
        self.connections.append(connection)
        async for frame in connection:
            message = parse_message(frame)
            assert isinstance(message, Request) and message.method == "REGISTER"
            self.registers.append(message)
            reply = make_response(message, 200, "OK", to_tag="reg",
                                  extra=[("Contact", message.require("Contact"))])
            await connection.send(reply.to_text())


def test_backoff_doubles_up_to_the_cap() -> None:
    delays = backoff_delays(0.5, 2.0, 4.0)
    assert [next(delays) for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_only_websocket_urls() -> None:
    async def make() -> None:
        SipPhone(Account("a", "b", "c"), "http://x", on_event=lambda e: None)

    with pytest.raises(ValueError, match="ws:// or wss://"):
        asyncio.run(make())


async def test_registers_reconnects_with_backoff_and_registers_again() -> None:
    registrar = Registrar()
    used: list[float] = []

    def recorded_backoff() -> Iterator[float]:
        for delay in backoff_delays(0.01, 2.0, 0.05):
            used.append(delay)
            yield delay

    events: asyncio.Queue[SipEvent] = asyncio.Queue()
    async with serve(registrar.handler, "127.0.0.1", 0, subprotocols=[Subprotocol("sip")],
                     select_subprotocol=registrar.select,
                     process_request=registrar.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        registrar.refuse = 2  # the first two handshakes fail (503)
        phone = SipPhone(Account("1001", "pw", "pbx.test", expires=60),
                         f"ws://127.0.0.1:{port}", on_event=events.put_nowait,
                         backoff=recorded_backoff)
        phone.start()

        async def registered() -> None:
            while True:
                event = await events.get()
                if isinstance(event, RegistrationDidChange) and \
                        event.state == RegistrationState.REGISTERED:
                    return

        await asyncio.wait_for(registered(), 5)
        assert registrar.handshakes == 3 and used == [0.01, 0.02]
        assert phone.connections == 1
        assert registrar.registers[0].header("Expires") == "60"

        # The server drops the connection: the phone comes back and registers again,
        # with a fresh backoff (the good connection reset it).
        await registrar.connections[0].close()
        await asyncio.wait_for(registered(), 5)
        assert phone.connections == 2 and used == [0.01, 0.02, 0.01]
        assert len(registrar.registers) == 2
        first, second = registrar.registers
        assert second.call_id == first.call_id and second.cseq[0] > first.cseq[0]
        await phone.stop(unregister=True)
        assert registrar.registers[-1].header("Expires") == "0"


async def test_a_server_without_the_sip_subprotocol_is_not_used() -> None:
    registrar = Registrar(subprotocol="chat")
    attempts = asyncio.Event()
    count = 0

    def backoff() -> Iterator[float]:
        nonlocal count
        while True:
            count += 1
            if count >= 2:
                attempts.set()
            yield 0.01

    async with serve(registrar.handler, "127.0.0.1", 0, subprotocols=[Subprotocol("chat")],
                     select_subprotocol=registrar.select) as server:
        port = server.sockets[0].getsockname()[1]
        phone = SipPhone(Account("1001", "pw", "pbx.test"), f"ws://127.0.0.1:{port}",
                         on_event=lambda e: None, backoff=backoff)
        phone.start()
        await asyncio.wait_for(attempts.wait(), 5)
        assert phone.connections == 0 and registrar.registers == []
        await phone.stop(unregister=False)
