"""The SIP phone on asyncio: a ``UserAgent`` over one websocket (RFC 7118,
subprotocol ``sip``), reconnecting with backoff and registering again.

Thread: one event loop (the media thread's in the desktop); every method must be
called on it. Events from the user agent are handed to ``on_event`` in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable, Iterator
from typing import Any

from core.sip.events import (
    KeepaliveDidFail,
    RegistrationDidChange,
    RegistrationState,
    SipEvent,
)
from core.sip.registrator import Account
from core.sip.user_agent import UserAgent
from core.tasks import BackgroundTasks

__all__ = ["SipPhone", "backoff_delays"]

log = logging.getLogger(__name__)

EventHandler = Callable[[SipEvent], None]


def backoff_delays(first: float = 0.5, factor: float = 2.0, cap: float = 30.0) -> Iterator[float]:
    """0.5, 1, 2, 4 … seconds, capped; starts again after a good connection."""
    delay = first
    while True:
        yield delay
        delay = min(delay * factor, cap)


class SipPhone:
    def __init__(self, account: Account, url: str, *, on_event: EventHandler,
                 ssl_context: ssl.SSLContext | None = None,
                 backoff: Callable[[], Iterator[float]] = backoff_delays,
                 keepalive_s: float | None = 30.0) -> None:
        if not url.startswith(("ws://", "wss://")):
            raise ValueError(f"a SIP websocket URL starts with ws:// or wss://, not {url!r}")
        self.url = url
        self.agent = UserAgent(account, keepalive_s=keepalive_s)
        self._on_event = on_event
        self._ssl = ssl_context
        self._backoff = backoff
        self._loop = asyncio.get_running_loop()
        self._ws: Any = None
        self._outgoing: asyncio.Queue[str] = asyncio.Queue()
        self._timer: asyncio.TimerHandle | None = None
        self._tasks = BackgroundTasks("sip-phone", logger=log)
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False
        self.connected = asyncio.Event()
        self._not_registered = asyncio.Event()
        self.connections = 0  # successful websocket connections so far

    # ---- lifecycle ----------------------------------------------------------------

    def start(self, register: bool = True) -> None:
        if register:
            self.agent.register(self._loop.time())
        self._runner = self._tasks.spawn(self._run(), name="sip-phone")

    async def stop(self, unregister: bool = True, timeout: float = 3.0) -> None:
        if unregister and self.agent.connected:
            self.agent.unregister(self._loop.time())
            self._pump()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._not_registered.wait(), timeout)
        self._stopping = True
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        if self._timer is not None:
            self._timer.cancel()

    async def drop_connection(self) -> None:
        """Close the websocket as a network failure would (tests, and "reconnect now")."""
        if self._ws is not None:
            self._ws.transport.abort()

    async def _run(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidHandshake
        from websockets.typing import Subprotocol

        delays = self._backoff()
        writer: asyncio.Task[None] | None = None
        while not self._stopping:
            try:
                async with connect(self.url, subprotocols=[Subprotocol("sip")],
                                   ssl=self._ssl if self.url.startswith("wss") else None,
                                   open_timeout=10, ping_interval=20, compression=None,
                                   proxy=None) as ws:
                    if ws.subprotocol != "sip":
                        raise InvalidHandshake("the server did not accept subprotocol 'sip'")
                    self._ws = ws
                    self._outgoing = asyncio.Queue()
                    writer = self._tasks.spawn(self._write(ws, self._outgoing))
                    self.connections += 1
                    delays = self._backoff()
                    self.agent.transport_did_connect(self._loop.time())
                    self.connected.set()
                    self._pump()
                    async for frame in ws:
                        self.agent.receive(frame, self._loop.time())
                        self._pump()
            except (TimeoutError, OSError, ConnectionClosed, InvalidHandshake) as exc:
                log.info("SIP websocket %s: %s", self.url, exc)
            finally:
                if writer is not None:
                    writer.cancel()
                    writer = None
                if self._ws is not None:
                    self._ws = None
                    self.connected.clear()
                    self.agent.transport_did_drop(self._loop.time())
                    self._pump()
            if self._stopping:
                return
            await asyncio.sleep(next(delays))

    # ---- the user agent's clock and output ----------------------------------------

    def _pump(self) -> None:
        """Send what the agent wants sent, hand out its events, re-arm its timer."""
        frames = self.agent.data_to_send()
        if self._ws is not None:
            for frame in frames:
                self._outgoing.put_nowait(frame)
        for event in self.agent.events():
            if isinstance(event, KeepaliveDidFail):
                log.warning("SIP keepalive unanswered: reconnecting to %s", self.url)
                self._tasks.spawn(self.drop_connection())
            if isinstance(event, RegistrationDidChange):
                if event.state == RegistrationState.REGISTERED:
                    self._not_registered.clear()
                else:
                    self._not_registered.set()
            try:
                self._on_event(event)
            except Exception:
                log.exception("SIP event handler failed on %s", event)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadline = self.agent.next_deadline()
        if deadline is not None:
            self._timer = self._loop.call_at(deadline, self._tick)

    def _tick(self) -> None:
        self._timer = None
        self.agent.tick(self._loop.time())
        self._pump()

    async def _write(self, ws: Any, queue: asyncio.Queue[str]) -> None:
        """The one writer of a connection, so frames leave in order."""
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            while True:
                await ws.send(await queue.get())

    def now(self) -> float:
        return self._loop.time()

    def command(self, action: Callable[[UserAgent, float], Any]) -> Any:
        """Run one user-agent command now and flush its output."""
        result = action(self.agent, self._loop.time())
        self._pump()
        return result
