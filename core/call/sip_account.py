"""The agent's telephony account (the PBX's websocket address, user, domain) and a
one-off registration check for Settings → Telephony.

The password is not part of these settings: the desktop keeps it in the OS
keyring. ``check_registration`` registers once with the given password and says
how it went as an Enum (the UI turns it into words), then unregisters.

Thread: any asyncio loop (the check opens its own websocket on the caller's loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.sip.events import RegistrationDidChange, RegistrationState, SipEvent
from core.sip.registrator import Account

__all__ = [
    "AccountProblem",
    "RegistrationCheck",
    "RegistrationOutcome",
    "SipAccountSettings",
    "check_registration",
]


class AccountProblem(enum.Enum):
    URL = "url"  # not a ws:// or wss:// address with a host
    USERNAME = "username"
    DOMAIN = "domain"


@dataclass(frozen=True)
class SipAccountSettings:
    url: str = ""  # wss://pbx.example.com:8443 (ws:// only on a trusted network)
    username: str = ""
    domain: str = ""  # the SIP domain / digest realm
    display_name: str = ""
    enabled: bool = False
    # A PEM file of certificates to trust for wss:// besides the system's (a PBX
    # with a certificate of the center's own).
    ca_file: str = ""

    def problems(self) -> list[AccountProblem]:
        found = []
        parts = urlsplit(self.url.strip())
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            found.append(AccountProblem.URL)
        user = self.username.strip()
        if not user or any(c.isspace() or c in "@:<>\"" for c in user):
            found.append(AccountProblem.USERNAME)
        domain = self.domain.strip()
        if not domain or any(c.isspace() or c in "@<>\"/" for c in domain):
            found.append(AccountProblem.DOMAIN)
        return found

    def account(self, password: str, expires: int = 600) -> Account:
        return Account(self.username.strip(), password, self.domain.strip(),
                       display_name=self.display_name.strip(), expires=expires)

    def ssl_context(self) -> ssl.SSLContext | None:
        """For wss://: the system's trust, plus ``ca_file`` when given
        (``OSError``/``ssl.SSLError`` when that file cannot be read)."""
        if not self.url.strip().startswith("wss://"):
            return None
        context = ssl.create_default_context()
        if self.ca_file.strip():
            context.load_verify_locations(cafile=self.ca_file.strip())
        return context


class RegistrationOutcome(enum.Enum):
    OK = "ok"
    WRONG_PASSWORD = "wrong_password"  # 401/403/407 after our credentials
    UNREACHABLE = "unreachable"  # no websocket (address, port, TLS, not a SIP server)
    TIMEOUT = "timeout"  # connected, but no final answer in time
    REFUSED = "refused"  # another final answer (404 unknown user, 5xx …)
    BAD_SETTINGS = "bad_settings"


@dataclass(frozen=True)
class RegistrationCheck:
    outcome: RegistrationOutcome
    status: int | None = None  # the SIP status of the final answer
    detail: str = ""


async def check_registration(settings: SipAccountSettings, password: str,
                             timeout: float = 10.0) -> RegistrationCheck:
    """Register once with ``password``; unregister again when it worked."""
    from core.sip.phone import SipPhone

    if settings.problems():
        return RegistrationCheck(RegistrationOutcome.BAD_SETTINGS,
                                 detail=", ".join(p.value for p in settings.problems()))
    try:
        context = settings.ssl_context()
    except (OSError, ssl.SSLError) as exc:
        return RegistrationCheck(RegistrationOutcome.BAD_SETTINGS, detail=str(exc))
    loop = asyncio.get_running_loop()
    result: asyncio.Future[RegistrationDidChange] = loop.create_future()
    unreachable = asyncio.Event()

    def on_event(event: SipEvent) -> None:
        if isinstance(event, RegistrationDidChange) and not result.done() and \
                event.state in (RegistrationState.REGISTERED, RegistrationState.FAILED):
            result.set_result(event)

    def backoff() -> Iterator[float]:
        # Asked for the next delay only after a connection failed or dropped.
        while True:
            unreachable.set()
            yield 30.0

    phone = SipPhone(settings.account(password, expires=60), settings.url.strip(),
                     on_event=on_event, ssl_context=context, backoff=backoff, keepalive_s=None)
    phone.start()
    failed: asyncio.Future[object] = asyncio.ensure_future(unreachable.wait())
    waiting: set[asyncio.Future[object]] = {failed, result}  # type: ignore[arg-type]
    try:
        done, _ = await asyncio.wait(waiting, timeout=timeout,
                                     return_when=asyncio.FIRST_COMPLETED)
        if result in done:
            event = result.result()
            if event.state == RegistrationState.REGISTERED:
                return RegistrationCheck(RegistrationOutcome.OK, event.status)
            wrong = event.status in (401, 403, 407)
            return RegistrationCheck(
                RegistrationOutcome.WRONG_PASSWORD if wrong else RegistrationOutcome.REFUSED,
                event.status)
        if failed in done and phone.connections == 0:
            return RegistrationCheck(RegistrationOutcome.UNREACHABLE)
        return RegistrationCheck(RegistrationOutcome.TIMEOUT)
    finally:
        failed.cancel()
        with contextlib.suppress(Exception):
            await phone.stop(unregister=True, timeout=2.0)
