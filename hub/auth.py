"""Agent authentication: argon2 password hashes and revocable bearer tokens."""

from __future__ import annotations

import enum
import hashlib
import secrets
import time
from collections import deque
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hub.store.store import Store, now_ms

DEFAULT_TOKEN_TTL_S = 12 * 3600


class TokenProblem(enum.StrEnum):
    UNKNOWN = "unauthorized"
    EXPIRED = "token_expired"
    REPLACED = "session_replaced"  # the agent signed in again (--one-login-per-agent)


class TokenError(Exception):
    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Authenticator:
    def __init__(self, store: Store, token_ttl_s: int = DEFAULT_TOKEN_TTL_S) -> None:
        self._store = store
        self._hasher = PasswordHasher()
        self._token_ttl_ms = token_ttl_s * 1000
        # A hash to verify against when the user does not exist, so that timing
        # does not reveal which usernames exist.
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))

    def hash_password(self, password: str) -> str:
        return self._hasher.hash(password)

    def check_password(self, username: str, password: str) -> str | None:
        """The agent id when the password is right, else None. Slow on purpose."""
        row = self._store.agent_by_username(username)
        try:
            self._hasher.verify(row.password_hash if row else self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        return str(row.id) if row else None

    def issue_token(self, agent_id: str) -> tuple[str, int]:
        token = secrets.token_urlsafe(32)
        expires_at = now_ms() + self._token_ttl_ms
        self._store.save_token(token_digest(token), agent_id, expires_at)
        return token, expires_at

    def resolve(self, token: str) -> str:
        """The agent id the token belongs to; raises TokenError."""
        row = self._store.token_row(token_digest(token))
        if row is None or row.revoked_at is not None:
            raise TokenError(TokenProblem.UNKNOWN)
        if row.expires_at <= now_ms():
            raise TokenError(TokenProblem.EXPIRED)
        return str(row.agent_id)

    def problem_of(self, digest: str) -> TokenProblem | None:
        """What is wrong with the token of this digest now, or None."""
        row = self._store.token_row(digest)
        if row is None or row.revoked_at is not None:
            return TokenProblem.UNKNOWN
        if row.expires_at <= now_ms():
            return TokenProblem.EXPIRED
        return None

    def revoke(self, token: str) -> bool:
        return self._store.revoke_token(token_digest(token))

    def revoke_others(self, agent_id: str, token: str) -> int:
        """Revoke every other live token of the agent (a new login replaces them)."""
        return self._store.revoke_agent_tokens(agent_id, token_digest(token))


class LoginThrottle:
    """At most ``limit`` failed logins per key within ``window_s`` seconds."""

    def __init__(self, limit: int = 5, window_s: float = 60.0) -> None:
        self._limit = limit
        self._window = window_s
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self._window
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self._limit

    def failed(self, key: str) -> None:
        self._recent(key).append(time.monotonic())
        if len(self._failures) > 10_000:
            # Bound memory under a spray of usernames: forget the oldest keys.
            for old in list(self._failures)[:5_000]:
                del self._failures[old]

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


class LoginGuard:
    """Failed logins counted three ways (finding 11): per (address, user), per
    address (password spraying: one address, many usernames) and per user (one
    password guessed from many addresses). Any of them over its limit refuses."""

    def __init__(self, pair_limit: int = 5, address_limit: int = 20, user_limit: int = 10,
                 window_s: float = 60.0) -> None:
        self._pair = LoginThrottle(pair_limit, window_s)
        self._address = LoginThrottle(address_limit, window_s)
        self._user = LoginThrottle(user_limit, window_s)

    def _keys(self, address: str, username: str) -> tuple[str, str, str]:
        user = username.strip().lower()
        return f"{address}|{user}", address, user

    def blocked(self, address: str, username: str) -> bool:
        pair, addr, user = self._keys(address, username)
        return self._pair.blocked(pair) or self._address.blocked(addr) or self._user.blocked(user)

    def failed(self, address: str, username: str) -> None:
        pair, addr, user = self._keys(address, username)
        self._pair.failed(pair)
        self._address.failed(addr)
        self._user.failed(user)

    def succeeded(self, address: str, username: str) -> None:
        # Only the pair is forgiven: a right password does not excuse a spray.
        self._pair.succeeded(self._keys(address, username)[0])


class LiveSessions:
    """The open agent sockets by the token that opened them.

    Revoking a token ends its sockets at once (finding 7: a logged-out token's
    socket kept receiving events); ``sweep`` ends those whose token expired or
    was revoked elsewhere (another hub process sharing the database).
    """

    def __init__(self) -> None:
        self._ending: dict[str, dict[int, Callable[[TokenProblem], None]]] = {}
        self._agent_of: dict[str, str] = {}  # token digest -> agent id

    def add(self, token: str, key: int, end: Callable[[TokenProblem], None],
            agent_id: str = "") -> None:
        """``end`` closes the socket ``key`` (any id unique among live sockets)."""
        digest = token_digest(token)
        self._ending.setdefault(digest, {})[key] = end
        self._agent_of[digest] = agent_id

    def remove(self, token: str, key: int) -> None:
        digest = token_digest(token)
        ends = self._ending.get(digest)
        if ends is not None:
            ends.pop(key, None)
            if not ends:
                del self._ending[digest]
                self._agent_of.pop(digest, None)

    def end(self, token: str, problem: TokenProblem = TokenProblem.UNKNOWN) -> int:
        """End every socket opened with ``token``; how many there were."""
        return self._end_digest(token_digest(token), problem)

    def end_agent(self, agent_id: str, keep: str, problem: TokenProblem) -> int:
        """End the agent's sockets opened with any token but the one of digest
        ``keep`` (the agent signed in again); how many there were."""
        return sum(self._end_digest(digest, problem)
                   for digest, owner in list(self._agent_of.items())
                   if owner == agent_id and digest != keep)

    def _end_digest(self, digest: str, problem: TokenProblem) -> int:
        self._agent_of.pop(digest, None)
        ends = self._ending.pop(digest, {})
        for end in ends.values():
            end(problem)
        return len(ends)

    def sweep(self, valid: Callable[[str], TokenProblem | None]) -> int:
        """End the sockets whose token ``valid`` (by digest) finds a problem with."""
        ended = 0
        for digest in list(self._ending):
            problem = valid(digest)
            if problem is not None:
                ended += self._end_digest(digest, problem)
        return ended

    def count(self) -> int:
        return sum(len(e) for e in self._ending.values())
