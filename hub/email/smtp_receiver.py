"""Embedded SMTP receiver: mail delivered straight to the hub.

For on-premises installs without a mailbox server, and for demos: it listens on a
(loopback by default) port, refuses mail over the size limit at the protocol level
(552, so the sender's server bounces it to the customer), and hands each accepted
mail to the inbound pipeline, which stores it raw before anything else.

The SMTP conversation itself runs in a child process (hub.email.smtp_listener):
reading DATA line by line is seconds of CPU for a hostile mail, which must never
run on, or compete for the interpreter lock with, the hub's event loop. Here a
mail arrives whole; it is stored from a thread, parsed in the parse worker's
process, and only the short processing step runs on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys

from hub.email.config import ReceiverSettings
from hub.email.inbound import InboundMail, Outcome
from hub.email.smtp_listener import TRY_LATER, frame, read_frame
from hub.store.base import new_id

log = logging.getLogger(__name__)

START_TIMEOUT_S = 30.0


class SmtpReceiver:
    """Use from the hub's event loop."""

    def __init__(self, inbound: InboundMail, settings: ReceiverSettings) -> None:
        self.inbound = inbound
        self.settings = settings
        self._port: int | None = None
        self._child: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self._port is not None
        return self._port

    async def start(self) -> None:
        ours, theirs = socket.socketpair()
        try:
            self._child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "hub.email.smtp_listener", "--fd", str(theirs.fileno()),
                "--host", self.settings.host, "--port", str(self.settings.port),
                "--max-bytes", str(self.settings.max_bytes),
                pass_fds=(theirs.fileno(),), stdin=asyncio.subprocess.DEVNULL)
        finally:
            theirs.close()
        reader, self._writer = await asyncio.open_connection(sock=ours, limit=2**20)
        try:
            _ident, payload = await asyncio.wait_for(read_frame(reader), START_TIMEOUT_S)
        except (TimeoutError, asyncio.IncompleteReadError):
            await self.stop()
            raise OSError(f"the SMTP receiver could not listen on "
                          f"{self.settings.host}:{self.settings.port}") from None
        self._port = int(payload)
        self._reader_task = asyncio.create_task(self._read(reader), name="smtp-receiver")
        log.info("smtp receiver listening on %s:%d", self.settings.host, self._port)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                ident, data = await read_frame(reader)
                task = asyncio.create_task(self._answer(ident, data))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        except (asyncio.IncompleteReadError, ConnectionError):
            if self._writer is not None:
                log.error("the SMTP receiver process ended; mail is not received")

    async def _answer(self, ident: int, data: bytes) -> None:
        reply = await self.accept(data)
        if self._writer is not None:
            with contextlib.suppress(ConnectionError):
                self._writer.write(frame(ident, reply.encode()))
                await self._writer.drain()

    async def accept(self, data: bytes) -> str:
        """Keep one received mail; the SMTP answer."""
        source_key = f"smtp:{new_id('rcv')}"
        try:
            # Megabytes to write: from a thread, in a transaction of its own.
            raw_id = await asyncio.to_thread(self.inbound.emails.put_raw, source_key, data)
        except Exception:
            # Not even kept raw (the database refused it): the sender keeps the mail
            # and tries again later, rather than the hub accepting and losing it.
            log.exception("mail %s could not be kept; asked the sender to retry", source_key)
            return TRY_LATER
        if raw_id is not None:
            received = await self.inbound.process_stored(raw_id, data)
            if received.outcome is Outcome.FAILED:
                log.warning("kept raw mail %s (%s) that could not be stored", received.raw_id,
                            source_key)
        return "250 2.0.0 OK: queued"

    async def stop(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()  # the child ends when its socket does
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader_task
            self._reader_task = None
        child, self._child = self._child, None
        if child is not None:
            try:
                await asyncio.wait_for(child.wait(), 10)
            except TimeoutError:
                child.kill()
                await child.wait()
