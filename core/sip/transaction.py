"""SIP transactions (RFC 3261 §17), sans-I/O: time is an explicit input.

``TransactionLayer`` matches messages to client and server transactions, absorbs
retransmissions, sends the ACK for a failed INVITE, and reports time-outs. Every
call takes ``now`` (seconds, any monotonic origin); ``next_deadline()`` says when
``tick`` must be called next. Messages to send are collected in ``outgoing``.

On a reliable transport (websocket) no request or response is retransmitted and
the "wait for stray retransmissions" timers (D, I, J, K) are zero.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.sip.message import Message, Request, Response

__all__ = [
    "ClientTransaction",
    "ServerTransaction",
    "Timers",
    "TransactionLayer",
    "TxState",
    "ack_for_failure",
    "make_response",
]


class TxState(enum.Enum):
    CALLING = "calling"
    TRYING = "trying"
    PROCEEDING = "proceeding"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"
    TERMINATED = "terminated"


@dataclass(frozen=True)
class Timers:
    t1: float = 0.5
    t2: float = 4.0
    t4: float = 5.0


def make_response(request: Request, status: int, reason: str, *, to_tag: str | None = None,
                  body: bytes = b"", extra: Iterable[tuple[str, str]] = ()) -> Response:
    """A response copying Via, From, To, Call-ID, CSeq (and Record-Route) from the request."""
    headers: list[tuple[str, str]] = []
    for name, value in request.headers:
        keep_route = name == "Record-Route" and 100 < status < 300
        if name in ("Via", "From", "Call-ID", "CSeq") or keep_route:
            headers.append((name, value))
        elif name == "To":
            if to_tag and request.to.tag is None and status > 100:
                value = f"{value};tag={to_tag}"
            headers.append((name, value))
    headers.extend(extra)
    return Response(headers=headers, body=body, status=status, reason=reason)


def ack_for_failure(request: Request, response: Response) -> Request:
    """The ACK a client INVITE transaction sends for a 3xx–6xx (§17.1.1.3)."""
    headers = [("Via", request.require("Via")), ("Max-Forwards", "70")]
    headers += [(n, v) for n, v in request.headers if n == "Route"]
    headers += [("From", request.require("From")), ("To", response.require("To")),
                ("Call-ID", request.call_id), ("CSeq", f"{request.cseq[0]} ACK")]
    return Request(headers=headers, method="ACK", uri=request.uri)


@dataclass
class _Tx:
    request: Request
    reliable: bool
    timers: Timers
    state: TxState
    deadlines: dict[str, float] = field(default_factory=dict)
    outbox: list[Message] = field(default_factory=list)

    @property
    def is_invite(self) -> bool:
        return self.request.method == "INVITE"

    def next_deadline(self) -> float | None:
        return min(self.deadlines.values()) if self.deadlines else None

    def _due(self, now: float) -> list[str]:
        names = [n for n, at in self.deadlines.items() if at <= now]
        for name in names:
            del self.deadlines[name]
        return sorted(names)

    def _terminate(self) -> None:
        self.state = TxState.TERMINATED
        self.deadlines.clear()

    def _linger(self, now: float, unreliable_wait: float) -> None:
        """Timers D, I, J, K: wait for strays, or end now on a reliable transport."""
        if self.reliable:
            self._terminate()
        else:
            self.deadlines["linger"] = now + unreliable_wait


class ClientTransaction(_Tx):
    """Sends one request, delivers its responses, times out after 64·T1."""

    def __init__(self, request: Request, now: float, *, reliable: bool = True,
                 timers: Timers = Timers()) -> None:
        invite = request.method == "INVITE"
        super().__init__(request, reliable, timers, TxState.CALLING if invite else TxState.TRYING)
        self.final: Response | None = None
        self.timed_out = False
        self._interval = timers.t1
        self.outbox.append(request)
        self.deadlines["timeout"] = now + 64 * timers.t1
        if not reliable:
            self.deadlines["retransmit"] = now + timers.t1

    def receive(self, response: Response, now: float) -> bool:
        """Feed a matching response; True when the transaction user should see it."""
        if self.state in (TxState.COMPLETED, TxState.TERMINATED):
            if self.is_invite and self.state == TxState.COMPLETED and response.status >= 300:
                self.outbox.append(ack_for_failure(self.request, response))
            return False
        if response.status < 200:
            self.state = TxState.PROCEEDING
            if self.is_invite:
                self.deadlines.pop("retransmit", None)
            return True
        self.final = response
        if self.is_invite and response.status < 300:
            self._terminate()  # the dialog layer ACKs a 2xx itself
            return True
        if self.is_invite:
            self.outbox.append(ack_for_failure(self.request, response))
        self.state = TxState.COMPLETED
        self.deadlines.clear()
        self._linger(now, 32.0 if self.is_invite else self.timers.t4)
        return True

    def tick(self, now: float) -> None:
        for name in self._due(now):
            if name == "timeout" and self.state in (TxState.CALLING, TxState.TRYING,
                                                    TxState.PROCEEDING):
                self.timed_out = True
                self._terminate()
            elif name == "retransmit" and self.state != TxState.TERMINATED:
                self.outbox.append(self.request)
                if self.is_invite:
                    self._interval *= 2
                else:
                    self._interval = min(self._interval * 2, self.timers.t2)
                self.deadlines["retransmit"] = now + self._interval
            elif name == "linger":
                self._terminate()


class ServerTransaction(_Tx):
    """Holds one received request; answers its retransmissions with the last response."""

    def __init__(self, request: Request, now: float, *, reliable: bool = True,
                 timers: Timers = Timers()) -> None:
        invite = request.method == "INVITE"
        super().__init__(request, reliable, timers,
                         TxState.PROCEEDING if invite else TxState.TRYING)
        self.last_response: Response | None = None
        self.timed_out = False
        self._interval = timers.t1

    def respond(self, response: Response, now: float) -> None:
        if self.state in (TxState.COMPLETED, TxState.CONFIRMED, TxState.TERMINATED):
            raise RuntimeError(f"{self.request.method} already answered "
                               f"({self.last_response.status if self.last_response else '?'})")
        self.last_response = response
        self.outbox.append(response)
        if response.status < 200:
            self.state = TxState.PROCEEDING
            return
        if self.is_invite and response.status < 300:
            self._terminate()  # 2xx retransmission belongs to the dialog (reliable: none)
            return
        self.state = TxState.COMPLETED
        if self.is_invite:
            self.deadlines["timeout"] = now + 64 * self.timers.t1
            if not self.reliable:
                self.deadlines["retransmit"] = now + self.timers.t1
        else:
            self._linger(now, 64 * self.timers.t1)

    def receive_retransmission(self, request: Request, now: float) -> None:
        if request.method == "ACK":
            if self.is_invite and self.state == TxState.COMPLETED:
                self.state = TxState.CONFIRMED
                self.deadlines.clear()
                self._linger(now, self.timers.t4)
            return
        if self.last_response is not None and self.state != TxState.TERMINATED:
            self.outbox.append(self.last_response)

    def tick(self, now: float) -> None:
        for name in self._due(now):
            if name == "timeout" and self.state == TxState.COMPLETED:
                self.timed_out = True  # no ACK came for our failure response
                self._terminate()
            elif name == "retransmit" and self.state == TxState.COMPLETED:
                assert self.last_response is not None
                self.outbox.append(self.last_response)
                self._interval = min(self._interval * 2, self.timers.t2)
                self.deadlines["retransmit"] = now + self._interval
            elif name == "linger":
                self._terminate()


def _client_key(message: Message) -> tuple[str, str]:
    method = message.cseq[1]
    return message.top_via.branch, method


def _server_key(request: Request) -> tuple[str, str]:
    method = "INVITE" if request.method == "ACK" else request.method
    return request.top_via.branch, method


class TransactionLayer:
    """All live transactions of one user agent on one transport."""

    def __init__(self, *, reliable: bool = True, timers: Timers = Timers()) -> None:
        self.reliable = reliable
        self.timers = timers
        self.clients: dict[tuple[str, str], ClientTransaction] = {}
        self.servers: dict[tuple[str, str], ServerTransaction] = {}
        self._loose: list[Message] = []

    def send_request(self, request: Request, now: float) -> ClientTransaction:
        tx = ClientTransaction(request, now, reliable=self.reliable, timers=self.timers)
        self.clients[_client_key(request)] = tx
        return tx

    def send_stateless(self, message: Message) -> None:
        """An ACK for a 2xx (or anything outside a transaction)."""
        self._loose.append(message)

    def receive_response(self, response: Response, now: float) -> ClientTransaction | None:
        """The transaction the response belongs to, if the user should see it."""
        tx = self.clients.get(_client_key(response))
        if tx is None:
            return None
        return tx if tx.receive(response, now) else None

    def receive_request(self, request: Request, now: float) -> ServerTransaction | None:
        """A new server transaction for a new request; None when the request was a
        retransmission or the ACK of a failed INVITE (both absorbed here). An ACK
        for a 2xx matches nothing and is returned as None by ``absorb_ack``."""
        key = _server_key(request)
        existing = self.servers.get(key)
        if existing is not None and existing.state != TxState.TERMINATED:
            existing.receive_retransmission(request, now)
            return None
        if request.method == "ACK":
            raise ValueError("ACK is matched with absorb_ack")
        tx = ServerTransaction(request, now, reliable=self.reliable, timers=self.timers)
        self.servers[key] = tx
        return tx

    def absorb_ack(self, request: Request, now: float) -> bool:
        """True when an ACK belonged to a failed INVITE (handled here); False for the
        ACK of a 2xx, which the dialog handles."""
        existing = self.servers.get(_server_key(request))
        if existing is None or existing.state not in (TxState.COMPLETED, TxState.CONFIRMED):
            return False
        existing.receive_retransmission(request, now)
        return True

    def tick(self, now: float) -> list[ClientTransaction | ServerTransaction]:
        """Run due timers; returns the transactions that timed out just now."""
        timed_out: list[ClientTransaction | ServerTransaction] = []
        everything: list[ClientTransaction | ServerTransaction] = [
            *self.clients.values(), *self.servers.values()]
        for tx in everything:
            was = tx.state
            tx.tick(now)
            if tx.timed_out and was != TxState.TERMINATED:
                timed_out.append(tx)
        return timed_out

    def take_outgoing(self) -> list[Message]:
        out: list[Message] = []
        for table in (self.clients, self.servers):
            for tx in table.values():
                out.extend(tx.outbox)
                tx.outbox.clear()
        out.extend(self._loose)
        self._loose.clear()
        self._collect()
        return out

    def _collect(self) -> None:
        for table in (self.clients, self.servers):
            for key in [k for k, tx in table.items()
                        if tx.state == TxState.TERMINATED and not tx.outbox]:
                del table[key]

    def next_deadline(self) -> float | None:
        times = [t for table in (self.clients, self.servers) for tx in table.values()
                 if (t := tx.next_deadline()) is not None]
        return min(times) if times else None
