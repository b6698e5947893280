"""A hub process that lost its database lets its clients go elsewhere.

Behind a load balancer, a process that cannot reach PostgreSQL (a network cut
between it and the database) would otherwise keep its agents' and customers'
websockets: every command would fail until the link came back, while another
process could serve them. ``DatabaseWatch`` asks the database ``SELECT 1`` every
``interval_s`` (in a worker thread, bounded by ``timeout_s``); when it fails, the
process closes every websocket with 1013 ("try again later") so that the
desktops and the widget reconnect (through the proxy, to another process), and
``SocketsWhileCutOff`` answers new websocket handshakes 503 (nginx then tries the
next upstream) until a check succeeds again. No restart is needed either way.
Thread: the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

CLOSE_TRY_LATER = 1013
INTERVAL_S = 1.0
TIMEOUT_S = 5.0  # above the driver's connect timeout (hub/store/base.py), which ends it
REFUSAL = b'{"error": {"code": "unavailable", "message": "this hub process cannot reach its database"}}'


class DatabaseWatch:
    def __init__(self, problem: Callable[[], str | None], interval_s: float = INTERVAL_S,
                 timeout_s: float = TIMEOUT_S) -> None:
        """``problem`` is blocking (it runs in a worker thread): the database's
        problem, or None when it answers."""
        self._problem = problem
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.lost: str | None = None  # the problem while the database is unreachable
        self._closers: set[Callable[[], None]] = set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="database-watch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def track(self, close: Callable[[], None]) -> Callable[[], None]:
        """Register an open socket's ``close``; returns the call that forgets it."""
        self._closers.add(close)
        return lambda: self._closers.discard(close)

    async def check(self) -> str | None:
        try:
            problem = await asyncio.wait_for(asyncio.to_thread(self._problem), self.timeout_s)
        except TimeoutError:
            problem = f"the database did not answer within {self.timeout_s:.0f} s"
        if problem is not None and self.lost is None:
            log.error("the database is unreachable (%s): closing %d websockets so that "
                      "their clients move to another hub process", problem, len(self._closers))
            self.lost = problem
            for close in list(self._closers):
                close()
        elif problem is None and self.lost is not None:
            log.warning("the database answers again: taking websockets again")
            self.lost = None
        elif problem is not None:
            self.lost = problem
        return problem

    async def _run(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self.interval_s)


class SocketsWhileCutOff:
    """Refuses websocket handshakes (503) while the watch finds the database lost,
    and lets the watch close open websockets (1013) when it is lost."""

    def __init__(self, app: ASGIApp, watch: DatabaseWatch) -> None:
        self.app = app
        self.watch = watch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        if self.watch.lost is not None:
            await self._refuse(scope, send)
            return
        closed = False
        accepted = False

        def close() -> None:
            nonlocal closed
            if closed or not accepted:
                return
            closed = True
            # Sent from the watch's task; the endpoint's later frames are dropped and
            # its next receive gets the disconnect.
            asyncio.get_running_loop().create_task(_quietly(send({
                "type": "websocket.close", "code": CLOSE_TRY_LATER,
                "reason": "this hub process lost its database"})))

        async def guarded(message: Message) -> None:
            nonlocal accepted
            if closed:
                return
            if message["type"] == "websocket.accept":
                accepted = True
            await send(message)

        forget = self.watch.track(close)
        try:
            await self.app(scope, receive, guarded)
        finally:
            forget()

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if "websocket.http.response" in scope.get("extensions", {}):
            await send({"type": "websocket.http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"retry-after", b"5")]})
            await send({"type": "websocket.http.response.body", "body": REFUSAL})
        else:
            await send({"type": "websocket.close", "code": CLOSE_TRY_LATER})


async def _quietly(sending: object) -> None:
    with contextlib.suppress(Exception):
        await sending  # type: ignore[misc]
