"""A recording SMTP server (aiosmtpd) on loopback: the customer's side, or a relay.

Options: implicit TLS or STARTTLS with the test certificate, AUTH with one
user, and a script of answers to DATA ("451 …" then "250 …") to exercise retries.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from testbed.dovecot import free_port


@dataclass
class Delivery:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.raw)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    cert: Path | None = None
    key: Path | None = None
    mode: str = "plain"  # plain | starttls | tls
    user: str | None = None
    password: str | None = None
    answers: list[str] = field(default_factory=list)  # consumed per DATA; then 250
    deliveries: list[Delivery] = field(default_factory=list)
    port: int = 0
    host: str = "127.0.0.1"
    _controller: Controller | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self._lock:
            answer = self.answers.pop(0) if self.answers else "250 2.0.0 OK"
            if answer.startswith("250"):
                self.deliveries.append(Delivery(
                    str(envelope.mail_from), list(envelope.rcpt_tos),
                    bytes(envelope.original_content or b"")))
        return answer

    def _auth(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
              data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login.decode() == self.user and \
            data.password.decode() == self.password
        return AuthResult(success=ok, handled=False)  # handled=False: answer 535

    def start(self) -> SmtpServer:
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        context = None
        if self.mode != "plain":
            assert self.cert and self.key
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, self.key)
        if self.mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        if self.user:
            kwargs.update(authenticator=self._auth, auth_required=True,
                          auth_require_tls=self.mode != "plain")
        self._controller = Controller(
            self, hostname=self.host, port=self.port,
            ssl_context=context if self.mode == "tls" else None, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
