"""The listing of the hub's knowledge base into the desktop's cache (on the first sync,
and again after a snapshot), page by page, stored in small steps.

Each page (``PAGE`` articles) is stored ``CHUNK`` articles per transaction, one turn
of the loop each, so the GUI thread is never held for long: storing an article
means indexing its text for offline search (FTS5 trigrams, on an encrypted cache),
and a page of 50 in one transaction took up to 70 ms of CPU. After each chunk the
index is merged a bounded step (``kb_cache.merge_index``) instead of SQLite's
automatic merges, whose occasional large merge was the rest of the stalls.

The next page is asked for as soon as a page arrives, so the hub reads it while
this one is stored; at most two pages wait here. Each page's end is written with
the listing's progress in the transaction of its last chunk (``kb_cache.Listing``),
so a listing interrupted (link lost, desktop closed) goes on after the last whole
page stored; what was stored of a page not finished is simply stored again.

Thread: the loop's (the GUI thread).
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from core.assist import kb_cache
from core.assist.kb_cache import Listing
from core.protocol.knowledge import KbArticle, KbArticles, KbList, KbRead
from core.records import Changes

PAGE = 50  # articles per page asked of the hub
CHUNK = 25  # articles stored per transaction (per turn of the loop)

Request = Callable[[KbRead], bool]
Schedule = Callable[[Callable[[], None]], None]


def soon(step: Callable[[], None]) -> None:
    """Run ``step`` at the loop's next turn (at once where no loop runs: sans-I/O tests)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        step()
        return
    loop.call_soon(step)


@dataclass
class _Page:
    articles: list[KbArticle]
    next_after: str | None
    total: int | None
    stored: int = 0


class KbListing:
    def __init__(self, db: sqlite_utils.Database, announce: Callable[[Changes], None],
                 drafts: Callable[[], bool], schedule: Schedule = soon) -> None:
        self._db = db
        self._announce = announce
        self._drafts = drafts
        self._schedule = schedule
        self._request: Request | None = None
        self._progress: Listing | None = None  # as stored after the last whole page
        self._asked: str | None = None  # op of the page on its way
        self._frontier: str | None = None  # ask after this id next
        self._more = False  # the newest page said more follow
        self._pages: deque[_Page] = deque()
        self._storing = False
        self._generation = 0  # a step scheduled before a stop() does nothing

    def attach(self, request: Request | None) -> None:
        self._request = request

    def is_listed(self) -> bool:
        return kb_cache.listed(self._db)

    def progress(self) -> Listing | None:
        """The listing under way: articles stored so far, of how many; None once the
        cache holds the whole listing (or before one began)."""
        if kb_cache.listed(self._db):
            return None
        progress = self._progress or kb_cache.listing(self._db)
        if progress is not None and self._pages:
            head = self._pages[0]
            progress = Listing(progress.started, progress.after, progress.done + head.stored,
                               head.total if head.total is not None else progress.total)
        return progress

    def is_running(self) -> bool:
        return self._asked is not None or bool(self._pages)

    def start(self) -> None:
        """List the hub's articles if the cache lacks them, after the last page stored
        when a listing was interrupted."""
        if self.is_running() or kb_cache.listed(self._db):
            return
        progress = kb_cache.listing(self._db)
        if progress is None:
            with self._db.atomic():
                progress = kb_cache.begin_listing(self._db)
        self._progress, self._frontier, self._more = progress, progress.after, True
        self._ask_more()

    def restart(self) -> None:
        """Events may have been missed (a snapshot came): list everything again, from
        the first article (now if a listing was running, else when next live)."""
        running = self.is_running()
        self.stop()
        kb_cache.forget_listing(self._db)
        self._progress = None
        if running:
            self.start()

    def stop(self) -> None:
        """The link is gone: pages not stored yet are asked for again when next live."""
        self._generation += 1
        self._asked = None
        self._pages.clear()
        self._storing = False

    def owns(self, op: str) -> bool:
        return self._asked == op

    def page_arrived(self, page: KbArticles) -> None:
        if page.op != self._asked:
            return
        self._asked = None
        self._pages.append(_Page(page.articles, page.next_after, page.total))
        self._frontier, self._more = page.next_after, page.next_after is not None
        self._ask_more()
        if not self._storing:
            self._storing = True
            self._schedule(functools.partial(self._step, self._generation))

    def _ask_more(self) -> None:
        # One page on its way at a time, and at most two waiting to be stored.
        if self._asked is not None or not self._more or len(self._pages) > 1:
            return
        frame = KbList(op=uuid.uuid4().hex, after=self._frontier, limit=PAGE,
                       drafts=self._drafts())
        self._asked = frame.op
        if self._request is None or not self._request(frame):
            self._asked = None  # asked again when next live

    def _step(self, generation: int) -> None:
        if generation != self._generation:
            return
        if not self._pages or self._progress is None:
            self._storing = False
            return
        page = self._pages[0]
        part = page.articles[page.stored : page.stored + CHUNK]
        ended = page.stored + len(part) >= len(page.articles)
        try:
            with self._db.atomic():
                changed = kb_cache.store_chunk(self._db, part)
                if ended:
                    gone, progress = kb_cache.page_stored(
                        self._db, self._progress, len(page.articles), page.next_after,
                        page.total)
                    changed = changed or gone
        except Exception:
            self.stop()  # nothing of this chunk stored: the page is asked again
            raise
        page.stored += len(part)
        if ended:
            self._pages.popleft()
            self._progress = progress
            if page.next_after is None:
                self.stop()  # complete
        self._announce(Changes(knowledge=changed, knowledge_listing=True))
        self._ask_more()
        if self._pages and generation == self._generation:
            self._schedule(functools.partial(self._step, generation))
        elif generation == self._generation:
            self._storing = False
