"""An agent without a window: the desktop's core (cache, outbox, sync) driven by code.

``HeadlessAgent`` signs in, opens the cache and runs the same ``AgentService`` and
``SyncClient`` the desktop runs; integration tests and tools use it. It works while
the hub is unreachable: intents go to the outbox and sign-in is retried in the
background, so the agent's work goes out, once, when the hub answers.

``python -m core.session.headless --hub URL --user NAME --password PW --cache PATH`` reads
JSON commands on stdin, one per line, and writes JSON events on stdout::

    {"cmd": "send", "conversation_id": "...", "text": "..."}  -> {"event": "queued", ...}
    {"cmd": "close", "conversation_id": "..."}                -> {"event": "queued", ...}
    {"cmd": "presence", "presence": "away"}                   -> {"event": "queued", ...}
    {"cmd": "wait_idle"}      (the outbox is empty)           -> {"event": "idle"}
    {"cmd": "digest"}                                         -> {"event": "digest", ...}
    {"cmd": "quit"}

plus {"event": "online"} / {"event": "offline"} as the connection changes and
{"event": "error", ...} for anything that went wrong. "queued" is written only once
the command is durably in the outbox.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from core import redaction
from core.cache.cache import Cache, CacheKey, CacheReset, open_cache
from core.protocol.digest import StateDigest
from core.protocol.models import Channel, Presence
from core.session import auth
from core.session.agent_service import AgentService
from core.session.session_runner import SessionRunner
from core.sync.client import Backoff, ConnectionState
from core.sync.consistency import cache_digest, fetch_hub_digest

log = logging.getLogger(__name__)


class HeadlessAgent:
    """Thread: the asyncio loop's that calls ``start()``."""

    def __init__(
        self,
        hub_url: str,
        username: str,
        password: str,
        cache_path: Path,
        *,
        token: str | None = None,
        backoff: Backoff | None = None,
        accept_offers: bool = True,
        cache_key: CacheKey | None = None,
    ) -> None:
        self.hub_url = auth.normalize_hub_url(hub_url)
        self.username = username
        self._password = password
        self.cache_path = Path(cache_path)
        self._token = token
        self._backoff = backoff or Backoff(initial=0.25, maximum=5.0)
        self._session: SessionRunner | None = None
        self._login_task: asyncio.Task[None] | None = None
        self.cache_reset: CacheReset | None = None
        self.auth_error: auth.AuthError | None = None  # a sign-in refusal (not a network one)
        # Take every offer as it rings, like an attentive agent (scripts and tests).
        self.accept_offers = accept_offers
        self._cache_key = cache_key  # None: a plain cache file

    # ---- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Open the cache, sign in and connect; with the hub unreachable, keep trying."""
        key = self._cache_key
        session = self._session = SessionRunner(self.cache_path, backoff=self._backoff,
                                                opener=lambda path: open_cache(path, key))
        self.cache_reset = session.cache_reset
        session.service.auth_did_fail.connect(self._auth_failed)
        session.service.offers_did_change.connect(self._offers_changed)
        if self._token is not None:
            session.connect(self.hub_url, self._token)
            return
        try:
            await self._sign_in()
        except (auth.HubUnreachable, auth.HubError) as exc:
            log.info("sign-in failed (%s); retrying in the background", exc)
            self._login_task = asyncio.get_running_loop().create_task(self._sign_in_loop())

    def _offers_changed(self) -> None:
        if self.accept_offers and self._session is not None:
            routing = self._session.service.routing
            for offer in routing.offers():
                if offer.channel != Channel.VOICE:  # a call is answered, not accepted
                    routing.accept_offer(offer.offer_id)

    async def stop(self) -> None:
        task, self._login_task = self._login_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    @property
    def service(self) -> AgentService:
        return self._running().service

    @property
    def cache(self) -> Cache:
        return self._running().cache

    def _running(self) -> SessionRunner:
        if self._session is None:
            raise RuntimeError("HeadlessAgent.start() has not run")
        return self._session

    @property
    def token(self) -> str | None:
        return self._token

    # ---- waiting and reading -----------------------------------------------------------

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 10) -> Any:
        """Poll ``predicate`` until it is truthy; returns its value (TimeoutError if never)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (result := predicate()):
            if loop.time() > deadline:
                raise TimeoutError("condition not met in time")
            await asyncio.sleep(0.02)
        return result

    async def wait_online(self, timeout: float = 10) -> None:
        await self.wait_until(
            lambda: self.service.connection.state is ConnectionState.ONLINE, timeout
        )

    def digest(self) -> StateDigest:
        return cache_digest(self.cache)

    async def hub_digest(self) -> StateDigest:
        if self._token is None:
            raise auth.HubUnreachable("not signed in yet")
        return await fetch_hub_digest(self.hub_url, self._token)

    def outbox_size(self) -> int:
        return self.service.outbox_size()

    # ---- signing in ----------------------------------------------------------------------

    async def _sign_in(self) -> None:
        result = await self._running().sign_in(self.hub_url, self.username, self._password)
        self._token = result.token
        self.auth_error = None

    async def _sign_in_loop(self) -> None:
        outcome = await self._running().sign_in_until_done(
            self.hub_url, self.username, self._password)
        if isinstance(outcome, auth.AuthError):
            self.auth_error = outcome
        else:
            self._token = outcome.token
            self.auth_error = None

    def _auth_failed(self, detail: str) -> None:
        # The token expired or was revoked: sign in again with the password we have.
        if not self._password or (self._login_task and not self._login_task.done()):
            return
        self._login_task = asyncio.get_running_loop().create_task(self._sign_in_loop())


# ---- the stdin/stdout driver ----------------------------------------------------------


def _emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _stdin_lines(loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """Lines of stdin, read by a daemon thread (works for pipes, files and terminals)."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="stdin", daemon=True).start()
    return queue


async def _digest_event(agent: HeadlessAgent) -> dict[str, Any]:
    local = agent.digest()
    fields: dict[str, Any] = json.loads(msgspec.json.encode(local))
    try:
        hub = await agent.hub_digest()
    except auth.AuthError as exc:
        fields.update(hub=None, equal=None, hub_error=str(exc))
    else:
        fields.update(hub=json.loads(msgspec.json.encode(hub)), equal=hub == local)
    return fields


async def _handle(agent: HeadlessAgent, command: dict[str, Any]) -> bool:
    """Carry out one command; False for quit."""
    service = agent.service
    cmd = command.get("cmd")
    if cmd == "send":
        conversation_id = str(command["conversation_id"])
        message_id = service.send_message(conversation_id, str(command["text"]))
        _emit("queued", command="send", conversation_id=conversation_id, message_id=message_id)
    elif cmd == "close":
        conversation_id = str(command["conversation_id"])
        service.close_conversation(conversation_id)
        _emit("queued", command="close", conversation_id=conversation_id, message_id=None)
    elif cmd == "presence":
        presence = Presence(command["presence"])
        service.set_presence(presence)
        _emit("queued", command="presence", presence=presence.value, message_id=None)
    elif cmd == "wait_idle":
        await agent.wait_until(lambda: agent.outbox_size() == 0, timeout=float("inf"))
        _emit("idle")
    elif cmd == "digest":
        _emit("digest", **(await _digest_event(agent)))
    elif cmd == "quit":
        return False
    else:
        _emit("error", code="unknown_command", message=f"unknown command {cmd!r}")
    return True


async def run(args: argparse.Namespace) -> int:
    agent = HeadlessAgent(args.hub, args.user, args.password, Path(args.cache))
    online = False

    def connection_changed(status: Any) -> None:
        nonlocal online
        now = status.state is ConnectionState.ONLINE
        if now != online:
            _emit("online" if now else "offline")
        online = now

    try:
        await agent.start()
    except auth.AuthError as exc:
        _emit("error", code=type(exc).__name__, message=str(exc))
        return 2
    if agent.cache_reset is not None:
        _emit("error", code="cache_reset", message=agent.cache_reset.detail)
    agent.service.connection_did_change.connect(connection_changed)
    if agent.service.connection.state is not ConnectionState.ONLINE:
        _emit("offline")
    lines = _stdin_lines(asyncio.get_running_loop())
    try:
        while (line := await lines.get()) is not None:
            if not line.strip():
                continue
            try:
                command = json.loads(line)
                if not isinstance(command, dict):
                    raise TypeError("a command is a JSON object")
                if not await _handle(agent, command):
                    break
            except (ValueError, KeyError, TypeError) as exc:
                _emit("error", code="bad_command", message=str(exc))
    finally:
        await agent.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.session.headless",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--hub", required=True, help="hub base URL, e.g. http://127.0.0.1:8765")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--cache", required=True, help="the cache file (created if missing)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        stream=sys.stderr)
    redaction.install()
    try:
        auth.normalize_hub_url(args.hub)
    except auth.InvalidHubUrl as exc:
        parser.error(f"--hub: {exc}")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
