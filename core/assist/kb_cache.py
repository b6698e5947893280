"""The knowledge base in the local cache: the articles this agent may read, searchable
offline.

The hub decides what reaches a desktop: published articles for everyone, drafts
only for editors (supervisors, admins), so an agent's cache never holds a draft.
Events replace an article (never by an older version); a full listing after a
snapshot or on first sync drops what the hub no longer lists. Thread: the cache
owner's (the GUI thread).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core.assist import kb_rows
from core.assist.kb_rows import ArticleSummary
from core.protocol.knowledge import (
    KbArticle,
    KbArticleDrafted,
    KbArticlePublished,
    KbArticleWithdrawn,
    KbLanguage,
    KbStatus,
)
from core.records import Changes

KB_EVENTS = (KbArticlePublished, KbArticleDrafted, KbArticleWithdrawn)
SYNCED_KEY = "kb_synced"  # sync_state: the last full listing completed
LISTING_KEY = "kb_listing"  # sync_state: a full listing under way (``Listing``, JSON)
WITHDRAWN_KEY = "kb_withdrawn"  # sync_state: ids withdrawn while a listing runs (JSON)
MERGE_PAGES = 24  # index pages written per merge step (``merge_index``)
# Each search column ends with a newline, so every two characters of its text are
# the start of one of its trigrams (cache v15; ``kb_rows`` finds pairs that way).
END = "\n"
_COLUMNS = "id, title, body, language, tags, status, version, author, updated_at, answer"


@dataclass(frozen=True)
class LocalHit:
    article: ArticleSummary
    score: float
    matched: tuple[str, ...]
    answer: str


def _article(row: Any) -> KbArticle:
    return KbArticle(
        id=row[0], title=row[1], body=row[2], language=KbLanguage(row[3]),
        tags=[str(t) for t in json.loads(row[4])], status=KbStatus(row[5]), version=row[6],
        author=row[7], updated_at=row[8], answer=row[9],
    )


def _summary(row: Any) -> ArticleSummary:
    return ArticleSummary(row[0], row[1], KbLanguage(row[2]), KbStatus(row[3]), row[4],
                          row[5], row[6])


def stamp(db: sqlite_utils.Database) -> int:
    """The newest write's stamp (each write takes the next: a listing knows what it saw)."""
    return int(db.execute("SELECT COALESCE(MAX(stamp), 0) FROM kb_articles").fetchone()[0])


def store(db: sqlite_utils.Database, article: KbArticle,
          old_titles: dict[str, str | None] | None = None) -> bool:
    """Keep ``article`` unless the cache already has a newer version of it.

    The search row shares the article's rowid (cache v14): a lookup by the
    ``article_id`` column would read the whole index, once per article stored.
    The same version again only takes a new stamp (a listing saw it). When it is
    stored, ``old_titles`` (if given) learns its title before (None: it was new),
    so a list can tell the row it had."""
    row = db.execute("SELECT version, rowid, title FROM kb_articles WHERE id=?",
                     [article.id]).fetchone()
    if row is not None and row[0] > article.version:
        return False
    next_stamp = stamp(db) + 1
    if row is not None and row[0] == article.version:
        db.execute("UPDATE kb_articles SET stamp=? WHERE rowid=?", [next_stamp, row[1]])
        return False
    if old_titles is not None:
        old_titles.setdefault(article.id, None if row is None else row[2])
    tags = json.dumps(article.tags, ensure_ascii=False)
    values = [article.title, article.body, article.language.value, tags,
              article.status.value, article.version, article.author, article.updated_at,
              article.answer, next_stamp]
    if row is None:
        rowid = db.execute(
            f"INSERT INTO kb_articles ({_COLUMNS}, stamp) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [article.id, *values]).lastrowid
    else:
        rowid = row[1]
        db.execute("UPDATE kb_articles SET title=?, body=?, language=?, tags=?, status=?, "
                   "version=?, author=?, updated_at=?, answer=?, stamp=? WHERE rowid=?",
                   [*values, rowid])
        db.execute("DELETE FROM kb_fts WHERE rowid=?", [rowid])
    db.execute("INSERT INTO kb_fts (rowid, article_id, title, body, tags) "
               "VALUES (?, ?, ?, ?, ?)",
               [rowid, article.id, article.title + END, article.body + END,
                " ".join(article.tags) + END])
    return True


def remove(db: sqlite_utils.Database, article_id: str,
           old_titles: dict[str, str | None] | None = None) -> bool:
    row = db.execute("SELECT rowid, title FROM kb_articles WHERE id=?",
                     [article_id]).fetchone()
    if row is None:
        return False
    if old_titles is not None:
        old_titles.setdefault(article_id, row[1])
    db.execute("DELETE FROM kb_fts WHERE rowid=?", [row[0]])
    db.execute("DELETE FROM kb_articles WHERE rowid=?", [row[0]])
    return True


def apply_event(db: sqlite_utils.Database,
                body: KbArticlePublished | KbArticleDrafted | KbArticleWithdrawn) -> Changes:
    """One event of the stream (the caller holds the transaction)."""
    old_titles: dict[str, str | None] = {}
    if isinstance(body, KbArticleWithdrawn):
        changed = remove(db, body.article_id, old_titles)
        _withdrawn_while_listing(db, body.article_id, True)
    else:
        changed = store(db, body.article, old_titles)
        _withdrawn_while_listing(db, body.article.id, False)
    merge_index(db)
    return Changes(knowledge=changed, knowledge_articles=old_titles)


def _withdrawn(db: sqlite_utils.Database) -> set[str]:
    row = db.execute("SELECT value FROM sync_state WHERE key=?", [WITHDRAWN_KEY]).fetchone()
    return set() if row is None else {str(i) for i in json.loads(row[0])}


def _withdrawn_while_listing(db: sqlite_utils.Database, article_id: str,
                             withdrawn: bool) -> None:
    """A page the hub read before an article was withdrawn can arrive after the event
    that withdrew it: while a listing runs, such articles are kept out of its pages
    until an event brings them back."""
    if listing(db) is None:
        return
    ids = _withdrawn(db)
    if (article_id in ids) == withdrawn:
        return
    ids = ids | {article_id} if withdrawn else ids - {article_id}
    _keep(db, WITHDRAWN_KEY, json.dumps(sorted(ids)))


@dataclass(frozen=True)
class Listing:
    """A full listing under way, as stored after each page: a listing interrupted
    (a dropped link, the desktop closed) goes on after the last page it stored."""

    started: int  # the cache's stamp when it began: older rows were not listed again
    after: str | None  # the last article id stored; None: nothing yet
    done: int  # articles stored so far
    total: int | None  # the hub's count, when it said


def listing(db: sqlite_utils.Database) -> Listing | None:
    """The listing under way, if one is (None also once the listing is complete)."""
    row = db.execute("SELECT value FROM sync_state WHERE key=?", [LISTING_KEY]).fetchone()
    if row is None:
        return None
    saved = json.loads(row[0])
    return Listing(int(saved["started"]), saved.get("after"), int(saved.get("done", 0)),
                   saved.get("total"))


def _keep(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value=excluded.value", [key, value])


def begin_listing(db: sqlite_utils.Database) -> Listing:
    """A new full listing from the first article (what the cache holds now is dropped
    at its end unless the listing or an event brings it again)."""
    begun = Listing(stamp(db), None, 0, None)
    _keep(db, LISTING_KEY, json.dumps({"started": begun.started, "after": None, "done": 0,
                                       "total": None}))
    return begun


def merge_index(db: sqlite_utils.Database) -> None:
    """A bounded step of merging the search index's segments (its automatic merges
    are off since cache v14: one could take tens of milliseconds inside a commit)."""
    db.execute("INSERT INTO kb_fts (kb_fts, rank) VALUES ('merge', ?)", [MERGE_PAGES])


def store_chunk(db: sqlite_utils.Database, articles: list[KbArticle]) -> bool:
    """Some articles of a listing's page (the caller holds the transaction)."""
    withdrawn = _withdrawn(db)
    changed = any([store(db, article) for article in articles if article.id not in withdrawn])
    merge_index(db)
    return changed


def page_stored(db: sqlite_utils.Database, under_way: Listing, count: int,
                next_after: str | None, total: int | None) -> tuple[bool, Listing]:
    """A whole page of ``count`` articles is stored: the listing's progress, written
    in the transaction of the page's last articles (the caller's), so an interrupted
    listing goes on after it. ``next_after`` None: the last page, which ends the
    listing (``finish_listing``). Returns whether that dropped any article."""
    progress = Listing(under_way.started, next_after, under_way.done + count,
                       total if total is not None else under_way.total)
    if next_after is None:
        return finish_listing(db, progress.started), progress
    _keep(db, LISTING_KEY, json.dumps({"started": progress.started, "after": progress.after,
                                       "done": progress.done, "total": progress.total}))
    return False, progress


def finish_listing(db: sqlite_utils.Database, started_at: int) -> bool:
    """A full listing that began at stamp ``started_at`` ended: what it did not bring
    (and no event since) is gone. True when something was."""
    with db.atomic():
        gone = [r[0] for r in db.execute(
            "SELECT id FROM kb_articles WHERE stamp <= ?", [started_at]).fetchall()]
        for article_id in gone:
            remove(db, article_id)
        _keep(db, SYNCED_KEY, str(started_at))
        db.execute("DELETE FROM sync_state WHERE key IN (?, ?)", [LISTING_KEY, WITHDRAWN_KEY])
    return bool(gone)


def forget_listing(db: sqlite_utils.Database) -> None:
    """Events may have been missed (a snapshot came): list everything again once, from
    the first article (a listing under way is begun again too)."""
    db.execute("DELETE FROM sync_state WHERE key IN (?, ?, ?)",
               [SYNCED_KEY, LISTING_KEY, WITHDRAWN_KEY])


def listed(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM sync_state WHERE key=?", [SYNCED_KEY]).fetchone() is not None


# ---- reads ----------------------------------------------------------------------------


def article(db: sqlite_utils.Database, article_id: str) -> KbArticle | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM kb_articles WHERE id=?", [article_id]).fetchone()
    return None if row is None else _article(row)


def summaries(db: sqlite_utils.Database, drafts: bool = True) -> list[ArticleSummary]:
    """Every cached article by title (drafts only when asked for)."""
    where = "" if drafts else "WHERE status = 'published'"
    rows = db.execute(
        "SELECT id, title, language, status, version, author, updated_at FROM kb_articles "
        f"{where} ORDER BY title COLLATE NOCASE, id").fetchall()
    return [_summary(r) for r in rows]


def search(db: sqlite_utils.Database, question: str, drafts: bool = False,
           limit: int = 20) -> list[LocalHit]:
    """Cached articles that answer ``question``, best first; [] when none is confident.
    Ranked in SQL (``kb_rows.ranked``); only the hits' summaries are read."""
    hits = kb_rows.ranked(db, question, drafts, limit)
    if not hits:
        return []
    rows = db.execute(
        "SELECT id, title, language, status, version, author, updated_at, answer "
        "FROM kb_articles WHERE rowid IN (SELECT value FROM json_each(?))",
        [json.dumps([h.rowid for h in hits])]).fetchall()
    found = {r[0]: (_summary(r), r[7]) for r in rows}
    return [LocalHit(found[h.article_id][0], h.score, h.matched, found[h.article_id][1])
            for h in hits if h.article_id in found]
