"""The cache's key in the keyring: made once, found again, rotated in two steps so a
crash at any point leaves a key that opens the file."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from core.cache import cipher
from core.cache.cache import Cache
from core.cache.cache_file import CacheLocked, LockReason
from core.cache.cipher import CacheKey
from core.sync.outbox import Outbox
from desktop.cache_keys import CacheKeys
from desktop.credentials import CredentialStore
from tests.core.factories import assigned, event
from tests.desktop.conftest import DictKeyring

pytestmark = pytest.mark.plain_cache("the keys here come from the keyring")


def _key(backend: DictKeyring, path: Path, slot: str = "cache-key") -> CacheKey:
    return CacheKey.from_hex(backend.store[("zuoxi", f"{slot}:{path.name}")])


def test_a_key_is_made_once_and_found_again(tmp_path: Path, backend: DictKeyring) -> None:
    path = tmp_path / "c.sqlite3"
    keys = CacheKeys(CredentialStore())
    cache, reset = keys.open(path)
    assert reset is None and cache.encrypted
    cache.apply_events([event(1, assigned())])
    cache.close()
    made = _key(backend, path)
    again, _ = CacheKeys(CredentialStore()).open(path)  # another start
    assert again.key == made and again.last_seq() == 1
    again.close()


def test_rotation_and_a_crash_in_the_middle(tmp_path: Path, backend: DictKeyring) -> None:
    path = tmp_path / "c.sqlite3"
    keys = CacheKeys(CredentialStore())
    cache, _ = keys.open(path)
    Outbox(cache).send_message("c1", "kept across rotations")
    old = _key(backend, path)
    keys.rotate(cache)
    new = _key(backend, path)
    assert new != old and cache.key == new
    assert ("zuoxi", f"cache-key-next:{path.name}") not in backend.store
    cache.close()
    with pytest.raises(CacheLocked):
        Cache(path, old)

    # A crash after the file took the next key but before it became the key:
    cache, _ = keys.open(path)
    pending = CacheKey.generate()
    backend.store[("zuoxi", f"cache-key-next:{path.name}")] = pending.hex()
    cache.rekey(pending)
    cache.close()
    reopened, _ = CacheKeys(CredentialStore()).open(path)
    assert reopened.key == pending == _key(backend, path)  # the step was finished
    assert ("zuoxi", f"cache-key-next:{path.name}") not in backend.store
    assert len(Outbox(reopened).pending()) == 1
    reopened.close()

    # A crash after the next key was kept but before the file took it:
    backend.store[("zuoxi", f"cache-key-next:{path.name}")] = CacheKey.generate().hex()
    reopened, _ = CacheKeys(CredentialStore()).open(path)
    assert reopened.key == pending
    assert ("zuoxi", f"cache-key-next:{path.name}") not in backend.store
    reopened.close()


def test_an_encrypted_cache_without_its_key_is_locked(tmp_path: Path,
                                                     backend: DictKeyring) -> None:
    path = tmp_path / "c.sqlite3"
    cache, _ = CacheKeys(CredentialStore()).open(path)
    cache.close()
    backend.store.clear()
    with pytest.raises(CacheLocked) as locked:
        CacheKeys(CredentialStore()).open(path)
    assert locked.value.reason is LockReason.KEY_MISSING
    assert backend.store == {}  # no new key for a file it cannot open


def test_without_a_keyring_the_cache_stays_plain(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        cache, _ = CacheKeys(CredentialStore()).open(tmp_path / "c.sqlite3")
        assert not cache.encrypted
        cache.close()
        assert cipher.is_plain(tmp_path / "c.sqlite3")
    finally:
        keyring.set_keyring(previous)
