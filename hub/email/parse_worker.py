"""Mail parsing in a separate process, so the hub's event loop never waits on it.

Parsing is pure Python: a hostile mail (100,000 parts, deep nesting, millions of
short lines) costs seconds of CPU, and a thread would still hold the interpreter
lock the loop needs. One worker process parses one mail at a time, within a time
budget; a mail over the budget (or one that kills the worker) is kept raw and
flagged unparseable, and the worker is replaced.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from multiprocessing.pool import Pool

from core.protocol.email import EmailProblem
from hub.email.parser import ParsedEmail, parse

log = logging.getLogger(__name__)

PARSE_BUDGET_S = 30.0


class ParseWorker:
    """Use from the hub's event loop only."""

    def __init__(self, budget_s: float = PARSE_BUDGET_S) -> None:
        self.budget_s = budget_s
        self._pool: Pool | None = None
        self._lock = asyncio.Lock()

    def _started(self) -> Pool:
        if self._pool is None:
            # spawn: a fork of a process with threads (the SQLite engine's, the
            # loop's executor) can inherit held locks.
            self._pool = multiprocessing.get_context("spawn").Pool(1)
        return self._pool

    async def parse(self, raw: bytes) -> ParsedEmail:
        """The parsed mail; never raises (a failure is an UNPARSEABLE result)."""
        async with self._lock:  # one mail at a time: the budget is per mail
            loop = asyncio.get_running_loop()
            done: asyncio.Future[ParsedEmail] = loop.create_future()

            def finished(result: ParsedEmail) -> None:
                loop.call_soon_threadsafe(_settle, done, result, None)

            def failed(exc: BaseException) -> None:
                loop.call_soon_threadsafe(_settle, done, None, exc)

            self._started().apply_async(parse, (raw,), callback=finished, error_callback=failed)
            try:
                return await asyncio.wait_for(done, self.budget_s)
            except TimeoutError:
                log.warning("a mail of %d bytes took over %.0f s to parse; kept raw",
                            len(raw), self.budget_s)
                self.close()
            except Exception as exc:
                log.warning("the mail parser failed (%s); the mail is kept raw",
                            type(exc).__name__)
                self.close()
            return ParsedEmail(problems={EmailProblem.UNPARSEABLE})

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None


def _settle(
    done: asyncio.Future[ParsedEmail], result: ParsedEmail | None, exc: BaseException | None
) -> None:
    if done.done():
        return
    if exc is not None:
        done.set_exception(exc)
    else:
        assert result is not None
        done.set_result(result)
