"""The one permission check: every agent frame and every HTTP request passes it.

``AccessControl.refusal`` is asked by the agent endpoint (hub.transport.endpoints)
for each decoded frame before anything handles it; ``HttpGate`` sits in front of
every route of the app (hub.app). Both read the rule from hub.access.table and the
person's permissions from the database (hub.access.role_store). What is not in
the table is refused. Refusals and sensitive reads are written to the audit log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.protocol import agent as ap
from core.protocol import email as ep
from core.protocol.codec import ErrorCode, encode_text
from core.protocol.profile import AttributeDefinition
from hub.access import role_store
from hub.access.audit_log import AuditAction, AuditLog
from hub.access.field_access import FieldAccess, masked_recipients
from hub.access.permissions import Permission
from hub.access.table import FRAME_RULES, HTTP_RULES, HttpRule, Rule
from hub.auth import Authenticator, TokenError
from hub.store.database import Database

log = logging.getLogger(__name__)

# Free text of a frame stays out of the audit log (it is in the conversation).
_CONTENT = frozenset({"text", "note", "body", "html", "sdp", "attachments", "answers",
                      "message_ids", "signature"})
_TARGETS = ("to_agent", "agent_id", "owner_id", "source_id", "merge_id", "to_queue",
            "article_id", "call_id")


def frame_subject(frame: Any) -> tuple[str | None, str | None, str | None, dict[str, Any]]:
    """(customer id, conversation id, target, detail) of a frame, for the audit log."""
    fields: dict[str, Any] = {}
    for name in getattr(frame, "__struct_fields__", ()):
        value = getattr(frame, name)
        if name in _CONTENT or value is None:
            continue
        fields[name] = value
    customer = fields.get("customer_id") or fields.get("target_id")
    conversation = fields.get("conversation_id")
    target = next((str(fields[k]) for k in _TARGETS if fields.get(k)), None)
    detail = {k: v for k, v in fields.items() if k not in ("op",)}
    detail = json.loads(msgspec.json.encode(detail))
    detail["frame"] = type(frame).__name__
    for key, value in list(detail.items()):
        if isinstance(value, str) and len(value) > 200:
            detail[key] = value[:200] + "…"
    return (str(customer) if customer else None, str(conversation) if conversation else None,
            target, detail)


class AccessControl:
    def __init__(self, db: Database,
                 attributes: Callable[[], list[AttributeDefinition]] | None = None) -> None:
        self.db = db
        self.audit = AuditLog(db)
        # Which customer fields a role reads and edits (the profile's attribute classes).
        self.fields = FieldAccess(db, attributes or list)

    def permissions_of(self, agent_id: str) -> frozenset[Permission]:
        with self.db.connect() as conn:
            return role_store.permissions_of(conn, agent_id)

    def permits(self, agent_id: str, permission: Permission) -> bool:
        return permission in self.permissions_of(agent_id)

    @staticmethod
    def rule(frame: Any) -> Rule | None:
        return FRAME_RULES.get(type(frame))

    def refusal(self, agent_id: str, frame: Any) -> str | None:
        """None when the agent may send ``frame``; else the error frame to answer with
        (and the refusal is in the audit log)."""
        rule = self.rule(frame)
        op = getattr(frame, "op", None)
        if rule is None:
            self._refused(agent_id, frame, "undeclared")
            return encode_text(ap.Error(code=ErrorCode.FORBIDDEN, op=op, message=(
                f"{type(frame).__name__} has no declared permission on this hub")))
        needed = rule.permission
        if needed is None or self.permits(agent_id, needed):
            # Finer: an edit of a contact point or of a sensitive attribute.
            needed = self.fields.edit_refusal(agent_id, frame)
            if needed is None:
                return self._masked_recipient(frame)
        self._refused(agent_id, frame, needed.value)
        return encode_text(ap.Error(code=ErrorCode.FORBIDDEN, op=op, message=(
            f"your role does not allow this (it needs the permission {needed}")
            + ")"))

    @staticmethod
    def _masked_recipient(frame: Any) -> str | None:
        """A mail to an address the desktop only knows masked would go astray."""
        if not isinstance(frame, ep.SendEmail):
            return None
        masked = masked_recipients(frame)
        if not masked:
            return None
        return encode_text(ap.Error(code=ErrorCode.INVALID, op=frame.op, message=(
            f"{masked[0]} is a masked address and cannot be written to; your role does "
            "not read this customer's addresses (customers.contact)")))

    def _refused(self, agent_id: str, frame: Any, needed: str) -> None:
        customer, conversation, target, detail = frame_subject(frame)
        detail["needed"] = needed
        self.audit.record(f"agent:{agent_id}", AuditAction.REFUSED, customer_id=customer,
                          conversation_id=conversation, target=target, detail=detail)

    def frame_done(self, agent_id: str, frame: Any) -> None:
        """Write the frame's audit row, if its rule has one: for a command call this
        inside its unit of work, after it applied; for a read, when it is let in."""
        rule = self.rule(frame)
        if rule is None or rule.audit is None:
            return
        customer, conversation, target, detail = frame_subject(frame)
        op = getattr(frame, "op", None)
        if op:
            detail["op"] = op
        self.audit.record(f"agent:{agent_id}", rule.audit, customer_id=customer,
                          conversation_id=conversation, target=target, detail=detail)


def _json_error(status: int, code: str, message: str) -> tuple[Message, Message]:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    start: Message = {"type": "http.response.start", "status": status,
                      "headers": [(b"content-type", b"application/json"),
                                  (b"content-length", str(len(body)).encode())]}
    return start, {"type": "http.response.body", "body": body}


class HttpGate:
    """In front of every route: finds the route's rule in HTTP_RULES and checks
    the bearer token and the permission it names; a route with no rule is refused."""

    def __init__(self, app: ASGIApp, routes: Callable[[], Iterable[BaseRoute]],
                 auth: Authenticator, access: AccessControl) -> None:
        self.app = app
        self.routes = routes
        self.auth = auth
        self.access = access

    def _route_path(self, scope: Scope) -> str | None:
        for route in self.routes():
            match, _child = route.matches(scope)
            if match != Match.NONE:
                return str(getattr(route, "path", ""))
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = self._route_path(scope)
        if path is None:  # no such route: the router answers 404
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            method = "WEBSOCKET"
        else:
            method = "GET" if scope["method"] == "HEAD" else scope["method"]
        rule = HTTP_RULES.get((method, path))
        if rule is None and scope["type"] == "http" and \
                any(p == path for (_m, p) in HTTP_RULES):
            # Another method of a declared path: the router answers 405.
            await self.app(scope, receive, send)
            return
        if rule is None:
            log.error("refused %s %s: the route has no declared permission", method, path)
            await self._refuse(scope, receive, send, 403, "forbidden",
                               "this endpoint has no declared permission")
            return
        if rule.public:
            await self.app(scope, receive, send)
            return
        agent_id = self._agent(scope)
        if isinstance(agent_id, TokenError):
            await self._refuse(scope, receive, send, 401, agent_id.problem.value,
                               "unknown, revoked or expired token")
            return
        if agent_id is None:
            await self._refuse(scope, receive, send, 401, "unauthorized",
                               "missing bearer token")
            return
        held = self.access.permissions_of(agent_id)
        missing = next((p for p in (rule.permission, rule.also)
                        if p is not None and p not in held), None)
        if missing is not None:
            self.access.audit.record(f"agent:{agent_id}", AuditAction.REFUSED,
                                     target=f"{method} {scope['path']}"[:200],
                                     detail={"needed": missing.value})
            await self._refuse(scope, receive, send, 403, "forbidden",
                               f"your role does not allow this (it needs the permission "
                               f"{missing})")
            return
        if rule.audit is None:
            await self.app(scope, receive, send)
            return
        await self._audited(scope, receive, send, rule, agent_id, method)

    async def _audited(self, scope: Scope, receive: Receive, send: Send, rule: HttpRule,
                       agent_id: str, method: str) -> None:
        """The audit row is written before a successful answer starts (a refused or
        missing item is not a view)."""
        assert rule.audit is not None
        action = rule.audit

        async def audited_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.access.audit.record(f"agent:{agent_id}", action,
                                         target=f"{method} {scope['path']}"[:200],
                                         detail={"status": message["status"]})
            await send(message)

        await self.app(scope, receive, audited_send)

    def _agent(self, scope: Scope) -> str | TokenError | None:
        header = b""
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                header = value
                break
        scheme, _, token = header.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            return self.auth.resolve(token.strip())
        except TokenError as err:
            return err

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, code: str,
                      message: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        start, body = _json_error(status, code, message)
        await send(start)
        await send(body)
