"""Registration of the phone's contact at the registrar (RFC 3261 §10).

REGISTER on connect, refreshed before the granted expiry runs out, again after a
reconnect; ``unregister`` sends Expires: 0. A final failure (wrong password: 401
or 403 after credentials; 404 unknown user …) is reported with its status and not
retried on its own until the next ``register``/reconnect.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.sip.events import RegistrationDidChange, RegistrationState
from core.sip.message import Request, Response, parse_name_addr

if TYPE_CHECKING:
    from core.sip.user_agent import UserAgent

__all__ = ["Account", "Registrator", "refresh_delay"]

# A failure of the network (not of the credentials) is retried after this long.
RETRY_AFTER_S = 30.0


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    domain: str
    display_name: str = ""
    auth_username: str | None = None
    expires: int = 600
    user_agent: str = "Zuoxi"

    @property
    def aor(self) -> str:
        return f"sip:{self.username}@{self.domain}"

    @property
    def address(self) -> str:
        name = self.display_name.replace('"', "")
        return (f'"{name}" ' if name else "") + f"<{self.aor}>"


def refresh_delay(expires: int) -> float:
    """Refresh well before the binding expires (half-way for short expiries)."""
    return float(max(1.0, expires - min(expires / 2, 30.0)))


class Registrator:
    def __init__(self, account: Account, agent: UserAgent) -> None:
        self.account = account
        self.agent = agent
        self.state = RegistrationState.UNREGISTERED
        self.wanted = False
        self.call_id = secrets.token_hex(12)
        self.cseq = 0
        self.expires: int | None = None
        self.refresh_at: float | None = None
        self._in_flight: Request | None = None

    def next_deadline(self) -> float | None:
        return self.refresh_at

    def _set(self, state: RegistrationState, status: int | None = None,
             expires: int | None = None) -> None:
        self.state = state
        self.agent.emit(RegistrationDidChange(state, status, expires))

    def register(self, now: float) -> None:
        self.wanted = True
        if self.agent.connected:
            self._send(now, self.account.expires)

    def unregister(self, now: float) -> None:
        self.wanted = False
        self.refresh_at = None
        if self.agent.connected and self.state == RegistrationState.REGISTERED:
            self._send(now, 0)
        elif self.state != RegistrationState.UNREGISTERED:
            self._set(RegistrationState.UNREGISTERED)

    def transport_did_connect(self, now: float) -> None:
        if self.wanted:
            self._send(now, self.account.expires)

    def transport_did_drop(self, now: float) -> None:
        self.refresh_at = None
        self._in_flight = None
        if self.state != RegistrationState.UNREGISTERED and self.state != \
                RegistrationState.FAILED:
            self._set(RegistrationState.UNREGISTERED)

    def tick(self, now: float) -> None:
        if self.refresh_at is not None and now >= self.refresh_at:
            self.refresh_at = None
            if self.wanted and self.agent.connected:
                self._send(now, self.account.expires)

    def request_was_resent(self, old: Request, new: Request) -> None:
        if self._in_flight is old:
            self._in_flight = new
            self.cseq = new.cseq[0]

    def _send(self, now: float, expires: int) -> None:
        self.cseq += 1
        agent = self.agent
        request = Request(method="REGISTER", uri=f"sip:{self.account.domain}", headers=[
            ("Via", agent.via()), ("Max-Forwards", "70"),
            ("From", f"{self.account.address};tag={secrets.token_hex(6)}"),
            ("To", self.account.address), ("Call-ID", self.call_id),
            ("CSeq", f"{self.cseq} REGISTER"),
            ("Contact", f'{agent.contact};+sip.instance="<urn:uuid:{agent.instance_id}>";'
                        f"expires={expires}"),
            ("Expires", str(expires)),
            ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE"),
            ("User-Agent", self.account.user_agent),
        ])
        self._in_flight = request
        if expires and self.state != RegistrationState.REGISTERED:
            self._set(RegistrationState.REGISTERING)
        agent.send_request(request, now, lambda r, t: self._response(expires, r, t))

    def _granted(self, response: Response, asked: int) -> int:
        for value in response.header_values("Contact"):
            try:
                addr = parse_name_addr(value)
            except ValueError:
                continue
            if self.agent.contact_host in addr.uri and "expires" in addr.params:
                try:
                    return int(addr.params["expires"])
                except ValueError:
                    break
        header = response.header("Expires")
        if header is not None and header.strip().isdigit():
            return int(header.strip())
        return asked

    def _response(self, asked: int, response: Response, now: float) -> None:
        if response.status < 200:
            return
        if 200 <= response.status < 300:
            if asked == 0:
                self._set(RegistrationState.UNREGISTERED, response.status)
                return
            granted = self._granted(response, asked)
            self.expires = granted
            self.refresh_at = now + refresh_delay(granted) if self.wanted else None
            self._set(RegistrationState.REGISTERED, response.status, granted)
            return
        if response.status == 423:
            minimum = response.header("Min-Expires")
            if minimum and minimum.strip().isdigit() and self.wanted:
                self.account = _with_expires(self.account, int(minimum.strip()))
                self._send(now, self.account.expires)
                return
        if asked == 0:
            self._set(RegistrationState.UNREGISTERED, response.status)
            return
        self._set(RegistrationState.FAILED, response.status)
        if response.status in (408, 480, 500, 503, 504) and self.wanted:
            self.refresh_at = now + RETRY_AFTER_S


def _with_expires(account: Account, expires: int) -> Account:
    return Account(account.username, account.password, account.domain, account.display_name,
                   account.auth_username, expires, account.user_agent)


