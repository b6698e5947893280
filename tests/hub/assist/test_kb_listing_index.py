"""Migration 35: the published-article listing the desktop pages through at its first
sync (``kb_list``: status, then ids after the last one) reads an index in order
instead of sorting every published article for each page."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from hub.assist.kb_store import ArticleContent, ArticleStatus, KnowledgeBaseStore, Language
from hub.store import schema
from hub.store.base import create_engine
from tests.support.databases import DatabaseMaker

INDEX = "ix_kb_articles_status_id"


def _articles(store: KnowledgeBaseStore, count: int) -> None:
    with store.db.unit():
        for n in range(count):
            store.save_article(ArticleContent(
                id=f"art-{n:04d}", title=f"第 {n} 条", body=f"# 第 {n} 条\n\n答案 {n}。",
                language=Language.ZH if n % 2 else Language.EN,
                status=ArticleStatus.DRAFT if n % 5 == 0 else ArticleStatus.PUBLISHED),
                "wang")


def test_step_35_adds_the_index_and_keeps_the_articles(databases: DatabaseMaker) -> None:
    engine = create_engine(databases.new("from-v34", migrated=False))
    schema.migrate(engine, target=34)
    store = KnowledgeBaseStore(engine)
    _articles(store, 60)
    with engine.connect() as conn:
        assert INDEX not in {i["name"] for i in sa.inspect(conn).get_indexes("kb_articles")}
    assert schema.migrate(engine) == 34
    with engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST_VERSION
        indexes = {i["name"]: i["column_names"] for i in sa.inspect(conn).get_indexes(
            "kb_articles")}
    assert indexes[INDEX] == ["status", "id"]
    # Paged as the desktop pages: every published article once, in id order.
    listed: list[str] = []
    after: str | None = None
    while True:
        page = store.articles(ArticleStatus.PUBLISHED, after=after, limit=7)
        listed += [a.id for a in page]
        if len(page) < 7:
            break
        after = page[-1].id
    assert listed == [f"art-{n:04d}" for n in range(60) if n % 5]
    assert schema.migrate(engine) == schema.LATEST_VERSION  # again: nothing to do


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by its statistics")
def test_a_page_of_the_listing_reads_the_index_in_order(databases: DatabaseMaker) -> None:
    engine = create_engine(databases.new())
    schema.migrate(engine)
    store = KnowledgeBaseStore(engine)
    _articles(store, 300)
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM kb_articles" in statement:
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    page = store.articles(ArticleStatus.PUBLISHED, after="art-0100", limit=51)
    sa.event.remove(engine, "before_cursor_execute", record)
    assert [a.id for a in page][:2] == ["art-0101", "art-0102"] and len(page) == 51
    [(statement, parameters)] = seen
    with engine.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters)]
    assert any(INDEX in step and "status=? AND id>?" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan  # no sort per page
