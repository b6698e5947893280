"""Token buckets that keep one client from flooding the hub."""

from __future__ import annotations

import time


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._stamp = time.monotonic()

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
