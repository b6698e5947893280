"""The consistency check: does the cache hold exactly what the hub holds for the agent?

Both sides reduce the agent's state to a ``StateDigest`` (``core.protocol.digest``):
the last applied seq, the open conversations assigned to the agent, and every
message of those conversations that the hub knows. Messages still waiting in
the outbox (pending) or refused (failed) are the client's alone and left out.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import msgspec

from core.cache.cache import Cache
from core.protocol.digest import (
    StateDigest,
    conversation_line,
    differences,
    message_line,
    table_digest,
)
from core.protocol.models import ConversationStatus, MessageStatus
from core.session.auth import HubError, HubUnreachable, TokenExpired, normalize_hub_url

DEFAULT_TIMEOUT = 10.0


def cache_digest(cache: Cache) -> StateDigest:
    """The digest of what the cache holds (see the module's docstring for the scope)."""
    db = cache.db
    conversations = db.execute(
        "SELECT id, customer_id, status FROM conversations WHERE assigned=1 AND status=?",
        [ConversationStatus.OPEN.value],
    ).fetchall()
    messages = db.execute(
        "SELECT m.id, m.conversation_id, m.author, m.status, m.text FROM messages m "
        "JOIN conversations c ON c.id = m.conversation_id "
        "WHERE c.assigned=1 AND c.status=? AND m.status NOT IN (?, ?) "
        "AND m.id NOT IN (SELECT message_id FROM outbox WHERE message_id IS NOT NULL)",
        [ConversationStatus.OPEN.value, MessageStatus.PENDING.value, MessageStatus.FAILED.value],
    ).fetchall()
    return StateDigest(
        head_seq=cache.last_seq() or 0,
        conversations=table_digest(conversation_line(*row) for row in conversations),
        messages=table_digest(message_line(*row) for row in messages),
    )


def fetch_hub_digest_blocking(
    hub_url: str, token: str, timeout: float = DEFAULT_TIMEOUT
) -> StateDigest:
    """GET /api/digest with the agent's token. Raises ``core.session.auth`` errors."""
    url = normalize_hub_url(hub_url) + "/api/digest"
    request = urllib.request.Request(url, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise TokenExpired("the hub refused the token") from None
        if exc.code == 404:
            raise HubError("this hub has no /api/digest") from None
        raise HubError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise HubUnreachable(str(getattr(exc, "reason", exc))) from None
    try:
        return msgspec.json.decode(body, type=StateDigest)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise HubError(f"unreadable digest: {exc}") from None


async def fetch_hub_digest(
    hub_url: str, token: str, timeout: float = DEFAULT_TIMEOUT
) -> StateDigest:
    return await asyncio.to_thread(fetch_hub_digest_blocking, hub_url, token, timeout)


@dataclass(frozen=True)
class Comparison:
    local: StateDigest
    hub: StateDigest

    @property
    def equal(self) -> bool:
        return self.local == self.hub

    def differences(self) -> list[str]:
        return differences(self.local, self.hub)

    def to_json(self) -> dict[str, object]:
        return {
            "equal": self.equal,
            "local": json.loads(msgspec.json.encode(self.local)),
            "hub": json.loads(msgspec.json.encode(self.hub)),
            "differences": self.differences(),
        }


async def compare(
    cache: Cache, hub_url: str, token: str, *, settle_s: float = 3.0
) -> Comparison:
    """Compare the cache with the hub.

    Events may be on their way while we ask: when the hub is ahead, give the cache
    up to ``settle_s`` to catch up before calling it a difference.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settle_s
    while True:
        hub = await fetch_hub_digest(hub_url, token)
        local = cache_digest(cache)
        if local == hub or loop.time() >= deadline:
            return Comparison(local, hub)
        await asyncio.sleep(0.2)
