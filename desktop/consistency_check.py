"""``zuoxi --check-consistency``: compare the agent's cache with the hub, from a terminal.

It signs in the way the desktop would (the stored token of the remembered hub, or
the demo agent of the local hub, which it starts for the occasion), brings the
cache up to date and sends anything waiting in the outbox, then compares the
cache's digest with the hub's ``GET /api/digest``.

Exit status: 0 the cache matches the hub, 1 it differs, 2 the check could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from core.cache import cipher
from core.protocol.digest import StateDigest
from core.session import auth
from core.session.headless import HeadlessAgent
from core.sync.client import ConnectionState
from core.sync.consistency import Comparison, compare
from desktop.cache_keys import CacheKeys
from desktop.credentials import CredentialStore
from desktop.embedded_hub import EmbeddedHub, EmbeddedHubError
from desktop.settings import EMBEDDED_KEY, Settings, cache_path

log = logging.getLogger(__name__)

DEMO_USERNAME = "lina"
DEMO_PASSWORD = "zuoxi-demo"
SYNC_TIMEOUT_S = 30.0


class CheckError(Exception):
    """The check could not run (exit status 2); the message says why."""


def _describe(digest: StateDigest) -> str:
    return (f"last event {digest.head_seq}, {digest.conversations.count} open conversations, "
            f"{digest.messages.count} messages")


def report(comparison: Comparison) -> str:
    lines = [f"  cache: {_describe(comparison.local)}", f"  hub:   {_describe(comparison.hub)}"]
    if comparison.equal:
        lines.append("Result: the cache matches the hub.")
    else:
        lines.append("Result: the cache DIFFERS from the hub:")
        lines.extend(f"  - {line}" for line in comparison.differences())
    return "\n".join(lines)


async def _check(hub_url: str, username: str, token: str, path: Path) -> Comparison:
    key = CacheKeys(CredentialStore()).key(path)
    if key is None and cipher.looks_encrypted(path):
        raise CheckError("the cache is encrypted and its key is not in the system keyring")
    agent = HeadlessAgent(hub_url, username, "", path, token=token, cache_key=key)
    await agent.start()
    try:
        if agent.cache_reset is not None:
            print(f"  note: the cache was unusable and was rebuilt ({agent.cache_reset.detail})")
        service = agent.service
        try:
            await agent.wait_until(
                lambda: service.connection.state in (ConnectionState.ONLINE,
                                                     ConnectionState.AUTH_FAILED),
                SYNC_TIMEOUT_S,
            )
        except TimeoutError:
            raise CheckError(f"cannot reach the hub at {hub_url}") from None
        if service.connection.state is ConnectionState.AUTH_FAILED:
            raise CheckError("the hub refused the stored sign-in; sign in with the desktop")
        try:
            await agent.wait_until(lambda: agent.outbox_size() == 0, SYNC_TIMEOUT_S)
        except TimeoutError:
            raise CheckError("the outbox did not empty; is the hub answering?") from None
        return await compare(agent.cache, hub_url, token)
    finally:
        await agent.stop()


async def _run(hub_url: str | None, data_dir: Path, settings: Settings) -> int:
    hub: EmbeddedHub | None = None
    try:
        if hub_url is None:
            hub = EmbeddedHub(data_dir)
            hub.start()
            address = await hub.wait_ready()
            hub_url, username, hub_key = address.url, DEMO_USERNAME, EMBEDDED_KEY
            token = (await auth.login(hub_url, username, DEMO_PASSWORD)).token
        else:
            username, hub_key = settings.username, hub_url
            stored = CredentialStore().get(hub_url, username) if username else None
            if not stored:
                raise CheckError(f"no stored sign-in for {hub_url}; sign in with the desktop")
            token = stored
        path = cache_path(data_dir, hub_key, username)
        if not path.exists():
            raise CheckError(f"no cache for {username} at {hub_url} yet ({path})")
        print("Zuoxi cache consistency check")
        print(f"  agent: {username} at {hub_url}")
        print(f"  cache: {path}")
        comparison = await _check(hub_url, username, token, path)
        print(report(comparison))
        return 0 if comparison.equal else 1
    except (CheckError, auth.AuthError, EmbeddedHubError) as exc:
        print(f"zuoxi: the consistency check could not run: {exc}")
        return 2
    finally:
        if hub is not None:
            await asyncio.to_thread(hub.stop)


def run_check(args: argparse.Namespace, hub_url: str | None, data_dir: Path,
              settings_path: Path) -> int:
    settings = Settings(settings_path)
    if hub_url is None and not args.embedded:
        hub_url = settings.preferences().hub_url or None
    return asyncio.run(_run(hub_url, data_dir, settings))
