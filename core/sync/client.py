"""The asyncio I/O around ``AgentSession``: one websocket to the hub's ``/agent``.

It keeps the connection up (exponential backoff with jitter between attempts,
an immediate retry after a resync), feeds decoded frames to the session and carries
out its actions through a ``SyncDelegate`` (the agent service, which owns the
cache). The connection state is published to the delegate; the client imports no
Qt and knows nothing about views. Thread: the loop's (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from core.protocol import (
    ErrorCode,
    ProtocolError,
    agent_server_decoder,
    assist,
    coaching,
    email,
    encode_text,
    followups,
    knowledge,
    profile,
    quality,
    reports,
    routing,
    supervision,
)
from core.protocol import call as calls
from core.protocol.agent import (
    ClientFrame,
    Command,
    Customers,
    Delivered,
    Event,
    FetchCustomers,
    ServerFrame,
    Snapshot,
    Typing,
    Welcome,
)
from core.protocol.sip_calls import SipCallLinked
from core.sync.catch_up import (
    LAZY_FRAME_BYTES,
    decode_large,
    event_cost,
    record_cost,
    slices,
    snapshot_slices,
)
from core.sync.session import (
    Action,
    AgentSession,
    ApplyEvents,
    ApplySnapshot,
    AuthRejected,
    CallFrameReceived,
    CustomersReceived,
    GoLive,
    ProfileFrameReceived,
    RejectOp,
    ResolveAck,
    Resync,
    RoutingFrameReceived,
    SendFrame,
    ServerError,
    SessionState,
    TypingChanged,
    WelcomeReceived,
)
from core.tasks import BackgroundTasks

log = logging.getLogger(__name__)

AUTH_CLOSE_CODE = 4401
REPLACED_CLOSE_CODE = 4409  # the agent signed in again elsewhere: as final as 4401
RECEIPT_CHUNK = 200  # the most one Delivered frame may hold (see core.protocol.agent)


class ConnectionState(enum.Enum):
    OFFLINE = enum.auto()  # not trying (not started, stopped, signed out)
    CONNECTING = enum.auto()
    ONLINE = enum.auto()  # live: the cache follows the hub
    RECONNECTING = enum.auto()  # waiting for the next attempt (see next_try_at)
    AUTH_FAILED = enum.auto()  # the hub refused the token; sign in again


@dataclass(frozen=True)
class ConnectionStatus:
    state: ConnectionState
    next_try_at: float | None = None  # time.time() of the next attempt, when RECONNECTING
    attempt: int = 0
    detail: str = ""


@dataclass
class Backoff:
    """Exponential backoff with "equal jitter": half fixed, half random."""

    initial: float = 0.5
    maximum: float = 30.0
    factor: float = 2.0
    rng: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        base = min(self.maximum, self.initial * self.factor ** max(0, attempt))
        return base / 2 + base / 2 * self.rng()


class SyncDelegate(Protocol):
    """What the client needs from its owner (the agent service)."""

    def last_seq(self) -> int | None: ...
    def welcome_received(self, welcome: Welcome) -> None: ...
    def snapshot_received(self, snapshot: Snapshot) -> None: ...
    def events_received(self, events: list[Event]) -> None: ...
    def customers_received(self, page: Customers, complete: bool) -> None: ...
    def profile_frame_received(
        self, frame: (profile.ProfileServerFrame | email.Emails | assist.AssistServerFrame
                      | coaching.LiveConversations | knowledge.KbServerFrame
                      | supervision.SupervisionServerFrame | quality.QaServerFrame
                      | reports.ReportsServerFrame | followups.FollowUps)
    ) -> None: ...
    def routing_frame_received(self, frame: routing.RoutingServerFrame) -> None: ...
    def went_live(self) -> None: ...
    def op_acked(self, op: str, seq: int | None) -> None: ...
    def op_rejected(self, op: str, code: str, message: str) -> None: ...
    def typing_received(self, conversation_id: str, active: bool) -> None: ...
    def call_frame_received(self, frame: calls.AgentServerFrame | SipCallLinked) -> None: ...
    def server_error(self, code: str, message: str) -> None: ...
    def connection_changed(self, status: ConnectionStatus) -> None: ...
    def pending_commands(self) -> list[Command]: ...
    def due_receipts(self) -> dict[str, list[str]]: ...
    def receipts_sent(self, message_ids: list[str]) -> None: ...


class _ReconnectError(Exception):
    def __init__(self, reason: str, *, immediate: bool) -> None:
        super().__init__(reason)
        self.immediate = immediate


class _AuthFailedError(Exception):
    pass


Connector = Callable[..., Any]


def _default_connector(url: str, **kwargs: Any) -> Any:
    # Imported here: websockets costs ~70 ms and is not needed to show a window.
    from websockets.asyncio.client import connect

    return connect(url, **kwargs)


class SyncClient:
    def __init__(
        self,
        url: str,
        token: str,
        delegate: SyncDelegate,
        *,
        backoff: Backoff | None = None,
        connector: Connector = _default_connector,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self._delegate = delegate
        self._session = AgentSession(token=token)
        self._backoff = backoff or Backoff()
        self._connector = connector
        self._clock = clock
        self._decoder = agent_server_decoder()
        self._ws: Any = None
        self._task: asyncio.Task[None] | None = None
        self._retry_now = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._send_lock = asyncio.Lock()
        self._status = ConnectionStatus(ConnectionState.OFFLINE)
        self._background = BackgroundTasks("sync", logger=log)
        self._went_live = False

    # ---- public API (loop thread) ----------------------------------------------------

    @property
    def status(self) -> ConnectionStatus:
        return self._status

    @property
    def session_state(self) -> SessionState:
        return self._session.state

    @property
    def running(self) -> bool:
        """The connection loop runs; it ends when the hub refuses the token (and
        ``set_token()`` starts it again), so a stopped loop never tries again."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="zuoxi-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._background.cancel_all()
        self._set_status(ConnectionStatus(ConnectionState.OFFLINE))

    def set_token(self, token: str) -> None:
        """Use a fresh token; restarts the connection loop if the old token was refused."""
        self._session.set_token(token)
        self.reconnect_now()
        if self._task is None or self._task.done():
            self.start()

    def reconnect_now(self) -> None:
        """Skip the backoff wait (the user asked, or the network came back)."""
        self._retry_now.set()

    def wake(self) -> None:
        """The outbox changed: send what is new, if live."""
        if self._session.is_live:
            self._spawn(self._flush())

    def send_typing(self, conversation_id: str, active: bool) -> None:
        """Ephemeral: dropped when not live."""
        if self._session.is_live:
            self._spawn(self._send(Typing(conversation_id=conversation_id, active=active)))

    def fetch_customers(self, op: str, tag: str, after: str | None, limit: int) -> bool:
        """Ask for a page of the store directory; False when not live (ask again later)."""
        if not self._session.is_live:
            return False
        self._spawn(self._send(FetchCustomers(op=op, tag=tag, after=after, limit=limit)))
        return True

    def send_call(self, frame: calls.AgentClientFrame) -> bool:
        """Call signalling goes out at once (in order) or not at all: it is live."""
        if self._ws is None or not self._session.is_live:
            return False
        self._spawn(self._send(frame))
        return True

    def request(
        self, frame: (profile.ProfileRead | email.FetchEmails | assist.ListSuggestionFeedback
                      | coaching.FetchLiveConversations | knowledge.KbRead
                      | supervision.SupervisionCommand | quality.QaRead
                      | reports.ReportsCommand)
    ) -> bool:
        """Send a read (fetch_*, search_*); False when not live (answer from the cache)."""
        if not self._session.is_live:
            return False
        self._spawn(self._send(frame))
        return True

    # ---- the connection loop ---------------------------------------------------------

    async def _run(self) -> None:
        attempt = 0
        while True:
            self._session.last_seq = self._delegate.last_seq()
            self._session.connecting()
            self._set_status(ConnectionStatus(ConnectionState.CONNECTING, attempt=attempt))
            immediate = False
            try:
                await self._connect_once()
                reason = "connection closed"
            except _AuthFailedError as exc:
                self._set_status(ConnectionStatus(ConnectionState.AUTH_FAILED, detail=str(exc)))
                return  # set_token() starts a new loop
            except _ReconnectError as exc:
                reason, immediate = str(exc), exc.immediate
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # network errors of every flavour
                reason = f"{type(exc).__name__}: {exc}"
            finally:
                self._ws = None
                self._session.connection_lost()
            if self._session.state is SessionState.AUTH_FAILED:
                self._set_status(ConnectionStatus(ConnectionState.AUTH_FAILED, detail=reason))
                return
            if self._went_live:
                attempt = 0
            delay = 0.05 if immediate else self._backoff.delay(attempt)
            attempt += 1
            log.info("sync: %s; next attempt in %.1fs", reason, delay)
            self._set_status(
                ConnectionStatus(
                    ConnectionState.RECONNECTING,
                    next_try_at=self._clock() + delay,
                    attempt=attempt,
                    detail=reason,
                )
            )
            self._retry_now.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._retry_now.wait(), delay)

    async def _connect_once(self) -> None:
        self._went_live = False
        try:
            connection = self._connector(
                self.url, open_timeout=10, max_size=None, ping_interval=20, ping_timeout=20
            )
            async with connection as ws:
                self._ws = ws
                try:
                    await self._perform(self._session.connection_opened())
                    while True:
                        try:
                            # Bytes: msgspec reads them directly, no str copy.
                            raw = await ws.recv(decode=False)
                        except _connection_closed_ok():
                            break
                        try:
                            frame = await self._decode(raw)
                        except ProtocolError as exc:
                            reason = f"bad frame from hub: {exc}"
                            raise _ReconnectError(reason, immediate=False) from None
                        await self._perform(self._session.frame_received(frame))
                except _ReconnectError:
                    await ws.close(1000, "resync")  # a clean goodbye, not an error
                    raise
                code = getattr(ws, "close_code", None)
        except Exception as exc:
            if _is_auth_refusal(exc):
                self._session.state = SessionState.AUTH_FAILED
                raise _AuthFailedError(str(exc)) from None
            raise
        if code in (AUTH_CLOSE_CODE, REPLACED_CLOSE_CODE):
            self._session.state = SessionState.AUTH_FAILED
            raise _AuthFailedError(
                ErrorCode.SESSION_REPLACED.value if code == REPLACED_CLOSE_CODE
                else "token refused")

    async def _decode(self, raw: bytes | str) -> ServerFrame:
        if len(raw) > LAZY_FRAME_BYTES and isinstance(raw, bytes):
            frame = await decode_large(raw)
            if frame is not False:
                return frame
        return self._decoder.decode(raw)

    async def _perform(self, actions: list[Action]) -> None:
        delegate = self._delegate
        for action in actions:
            match action:
                case SendFrame(frame):
                    await self._send(frame)
                case WelcomeReceived(welcome):
                    delegate.welcome_received(welcome)
                case ApplySnapshot(snapshot):
                    for part in snapshot_slices(snapshot):
                        delegate.snapshot_received(part)
                        await asyncio.sleep(0)  # let the window breathe between slices
                case ApplyEvents(events):
                    for batch in slices(events, event_cost):
                        delegate.events_received(batch)
                        await asyncio.sleep(0)
                    if self._session.is_live:
                        await self._send_receipts()
                case CustomersReceived(page):
                    chunks = list(slices(page.customers, record_cost)) or [[]]
                    for i, chunk in enumerate(chunks):
                        complete = i == len(chunks) - 1
                        delegate.customers_received(
                            Customers(op=page.op, customers=chunk, next_after=page.next_after),
                            complete,
                        )
                        await asyncio.sleep(0)
                case ProfileFrameReceived(frame):
                    delegate.profile_frame_received(frame)
                case RoutingFrameReceived(frame):
                    delegate.routing_frame_received(frame)
                case GoLive():
                    self._went_live = True
                    self._set_status(ConnectionStatus(ConnectionState.ONLINE))
                    delegate.went_live()
                    await self._flush()
                case ResolveAck(op, seq, _):
                    delegate.op_acked(op, seq)
                case RejectOp(op, code, message, _):
                    delegate.op_rejected(op, code, message)
                case TypingChanged(conversation_id, active):
                    delegate.typing_received(conversation_id, active)
                case CallFrameReceived(frame):
                    delegate.call_frame_received(frame)
                case ServerError(code, message):
                    delegate.server_error(code, message)
                case AuthRejected(code, message):
                    raise _AuthFailedError(f"{code}: {message}")
                case Resync(from_seq, reason):
                    raise _ReconnectError(f"resync after seq {from_seq}: {reason}", immediate=True)

    async def _flush(self) -> None:
        """Send the outbox in order (skipping what is in flight), then due receipts."""
        async with self._flush_lock:
            for command in self._delegate.pending_commands():
                if not self._session.is_live:
                    return
                if command.op in self._session.in_flight():
                    continue
                await self._perform(self._session.submit(command))
            await self._send_receipts()

    async def _send_receipts(self) -> None:
        for conversation_id, ids in self._delegate.due_receipts().items():
            for start in range(0, len(ids), RECEIPT_CHUNK):
                chunk = ids[start : start + RECEIPT_CHUNK]
                receipt = Delivered(conversation_id=conversation_id, message_ids=chunk)
                if not await self._send(receipt):
                    return
                self._delegate.receipts_sent(chunk)
                await asyncio.sleep(0)  # thousands of receipts after a long absence

    async def _send(self, frame: ClientFrame) -> bool:
        ws = self._ws
        if ws is None:
            return False
        try:
            async with self._send_lock:
                await ws.send(encode_text(frame))
            return True
        except Exception as exc:  # the receive loop notices the broken socket too
            log.info("sync: send failed: %s", exc)
            return False

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._background.spawn(coro, loop=asyncio.get_running_loop())

    def _set_status(self, status: ConnectionStatus) -> None:
        if status != self._status:
            self._status = status
            self._delegate.connection_changed(status)


def _connection_closed_ok() -> type[Exception]:
    from websockets.exceptions import ConnectionClosedOK

    return ConnectionClosedOK


def _is_auth_refusal(exc: BaseException) -> bool:
    """A 401/403 at the HTTP handshake, or a close with code 4401."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status in (401, 403):
        return True
    received = getattr(exc, "rcvd", None)
    return getattr(received, "code", None) in (AUTH_CLOSE_CODE, REPLACED_CLOSE_CODE)
