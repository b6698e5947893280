"""Reads of the cached knowledge base that return only the rows a view shows.

The knowledge-base window lists thousands of articles. It reads them a window at
a time in its order (title without case, then id: the cache's v15 index), asks
SQL for the count and for an article's position, and ranks a search in SQL
(the offline scoring of ``core.assist.kb_search``, summed per article by SQLite)
keeping only each hit's rowid, score and matched terms; the articles' summaries
are read for the rows on screen. Thread: the cache owner's (the GUI thread).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import sqlite_utils

from core.assist.kb_search import MIN_CONFIDENCE, TITLE_WEIGHT, Term, idf, merged_words, terms
from core.protocol.knowledge import KbLanguage, KbStatus

MAX_TRIGRAMS = 400  # a short term begins more trigrams than this: scanned instead
_SUMMARY = "a.rowid, a.id, a.title, a.language, a.status, a.version, a.author, a.updated_at"
_ORDER = "a.title COLLATE NOCASE, a.id"


@dataclass(frozen=True)
class ArticleSummary:
    """One cached article without its body."""

    id: str
    title: str
    language: KbLanguage
    status: KbStatus
    version: int
    author: str
    updated_at: int


@dataclass(frozen=True)
class ArticleRow(ArticleSummary):
    """One article as a list shows it: the summary and where it is in the cache."""

    rowid: int = 0


@dataclass(frozen=True)
class RankedHit:
    """A search hit before its article is read: where it is and why."""

    rowid: int
    article_id: str
    score: float  # confidence in [0, 1]
    question: tuple[Term, ...]  # the question's terms (shared by every hit)
    indexes: str  # which of them the article holds ("0,3"), as SQL gave them

    @property
    def matched(self) -> tuple[str, ...]:
        """The question's words the article holds (worked out for rows shown)."""
        return merged_words(self.question[int(i)] for i in self.indexes.split(",") if i)


class Ranking(Sequence[RankedHit]):
    """A search's hits, best first, as SQL returned them: a hit is made when it is
    asked for (a broad search has thousands; a list shows a few dozen)."""

    def __init__(self, question: tuple[Term, ...], rows: list[Any]) -> None:
        self._question = question
        self._rows = rows  # (rowid, article id, score, term indexes)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, at: int) -> RankedHit: ...
    @overload
    def __getitem__(self, at: slice) -> list[RankedHit]: ...
    def __getitem__(self, at: int | slice) -> RankedHit | list[RankedHit]:
        if isinstance(at, slice):
            return [self._hit(r) for r in self._rows[at]]
        return self._hit(self._rows[at])

    def _hit(self, r: Any) -> RankedHit:
        return RankedHit(r[0], r[1], float(r[2]), self._question, str(r[3]))

    def ids(self) -> list[str]:
        """Every hit's article id, in order."""
        return [r[1] for r in self._rows]


def _row(r: Any) -> ArticleRow:
    return ArticleRow(r[1], r[2], KbLanguage(r[3]), KbStatus(r[4]), r[5], r[6], r[7], rowid=r[0])


def _visible(drafts: bool) -> str:
    return "1" if drafts else "a.status = 'published'"


def count(db: sqlite_utils.Database, drafts: bool) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM kb_articles AS a WHERE {_visible(drafts)}"
                          ).fetchone()[0])


def window(db: sqlite_utils.Database, drafts: bool, offset: int, limit: int) -> list[ArticleRow]:
    """Rows ``offset`` … ``offset + limit - 1`` of the list (by title, then id)."""
    rows = db.execute(f"SELECT {_SUMMARY} FROM kb_articles AS a WHERE {_visible(drafts)} "
                      f"ORDER BY {_ORDER} LIMIT ? OFFSET ?", [limit, offset]).fetchall()
    return [_row(r) for r in rows]


def row(db: sqlite_utils.Database, drafts: bool, article_id: str) -> ArticleRow | None:
    found = db.execute(f"SELECT {_SUMMARY} FROM kb_articles AS a WHERE a.id = ? "
                       f"AND {_visible(drafts)}", [article_id]).fetchone()
    return None if found is None else _row(found)


def position(db: sqlite_utils.Database, drafts: bool, title: str, article_id: str) -> int:
    """How many listed articles come before (``title``, ``article_id``) in the list's
    order: the row an article with that title has, or would have."""
    return int(db.execute(
        "SELECT COUNT(*) FROM kb_articles AS a INDEXED BY idx_kb_articles_title "
        f"WHERE {_visible(drafts)} AND (a.title < ? COLLATE NOCASE "
        "OR (a.title = ? COLLATE NOCASE AND a.id < ?))",
        [title, title, article_id]).fetchone()[0])


def rows_by_rowid(db: sqlite_utils.Database, rowids: list[int]) -> dict[int, ArticleRow]:
    found = db.execute(f"SELECT {_SUMMARY} FROM kb_articles AS a "
                       "WHERE a.rowid IN (SELECT value FROM json_each(?))",
                       [json.dumps(rowids)]).fetchall()
    return {r[0]: _row(r) for r in found}


def _short_scan(short: list[tuple[int, str]]) -> tuple[str, list[Any]]:
    """One pass over the search rows for the terms shorter than three characters that
    begin too many of the index's trigrams (a digit, say): a column per term, whether the row's
    title, body or tags hold it. Terms are lower case; Chinese and digits are found
    as they are, Latin letters in the lower-cased text."""
    columns, params = [], []
    for index, term in short:
        def has(column: str, term: str = term) -> str:
            return f"instr(lower({column}), ?)" if term.lower() != term.upper() \
                else f"instr({column}, ?)"
        columns.append(f"({has('f.title')} OR {has('f.body')} OR {has('f.tags')}) AS h{index}")
        params += [term, term, term]
    found = " OR ".join(f"h{index}" for index, _term in short)
    return (f"SELECT * FROM (SELECT f.rowid AS rid, {', '.join(columns)} FROM kb_fts AS f) "
            f"WHERE {found}", params)


def _register(db: sqlite_utils.Database) -> None:
    db.conn.create_function("kb_idf", 2, idf, deterministic=True)
    # The search index's terms (its trigrams), for this connection only.
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_fts_terms "
               "USING fts5vocab(main, kb_fts, 'row')")


def _trigrams_starting(db: sqlite_utils.Database, pair: str) -> list[str] | None:
    """The index's trigrams that begin with ``pair`` (every place the text holds it
    is the start of one: each column ends with a newline, cache v15); None when
    there are too many to ask for (a scan answers then)."""
    found = db.execute("SELECT term FROM temp.kb_fts_terms WHERE term >= ? AND term < ? "
                       "LIMIT ?", [pair, pair + "\U0010ffff", MAX_TRIGRAMS + 1]).fetchall()
    return None if len(found) > MAX_TRIGRAMS else [str(r[0]) for r in found]


def _phrases(texts: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in texts)


def ranked(db: sqlite_utils.Database, question: str, drafts: bool,
           limit: int | None = None) -> Ranking:
    """The articles that answer ``question``, best first (``kb_search``'s scoring:
    each term weighs log(1 + N/df), twice in the title; confidence below
    ``MIN_CONFIDENCE`` is left out). Counted, weighed, summed and sorted in SQL; what
    comes back is each hit's rowid, id, score and matched terms, no article text."""
    wanted = terms(question)
    if not wanted:
        return Ranking((), [])
    total = count(db, drafts)
    if total == 0:
        return Ranking((), [])
    _register(db)
    params: list[Any] = []
    values = ", ".join(f"({i}, ?)" for i in range(len(wanted)))
    sql = f"WITH q(t, term) AS (VALUES {values}), "
    params += [t.text for t in wanted]
    parts: list[str] = []
    matches: list[tuple[int, str]] = []  # (term, the index's query for it)
    short: list[tuple[int, str]] = []
    for index, term in enumerate(wanted):
        if len(term.text) >= 3:  # the trigram index answers three characters or more
            matches.append((index, _phrases([term.text])))
            continue
        trigrams = _trigrams_starting(db, term.text)
        if trigrams is None:
            short.append((index, term.text))
        elif trigrams:
            matches.append((index, _phrases(trigrams)))
        # no trigram begins with it: no article holds it
    if short:
        scan_sql, scan_params = _short_scan(short)
        sql += f"s AS MATERIALIZED ({scan_sql}), "
        params += scan_params
        parts += [f"SELECT {i} AS t, rid FROM s WHERE h{i}" for i, _text in short]
    for index, query in matches:
        parts.append(f"SELECT {index} AS t, rowid AS rid FROM kb_fts WHERE kb_fts MATCH ?")
        params.append(query)
    if not parts:
        return Ranking((), [])
    sql += (
        f"u(t, rid) AS ({' UNION ALL '.join(parts)}), "
        # Each hit's id and title by its rowid (the hits drive the join: the search
        # rows' text is never read for a term the index answers).
        "m(t, rid, id, in_title) AS MATERIALIZED (SELECT u.t, u.rid, a.id, "
        "instr(lower(a.title), q.term) > 0 FROM u CROSS JOIN kb_articles AS a "
        f"ON a.rowid = u.rid CROSS JOIN q ON q.t = u.t WHERE {_visible(drafts)}), "
        "df(t, n) AS (SELECT t, COUNT(*) FROM m GROUP BY t), "
        "w(t, weight) AS MATERIALIZED (SELECT t, kb_idf(?, n) FROM df), "
        "possible(p) AS (SELECT (COALESCE(SUM(weight), 0) + (? - COUNT(*)) * kb_idf(?, 0)) "
        "* ? FROM w) "
        "SELECT m.rid, m.id, MIN(1.0, SUM(w.weight * CASE WHEN m.in_title THEN ? ELSE 1.0 END) "
        "/ (SELECT p FROM possible)) AS s, group_concat(m.t) "
        "FROM m JOIN w ON w.t = m.t "
        "GROUP BY m.rid HAVING s >= ? ORDER BY s DESC, m.id"
        + (" LIMIT ?" if limit is not None else ""))
    params += [total, len(wanted), total, TITLE_WEIGHT, TITLE_WEIGHT, MIN_CONFIDENCE]
    if limit is not None:
        params.append(limit)
    return Ranking(tuple(wanted), db.execute(sql, params).fetchall())
