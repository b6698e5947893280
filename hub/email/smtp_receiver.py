"""Embedded SMTP receiver (aiosmtpd): mail delivered straight to the hub.

For on-premises installs without a mailbox server, and for demos: it listens on a
(loopback by default) port, refuses mail over the size limit at the protocol level
(552, so the sender's server bounces it to the customer), and hands each accepted
mail to the inbound pipeline, which stores it raw before anything else.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from hub.email.config import ReceiverSettings
from hub.email.inbound import InboundMail, Outcome
from hub.store.base import new_id

log = logging.getLogger(__name__)


class _Handler:
    def __init__(self, inbound: InboundMail, max_bytes: int) -> None:
        self.inbound = inbound
        self.max_bytes = max_bytes

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if not isinstance(data, bytes):
            data = str(data).encode("utf-8", "surrogateescape")
        if len(data) > self.max_bytes:
            return "552 5.3.4 Message too big for this system"
        source_key = f"smtp:{new_id('rcv')}"
        try:
            received = self.inbound.receive(source_key, data)
        except Exception:
            # Not even kept raw (the database refused it): the sender keeps the mail
            # and tries again later, rather than the hub accepting and losing it.
            log.exception("mail %s could not be kept; asked the sender to retry", source_key)
            return "451 4.3.0 Temporary failure, please try again later"
        if received.outcome is Outcome.FAILED:
            log.warning("kept raw mail %s (%s) that could not be stored", received.raw_id,
                        source_key)
        return "250 2.0.0 OK: queued"


class SmtpReceiver:
    def __init__(self, inbound: InboundMail, settings: ReceiverSettings) -> None:
        self.inbound = inbound
        self.settings = settings
        self._server: asyncio.base_events.Server | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        sock = self._server.sockets[0]
        return int(sock.getsockname()[1])

    async def start(self) -> None:
        handler = _Handler(self.inbound, self.settings.max_bytes)
        loop = asyncio.get_running_loop()

        def factory() -> Any:
            return SMTP(handler, data_size_limit=self.settings.max_bytes, enable_SMTPUTF8=True,
                        decode_data=False, hostname="zuoxi", ident="Zuoxi ESMTP")

        self._server = await loop.create_server(factory, self.settings.host, self.settings.port)
        log.info("smtp receiver listening on %s:%d", self.settings.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
