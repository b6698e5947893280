"""Finding 15: a cache file too damaged to use is moved aside and rebuilt, but
the agent's queued work in it (the outbox) is read back first and queued again
in the new cache, so nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cache.cache import Cache, CacheError, open_cache
from core.protocol.agent import SendMessage
from core.protocol.models import Channel, Conversation, ConversationStatus
from core.sync.outbox import Outbox
from tests.support import cache_files


def _page_of(path: Path, table: str) -> tuple[int, int]:
    """(root page number, page size) of ``table``."""
    conn = cache_files.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", [table]).fetchone()
        size = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    return int(root[0]), int(size[0])


def _damage(path: Path, table: str) -> None:
    root, size = _page_of(path, table)
    with open(path, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\xde\xad" * (size // 2))


def _queued_cache(path: Path) -> list[SendMessage]:
    cache = Cache(path)
    with cache.db.atomic():
        cache.store_conversation(Conversation(
            id="c1", customer_id="cu1", channel=Channel.CHAT,
            status=ConversationStatus.OPEN, created_at=1), assigned=True)
    outbox = Outbox(cache)
    for text in ("first reply", "second reply", "第三条回复"):
        outbox.send_message("c1", text)
    queued = [c for c in outbox.pending() if isinstance(c, SendMessage)]
    cache.close()
    return queued


def test_the_outbox_of_a_damaged_cache_is_queued_again(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    queued = _queued_cache(path)
    assert len(queued) == 3
    _damage(path, "messages")
    with pytest.raises(CacheError):
        Cache(path)

    fresh, reset = open_cache(path)
    assert reset is not None and reset.moved_to is not None
    assert reset.salvaged == 3
    again = [c for c in Outbox(fresh).pending() if isinstance(c, SendMessage)]
    # The same commands, same op ids, in the same order: the hub deduplicates.
    assert again == queued
    fresh.close()


def test_an_unreadable_outbox_is_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    _queued_cache(path)
    _damage(path, "outbox")
    _damage(path, "messages")
    fresh, reset = open_cache(path)
    assert reset is not None and reset.salvaged == 0
    assert Outbox(fresh).pending() == []
    fresh.close()
