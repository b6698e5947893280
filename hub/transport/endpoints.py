"""The two websocket endpoints: a thin I/O layer around HubService.

Each connection: accept, wait (bounded) for ``hello``, then a receive loop that
size-checks, decodes and validates every frame before the service sees it. A bad
frame gets an error frame; only a flood or an overloaded peer ends a connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from core.protocol import agent as ap
from core.protocol import assist as asp
from core.protocol import call as cl
from core.protocol import coaching as cop
from core.protocol import customer as cp
from core.protocol import email as ep
from core.protocol import followups as fp
from core.protocol import knowledge as kp
from core.protocol import outreach as orp
from core.protocol import profile as pp
from core.protocol import quality as qp
from core.protocol import reports as rpt
from core.protocol import routing as rp
from core.protocol import sip_calls as sp
from core.protocol import supervision as sup
from core.protocol.codec import (
    PROTOCOL_VERSION,
    ErrorCode,
    FrameDecoder,
    ProtocolError,
    agent_client_decoder,
    customer_client_decoder,
    encode_text,
)
from hub.auth import Authenticator, LiveSessions, TokenError, TokenProblem
from hub.config import HubConfig
from hub.service import HubService
from hub.store.health import StorageHealth, is_storage_error
from hub.store.store import StoreError
from hub.transport.peers import Peer
from hub.transport.ratelimit import FloodGuard, LogBudget, PerKeyLimit

log = logging.getLogger(__name__)

CLOSE_POLICY = 1008
CLOSE_UNAUTHORIZED = 4401
CLOSE_REPLACED = 4409  # the agent signed in again, here or on another hub process
CLOSE_TRY_LATER = 1013

_agent_decoder = agent_client_decoder()
_customer_decoder = customer_client_decoder()

# Failures a client can cause at will are logged within a budget (finding 10:
# 500 hostile connections wrote 2 MB of tracebacks in a second).
_first_frame_trouble = LogBudget(log, lines=5, period_s=10.0)
_frame_trouble = LogBudget(log, lines=5, period_s=10.0)


async def _receive_text(ws: WebSocket) -> str | bytes | None:
    """Next data frame, or None when the client went away."""
    message = await ws.receive()
    if message["type"] == "websocket.disconnect":
        return None
    text = message.get("text")
    if text is not None:
        return str(text)
    return bytes(message.get("bytes") or b"")


def _decode(decoder: FrameDecoder[Any], data: str | bytes) -> Any:
    if isinstance(data, bytes):
        raise ProtocolError(ErrorCode.INVALID, "frames must be JSON text, not binary")
    return decoder.decode(data)


async def _first_frame(ws: WebSocket, decoder: FrameDecoder[Any], timeout: float) -> Any:
    """Wait for the first frame and return it decoded; it must be a hello."""
    try:
        data = await asyncio.wait_for(_receive_text(ws), timeout)
    except TimeoutError:
        raise ProtocolError(ErrorCode.INVALID, "no hello received in time") from None
    if data is None:
        raise WebSocketDisconnect(1000)
    frame = _decode(decoder, data)
    if type(frame).__name__ != "Hello":
        raise ProtocolError(ErrorCode.NOT_AUTHENTICATED, "the first frame must be hello")
    if frame.v != PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"protocol version {frame.v} is not supported (this hub speaks {PROTOCOL_VERSION})",
        )
    return frame


async def _hello(
    ws: WebSocket, decoder: FrameDecoder[Any], error: type[ap.Error] | type[cp.Error],
    config: HubConfig,
) -> Any:
    """The connection's hello, or None after refusing it (error frame, then close)."""
    try:
        return await _first_frame(ws, decoder, config.hello_timeout_s)
    except ProtocolError as exc:
        await _refuse(ws, encode_text(error(code=exc.code, message=exc.detail)), CLOSE_POLICY)
        return None
    except WebSocketDisconnect:
        return None
    except Exception as exc:  # the decoder's guard is the contract; this is the net under it
        _first_frame_trouble.log(logging.WARNING, "first frame refused: %s", type(exc).__name__)
        frame = encode_text(error(code=ErrorCode.INVALID, message="the frame cannot be read"))
        await _refuse(ws, frame, CLOSE_POLICY)
        return None


async def _refuse(ws: WebSocket, frame: str, code: int) -> None:
    """Send a last error frame and close; the client may already be gone."""
    try:
        await ws.send_text(frame)
        await ws.close(code)
    except Exception as exc:
        log.debug("refusal not delivered: %s", exc)


def _token_message(problem: TokenProblem) -> str:
    if problem == TokenProblem.EXPIRED:
        return "the session has expired; log in again"
    if problem == TokenProblem.REPLACED:
        return "you signed in again elsewhere; this session has ended"
    return "unknown or revoked token; log in again"


async def agent_endpoint(
    ws: WebSocket,
    service: HubService,
    auth: Authenticator,
    config: HubConfig,
    sessions: LiveSessions,
    storage: StorageHealth,
) -> None:
    await ws.accept()
    hello: ap.Hello | None = await _hello(ws, _agent_decoder, ap.Error, config)
    if hello is None:
        return
    try:
        agent_id = auth.resolve(hello.token)
    except TokenError as err:
        frame = ap.Error(code=err.problem.value, message=_token_message(err.problem))
        await _refuse(ws, encode_text(frame), CLOSE_UNAUTHORIZED)
        return

    peer = Peer(ws, f"agent:{agent_id}", outgoing=service.access.fields.outgoing(agent_id))
    peer.start()

    def end(problem: TokenProblem) -> None:
        peer.send(encode_text(ap.Error(code=problem.value, message=_token_message(problem))))
        peer.close(CLOSE_REPLACED if problem == TokenProblem.REPLACED else CLOSE_UNAUTHORIZED)

    try:
        service.agent_joined(peer, agent_id, hello)
    except Exception as exc:
        await _join_failed(ws, peer, ap.Error(
            code=_failure_code(storage, exc), message="the hub cannot serve you right now"))
        with contextlib.suppress(Exception):
            service.agent_left(peer, agent_id)
        return
    sessions.add(hello.token, id(peer), end, agent_id)
    guard = FloodGuard(config.agent_rate, config.agent_burst)
    rate_error = encode_text(
        ap.Error(code=ErrorCode.RATE_LIMITED, message="too many frames; slow down")
    )
    try:
        await _receive_loop(
            ws, peer, guard, rate_error,
            lambda data: _agent_frame(service, peer, agent_id, data, storage),
        )
    finally:
        sessions.remove(hello.token, id(peer))
        service.agent_left(peer, agent_id)
        await peer.stop()


async def _receive_loop(
    ws: WebSocket,
    peer: Peer,
    guard: FloodGuard,
    rate_error: str,
    handle: Callable[[str | bytes], None],
) -> None:
    """Feed frames to ``handle`` until the client leaves or floods."""
    try:
        while not peer.closed:
            data = await _receive_text(ws)
            if data is None:
                return
            verdict = guard.check()
            if verdict == "close":
                peer.close(CLOSE_POLICY)
                return
            if verdict == "refuse":
                if guard.should_report():
                    peer.send(rate_error)
                continue
            handle(data)
    except WebSocketDisconnect:
        return


def _failure_code(storage: StorageHealth, exc: BaseException) -> ErrorCode:
    """``unavailable`` when the database cannot be written (and /healthz is told)."""
    if is_storage_error(exc):
        storage.failed(exc)
        _frame_trouble.log(logging.ERROR, "the database cannot be written: %s", exc)
        return ErrorCode.UNAVAILABLE
    _frame_trouble.log(logging.ERROR, "a frame failed", exc_info=exc)
    return ErrorCode.INTERNAL


async def _join_failed(ws: WebSocket, peer: Peer, frame: ap.Error | cp.Error) -> None:
    """The hello could not be served: say why, close with "try again later"."""
    await peer.stop()
    await _refuse(ws, encode_text(frame), CLOSE_TRY_LATER)


# Frames applied as one unit of work each (HubService.agent_command).
_UNIT_COMMANDS = (
    ap.SendMessage | ap.CloseConversation | ap.SetPresence | ap.RecordVisit
    | pp.ProfileCommand | rp.RoutingCommand | ep.SendEmail | asp.AssistCommand
    | kp.KbSave | kp.KbPublish | cop.CoachingCommand | qp.QaReview | qp.QaAppeal
    | fp.CreateFollowUp | fp.UpdateFollowUp | orp.ReachOut
    | sp.SipCallStarted | sp.SipCallAnswered | sp.SipCallEnded
)


def _agent_frame(
    service: HubService, peer: Peer, agent_id: str, data: str | bytes, storage: StorageHealth
) -> None:
    try:
        frame = _decode(_agent_decoder, data)
    except ProtocolError as exc:
        peer.send(encode_text(ap.Error(code=exc.code, message=exc.detail)))
        return
    try:
        if isinstance(frame, ep.SendEmail):  # addresses the agent was shown masked
            frame = service.access.fields.unmask_mail(agent_id, frame)
        # The one permission check (hub.access): nothing below sees a refused frame.
        refusal = service.access.refusal(agent_id, frame)
        if refusal is not None:
            peer.send(refusal)
            return
        if isinstance(frame, _UNIT_COMMANDS):
            peer.send(service.agent_command(agent_id, frame))
            return
        # A read or a call's signalling: its audit row (if any) as it is let in.
        service.access.frame_done(agent_id, frame)
        if isinstance(frame, kp.KbSearch | kp.KbFetch | kp.KbList | kp.KbVersions):
            if service.knowledge is None:
                peer.send(encode_text(ap.Error(
                    code=ErrorCode.CONFLICT, message="this hub has no knowledge base", op=frame.op
                )))
            else:
                service.knowledge.read(peer, agent_id, frame)
        elif isinstance(frame, cop.FetchLiveConversations):
            peer.send(service.live_conversations(agent_id, frame))
        elif isinstance(frame, ep.FetchEmails):
            peer.send(service.fetch_emails(agent_id, frame))
        elif isinstance(frame, cl.AgentCommand):
            forwarding = service.call_forwarding  # the call may be on another process
            answer = (service.calls.agent_command(peer, agent_id, frame) if forwarding is None
                      else forwarding.agent_command(peer, agent_id, frame))
            if answer is not None:
                peer.send(answer)
        elif isinstance(frame, cl.ReportQuality):
            if service.call_forwarding is None:
                service.calls.agent_quality(agent_id, frame)
            else:
                service.call_forwarding.agent_quality(agent_id, frame)
        elif isinstance(frame, pp.ProfileRead):
            peer.send(service.profiles.read(agent_id, frame))
        elif isinstance(frame, ap.FetchCustomers):
            peer.send(service.fetch_customers(agent_id, frame))
        elif isinstance(frame, ap.Typing):
            service.agent_typing(agent_id, frame)
        elif isinstance(frame, asp.ListSuggestionFeedback):
            peer.send(service.list_suggestion_feedback(agent_id, frame))
        elif isinstance(frame, sup.WatchFigures | sup.UnwatchFigures | sup.DrillDown):
            if service.supervision is None:
                peer.send(encode_text(ap.Error(code=ErrorCode.CONFLICT,
                                               message="no figures here", op=frame.op)))
            else:
                peer.send(service.supervision.read(agent_id, frame))
        elif isinstance(frame, qp.QaListScores | qp.QaFetchScore | qp.QaReviewQueue
                        | qp.QaAggregates):
            peer.send(service.quality_read(agent_id, frame))
        elif isinstance(frame, rpt.ReportHistory | rpt.ListWeeklyReports
                        | rpt.MakeWeeklyReport):
            if service.reports is None:
                peer.send(encode_text(ap.Error(
                    code=ErrorCode.CONFLICT, message="this hub has no reports", op=frame.op)))
            else:
                service.reports.request(agent_id, frame, peer.send)
        elif isinstance(frame, ap.Delivered):
            service.agent_delivered(agent_id, frame)
        elif isinstance(frame, ap.Ping):
            peer.send(encode_text(ap.Pong(nonce=frame.nonce)))
        else:
            peer.send(encode_text(ap.Error(code=ErrorCode.INVALID, message="already said hello")))
    except StoreError as exc:
        peer.send(encode_text(ap.Error(code=exc.code, message=exc.message)))
    except Exception as exc:
        code = _failure_code(storage, exc)
        op = getattr(frame, "op", None)
        message = "the hub cannot store this now; try again" \
            if code == ErrorCode.UNAVAILABLE else "internal error"
        peer.send(encode_text(ap.Error(code=code, message=message, op=op)))


class ConnectionCounter:
    """Concurrent customer connections per client address."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}

    def acquire(self, key: str) -> bool:
        n = self._counts.get(key, 0)
        if n >= self.limit:
            return False
        self._counts[key] = n + 1
        return True

    def release(self, key: str) -> None:
        n = self._counts.get(key, 0) - 1
        if n <= 0:
            self._counts.pop(key, None)
        else:
            self._counts[key] = n


async def customer_endpoint(
    ws: WebSocket,
    service: HubService,
    config: HubConfig,
    counter: ConnectionCounter,
    new_visitors: PerKeyLimit,
    storage: StorageHealth,
) -> None:
    address = ws.client.host if ws.client else "unknown"
    await ws.accept()
    if not counter.acquire(address):
        frame = cp.Error(
            code=ErrorCode.RATE_LIMITED, message="too many connections from your address"
        )
        await _refuse(ws, encode_text(frame), CLOSE_TRY_LATER)
        return
    try:
        await _customer_session(ws, service, config, new_visitors, address, storage)
    finally:
        counter.release(address)


async def _customer_session(
    ws: WebSocket, service: HubService, config: HubConfig, new_visitors: PerKeyLimit,
    address: str, storage: StorageHealth,
) -> None:
    hello: cp.Hello | None = await _hello(ws, _customer_decoder, cp.Error, config)
    if hello is None:
        return
    if not service.knows_visitor(hello.visitor_id) and not new_visitors.take(address):
        frame = cp.Error(code=ErrorCode.RATE_LIMITED, message="too many new visitors from "
                         "your address; try again in a minute")
        await _refuse(ws, encode_text(frame), CLOSE_TRY_LATER)
        return
    peer = Peer(ws, "customer")
    peer.start()
    try:
        customer_id = service.customer_joined(peer, hello)
    except Exception as exc:
        await _join_failed(ws, peer, cp.Error(
            code=_failure_code(storage, exc), message="the service is unavailable right now; "
            "try again in a minute"))
        return
    guard = FloodGuard(config.customer_rate, config.customer_burst)
    rate_error = encode_text(
        cp.Error(code=ErrorCode.RATE_LIMITED, message="too many messages; slow down")
    )
    try:
        await _receive_loop(
            ws,
            peer,
            guard,
            rate_error,
            lambda data: _customer_frame(service, peer, customer_id, data, storage),
        )
    finally:
        service.customer_left(peer, customer_id)
        await peer.stop()


def _customer_frame(
    service: HubService, peer: Peer, customer_id: str, data: str | bytes, storage: StorageHealth
) -> None:
    try:
        frame = _decode(_customer_decoder, data)
    except ProtocolError as exc:
        peer.send(encode_text(cp.Error(code=exc.code, message=exc.detail)))
        return
    try:
        if isinstance(frame, cp.Send):
            service.customer_send(peer, customer_id, frame)
        elif isinstance(frame, cp.Typing):
            service.customer_typing(customer_id, frame)
        elif isinstance(frame, cp.Received):
            service.customer_received(peer, customer_id, frame)
        elif isinstance(frame, cp.BotFeedback | cp.AskPerson):
            service.customer_bot(peer, customer_id, frame)
        elif isinstance(frame, cp.Close):
            service.customer_close(peer, customer_id, frame)
        elif isinstance(frame, fp.LeaveMessage):
            service.customer_leave_message(peer, customer_id, frame)
        elif isinstance(frame, orp.PageVisit):
            if service.outreach is not None:
                service.outreach.customer_page(peer, customer_id, frame)
        elif isinstance(frame, cp.Rate | cp.AnswerNps) and service.feedback is not None:
            if isinstance(frame, cp.Rate):
                service.feedback.customer_rate(peer, customer_id, frame)
            else:
                service.feedback.customer_nps(peer, customer_id, frame)
        elif isinstance(frame, cl.CustomerClientFrame):
            service.calls.customer_frame(peer, customer_id, frame)
        elif isinstance(frame, cp.Ping):
            peer.send(encode_text(cp.Pong(nonce=frame.nonce)))
        else:
            peer.send(encode_text(cp.Error(code=ErrorCode.INVALID, message="already said hello")))
    except Exception as exc:
        code = _failure_code(storage, exc)
        message = "not stored: the service is unavailable right now; try again" \
            if code == ErrorCode.UNAVAILABLE else "internal error"
        peer.send(encode_text(cp.Error(code=code, message=message,
                                       ref=getattr(frame, "id", None))))
