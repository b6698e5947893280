"""Signing in to and out of a hub over HTTP.

The calls block in urllib, so they run in a worker thread (``asyncio.to_thread``)
and never stall the GUI loop. Failures are typed; the UI turns them into words.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import redaction
from core.protocol.models import AgentInfo

if TYPE_CHECKING:
    import urllib.error

DEFAULT_TIMEOUT = 10.0


class AuthError(Exception):
    """Base of every sign-in failure."""


class InvalidHubUrl(AuthError):  # noqa: N818
    """The server address is not an http(s) URL."""


class BadCredentials(AuthError):  # noqa: N818
    """Wrong user name or password."""


class TokenExpired(AuthError):  # noqa: N818
    """The stored token is no longer accepted: sign in again."""


class TooManyAttempts(AuthError):  # noqa: N818
    """The hub throttles sign-ins from here for a while."""


class HubUnreachable(AuthError):  # noqa: N818
    """No answer from the hub (down, wrong address, no network)."""


class HubError(AuthError):
    """The hub answered, but not in a way we understand."""


@dataclass(frozen=True)
class LoginResult:
    hub_url: str
    token: str
    expires_at: int  # ms since the epoch
    agent: AgentInfo


def normalize_hub_url(text: str) -> str:
    """``"host:8080"`` → ``"http://host:8080"``; raises InvalidHubUrl when hopeless."""
    text = text.strip()
    if not text:
        raise InvalidHubUrl("empty server address")
    if "://" not in text:
        text = "http://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidHubUrl(f"not an http(s) address: {text!r}")
    try:
        _ = parts.port
    except ValueError as exc:
        raise InvalidHubUrl(str(exc)) from None
    path = parts.path.rstrip("/")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def agent_ws_url(hub_url: str) -> str:
    """The hub's ``/agent`` websocket for a base URL (ws:// for http://, wss:// for https://)."""
    parts = urllib.parse.urlsplit(normalize_hub_url(hub_url))
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urllib.parse.urlunsplit((scheme, parts.netloc, parts.path + "/agent", "", ""))


def _post(url: str, body: dict[str, Any] | None, token: str | None, timeout: float) -> Any:
    # urllib's HTTP client (http.client, email parsing) loads with the first request,
    # off the way to a returning agent's first window
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data or b"", method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        code = _error_code(exc)
        if exc.code == 401:
            if code == "token_expired":
                raise TokenExpired(code) from None
            raise BadCredentials(code or "unauthorized") from None
        if exc.code == 429:
            raise TooManyAttempts(code or "rate_limited") from None
        raise HubError(f"HTTP {exc.code} {code or ''}".strip()) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise HubUnreachable(str(getattr(exc, "reason", exc))) from None
    except ValueError as exc:  # JSON
        raise HubError(f"unreadable answer: {exc}") from None


def _error_code(exc: urllib.error.HTTPError) -> str | None:
    try:
        payload = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return None
    error = payload.get("error") if isinstance(payload, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


def login_blocking(
    hub_url: str, username: str, password: str, timeout: float = DEFAULT_TIMEOUT
) -> LoginResult:
    base = normalize_hub_url(hub_url)
    redaction.remember(password)
    payload = _post(
        base + "/api/login", {"username": username, "password": password}, None, timeout
    )
    if isinstance(payload, dict) and isinstance(payload.get("token"), str):
        redaction.remember(payload["token"])
    try:
        agent = payload["agent"]
        return LoginResult(
            hub_url=base,
            token=str(payload["token"]),
            expires_at=int(payload["expires_at"]),
            agent=AgentInfo(
                id=str(agent["id"]),
                username=str(agent["username"]),
                display_name=str(agent["display_name"]),
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise HubError(f"unexpected login answer: {exc!r}") from None


async def login(
    hub_url: str, username: str, password: str, timeout_s: float = DEFAULT_TIMEOUT
) -> LoginResult:
    """POST /api/login. Raises an ``AuthError`` subclass on failure."""
    redaction.remember(password)  # before the call is scheduled (and maybe logged)
    return await asyncio.to_thread(login_blocking, hub_url, username, password, timeout_s)


async def logout(hub_url: str, token: str, timeout_s: float = DEFAULT_TIMEOUT) -> None:
    """POST /api/logout: revoke the token. An already dead token is fine."""
    base = normalize_hub_url(hub_url)
    with contextlib.suppress(BadCredentials, TokenExpired):
        await asyncio.to_thread(_post, base + "/api/logout", None, token, timeout_s)
