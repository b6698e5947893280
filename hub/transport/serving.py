"""How the hub meets the network: uvicorn's settings, the guard on each HTTP
connection before the app sees it, and the descriptor budget.

Slowloris (finding 5): 2,000 connections that send headers slowly, or never
finish them, each hold a descriptor; at the process's limit the server can no
longer accept anyone. So a connection must finish its request headers within
``header_timeout_s``, and one address may hold at most ``half_open_per_address``
connections whose headers are not yet complete (``half_open_per_address``; a
burst beyond that gets ``burst_timeout_s``, and past ``half_open_hard_cap`` a
connection is closed at once), before any websocket is accepted. The soft
descriptor limit is raised to the hard one at start; the budget is logged.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from hub.transport.ratelimit import LogBudget

log = logging.getLogger(__name__)


@dataclass
class GuardSettings:
    header_timeout_s: float = 10.0
    # Up to this many connections of one address may take header_timeout_s; the
    # next ones (a burst whose headers are still in flight: every widget behind one
    # office's address reconnecting at once) get burst_timeout_s; past
    # half_open_hard_cap they are closed at once.
    half_open_per_address: int = 64
    burst_timeout_s: float = 1.0
    half_open_hard_cap: int = 256


class HalfOpen:
    """Connections per address whose request headers are not complete yet."""

    def __init__(self, settings: GuardSettings) -> None:
        self.settings = settings
        self._counts: dict[str, int] = {}
        self.admitted = 0
        self.refused = 0
        self.timed_out = 0
        self._trouble = LogBudget(log, lines=2, period_s=60.0)

    def open(self, address: str) -> float | None:
        """How long this new connection has to finish its headers; None: refused."""
        n = self._counts.get(address, 0)
        if n >= self.settings.half_open_hard_cap:
            self.refused += 1
            self._trouble.log(logging.WARNING, "refusing connections from %s: %d with "
                              "unfinished headers", address, n)
            return None
        self._counts[address] = n + 1
        self.admitted += 1
        if n >= self.settings.half_open_per_address:
            return self.settings.burst_timeout_s
        return self.settings.header_timeout_s

    def done(self, address: str) -> None:
        n = self._counts.get(address, 0) - 1
        if n <= 0:
            self._counts.pop(address, None)
        else:
            self._counts[address] = n

    def count(self, address: str) -> int:
        return self._counts.get(address, 0)


def guarded_protocol(half_open: HalfOpen) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with the header timeout and the per-address cap."""

    class GuardedH11Protocol(H11Protocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._address: str | None = None  # while counted as half-open
            self._header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            address = self.client[0] if self.client else "unknown"
            timeout = half_open.open(address)
            if timeout is None:
                transport.abort()
                return
            self._address = address
            self._header_timer = self.loop.call_later(timeout, self._headers_too_slow)

        def _headers_too_slow(self) -> None:
            if self._address is not None:
                half_open.timed_out += 1
                self._release()
                self.transport.abort()

        def _release(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            if self._address is not None:
                half_open.done(self._address)
                self._address = None

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            # Headers complete: a request cycle began, or the websocket took over.
            if self._address is not None and (
                self.scope is not None or self.transport.get_protocol() is not self
            ):
                self._release()

        def connection_lost(self, exc: Exception | None) -> None:
            self._release()
            super().connection_lost(exc)

    return GuardedH11Protocol


def descriptor_budget() -> int:
    """Raise the soft limit on open files to the hard one; the budget it gives."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = max(soft, 65_536)
    if soft != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-file limit from %d: %s", soft, exc)
    return soft


def uvicorn_config(
    app: Any,
    half_open: HalfOpen,
    *,
    log_level: str = "warning",
    ws_max_size: int = 64 * 1024,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    trusted_proxies: list[str] | None = None,
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=guarded_protocol(half_open),
        log_level=log_level,
        ws="websockets-sansio",
        ws_max_size=ws_max_size,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        lifespan="on",
        # Forwarded headers name the client only when a configured proxy sent them;
        # uvicorn's default believes any peer on loopback (finding 11).
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=list(trusted_proxies or []) or None,
        # An idle keep-alive connection holds a descriptor too.
        timeout_keep_alive=5,
    )
