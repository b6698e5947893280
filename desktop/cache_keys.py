"""The cache's encryption key in the OS keyring: made at the first start, found at the
next, replaced when the agent re-syncs, rotated in two steps.

One key per cache file (account ``cache-key:<file name>``; the name is a digest of
hub and agent, see ``desktop.settings.cache_path``). A rotation first keeps the
new key as ``cache-key-next:<file name>``, re-encrypts, then makes it the key: a
crash at any point leaves one of the two opening the file.

Without a keyring backend the cache stays plain (the UI says so): a key kept only
in memory would lock the agent's unsent work away at the next start.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the rotation trusts the agent
    fcntl = None  # type: ignore[assignment]

from core.cache import cipher
from core.cache.cache import Cache, CacheReset, open_cache
from core.cache.cache_file import CacheLocked, LockReason
from core.cache.cipher import CacheKey
from desktop.credentials import SERVICE, CredentialStore

log = logging.getLogger(__name__)


def _account(path: Path) -> str:
    return f"cache-key:{path.name}"


def _next_account(path: Path) -> str:
    return f"cache-key-next:{path.name}"


class CacheInUse(Exception):  # noqa: N818
    """Another process (a running desktop) has the cache open."""


def _lock_file(path: Path) -> IO[str]:
    return (path.parent / f"{path.name}.lock").open("a", encoding="utf-8")


class CacheKeys:
    """Thread: the GUI thread (the keyring is asked synchronously, as for the token)."""

    def __init__(self, credentials: CredentialStore) -> None:
        self._credentials = credentials
        # A shared lock per cache this process opened, kept while the process lives:
        # a rotation from another process (``exclusive``) waits for nobody to hold one.
        self._held: dict[Path, IO[str]] = {}

    def _hold(self, path: Path) -> None:
        if fcntl is None or path in self._held:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _lock_file(path)
        fcntl.flock(handle, fcntl.LOCK_SH)  # waits out a rotation (a second or so)
        self._held[path] = handle

    @contextlib.contextmanager
    def exclusive(self, path: Path) -> Iterator[None]:
        """The cache at ``path`` for this process alone, or ``CacheInUse``."""
        if fcntl is None:
            yield
            return
        handle = _lock_file(path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise CacheInUse(f"{path.name} is open in another Zuoxi; quit it first") \
                from None
        self._held[path] = handle
        try:
            yield
        finally:
            del self._held[path]
            handle.close()

    @property
    def available(self) -> bool:
        return self._credentials.available

    def _get(self, account: str) -> CacheKey | None:
        text = self._credentials.get_secret(SERVICE, account)
        if not text:
            return None
        try:
            return CacheKey.from_hex(text)
        except ValueError:
            log.warning("the keyring's cache key is not a key; ignoring it")
            return None

    def _set(self, account: str, key: CacheKey) -> bool:
        return self._credentials.set_secret(SERVICE, account, key.hex())

    def open(self, path: Path) -> tuple[Cache, CacheReset | None]:
        """The cache at ``path``, encrypted under its key (made now if it has none).

        Raises ``CacheLocked`` when the file is encrypted and no key we hold opens it.
        """
        self._hold(path)
        key = self._get(_account(path))
        pending = self._get(_next_account(path))
        if key is None and pending is None:
            if cipher.looks_encrypted(path):
                reason = ("no key for it in the system keyring" if self.available
                          else "this computer has no system keyring")
                raise CacheLocked(LockReason.KEY_MISSING, f"{path.name}: {reason}")
            key = self.new_key(path)  # None: no keyring, the cache stays plain
            return open_cache(path, key)
        candidates = [k for k in (key, pending) if k is not None]
        opened: tuple[Cache, CacheReset | None] | None = None
        for candidate in candidates:
            try:
                opened = open_cache(path, candidate)
            except CacheLocked:
                if candidate is candidates[-1]:
                    raise
                continue
            if candidate is not key:
                # A rotation stopped after the file took the new key: finish it.
                self._set(_account(path), candidate)
            break
        assert opened is not None
        if pending is not None:
            self._credentials.delete_secret(SERVICE, _next_account(path))
        return opened

    def key(self, path: Path) -> CacheKey | None:
        """The key the keyring holds for the cache at ``path`` (tools that open it)."""
        return self._get(_account(path)) or self._get(_next_account(path))

    def new_key(self, path: Path) -> CacheKey | None:
        """A fresh key for the cache at ``path``, kept in the keyring before any page is
        written with it; None when there is no keyring to keep it in."""
        if not self.available:
            return None
        key = CacheKey.generate()
        if not self._set(_account(path), key):
            return None
        self._credentials.delete_secret(SERVICE, _next_account(path))
        return key

    def rotate(self, cache: Cache) -> None:
        """Re-encrypt ``cache`` under a new key (``PRAGMA rekey``)."""
        if cache.path is None or cache.key is None:
            raise ValueError("only an encrypted cache file has a key to rotate")
        path = cache.path
        key = CacheKey.generate()
        if not self._set(_next_account(path), key):
            raise OSError("the keyring did not keep the new key")
        cache.rekey(key)
        self._set(_account(path), key)
        self._credentials.delete_secret(SERVICE, _next_account(path))
