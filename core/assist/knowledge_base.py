"""The knowledge base for the desktop: read and searched from the cache, kept current
by the hub, edited through the outbox by supervisors and admins.

Everything an agent reads works offline. The cache is filled once by listing the
hub's articles page by page (again after a snapshot, when events may have been
missed) and kept current by the events the hub sends each agent. Edits are
commands in the outbox (an edit made offline goes out later); the hub checks
that the sender may edit, and its event brings the new version into the cache.
The version history is a read from the hub (editors only). Thread: the loop's
(the GUI thread).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from core.assist import kb_cache, kb_rows
from core.assist.kb_cache import ArticleSummary, Listing, LocalHit
from core.assist.kb_listing import KbListing
from core.assist.kb_rows import ArticleRow, Ranking
from core.cache.cache import Cache
from core.protocol.knowledge import (
    KbArticle,
    KbArticles,
    KbLanguage,
    KbPublish,
    KbRead,
    KbSave,
    KbServerFrame,
    KbStatus,
    KbVersionInfo,
    KbVersionList,
    KbVersions,
)
from core.records import Changes
from core.sync.outbox import Outbox

EDITOR_ROLES = frozenset({"supervisor", "admin"})
# The protocol's bounds (core.protocol.knowledge).
MAX_TITLE, MAX_BODY, MAX_TAGS, MAX_TAG = 300, 12_000, 30, 80

Request = Callable[[KbRead], bool]


class KnowledgeUnavailable(Exception):  # noqa: N818
    """A read from the hub failed (``code``: offline, forbidden, not_found, …)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class KnowledgeEditError(ValueError):
    """An edit refused before it reaches the hub (``code``: empty, too_long, forbidden)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ArticleDraft:
    """What an editor typed."""

    title: str
    body: str
    language: KbLanguage
    tags: tuple[str, ...] = ()


def new_article_id() -> str:
    """A fresh id (the hub's pattern: letters, digits, ``._-``)."""
    return "kb-" + uuid.uuid4().hex[:16]


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed as "returns, 退货；policy": split on commas of both scripts."""
    parts = text.replace("，", ",").replace("；", ",").replace(";", ",").split(",")
    return tuple(dict.fromkeys(" ".join(p.split()) for p in parts if p.strip()))


class KnowledgeBase:
    def __init__(self, cache: Cache, outbox: Outbox, announce: Callable[[Changes], None],
                 wake: Callable[[], None], role: Callable[[], str | None]) -> None:
        self._db = cache.db
        self._outbox = outbox
        self._announce = announce
        self._wake = wake
        self._role = role
        self._request: Request | None = None
        self._listing = KbListing(self._db, announce, self.is_editor)
        self._waiting: dict[str, asyncio.Future[KbVersionList]] = {}

    def attach(self, request: Request | None) -> None:
        self._request = request
        self._listing.attach(request)

    # ---- reads (the cache) -----------------------------------------------------------

    def is_editor(self) -> bool:
        """Supervisors and admins edit (the hub checks it again)."""
        return self._role() in EDITOR_ROLES

    def search(self, question: str, limit: int = 20) -> list[LocalHit]:
        return kb_cache.search(self._db, question, drafts=self.is_editor(), limit=limit)

    def articles(self) -> list[ArticleSummary]:
        return kb_cache.summaries(self._db, drafts=self.is_editor())

    # The window's list reads only the rows it shows (``core.assist.kb_rows``).

    def count(self) -> int:
        """How many articles the list holds."""
        return kb_rows.count(self._db, self.is_editor())

    def list_window(self, offset: int, limit: int) -> list[ArticleRow]:
        """Rows ``offset`` … of the list (by title, then id)."""
        return kb_rows.window(self._db, self.is_editor(), offset, limit)

    def list_row(self, article_id: str) -> ArticleRow | None:
        return kb_rows.row(self._db, self.is_editor(), article_id)

    def list_position(self, title: str, article_id: str) -> int:
        """The row an article with this title has (or would have) in the list."""
        return kb_rows.position(self._db, self.is_editor(), title, article_id)

    def rows_by_rowid(self, rowids: list[int]) -> dict[int, ArticleRow]:
        return kb_rows.rows_by_rowid(self._db, rowids)

    def ranked(self, question: str) -> Ranking:
        """Every article that answers ``question``, best first, without its text."""
        return kb_rows.ranked(self._db, question, self.is_editor())

    def article(self, article_id: str) -> KbArticle | None:
        found = kb_cache.article(self._db, article_id)
        if found is not None and found.status is not KbStatus.PUBLISHED and not self.is_editor():
            return None
        return found

    def pending_edits(self, article_id: str) -> int:
        """Edits of the article still waiting in the outbox."""
        return sum(isinstance(c, KbSave | KbPublish) and c.article_id == article_id
                   for c in self._outbox.pending())

    # ---- keeping the cache current -----------------------------------------------------

    def is_listed(self) -> bool:
        """The cache holds the hub's whole listing (the first sync's is complete)."""
        return self._listing.is_listed()

    def listing_progress(self) -> Listing | None:
        """The listing under way (articles stored so far, of how many), or None."""
        return self._listing.progress()

    def went_live(self) -> None:
        """Connected and caught up: list the hub's articles once if the cache lacks
        them; a listing that was interrupted goes on after the last page it stored."""
        self._listing.start()

    def snapshot_applied(self) -> None:
        self._listing.restart()

    def owns(self, op: str) -> bool:
        return op in self._waiting or self._listing.owns(op)

    def answered(self, frame: KbServerFrame) -> None:
        if isinstance(frame, KbArticles):
            self._listing.page_arrived(frame)
        elif isinstance(frame, KbVersionList):
            future = self._waiting.get(frame.op)
            if future is not None and not future.done():
                future.set_result(frame)

    def failed(self, op: str, code: str) -> None:
        if self._listing.owns(op):
            self._listing.stop()  # asked again when next live
        future = self._waiting.get(op)
        if future is not None and not future.done():
            future.set_exception(KnowledgeUnavailable(code))

    def connection_lost(self) -> None:
        self._listing.stop()
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(KnowledgeUnavailable("offline"))

    async def versions(self, article_id: str) -> list[KbVersionInfo]:
        """The article's versions, oldest first (a read from the hub, editors only)."""
        frame = KbVersions(op=uuid.uuid4().hex, article_id=article_id)
        future: asyncio.Future[KbVersionList] = asyncio.get_running_loop().create_future()
        self._waiting[frame.op] = future
        if self._request is None or not self._request(frame):
            self._waiting.pop(frame.op, None)
            raise KnowledgeUnavailable("offline")
        try:
            return (await future).versions
        finally:
            self._waiting.pop(frame.op, None)

    # ---- edits (editors) -------------------------------------------------------------

    def save(self, draft: ArticleDraft, article_id: str | None = None,
             publish: bool = False) -> str:
        """Create (no ``article_id``) or change an article; returns its id. Offline the
        edit waits in the outbox. ``publish`` saves it as the published version."""
        if not self.is_editor():
            raise KnowledgeEditError("forbidden")
        title, body = " ".join(draft.title.split()), draft.body.strip()
        if not title or not body:
            raise KnowledgeEditError("empty")
        if len(title) > MAX_TITLE or len(body) > MAX_BODY or len(draft.tags) > MAX_TAGS or any(
                len(tag) > MAX_TAG for tag in draft.tags):
            raise KnowledgeEditError("too_long")  # refused whole: nothing is cut off
        new_id = article_id or new_article_id()
        command = KbSave(
            op=uuid.uuid4().hex, article_id=new_id, title=title, body=body,
            language=draft.language, tags=list(draft.tags),
            status=KbStatus.PUBLISHED if publish else KbStatus.DRAFT,
        )
        self._queue(command)
        return new_id

    def publish(self, article_id: str) -> None:
        if not self.is_editor():
            raise KnowledgeEditError("forbidden")
        self._queue(KbPublish(op=uuid.uuid4().hex, article_id=article_id))

    def _queue(self, command: KbSave | KbPublish) -> None:
        with self._db.atomic():
            self._outbox.queue(command)
        self._wake()
