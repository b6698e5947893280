"""The listing of the hub's articles into the cache, without a loop: each page is
stored in steps of ``CHUNK`` articles (one transaction, one turn of the loop each),
the next page is asked for while one is stored, and the progress written with each
whole page lets an interrupted listing go on after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.assist import kb_cache
from core.assist.kb_listing import CHUNK, PAGE, KbListing
from core.cache.cache import Cache
from core.protocol.knowledge import (
    KbArticle,
    KbArticlePublished,
    KbArticles,
    KbArticleWithdrawn,
    KbLanguage,
    KbList,
    KbStatus,
)
from core.records import Changes


def articles(count: int, version: int = 1) -> list[KbArticle]:
    return [KbArticle(id=f"a-{i:04d}", title=f"Article {i} zq{i:04d}x",
                      body=f"# A\n\nText {i}.", language=KbLanguage.EN, tags=["t"],
                      status=KbStatus.PUBLISHED, version=version, author="wang",
                      updated_at=1, answer=f"Text {i}.")
            for i in range(count)]


class Loop:
    """Steps scheduled by the listing, run when the test says."""

    def __init__(self) -> None:
        self.steps: list[Callable[[], None]] = []

    def __call__(self, step: Callable[[], None]) -> None:
        self.steps.append(step)

    def turn(self) -> None:
        step = self.steps.pop(0)
        step()

    def run(self) -> None:
        while self.steps:
            self.turn()


class Requests:
    def __init__(self) -> None:
        self.sent: list[KbList] = []

    def __call__(self, frame: Any) -> bool:
        self.sent.append(frame)
        return True


def listing(cache: Cache) -> tuple[KbListing, Loop, Requests, list[Changes]]:
    loop, requests, announced = Loop(), Requests(), []
    kb = KbListing(cache.db, announced.append, lambda: False, schedule=loop)
    kb.attach(requests)
    return kb, loop, requests, announced


def answer(asked: KbList, hub: list[KbArticle]) -> KbArticles:
    after = [a for a in hub if asked.after is None or a.id > asked.after]
    page = after[:asked.limit]
    return KbArticles(op=asked.op, articles=page, total=len(hub),
                      next_after=page[-1].id if len(after) > asked.limit else None)


def test_pages_are_stored_in_steps_while_the_next_is_asked_for() -> None:
    cache = Cache(":memory:")
    kb, loop, requests, announced = listing(cache)
    hub = articles(2 * PAGE + 7)
    kb.start()
    (first,) = requests.sent
    kb.page_arrived(answer(first, hub))
    # asked for the second page at once; nothing stored yet
    assert [r.after for r in requests.sent] == [None, hub[PAGE - 1].id]
    assert kb_cache.summaries(cache.db) == []
    kb.page_arrived(answer(requests.sent[1], hub))
    assert len(requests.sent) == 2  # two pages wait: the third is asked for later
    loop.turn()
    assert len(kb_cache.summaries(cache.db)) == CHUNK
    progress = kb.progress()
    assert progress is not None and (progress.done, progress.total) == (CHUNK, len(hub))
    assert kb_cache.listing(cache.db).done == 0  # type: ignore[union-attr]
    for _ in range(PAGE // CHUNK - 1):
        loop.turn()
    # the first page is whole: its end written, the third page asked for
    assert kb_cache.listing(cache.db).after == hub[PAGE - 1].id  # type: ignore[union-attr]
    assert requests.sent[-1].after == hub[2 * PAGE - 1].id
    kb.page_arrived(answer(requests.sent[-1], hub))
    loop.run()
    assert kb.is_listed() and kb.progress() is None and not kb.is_running()
    assert len(kb_cache.summaries(cache.db)) == len(hub)
    assert len(announced) == -(-PAGE // CHUNK) * 2 + 1  # one notice per step
    assert all(c.knowledge_listing for c in announced)
    assert [h.article.id for h in kb_cache.search(cache.db, "zq0101x")] == ["a-0101"]


def test_a_listing_stopped_inside_a_page_goes_on_after_the_last_whole_page() -> None:
    cache = Cache(":memory:")
    kb, loop, requests, _ = listing(cache)
    hub = articles(3 * PAGE)
    kb.start()
    kb.page_arrived(answer(requests.sent[0], hub))
    loop.run()  # page one stored (the second is on its way)
    kb.page_arrived(answer(requests.sent[1], hub))
    assert CHUNK < PAGE
    loop.turn()  # one step of page two
    kb.stop()  # the link is gone
    loop.run()  # a step scheduled before the stop does nothing
    assert len(kb_cache.summaries(cache.db)) == PAGE + CHUNK
    saved = kb_cache.listing(cache.db)
    assert saved is not None and (saved.after, saved.done) == (hub[PAGE - 1].id, PAGE)

    # A new session (the desktop started again) on the same cache goes on from there.
    kb, loop, requests, _ = listing(cache)
    kb.start()
    assert [r.after for r in requests.sent] == [hub[PAGE - 1].id]
    while not kb.is_listed():
        if requests.sent and kb.owns(requests.sent[-1].op):
            kb.page_arrived(answer(requests.sent[-1], hub))
        loop.run()
    assert [r.after for r in requests.sent] == [hub[PAGE - 1].id, hub[2 * PAGE - 1].id]
    assert sorted(s.id for s in kb_cache.summaries(cache.db)) == [a.id for a in hub]
    rows = cache.db.execute("SELECT count(*) FROM kb_fts").fetchone()[0]
    assert rows == len(hub)  # each article's search row once, stored twice or not


def test_a_snapshot_lists_again_from_the_first_and_drops_what_the_hub_lacks() -> None:
    cache = Cache(":memory:")
    kb, loop, requests, _ = listing(cache)
    hub = articles(PAGE + 3)
    kb.start()
    while not kb.is_listed():
        kb.page_arrived(answer(requests.sent[-1], hub))
        loop.run()
    kb.restart()  # a snapshot: events may have been missed
    assert not kb.is_listed()
    kb.start()
    assert requests.sent[-1].after is None
    newer = articles(PAGE + 3, version=2)[1:]  # the hub lost a-0000; every other changed
    while not kb.is_listed():
        kb.page_arrived(answer(requests.sent[-1], newer))
        loop.run()
    stored = kb_cache.summaries(cache.db)
    assert sorted(s.id for s in stored) == [a.id for a in newer]
    assert {s.version for s in stored} == {2}
    assert kb_cache.search(cache.db, "zq0000x") == []


def test_a_page_read_before_a_withdrawal_does_not_bring_the_article_back() -> None:
    cache = Cache(":memory:")
    kb, loop, requests, _ = listing(cache)
    hub = articles(PAGE + 3)
    kb.start()
    stale = answer(requests.sent[0], hub)  # the hub read the page, then …
    withdrawn = hub[5]
    with cache.db.atomic():  # … the withdrawal's event arrived before the page
        kb_cache.apply_event(cache.db, KbArticleWithdrawn(article_id=withdrawn.id))
    kb.page_arrived(stale)
    loop.run()
    kb.page_arrived(answer(requests.sent[-1], [a for a in hub if a.id != withdrawn.id]))
    loop.run()
    assert kb.is_listed()
    ids = {s.id for s in kb_cache.summaries(cache.db)}
    assert withdrawn.id not in ids and len(ids) == len(hub) - 1
    assert kb_cache.search(cache.db, "zq0005x") == []

    # Published again later: its event brings it back, and a later listing keeps it.
    again = articles(6, version=2)[5]
    with cache.db.atomic():
        kb_cache.apply_event(cache.db, KbArticlePublished(again))
    assert [h.article.id for h in kb_cache.search(cache.db, "zq0005x")] == [withdrawn.id]
    kb.restart()
    kb.start()
    republished = [again if a.id == again.id else a for a in hub]
    while not kb.is_listed():
        kb.page_arrived(answer(requests.sent[-1], republished))
        loop.run()
    assert kb_cache.article(cache.db, withdrawn.id) == again
