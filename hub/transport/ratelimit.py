"""Token buckets that keep one client from flooding the hub."""

from __future__ import annotations

import logging
import time


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._stamp = time.monotonic()

    def full(self) -> bool:
        elapsed = time.monotonic() - self._stamp
        return self._tokens + elapsed * self.rate >= self.burst

    def take(self, cost: float = 1.0) -> bool:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        return False


class FloodGuard:
    """Per-connection limit: refuse frames over the rate, close on persistent abuse.

    ``check()`` returns "ok", "refuse" (answer with a rate_limited error) or
    "close" (the client kept going after being told: close the connection).
    """

    def __init__(self, rate: float = 10.0, burst: float = 30.0, strikes: int = 50) -> None:
        self._bucket = TokenBucket(rate, burst)
        self._strikes_allowed = strikes
        self._strikes = 0
        self._last_refusal_reported = 0.0

    def check(self) -> str:
        if self._bucket.take():
            self._strikes = max(0, self._strikes - 1)
            return "ok"
        self._strikes += 1
        if self._strikes > self._strikes_allowed:
            return "close"
        return "refuse"

    def should_report(self) -> bool:
        """Answer at most one refusal per second: errors must not amplify a flood."""
        now = time.monotonic()
        if now - self._last_refusal_reported >= 1.0:
            self._last_refusal_reported = now
            return True
        return False


class PerKeyLimit:
    """A token bucket per key (a client address), for things a stranger can ask
    for cheaply but that cost the hub for good, such as a new customer (finding 12).
    Memory stays bounded: full buckets are forgotten, as they would say yes."""

    def __init__(self, per_minute: float, burst: float, max_keys: int = 50_000) -> None:
        self._rate = per_minute / 60.0
        self._burst = burst
        self._max_keys = max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def take(self, key: str) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._forget_full()
            bucket = self._buckets[key] = TokenBucket(self._rate, self._burst)
        return bucket.take()

    def _forget_full(self) -> None:
        for key in [k for k, b in self._buckets.items() if b.full()]:
            del self._buckets[key]
        if len(self._buckets) >= self._max_keys:  # all busy: forget the oldest half
            for key in list(self._buckets)[: self._max_keys // 2]:
                del self._buckets[key]


class LogBudget:
    """At most ``lines`` log lines per ``period_s`` for one kind of trouble.

    What a stranger can trigger at will (a hostile frame, a failing connection)
    must not be able to fill the disk through the log: lines over the budget are
    counted, and the next line that fits says how many were left out.
    """

    def __init__(self, logger: logging.Logger, lines: int = 5, period_s: float = 10.0) -> None:
        self._log = logger
        self._lines = lines
        self._period = period_s
        self._window_start = -period_s
        self._used = 0
        self.suppressed = 0

    def log(self, level: int, message: str, *args: object,
            exc_info: bool | BaseException = False) -> bool:
        """Log unless over budget; True when the line was written."""
        now = time.monotonic()
        if now - self._window_start >= self._period:
            self._window_start = now
            self._used = 0
        if self._used >= self._lines:
            self.suppressed += 1
            return False
        self._used += 1
        if self.suppressed:
            message += " (and %d more like it not logged)"
            args = (*args, self.suppressed)
            self.suppressed = 0
        self._log.log(level, message, *args, exc_info=exc_info)
        return True
