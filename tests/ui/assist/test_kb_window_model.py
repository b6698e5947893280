"""The knowledge-base window over a cache of 10,000 articles reads only what it shows:
opening it, scrolling to the end and searching each read a page or two of rows
through a handful of SELECTs, and an event that changes one article changes that
article's row (moved, inserted or removed) without laying out the list again."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt

from core.assist import kb_cache
from core.cache.cache import Cache
from core.protocol import routing as rp
from core.protocol.knowledge import (
    KbArticle,
    KbArticlePublished,
    KbArticleWithdrawn,
    KbLanguage,
    KbStatus,
)
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from tests.core.factories import event
from ui.assist.kb_list_model import ARTICLE_ID, PAGE
from ui.assist.kb_window import KnowledgeBaseWindow
from ui.shell.service_bridge import ServiceBridge

ME = AgentInfo(id="a-lina", username="lina", display_name="李娜")
ARTICLES = 10_000
BATTERY = range(0, ARTICLES, 97)  # these are about swollen batteries
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def title_of(n: int) -> str:
    if n in BATTERY:
        return f"电池鼓包怎么办（{n:05d}）"
    return f"Order {n:05d}: returns and refunds" if n % 2 else f"订单 {n:05d}：退货与退款"


def article(n: int, version: int = 1, title: str | None = None) -> KbArticle:
    body = f"# {title_of(n)}\n\n第 {n} 条的答案。Answer number {n}."
    return KbArticle(id=f"kb-{n:05d}", title=title or title_of(n), body=body,
                     language=KbLanguage.ZH if n % 2 == 0 else KbLanguage.EN, tags=[],
                     status=KbStatus.PUBLISHED, version=version, author="wang",
                     updated_at=version, answer=f"第 {n} 条的答案。")


def in_list_order(titles: dict[str, str]) -> list[str]:
    """Ids as the list orders them: title with ASCII letters folded (SQLite's NOCASE),
    then id; worked out here, not by the cache."""
    return sorted(titles, key=lambda i: (titles[i].translate(_ASCII_LOWER), i))


class Selects:
    """Every SELECT the cache's connection runs (its trace callback)."""

    def __init__(self, cache: Cache) -> None:
        self.statements: list[str] = []
        cache.db.conn.set_trace_callback(self._traced)

    def _traced(self, statement: str) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append(statement)

    def since(self, mark: int) -> list[str]:
        return self.statements[mark:]


class Signals:
    def __init__(self, model: Any) -> None:
        self.resets = 0
        self.changed: list[int] = []
        self.inserted: list[int] = []
        self.removed: list[int] = []
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(lambda top, _bottom, _roles=(): self.changed.append(top.row()))
        model.rowsInserted.connect(lambda _p, first, _last: self.inserted.append(first))
        model.rowsRemoved.connect(lambda _p, first, _last: self.removed.append(first))

    def _reset(self) -> None:
        self.resets += 1


def listed(kb: KnowledgeBaseWindow, row: int) -> str:
    return str(kb.model.index(row).data(ARTICLE_ID))


def test_ten_thousand_articles_read_a_page_at_a_time_and_change_a_row_at_a_time(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    cache = Cache(":memory:")
    service = AgentService(cache, ME)
    service.routing_frame_received(rp.RoutingConfig(
        role=rp.AgentRole.AGENT, queues=[], all_queues=[], away_reasons=[],
        offer_timeout_s={}))
    for start in range(0, ARTICLES, 1_000):
        with cache.db.atomic():
            kb_cache.store_chunk(cache.db, [article(n) for n in range(start, start + 1_000)])
    titles = {f"kb-{n:05d}": title_of(n) for n in range(ARTICLES)}
    order = in_list_order(titles)
    selects = Selects(cache)

    # Opening: the count and the rows on screen, not 10,000 articles.
    kb = KnowledgeBaseWindow(ServiceBridge(service))
    qtbot.addWidget(kb)
    kb.resize(1100, 720)
    kb.show()
    qtbot.waitExposed(kb)
    kb.results.viewport().repaint()
    model = kb.model
    assert model.rowCount() == ARTICLES
    assert kb.count.text().startswith(f"{ARTICLES} articles on this desktop")
    assert [listed(kb, r) for r in range(5)] == order[:5]
    assert model.rows_read <= PAGE
    assert len(selects.statements) <= 12, selects.statements

    # The keys: Down opens the next article; End goes to the last, reading its page.
    signals = Signals(model)
    kb.results.setFocus()
    qtbot.keyClick(kb.results, Qt.Key.Key_Down)
    assert kb.current_id == order[0]
    qtbot.keyClick(kb.results, Qt.Key.Key_Down)
    assert kb.current_id == order[1]
    read, mark = model.rows_read, len(selects.statements)
    qtbot.keyClick(kb.results, Qt.Key.Key_End)
    kb.results.viewport().repaint()
    assert kb.current_id == order[-1]
    assert kb.article_view.article is not None and kb.article_view.article.id == order[-1]
    assert model.rows_read - read <= 2 * PAGE
    assert len(selects.since(mark)) <= 8, selects.since(mark)
    qtbot.keyClick(kb.results, Qt.Key.Key_Home)
    assert kb.current_id == order[0]

    # A search is ranked in SQL; the rows shown are read, no more.
    read, mark = model.rows_read, len(selects.statements)
    kb.search.setText("电池鼓包")
    kb.results.viewport().repaint()
    assert model.rowCount() == len(BATTERY)
    shown = {listed(kb, r) for r in range(model.rowCount())}  # all 104 rows, 2 pages
    assert shown == {f"kb-{n:05d}" for n in BATTERY}
    assert model.rows_read - read <= 2 * PAGE
    # the count, the ranking, the index's trigrams for each of the 3 pairs, 2 pages, …
    assert len(selects.since(mark)) <= 12, selects.since(mark)
    kb.search.setFocus()
    qtbot.keyClick(kb.search, Qt.Key.Key_Return)  # Enter opens the best hit
    assert kb.current_id == listed(kb, 0) and kb.current_id in shown
    kb.search.clear()
    assert model.rowCount() == ARTICLES
    reading = order[0]
    kb.select_article(reading)
    kb.open_article(reading)
    kb.results.viewport().repaint()

    # One article edited in place: its row is drawn again, nothing else.
    signals = Signals(model)
    read = model.rows_read
    edited = order[3]
    n = int(edited.removeprefix("kb-"))
    service.events_received([event(1, KbArticlePublished(article(n, version=2)))])
    qtbot.waitUntil(lambda: signals.changed == [3], timeout=5_000)
    assert (signals.resets, signals.inserted, signals.removed) == (0, [], [])
    assert model.rows_read - read <= 1
    assert listed(kb, 3) == edited

    # Renamed: its row moves (removed here, inserted where the new title sorts).
    signals = Signals(model)
    service.events_received([event(2, KbArticlePublished(
        article(n, version=3, title="Zipper warranty")))])
    titles[edited] = "Zipper warranty"
    order = in_list_order(titles)
    qtbot.waitUntil(lambda: signals.inserted != [], timeout=5_000)
    assert signals.removed == [3] and signals.inserted == [order.index(edited)]
    assert signals.resets == 0 and model.rowCount() == ARTICLES
    assert listed(kb, order.index(edited)) == edited and listed(kb, 3) == order[3]

    # A new article appears in its row; a withdrawn one leaves its row.
    signals = Signals(model)
    service.events_received([event(3, KbArticlePublished(article(ARTICLES, title="Aaa new")))])
    titles[f"kb-{ARTICLES:05d}"] = "Aaa new"
    order = in_list_order(titles)
    qtbot.waitUntil(lambda: signals.inserted != [], timeout=5_000)
    assert signals.inserted == [order.index(f"kb-{ARTICLES:05d}")]
    assert model.rowCount() == ARTICLES + 1
    gone = order[5000]
    service.events_received([event(4, KbArticleWithdrawn(article_id=gone))])
    qtbot.waitUntil(lambda: signals.removed != [], timeout=5_000)
    assert signals.removed == [5000] and signals.resets == 0
    del titles[gone]
    order = in_list_order(titles)
    assert model.rowCount() == ARTICLES
    assert [listed(kb, r) for r in range(4998, 5003)] == order[4998:5003]
    # The article being read stays selected in its (moved) row.
    assert kb.current_id == reading and kb.results.currentIndex().row() == order.index(reading)

    # The article being read is withdrawn: its row goes, and no other article is
    # opened in its place.
    signals = Signals(model)
    at = order.index(reading)
    service.events_received([event(5, KbArticleWithdrawn(article_id=reading))])
    qtbot.waitUntil(lambda: signals.removed != [], timeout=5_000)
    assert signals.removed == [at] and signals.resets == 0
    qtbot.waitUntil(lambda: kb.article_view.article is None, timeout=5_000)
    assert kb.current_id == reading and not kb.results.currentIndex().isValid()
