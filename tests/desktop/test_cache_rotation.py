"""``zuoxi --rotate-cache-key``: the cache is re-encrypted under a new key from the
keyring, keeping what it holds; the old key no longer opens it; a cache another
Zuoxi holds open is left alone; without an encrypted cache it says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cache.cache import Cache
from core.cache.cache_file import CacheLocked
from core.cache.cipher import CacheKey
from core.sync.outbox import Outbox
from desktop.cache_keys import CacheKeys
from desktop.credentials import CredentialStore
from desktop.main import main
from desktop.settings import Settings, cache_path
from tests.desktop.conftest import DictKeyring

pytestmark = pytest.mark.plain_cache("the keys here come from the keyring")
HUB = "https://hub.example.com"


def _key(backend: DictKeyring, path: Path) -> CacheKey:
    return CacheKey.from_hex(backend.store[("zuoxi", f"cache-key:{path.name}")])


def test_rotate_cache_key_from_the_command_line(
        tmp_path: Path, backend: DictKeyring, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    settings = Settings(data / "settings.ini")
    settings.username = "lina"
    path = cache_path(data, HUB, "lina")
    path.parent.mkdir(parents=True)
    desktop = CacheKeys(CredentialStore())  # the running desktop
    cache, _ = desktop.open(path)
    Outbox(cache).send_message("c1", "an unsent reply, kept across the rotation")
    cache.close()
    old = _key(backend, path)
    args = ["--rotate-cache-key", "--hub", HUB, "--data-dir", str(data)]

    # While the desktop holds the cache, nothing is rewritten under it.
    assert main(args) == 2
    assert "open in another Zuoxi" in capsys.readouterr().out
    assert _key(backend, path) == old
    del desktop  # the desktop quit: its lock goes with it

    assert main(args) == 0
    assert "encrypted under a new key" in capsys.readouterr().out
    new = _key(backend, path)
    assert new != old
    assert ("zuoxi", f"cache-key-next:{path.name}") not in backend.store
    with pytest.raises(CacheLocked):
        Cache(path, old)
    reopened = Cache(path, new)
    assert [getattr(c, "text", None) for c in Outbox(reopened).pending()] == [
        "an unsent reply, kept across the rotation"]
    reopened.close()


def test_nothing_to_rotate_is_said_plainly(
        tmp_path: Path, backend: DictKeyring, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--rotate-cache-key", "--hub", HUB, "--data-dir", str(data)]) == 2
    assert "nobody has signed in" in capsys.readouterr().out
    settings = Settings(data / "settings.ini")
    settings.username = "lina"
    assert main(["--rotate-cache-key", "--hub", HUB, "--data-dir", str(data)]) == 2
    assert "there is no cache" in capsys.readouterr().out
    assert main(["--rotate-cache-key", "--embedded", "--data-dir", str(data)]) == 2
    assert "demo hub's cache is not encrypted" in capsys.readouterr().out
