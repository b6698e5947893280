"""``zuoxi --rotate-cache-key``: re-encrypt the agent's cache under a new key, now.

For when the key may have been seen (a keyring exported, a laptop handed on) or a
site rotates keys on a schedule. It works offline and needs no sign-in: the key is
in the system keyring. ``CacheKeys.rotate`` keeps the new key beside the old one
before any page is rewritten, so a crash at any point leaves the cache opening at
the next start. A desktop holding the cache open (a shared lock on ``<cache>.lock``,
``CacheKeys``) makes it refuse rather than rewrite pages under it.

Exit status: 0 rotated, 2 it could not be done (the message says why).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cache.cache_file import CacheLocked
from desktop.cache_keys import CacheInUse, CacheKeys
from desktop.credentials import CredentialStore
from desktop.settings import Settings, cache_path


class RotationError(Exception):
    """The rotation could not run; the message says why."""


def rotate(path: Path, keys: CacheKeys) -> None:
    """Re-encrypt the cache file at ``path`` under a new key from the keyring."""
    if not path.exists():
        raise RotationError(f"there is no cache at {path} yet")
    if not keys.available:
        raise RotationError("this computer has no system keyring, so the cache is not "
                            "encrypted")
    try:
        with keys.exclusive(path):
            _rotate_open(path, keys)
    except CacheInUse as exc:
        raise RotationError(str(exc)) from None


def _rotate_open(path: Path, keys: CacheKeys) -> None:
    try:
        cache, reset = keys.open(path)
    except CacheLocked as exc:
        raise RotationError(f"the cache cannot be opened with the keyring's key ({exc})") \
            from None
    try:
        if reset is not None:
            raise RotationError(f"the cache was unusable and was set aside ({reset.detail}); "
                                "start the desktop to rebuild it")
        if not cache.encrypted:
            raise RotationError("the cache is not encrypted")
        try:
            keys.rotate(cache)
        except OSError as exc:  # the keyring refused, or the file is in use
            raise RotationError(str(exc)) from None
    finally:
        cache.close()


def run_rotation(args: argparse.Namespace, hub_url: str | None, data_dir: Path,
                 settings_path: Path) -> int:
    settings = Settings(settings_path)
    hub_url = hub_url or settings.preferences().hub_url or None
    username = settings.username
    try:
        if hub_url is None or args.embedded:
            raise RotationError("the local demo hub's cache is not encrypted")
        if not username:
            raise RotationError(f"nobody has signed in to {hub_url} here yet")
        path = cache_path(data_dir, hub_url, username)
        rotate(path, CacheKeys(CredentialStore()))
    except RotationError as exc:
        print(f"zuoxi: the cache key was not rotated: {exc}")
        return 2
    print(f"zuoxi: the cache of {username} at {hub_url} is encrypted under a new key")
    return 0
