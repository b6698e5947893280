"""The demo outbound sink: an SMTP server on loopback that keeps what it is sent.

For demos and on-premises trials without a mail server: the hub submits agents'
replies to it over real SMTP (so they go through the outbox and show "Sent"), and
it files each mail in a Maildir (``new/`` holds one ``.eml``-style file per mail;
any mail client, ``mutt -f DIR`` or ``python -m mailbox``, can read it). Nothing
leaves the computer: it is never on unless asked for (``--email-demo-sink DIR``),
it only listens on loopback, and it cannot be combined with a real SMTP server.
"""

from __future__ import annotations

import asyncio
import logging
import mailbox
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from hub.email.config import DemoSinkSettings, Security, SmtpSettings

log = logging.getLogger(__name__)

SINK_HOST = "127.0.0.1"


class _Keeper:
    def __init__(self, maildir: mailbox.Maildir) -> None:
        self.maildir = maildir
        self.count = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if not isinstance(data, bytes):
            data = str(data).encode("utf-8", "surrogateescape")
        rcpt = ", ".join(str(r) for r in envelope.rcpt_tos)
        # The envelope recipients (Bcc included) are recorded, as a real server would.
        header = f"X-Zuoxi-Demo-Sink-Rcpt: {rcpt}\r\n".encode("utf-8", "replace")
        await asyncio.to_thread(self.maildir.add, header + data)
        self.count += 1
        return "250 2.0.0 OK: kept by the Zuoxi demo sink (not delivered)"


class DemoSink:
    """Listens on a loopback port; ``smtp_settings`` is how the hub submits to it."""

    def __init__(self, settings: DemoSinkSettings) -> None:
        self.settings = settings
        self.directory = Path(settings.directory)
        self._keeper: _Keeper | None = None
        self._server: asyncio.base_events.Server | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def received(self) -> int:
        """Mails kept since start."""
        return self._keeper.count if self._keeper else 0

    def smtp_settings(self) -> SmtpSettings:
        return SmtpSettings(host=SINK_HOST, port=self.port, security=Security.PLAIN,
                            timeout_s=10.0, max_attempts=6, backoff_s=2.0)

    async def start(self) -> None:
        for sub in ("tmp", "new", "cur"):  # a Maildir, even in a directory made beforehand
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        keeper = self._keeper = _Keeper(mailbox.Maildir(self.directory, create=True))
        loop = asyncio.get_running_loop()

        def factory() -> Any:
            return SMTP(keeper, data_size_limit=self.settings.max_bytes, enable_SMTPUTF8=True,
                        decode_data=False, hostname="zuoxi-demo-sink",
                        ident="Zuoxi demo sink (keeps mail, delivers nothing)")

        self._server = await loop.create_server(factory, SINK_HOST, self.settings.port)
        log.warning("email demo sink on %s:%d: replies are NOT delivered to customers, they are "
                    "kept in %s", SINK_HOST, self.port, self.directory)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


def kept_mail(directory: Path) -> list[bytes]:
    """The mails a sink kept in ``directory``, oldest first (for people and tests)."""
    box = mailbox.Maildir(directory, create=False)
    keys = sorted(box.keys(), key=lambda k: (box.get_message(k).get_date(), k))
    return [box.get_bytes(k) for k in keys]
