"""The hub's ASGI application: HTTP API, the widget page and the two websockets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from hub.access.audit_log import AuditAction
from hub.access.gate import HttpGate
from hub.auth import (
    Authenticator,
    LiveSessions,
    LoginGuard,
    TokenError,
    TokenProblem,
    token_digest,
)
from hub.composition import compose
from hub.config import HubConfig
from hub.email.http_api import EmailHttp
from hub.feedback.rate_page import RatePage
from hub.operations.endpoints import OperatorEndpoints
from hub.operations.hub_metrics import HubMetrics, PoolStats
from hub.operations.readiness import Readiness
from hub.profile import config as profile_config
from hub.routing.cluster import RouterLease, cluster_token
from hub.store.bus import PgListener, StreamFanOut, listen_for
from hub.store.checkpoint import Checkpointer
from hub.store.health import StorageHealth, is_storage_error
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.supervision.reports.http_api import ReportsHttp
from hub.transport.endpoints import ConnectionCounter, agent_endpoint, customer_endpoint
from hub.transport.ratelimit import PerKeyLimit
from hub.widget.page import static_files, widget_page
from hub.widget.topics import topics_payload

log = logging.getLogger(__name__)

MAX_LOGIN_BODY = 4096


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class RefuseNul:
    """Answers 400 to a request whose path or query holds NUL (``%00``): no stored
    id or name can contain one, and PostgreSQL refuses it even in a lookup."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")
        ):
            response = _error(400, "invalid", "NUL (%00) in the request's address")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class Hub:
    """Holds the hub's parts; ``app`` is the ASGI application."""

    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self.engine = create_engine(config.db)
        settings = profile_config.load(config.profile_config)
        migrate(self.engine)
        self.store = Store(self.engine, settings)
        self.auth = Authenticator(self.store, config.token_ttl_s)
        # On PostgreSQL several processes may serve one database: they route together.
        parts = compose(self.store, config, cluster_token=(
            cluster_token(config.process_name) if self.engine.dialect.name == "postgresql"
            else None))
        self.fanout = parts.fanout
        self.service = parts.service
        self.assist = parts.assist
        self.knowledge = parts.knowledge.knowledge
        self.email = parts.email
        self.reports = parts.reports  # the weekly report and retention, scheduled
        self.quality = parts.quality
        self.transcripts = parts.transcripts  # recorded calls to text (submit())
        self.followup_mailer = parts.followup_mailer  # mails about follow-ups
        self.throttle = LoginGuard()
        self.sessions = LiveSessions()
        if isinstance(self.fanout, StreamFanOut):  # a login on another hub process
            self.fanout.session_watchers.append(self._sessions_replaced)
        self.counter = ConnectionCounter(config.customer_connections_per_address)
        self.new_visitors = PerKeyLimit(config.new_visitors_per_minute, config.new_visitors_burst)
        self.storage = StorageHealth(self.engine)
        self.listener: PgListener | None = None  # on PostgreSQL, once started
        self.readiness = Readiness(
            self.engine, self._listening if isinstance(self.fanout, StreamFanOut) else None)
        self.metrics = HubMetrics(
            config.process_name, self.engine.dialect.name, self.service.agents,
            self.service.customers, self.service.routing, PoolStats(self.engine.pool))
        self.fanout.listeners.append(self.metrics.events_published)
        self.service.routing.watchers.append(self.metrics)
        operator = OperatorEndpoints(self.readiness, self.metrics, config.metrics_token)
        email_http = EmailHttp(self.email, self._bearer)
        self.recordings = parts.recordings  # call recordings (hub/calls/recordings.py)
        recording_routes = self.recordings.routes(self._bearer) if self.recordings else []
        weekly = self.service.reports.weekly if self.service.reports is not None else None
        reports_http = ReportsHttp(self.engine, weekly, self._bearer).routes() \
            if weekly is not None else []
        self.app: Starlette = Starlette(
            routes=[
                Route("/", self.widget_page),
                Route("/healthz", self.healthz),
                *operator.routes(),
                Route("/api/login", self.login, methods=["POST"]),
                Route("/api/logout", self.logout, methods=["POST"]),
                Route("/api/digest", self.digest, methods=["GET"]),
                Route("/api/widget/topics", self.widget_topics, methods=["GET"]),
                *email_http.routes(),
                *recording_routes,
                *reports_http,
                *RatePage(parts.feedback).routes(),
                WebSocketRoute("/agent", self.agent_ws),
                WebSocketRoute("/customer", self.customer_ws),
                Mount("/static", static_files(), name="static"),
            ],
            middleware=[
                Middleware(JsonErrors, storage=self.storage), Middleware(RefuseNul),
                # Every route passes the one permission check (hub.access.table).
                Middleware(HttpGate, routes=lambda: self.app.routes, auth=self.auth,
                           access=self.service.access),
            ],
            lifespan=self._lifespan,
        )

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        # The sentiment lexicons load (about 2 s) before the hub says it is ready, on a
        # worker thread so the loop stays free; no customer message waits for them.
        await asyncio.get_running_loop().run_in_executor(None, self.assist.warm_up)
        # Likewise the knowledge base's index and embedding model, so that the first
        # customer message's suggestions do not wait for them.
        await asyncio.get_running_loop().run_in_executor(None, self.knowledge.refresh)
        checkpointer = Checkpointer(self.engine)
        checkpointer.start()
        listener = None
        if isinstance(self.fanout, StreamFanOut):
            conninfo = self.engine.url.set(drivername="postgresql")
            listener = listen_for(self.fanout, conninfo.render_as_string(hide_password=False))
            self.listener = listener
            listener.start()
            # Listening before the hub says it is ready: no wake-up of its agents is lost.
            if not await asyncio.to_thread(listener.listening.wait, 30):
                log.warning("not listening for other hub processes' events yet")
        lease = None
        cluster = self.service.routing.cluster
        if cluster is not None:
            conninfo = self.engine.url.set(drivername="postgresql")
            lease = RouterLease(conninfo.render_as_string(hide_password=False),
                                asyncio.get_running_loop(), cluster)
            lease.start()
            # One try at the routing lock first: a process alone routes from the start.
            await asyncio.to_thread(lease.tried.wait, 10)
            await asyncio.sleep(0)
        self.service.started()
        self.quality.scorer.start()
        if self.transcripts is not None:
            self.transcripts.start(asyncio.get_running_loop())
        await self.email.start()
        sweeper = asyncio.create_task(self._sweep_sessions(), name="session-sweep")
        if self.reports is not None:
            self.reports.start()
        if self.followup_mailer is not None:
            self.followup_mailer.start()
        yield
        if self.followup_mailer is not None:
            await self.followup_mailer.stop()
        if self.reports is not None:
            await self.reports.stop()
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        await self.email.stop()
        await self.quality.scorer.stop()
        if self.transcripts is not None:
            await asyncio.to_thread(self.transcripts.stop)
        self.service.stopped()
        await asyncio.to_thread(checkpointer.stop)
        if listener is not None:
            await asyncio.to_thread(listener.stop)
        if lease is not None:
            await asyncio.to_thread(lease.stop)

    def _sessions_replaced(self, agent_id: str, keep: str) -> None:
        self.sessions.end_agent(agent_id, keep, TokenProblem.REPLACED)

    def _listening(self) -> bool:
        return self.listener is not None and self.listener.listening.is_set()

    async def _sweep_sessions(self) -> None:
        """End sockets whose token expired or was revoked by another hub process."""
        while True:
            await asyncio.sleep(self.config.session_sweep_s)
            try:
                self.sessions.sweep(self.auth.problem_of)
            except Exception:
                log.exception("session sweep failed")

    async def widget_page(self, request: Request) -> Response:
        return widget_page(self.config.widget_frame_ancestors)

    async def widget_topics(self, request: Request) -> Response:
        return JSONResponse(topics_payload(self.service.routing.settings))

    async def healthz(self, request: Request) -> Response:
        # A real write: a full disk or a read-only database makes the hub unhealthy,
        # and the first write that works again makes it healthy (finding 14).
        try:
            problem = await asyncio.wait_for(asyncio.to_thread(self.storage.probe), 5.0)
        except TimeoutError:
            problem = "the database did not answer within 5 s"
        if problem is not None:
            return JSONResponse({"status": "unhealthy", "storage": problem,
                                 "since": self.storage.since}, status_code=503)
        return JSONResponse(
            {
                "status": "ok",
                "agents_online": len(self.service.agents.owners()),
                "customers_online": self.service.customers.count(),
                # Received mail kept raw because it could not be stored (see the log).
                "email_failed": self.email.emails.failed_count(),
                **({"email": email} if (email := self.email.health()) else {}),
            }
        )

    async def login(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_LOGIN_BODY:
            return _error(413, "too_large", "request body too large")
        try:
            data: Any = json.loads(body)
            username = data["username"]
            password = data["password"]
            if not isinstance(username, str) or not isinstance(password, str):
                raise TypeError
            if "\x00" in username or "\x00" in password:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return _error(400, "invalid", 'expected JSON {"username": ..., "password": ...}')
        # The peer's address, or the client's as a configured proxy forwarded it
        # (uvicorn believes X-Forwarded-For only from --trusted-proxy addresses).
        client = request.client.host if request.client else "unknown"
        if self.throttle.blocked(client, username):
            return _error(429, "rate_limited", "too many failed logins; wait a minute")
        # argon2 is slow on purpose: keep it off the event loop.
        agent_id = await asyncio.to_thread(self.auth.check_password, username, password)
        audit = self.service.access.audit
        if agent_id is None:
            self.throttle.failed(client, username)
            audit.record(f"address:{client}", AuditAction.LOGIN_FAILED,
                         target=username[:120], detail={"address": client})
            return _error(401, "unauthorized", "wrong username or password")
        self.throttle.succeeded(client, username)
        one_login = self.config.one_login_per_agent
        with self.store.db.unit():  # the token and its audit row commit together
            token, expires_at = self.auth.issue_token(agent_id)
            audit.record(f"agent:{agent_id}", AuditAction.LOGIN, detail={"address": client})
            # The agent's other sessions end, and other hub processes hear of it
            # when this commits (their sockets are closed with the reason).
            if (one_login and self.auth.revoke_others(agent_id, token)
                    and isinstance(self.fanout, StreamFanOut)):
                self.fanout.sessions_replaced(agent_id, token_digest(token))
        if one_login:
            self.sessions.end_agent(agent_id, token_digest(token), TokenProblem.REPLACED)
        info = self.store.agent_info(agent_id)
        return JSONResponse(
            {
                "token": token,
                "expires_at": expires_at,
                "agent": {
                    "id": info.id,
                    "username": info.username,
                    "display_name": info.display_name,
                },
            }
        )

    def _bearer(self, request: Request) -> tuple[str, str] | Response:
        """(token, agent id) from the Authorization header, or the error response."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "unauthorized", "missing bearer token")
        try:
            return token.strip(), self.auth.resolve(token.strip())
        except TokenError as err:
            return _error(401, err.problem.value, "unknown, revoked or expired token")

    async def logout(self, request: Request) -> Response:
        found = self._bearer(request)
        if isinstance(found, Response):
            return found
        with self.store.db.unit():
            self.auth.revoke(found[0])
            self.service.access.audit.record(f"agent:{found[1]}", AuditAction.LOGOUT)
        self.sessions.end(found[0])
        return Response(status_code=204)

    async def digest(self, request: Request) -> Response:
        """The agent's state digest, for the desktop's consistency check."""
        found = self._bearer(request)
        if isinstance(found, Response):
            return found
        body = msgspec.json.encode(self.store.digest(found[1]))
        return Response(body, media_type="application/json")

    async def agent_ws(self, ws: WebSocket) -> None:
        await agent_endpoint(
            ws, self.service, self.auth, self.config, self.sessions, self.storage)

    async def customer_ws(self, ws: WebSocket) -> None:
        await customer_endpoint(
            ws, self.service, self.config, self.counter, self.new_visitors, self.storage)


class JsonErrors:
    """An HTTP request that fails unexpectedly gets a JSON error, never a plain-text
    500: ``unavailable`` (503) when the database cannot be written, else ``internal``."""

    def __init__(self, app: ASGIApp, storage: StorageHealth) -> None:
        self.app = app
        self.storage = storage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if is_storage_error(exc):
                self.storage.failed(exc)
                log.error("the database cannot be written: %s", exc)
                response = _error(503, "unavailable", "the hub cannot store anything right "
                                  "now; try again later")
            else:
                log.exception("request failed")
                response = _error(500, "internal", "internal error")
            if started:
                raise
            await response(scope, receive, send)


def create_app(config: HubConfig) -> Starlette:
    return Hub(config).app
