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
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.store.health import lost_connection, storage_problem

log = logging.getLogger(__name__)

CLOSE_TRY_LATER = 1013
INTERVAL_S = 1.0
# Above the driver's connect timeout (2 s, hub/store/base.py): a check that hangs
# longer is a link that carries nothing (a query on a silently cut connection).
TIMEOUT_S = 3.0
REFUSAL = (b'{"error": {"code": "unavailable", '
           b'"message": "this hub process cannot reach its database"}}')


class LinkProbe:
    """``SELECT 1`` on a connection of its own, kept open between checks, and a
    new connection when that one broke (a reset link fails the first at once and
    the second within the connect timeout; a restarted server answers the second).
    A check never waits for the pool. Thread: the watch's thread only."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self._conn: psycopg.Connection[Any] | None = None

    def problem(self) -> str | None:
        if self._conn is not None:
            try:
                self._conn.execute("SELECT 1")
                return None
            except psycopg.Error:
                self.close()  # a broken connection; whether the database answers, a new one says
        try:
            self._conn = psycopg.connect(self.conninfo, autocommit=True,
                                         application_name="zuoxi-database-watch")
            self._conn.execute("SELECT 1")
        except psycopg.Error as exc:
            self.close()
            return storage_problem(exc)
        return None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None


class DatabaseWatch:
    """Checks on a thread of its own, so a cut is noticed while the event loop is
    stuck in a database call (the loop only receives the closing of sockets).
    Thread: ``start``/``stop``/``track`` on the event loop; ``lost`` is read anywhere."""

    def __init__(self, problem: Callable[[], str | None], interval_s: float = INTERVAL_S,
                 timeout_s: float = TIMEOUT_S, close: Callable[[], None] | None = None) -> None:
        """``problem`` is blocking (it runs on the watch's probe thread): the
        database's problem, or None when it answers; ``close`` runs there at stop."""
        self._problem = problem
        self._close = close
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.lost: str | None = None  # the problem while the database is unreachable
        self.checked = False  # a first check has finished
        self._closers: set[Callable[[], None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        # The probe runs on one more thread, so that a probe hanging on a silently
        # cut connection is given up after timeout_s while the watch goes on.
        self._probe = ThreadPoolExecutor(1, thread_name_prefix="database-probe")
        self._pending: Future[str | None] | None = None
        self._stop = threading.Event()
        self._soon = threading.Event()
        self._thread = threading.Thread(target=self._run, name="database-watch", daemon=True)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        self._soon.set()
        if self._thread.is_alive():
            await asyncio.to_thread(self._thread.join, self.timeout_s + 1)
        if self._close is not None:
            self._probe.submit(self._close)
        self._probe.shutdown(wait=False)

    def problem(self) -> str | None:
        """For /readyz: the database's problem as of the last check."""
        return self.lost if self.checked else "the database has not been checked yet"

    def fail_fast(self, engine: Engine) -> None:
        """While the database is lost, a new connection of ``engine``'s pool fails at
        once instead of waiting for the connect timeout: most of the hub's database
        work runs on the event loop, and each such wait would stop the process (its
        other clients, /readyz, the closing of its sockets). The watch's own probe
        does not use the pool, so it still finds the database when it is back."""

        @sa.event.listens_for(engine, "do_connect")
        def _refuse_while_lost(*_args: Any) -> None:
            if self.lost is not None:
                raise psycopg.OperationalError(f"the database is out of reach ({self.lost})")

    def storage_failed(self, exc: BaseException) -> None:
        """A command met a broken link (hub.store.health calls this from any thread):
        check now rather than at the next tick."""
        if lost_connection(exc):
            self._soon.set()

    def track(self, close: Callable[[], None]) -> Callable[[], None]:
        """Register an open socket's ``close``; returns the call that forgets it."""
        self._closers.add(close)
        return lambda: self._closers.discard(close)

    def check(self) -> str | None:
        """One check (blocking; the watch's thread, or a test)."""
        if self._pending is None or self._pending.done():
            self._pending = self._probe.submit(self._problem)
        try:
            problem = self._pending.result(self.timeout_s)
        except FutureTimeout:
            problem = f"the database did not answer within {self.timeout_s:g} s"
        if problem is not None and self.lost is None:
            log.error("the database is unreachable (%s): closing %d websockets so that "
                      "their clients move to another hub process", problem, len(self._closers))
            self.lost = problem
            self._on_loop(self._close_all)
        elif problem is None and self.lost is not None:
            log.warning("the database answers again: taking websockets again")
            self.lost = None
        elif problem is not None:
            self.lost = problem
        self.checked = True
        return problem

    def _close_all(self) -> None:
        for close in list(self._closers):
            close()

    def _on_loop(self, call: Callable[[], None]) -> None:
        if self._loop is None:
            call()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed: nothing to close
                self._loop.call_soon_threadsafe(call)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._soon.clear()
            try:
                self.check()
            except Exception:
                log.exception("database watch: a check failed")
            self._soon.wait(self.interval_s)


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
