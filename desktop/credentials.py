"""The agent's token in the system keyring, or in memory when there is none.

Headless and minimal systems often have no keyring backend; then the token lives
only for this run and the UI says so. ``keyring`` is imported lazily: finding a
backend can take a while and is not needed to draw the first window.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from core import redaction

log = logging.getLogger(__name__)

SERVICE = "zuoxi"


def _account(hub_url: str, username: str) -> str:
    return f"{username}@{hub_url}"


class CredentialStore:
    """Any thread: a returning agent's token is read on a worker thread while the
    GUI thread may ask for the telephone's password."""

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}
        self._available: bool | None = None
        self._detecting = threading.Lock()  # one backend search, not one per thread

    @property
    def available(self) -> bool:
        """Whether a real keyring backend exists (tokens survive a restart)."""
        with self._detecting:
            if self._available is None:
                self._available = self._detect()
            return self._available

    def _detect(self) -> bool:
        try:
            import keyring
            from keyring.backends import chainer, fail
        except Exception as exc:  # missing or broken package
            log.warning("keyring unavailable: %s", exc)
            return False
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return False
        return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)

    def get(self, hub_url: str, username: str) -> str | None:
        account = _account(hub_url, username)
        if account in self._memory:
            return self._memory[account]
        return self.get_secret(SERVICE, account)

    # ---- other secrets kept only in the keyring (the cache's key) -------------------

    def get_secret(self, service: str, account: str) -> str | None:
        """A secret from the keyring (never from memory); None when absent or unreadable."""
        if not self.available:
            return None
        try:
            import keyring

            secret: str | None = keyring.get_password(service, account)
            redaction.remember(secret)
            return secret
        except Exception as exc:
            log.warning("keyring read failed: %s", exc)
            return None

    def set_secret(self, service: str, account: str, secret: str) -> bool:
        """Keep a secret in the keyring; False when there is none or it failed."""
        redaction.remember(secret)
        if not self.available:
            return False
        try:
            import keyring

            keyring.set_password(service, account, secret)
            return True
        except Exception as exc:
            log.warning("keyring write failed: %s", exc)
            return False

    def delete_secret(self, service: str, account: str) -> None:
        if not self.available:
            return
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(service, account)
        except Exception as exc:
            log.warning("keyring delete failed: %s", exc)

    def set(self, hub_url: str, username: str, token: str) -> bool:
        """Store the token; returns False when it is kept in memory only."""
        redaction.remember(token)
        account = _account(hub_url, username)
        if self.available:
            try:
                import keyring

                keyring.set_password(SERVICE, account, token)
                self._memory.pop(account, None)
                return True
            except Exception as exc:
                log.warning("keyring write failed, keeping the token in memory: %s", exc)
        self._memory[account] = token
        return False

    def delete(self, hub_url: str, username: str) -> None:
        account = _account(hub_url, username)
        self._memory.pop(account, None)
        if not self.available:
            return
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, account)
        except Exception as exc:
            log.warning("keyring delete failed: %s", exc)
