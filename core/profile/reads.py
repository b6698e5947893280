"""Reads the hub answers (``fetch_*``, ``search_customers``), awaited by op id.

Reads change nothing, so they never go through the outbox: when the hub is not
reachable ``ask`` raises ``HubUnavailable`` at once and the caller shows what
the cache holds. Thread: the loop's (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.protocol.profile import (
    CustomerFrame,
    CustomerResults,
    FieldRevealed,
    ProfileRead,
    ProfileServerFrame,
    Timeline,
    Transcript,
)

READ_TIMEOUT_S = 10.0

# The transport's request (False: not live)
Request = Callable[[ProfileRead], bool]
Answer = CustomerFrame | Timeline | Transcript | CustomerResults | FieldRevealed


class ReadFailed(Exception):  # noqa: N818
    """The hub answered the read with an error (``forbidden``, ``not_found``, ...)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class HubUnavailable(ReadFailed):
    """Not connected (or the connection dropped before the answer came)."""

    def __init__(self, message: str = "offline") -> None:
        super().__init__("offline", message)


class ProfileReads:
    def __init__(self, timeout_s: float = READ_TIMEOUT_S) -> None:
        self._request: Request | None = None
        self._waiting: dict[str, asyncio.Future[Answer]] = {}
        self._timeout = timeout_s

    def attach(self, request: Request | None) -> None:
        self._request = request
        if request is None:
            self.connection_lost()

    async def ask(self, frame: ProfileRead) -> Answer:
        request = self._request
        if request is None:
            raise HubUnavailable()
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting[frame.op] = future
        try:
            if not request(frame):
                raise HubUnavailable()
            return await asyncio.wait_for(future, self._timeout)
        except TimeoutError:
            raise HubUnavailable("no answer in time") from None
        finally:
            self._waiting.pop(frame.op, None)

    def owns(self, op: str) -> bool:
        return op in self._waiting

    def answered(self, frame: ProfileServerFrame) -> bool:
        """Resolve the read ``frame`` answers; False if none waits for it."""
        op = getattr(frame, "op", None)
        future = self._waiting.get(op) if isinstance(op, str) else None
        if future is None or future.done():
            return False
        future.set_result(frame)  # type: ignore[arg-type]
        return True

    def failed(self, op: str, code: str, message: str) -> None:
        future = self._waiting.get(op)
        if future is not None and not future.done():
            future.set_exception(ReadFailed(code, message))

    def connection_lost(self) -> None:
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(HubUnavailable("connection lost"))
