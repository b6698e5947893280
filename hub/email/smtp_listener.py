"""The embedded SMTP receiver's listening process: SMTP in, whole mails out.

``python -m hub.email.smtp_listener --fd N --host H --port P --max-bytes B``

aiosmtpd reads DATA line by line and does not yield while bytes are buffered: a
mail of a million short lines keeps its event loop busy for a second, and a
thread would still hold the interpreter lock the hub's loop needs (finding 6). So
the SMTP conversation runs here, in a process of its own, and each accepted mail
goes to the hub over the socket ``N`` as one frame; the hub stores it and says
what to answer. Frames both ways: 4-byte length, 8-byte id, payload. The first
frame to the hub (id 0) is the port listened on. When the hub goes away (end of
the socket) this process ends.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import struct
import sys
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

HEADER = struct.Struct("!IQ")
TRY_LATER = "451 4.3.0 Temporary failure, please try again later"


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    length, ident = HEADER.unpack(await reader.readexactly(HEADER.size))
    return ident, await reader.readexactly(length)


def frame(ident: int, payload: bytes) -> bytes:
    return HEADER.pack(len(payload), ident) + payload


class _Relay:
    """Hands mails to the hub and waits for its answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 max_bytes: int) -> None:
        self.reader = reader
        self.writer = writer
        self.max_bytes = max_bytes
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[str]] = {}

    async def answers(self) -> None:
        """Read the hub's answers until it goes away."""
        try:
            while True:
                ident, payload = await read_frame(self.reader)
                waiting = self._waiting.pop(ident, None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(payload.decode())
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_result(TRY_LATER)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if not isinstance(data, bytes):
            data = str(data).encode("utf-8", "surrogateescape")
        if len(data) > self.max_bytes:
            return "552 5.3.4 Message too big for this system"
        ident = next(self._ids)
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = answer
        try:
            self.writer.write(frame(ident, data))
            await self.writer.drain()
        except ConnectionError:
            self._waiting.pop(ident, None)
            return TRY_LATER
        return await answer


async def serve(fd: int, host: str, port: int, max_bytes: int) -> None:
    hub = socket.socket(fileno=fd)
    reader, writer = await asyncio.open_connection(sock=hub, limit=2**20)
    relay = _Relay(reader, writer, max_bytes)

    def factory() -> Any:
        return SMTP(relay, data_size_limit=max_bytes, enable_SMTPUTF8=True,
                    decode_data=False, hostname="zuoxi", ident="Zuoxi ESMTP")

    server = await asyncio.get_running_loop().create_server(factory, host, port)
    writer.write(frame(0, str(server.sockets[0].getsockname()[1]).encode()))
    await writer.drain()
    try:
        await relay.answers()  # returns when the hub closes its end
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smtp_listener")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-bytes", type=int, required=True)
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.fd, args.host, args.port, args.max_bytes))
    except OSError as exc:
        print(f"smtp listener: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
