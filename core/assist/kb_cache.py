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

from core.assist.kb_search import Scored, score, terms
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
_COLUMNS = "id, title, body, language, tags, status, version, author, updated_at, answer"


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    title: str
    language: KbLanguage
    status: KbStatus
    version: int
    author: str
    updated_at: int


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


def store(db: sqlite_utils.Database, article: KbArticle) -> bool:
    """Keep ``article`` unless the cache already has a newer version of it."""
    row = db.execute("SELECT version FROM kb_articles WHERE id=?", [article.id]).fetchone()
    if row is not None and row[0] > article.version:
        return False
    tags = json.dumps(article.tags, ensure_ascii=False)
    db.execute(
        f"INSERT OR REPLACE INTO kb_articles ({_COLUMNS}, stamp) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [article.id, article.title, article.body, article.language.value, tags,
         article.status.value, article.version, article.author, article.updated_at,
         article.answer, stamp(db) + 1],
    )
    db.execute("DELETE FROM kb_fts WHERE article_id=?", [article.id])
    db.execute("INSERT INTO kb_fts (article_id, title, body, tags) VALUES (?, ?, ?, ?)",
               [article.id, article.title, article.body, " ".join(article.tags)])
    return True


def remove(db: sqlite_utils.Database, article_id: str) -> bool:
    db.execute("DELETE FROM kb_fts WHERE article_id=?", [article_id])
    return bool(db.execute("DELETE FROM kb_articles WHERE id=?", [article_id]).rowcount)


def apply_event(db: sqlite_utils.Database,
                body: KbArticlePublished | KbArticleDrafted | KbArticleWithdrawn) -> Changes:
    """One event of the stream (the caller holds the transaction)."""
    if isinstance(body, KbArticleWithdrawn):
        changed = remove(db, body.article_id)
    else:
        changed = store(db, body.article)
    return Changes(knowledge=changed)


def store_page(db: sqlite_utils.Database, articles: list[KbArticle]) -> Changes:
    with db.atomic():
        changed = [store(db, article) for article in articles]
    return Changes(knowledge=any(changed))


def finish_listing(db: sqlite_utils.Database, started_at: int) -> Changes:
    """A full listing that began at stamp ``started_at`` ended: what it did not bring
    (and no event since) is gone."""
    with db.atomic():
        gone = [r[0] for r in db.execute(
            "SELECT id FROM kb_articles WHERE stamp <= ?", [started_at]).fetchall()]
        for article_id in gone:
            remove(db, article_id)
        db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                   [SYNCED_KEY, str(started_at)])
    return Changes(knowledge=bool(gone))


def forget_listing(db: sqlite_utils.Database) -> None:
    """Events may have been missed (a snapshot came): list everything again once."""
    db.execute("DELETE FROM sync_state WHERE key=?", [SYNCED_KEY])


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


def _containing(db: sqlite_utils.Database, term: str) -> dict[str, bool]:
    """Articles whose text holds ``term``, and whether their title does."""
    if len(term) >= 3:  # the trigram index answers a phrase of three or more characters
        phrase = '"' + term.replace('"', '""') + '"'
        rows = db.execute("SELECT article_id, instr(lower(title), ?) > 0 FROM kb_fts "
                          "WHERE kb_fts MATCH ?", [term, phrase]).fetchall()
    else:  # shorter: a scan, still in SQLite (a desktop holds thousands, not millions)
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = db.execute(
            "SELECT article_id, lower(title) LIKE ? ESCAPE '\\' FROM kb_fts "
            "WHERE lower(title) LIKE ? ESCAPE '\\' OR lower(body) LIKE ? ESCAPE '\\' "
            "OR lower(tags) LIKE ? ESCAPE '\\'",
            [pattern, pattern, pattern, pattern]).fetchall()
    return {r[0]: bool(r[1]) for r in rows}


def search(db: sqlite_utils.Database, question: str, drafts: bool = False,
           limit: int = 20) -> list[LocalHit]:
    """Cached articles that answer ``question``, best first; [] when none is confident."""
    wanted = terms(question)
    allowed = {s.id: s for s in summaries(db, drafts)}
    if not wanted or not allowed:
        return []
    found = {t.text: {a: title for a, title in _containing(db, t.text).items() if a in allowed}
             for t in wanted}
    ranked: list[Scored] = score(wanted, len(allowed), found)[:limit]
    answers = dict(db.execute(
        "SELECT id, answer FROM kb_articles WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([s.article_id for s in ranked])]).fetchall())
    return [LocalHit(allowed[s.article_id], s.score, s.matched, answers.get(s.article_id, ""))
            for s in ranked]
