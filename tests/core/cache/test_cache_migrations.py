"""The cache schema migrates forward from every earlier version without losing data,
and an unusable file is moved aside and replaced, never a crash loop."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import msgspec
import pytest
import sqlite_utils

from core.assist import kb_cache
from core.cache.cache import Cache, CacheError, CacheLocked, CacheTooNew, open_cache, resync_locked
from core.cache.cache_file import ResetReason
from core.cache.schema import MIGRATIONS, SCHEMA_VERSION
from core.protocol.agent import SendMessage
from core.protocol.knowledge import KbArticle, KbLanguage, KbStatus
from core.protocol.models import MessageStatus
from core.sync.outbox import Outbox
from tests.core.factories import assigned, event
from tests.support import cache_files

# The DDL version 1 shipped with (sqlite-utils wrote it; frozen here verbatim).
V1_DDL = """
CREATE TABLE "meta" ("key" TEXT PRIMARY KEY, "value" TEXT);
CREATE TABLE "sync_state" ("key" TEXT PRIMARY KEY, "value" TEXT);
CREATE TABLE "customers" ("id" TEXT PRIMARY KEY, "name" TEXT, "language" TEXT, "tier" TEXT,
   "tags" TEXT);
CREATE TABLE "identities" ("customer_id" TEXT REFERENCES "customers"("id"), "kind" TEXT,
   "value" TEXT, PRIMARY KEY ("customer_id", "kind", "value"));
CREATE TABLE "conversations" ("id" TEXT PRIMARY KEY, "customer_id" TEXT, "channel" TEXT,
   "status" TEXT, "created_at" INTEGER, "queue" TEXT, "agent_id" TEXT, "closed_at" INTEGER,
   "closed_by" TEXT, "last_message_at" INTEGER, "last_text" TEXT, "last_author" TEXT,
   "waiting_since" INTEGER, "unread" INTEGER DEFAULT 0, "assigned" INTEGER DEFAULT 0);
CREATE INDEX "idx_conversations_customer_id_created_at"
    ON "conversations" ("customer_id", "created_at");
CREATE INDEX "idx_conversations_assigned_status" ON "conversations" ("assigned", "status");
CREATE TABLE "messages" ("id" TEXT PRIMARY KEY, "conversation_id" TEXT, "author" TEXT,
   "text" TEXT, "created_at" INTEGER, "status" TEXT, "agent_id" TEXT, "author_name" TEXT,
   "receipt" INTEGER DEFAULT 0);
CREATE INDEX "idx_messages_conversation_id_created_at"
    ON "messages" ("conversation_id", "created_at");
CREATE TABLE "outbox" ("op" TEXT PRIMARY KEY, "kind" TEXT, "payload" TEXT,
   "created_at" INTEGER, "conversation_id" TEXT, "message_id" TEXT, "revert" TEXT);
"""

PENDING = SendMessage(op="op1", conversation_id="c1", message_id="m-out", text="稍等 please")


def v1_data(db: sqlite3.Connection) -> None:
    """What a v1 cache in use holds: an agent mid-conversation with an unsent reply."""
    db.executescript(
        """
        INSERT INTO meta VALUES ('schema_version', '1');
        INSERT INTO sync_state VALUES ('last_seq', '41'), ('presence', 'away');
        INSERT INTO customers VALUES ('cu1', '王芳', 'zh-CN', 'vip', '["vip", "store:shanghai"]');
        INSERT INTO identities VALUES ('cu1', 'phone', '+86 138 0013 8000');
        INSERT INTO conversations (id, customer_id, channel, status, created_at, last_text,
            unread, assigned) VALUES ('c1', 'cu1', 'chat', 'open', 1700000000000, '你好', 1, 1);
        INSERT INTO messages (id, conversation_id, author, text, created_at, status, receipt)
            VALUES ('m1', 'c1', 'customer', '你好', 1700000000000, 'sent', 1),
                   ('m-out', 'c1', 'agent', '稍等 please', 1700000000001, 'pending', 0);
        """
    )
    db.execute(
        "INSERT INTO outbox VALUES ('op1', 'send_message', ?, 1700000000001, 'c1', 'm-out', NULL)",
        [msgspec.json.encode(PENDING).decode()],
    )


def v2_data(db: sqlite3.Connection) -> None:
    db.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    db.execute("INSERT INTO attachments VALUES ('at1', 'm1', 'invoice.pdf', 'application/pdf', "
               "1234, 'ab12')")
    db.execute("UPDATE customers SET refreshed_at=1700000000500 WHERE id='cu1'")


def build(path: Path, version: int) -> None:
    """A cache file as release ``version`` left it, with data in it."""
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    v1_data(db)
    # Later versions: the frozen steps, as that release ran them on its users' files.
    for v, step in MIGRATIONS:
        if 1 < v <= version:
            step(sqlite_utils.Database(db))
    if version >= 2:
        v2_data(db)
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", [str(version)])
    db.commit()
    db.close()


@pytest.mark.parametrize("version", [v for v, _ in MIGRATIONS if v < SCHEMA_VERSION])
def test_every_earlier_version_migrates_without_losing_data(tmp_path: Path,
                                                            version: int) -> None:
    path = tmp_path / f"v{version}.sqlite3"
    build(path, version)
    cache = Cache(path)
    assert cache.schema_version() == SCHEMA_VERSION
    assert cache.last_seq() == 41
    [item] = cache.inbox()
    assert (item.conversation_id, item.customer_name, item.unread) == ("c1", "王芳", 1)
    assert [m.id for m in cache.messages("c1")] == ["m1", "m-out"]
    assert cache.message("m-out").status is MessageStatus.PENDING  # type: ignore[union-attr]
    assert cache.due_receipts() == {"c1": ["m1"]}
    assert Outbox(cache).pending() == [PENDING]
    profile = cache.customer_profile("cu1")
    assert profile is not None and profile.tags == ("vip", "store:shanghai")
    # v2: tags as rows (backfilled from v1's JSON), attachments kept
    tags = cache.db.execute("SELECT tag FROM customer_tags WHERE customer_id='cu1' "
                            "ORDER BY tag").fetchall()
    assert [t[0] for t in tags] == ["store:shanghai", "vip"]
    columns = {c.name for c in cache.db.table("attachments").columns}
    assert columns == {"id", "message_id", "name", "mime", "size", "sha256"}
    if version >= 2:
        assert cache.db.execute("SELECT name FROM attachments").fetchall() == [("invoice.pdf",)]
    # v4: the search index covers what the older cache held (names, phones, text)
    assert [h.customer_id for h in cache.search("王芳")] == ["cu1"]
    assert [h.customer_id for h in cache.search("138 0013")] == ["cu1"]
    [hit] = cache.search("please")
    assert hit.customer_id == "cu1" and [m.message_id for m in hit.messages] == ["m-out"]
    assert [c.verified for c in profile.contact_points] == [True]
    assert [e.id for e in cache.timeline("cu1")] == ["c1"]
    # and the cache keeps working at the new version
    cache.apply_events([event(42, assigned(
        "c2", "cu2"))])
    assert cache.last_seq() == 42 and len(cache.inbox()) == 2
    cache.close()
    assert Cache(path).schema_version() == SCHEMA_VERSION  # reopening is a no-op


def test_a_fresh_cache_equals_a_migrated_one(tmp_path: Path) -> None:
    def schema(path: Path) -> list[tuple[str, str]]:
        with cache_files.connect(path) as db:
            rows = db.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                              "ORDER BY name").fetchall()
        return [(name, " ".join(sql.replace('"', "").split())) for name, sql in rows]

    fresh = tmp_path / "fresh.sqlite3"
    Cache(fresh).close()
    old = tmp_path / "old.sqlite3"
    build(old, 1)
    Cache(old).close()
    assert [n for n, _ in schema(fresh)] == [n for n, _ in schema(old)]


def broken_files() -> dict[str, bytes | None]:
    return {"garbage": os.urandom(8192), "zero-header": b"\0" * 4096, "truncated": None}


@pytest.mark.parametrize("kind", ["garbage", "zero-header", "truncated", "too-new"])
def test_an_unusable_file_is_moved_aside_and_rebuilt(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.apply_events([event(1, assigned())])
    for i in range(200):  # enough pages to truncate in the middle
        cache.set_state(f"k{i}", "x" * 500)
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if kind == "too-new":
        cache.set_state("x", "y")
        cache.db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    cache.close()
    if kind == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind != "too-new":
        path.write_bytes(broken_files()[kind] or b"")
    original = path.read_bytes()
    with pytest.raises(CacheTooNew if kind == "too-new" else CacheError):
        Cache(path)
    expected = ResetReason.TOO_NEW if kind == "too-new" else ResetReason.DAMAGED
    if cache_files.mode() == "encrypted" and kind == "garbage":
        # Encrypted, whole random pages are garbage or another key's: never set
        # aside without the agent's choice (re-sync here). Zeros or a part page are
        # damage (core.cache.cipher.not_encrypted_either).
        with pytest.raises(CacheLocked) as locked:
            open_cache(path)
        assert path.read_bytes() == original
        fresh, reset = resync_locked(path, locked.value, None)
        expected = ResetReason.LOCKED
    else:
        fresh, reset = open_cache(path)
    assert reset is not None
    assert reset.reason is expected
    assert reset.moved_to is not None and reset.moved_to.read_bytes() == original
    assert reset.moved_to.name.startswith("cache.sqlite3.broken-")
    # the new cache is empty: the hub will send a snapshot
    assert fresh.last_seq() is None and fresh.inbox() == []
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    fresh.close()
    again, second = open_cache(path)  # no loop: the next start is normal
    assert second is None
    again.close()


def test_a_healthy_cache_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Cache(path).close()
    cache, reset = open_cache(path)
    assert reset is None
    assert list(tmp_path.glob("*.broken-*")) == []
    cache.close()


def test_v14_gives_each_article_s_search_row_the_article_s_rowid(tmp_path: Path) -> None:
    path = tmp_path / "v13.sqlite3"
    build(path, 13)
    db = sqlite3.connect(path)
    # As v11–v13 wrote them: search rows numbered on their own (here in reverse).
    for n, (aid, title, tags) in enumerate([("kb-a", "退货退款流程", '["售后", "policy"]'),
                                            ("kb-b", "Gift card balance", "[]")]):
        db.execute("INSERT INTO kb_articles VALUES (?, ?, '正文 body', 'answer', 'zh', ?, "
                   "'published', 1, 'wang', 1, ?)", [aid, title, tags, n + 1])
        db.execute("INSERT INTO kb_fts (rowid, article_id, title, body, tags) "
                   "VALUES (?, ?, ?, '正文 body', ?)", [10 - n, aid, title,
                                                        " ".join(msgspec.json.decode(tags))])
    db.commit()
    db.close()
    cache = Cache(path)
    rows = cache.db.execute("SELECT a.id, f.article_id, f.tags FROM kb_articles a "
                            "JOIN kb_fts f ON f.rowid = a.rowid ORDER BY a.id").fetchall()
    # (v15 then ends each search column with a newline)
    assert rows == [("kb-a", "kb-a", "售后 policy\n"), ("kb-b", "kb-b", "\n")]
    newer = KbArticle(id="kb-a", title="退货流程（新）", body="十五天", language=KbLanguage.ZH,
                      tags=[], status=KbStatus.PUBLISHED, version=2, author="wang",
                      updated_at=2, answer="十五天")
    with cache.db.atomic():
        kb_cache.store(cache.db, newer)
        kb_cache.remove(cache.db, "kb-b")
    assert cache.db.execute("SELECT article_id, title FROM kb_fts").fetchall() == [
        ("kb-a", "退货流程（新）\n")]
    assert [h.article.id for h in kb_cache.search(cache.db, "退货流程")] == ["kb-a"]
    assert kb_cache.search(cache.db, "退款") == []  # the old version's word
    cache.close()


def test_v15_indexes_the_list_order_and_finds_a_pair_that_ends_a_title(tmp_path: Path) -> None:
    path = tmp_path / "v14.sqlite3"
    build(path, 14)
    db = sqlite3.connect(path)
    # As v14 wrote them: the search row shares the article's rowid, no newline after.
    for n, (aid, title) in enumerate([("kb-b", "Gift card balance"), ("kb-a", "申请退货"),
                                      ("kb-c", "apple pay")]):
        db.execute("INSERT INTO kb_articles VALUES (?, ?, '正文 body', 'answer', 'zh', '[]', "
                   "'published', 1, 'wang', 1, ?)", [aid, title, n + 1])
        db.execute("INSERT INTO kb_fts (rowid, article_id, title, body, tags) "
                   "SELECT rowid, id, title, body, '' FROM kb_articles WHERE id = ?", [aid])
    db.commit()
    # Before: 退货 ends the title, so no trigram of the old rows begins with it.
    assert db.execute("SELECT COUNT(*) FROM kb_fts WHERE kb_fts MATCH '\"退货\"'"
                      ).fetchone()[0] == 0
    db.close()
    cache = Cache(path)
    assert [h.article.id for h in kb_cache.search(cache.db, "退货")] == ["kb-a"]
    plan = [r[-1] for r in cache.db.execute(
        "EXPLAIN QUERY PLAN SELECT a.id FROM kb_articles AS a WHERE a.status = 'published' "
        "ORDER BY a.title COLLATE NOCASE, a.id LIMIT 64 OFFSET 1").fetchall()]
    assert any("idx_kb_articles_title" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    cache.close()
