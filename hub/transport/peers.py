"""Live websocket connections and the bounded queue in front of each.

Senders never await a slow client: frames go into the peer's queue and one task per
peer writes them out. A peer whose queue overflows is closed; an agent client then
reconnects and resumes from its last seq, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable

from starlette.websockets import WebSocket

log = logging.getLogger(__name__)

QUEUE_LIMIT = 2000
CLOSE_OVERLOADED = 1013  # "try again later"


class Peer:
    """One connected websocket. Use from the hub's event loop only."""

    def __init__(self, ws: WebSocket, label: str,
                 outgoing: Callable[[str], str] | None = None) -> None:
        self.ws = ws
        self.label = label
        # Every frame passes it before it is queued (an agent's socket: the fields
        # the agent's role may not read are masked, hub.access.field_access).
        self._outgoing = outgoing
        self._queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_LIMIT)
        self._task: asyncio.Task[None] | None = None
        self.closed = False
        # An agent socket: the last event of the agent's stream it was sent, once
        # known (hub.store.bus keeps several processes' events in order with it).
        self.stream_seq: int | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._drain(), name=self.label)

    def send(self, frame: str) -> None:
        if self.closed:
            return
        if self._outgoing is not None:
            frame = self._outgoing(frame)
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            log.warning("%s: send queue full, closing", self.label)
            self.close(CLOSE_OVERLOADED)

    def close(self, code: int = 1000) -> None:
        if self.closed:
            return
        self.closed = True
        self._close_code = code
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)
        if self._queue.full():
            # The drain task may be stuck; closing the socket ends it.
            asyncio.get_running_loop().create_task(self._close_socket(code))

    async def _close_socket(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code)

    async def _drain(self) -> None:
        try:
            while True:
                frame = await self._queue.get()
                if frame is None:
                    await self._close_socket(getattr(self, "_close_code", 1000))
                    return
                await self.ws.send_text(frame)
        except Exception as exc:  # the socket went away; the receive loop notices
            log.debug("%s: send failed: %s", self.label, exc)
            self.closed = True

    async def stop(self) -> None:
        """Stop the writer; a close we asked for first flushes what was queued."""
        flush = self.closed and self._task is not None and not self._task.done()
        self.closed = True
        if self._task is not None:
            if flush:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(self._task), 2.0)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


class PeerRegistry:
    """Peers by owner id (agent id or customer id)."""

    def __init__(self) -> None:
        self._by_owner: defaultdict[str, set[Peer]] = defaultdict(set)
        # Told of an owner's first peer here, and of its last one leaving (which
        # hub process holds whom: hub.store.customer_links).
        self.first_added: list[Callable[[str], None]] = []
        self.last_removed: list[Callable[[str], None]] = []

    def add(self, owner: str, peer: Peer) -> None:
        first = owner not in self._by_owner
        self._by_owner[owner].add(peer)
        if first:
            for watcher in self.first_added:
                watcher(owner)

    def remove(self, owner: str, peer: Peer) -> bool:
        """Remove; True when the owner has no peer left."""
        peers = self._by_owner.get(owner)
        if peers is None:
            return True
        peers.discard(peer)
        if not peers:
            del self._by_owner[owner]
            for watcher in self.last_removed:
                watcher(owner)
            return True
        return False

    def send(self, owner: str, frame: str, skip: Peer | None = None) -> int:
        sent = 0
        for peer in list(self._by_owner.get(owner, ())):
            if peer is not skip:
                peer.send(frame)
                sent += 1
        return sent

    def peers_of(self, owner: str) -> list[Peer]:
        return list(self._by_owner.get(owner, ()))

    def owners(self) -> list[str]:
        return list(self._by_owner)

    def connected(self, owner: str) -> bool:
        return owner in self._by_owner

    def count(self) -> int:
        return sum(len(p) for p in self._by_owner.values())

    def all_peers(self) -> list[Peer]:
        return [p for peers in self._by_owner.values() for p in peers]
