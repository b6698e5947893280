"""The knowledge-base window's list as a Qt model that reads only the rows shown.

With the search empty it lists every cached article by title: its row count is a
``COUNT`` in SQL and rows are read a page at a time when the view asks for them
(``core.assist.kb_rows``; a few recent pages are kept). A search is ranked in
SQL; the model keeps each hit's rowid, score and matched terms and reads the
summaries of the pages shown. A change to some articles moves, inserts, removes
or updates their rows (``articles_changed``); only a change the model cannot
place (many at once, a listing) lays the list out again.
Thread: the GUI thread.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core.assist.kb_rows import ArticleRow, RankedHit, Ranking
from core.assist.knowledge_base import KnowledgeBase
from core.protocol.knowledge import KbStatus

PAGE = 64  # rows read at a time
KEPT_PAGES = 8  # pages kept in memory (the view shows one or two)
MOVES_AT_ONCE = 8  # more changed articles than this in one notice: lay the list out again

ARTICLE_ID = Qt.ItemDataRole.UserRole
DETAIL = Qt.ItemDataRole.UserRole + 1  # the muted line: a draft, the matched words
IS_DRAFT = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(text: str) -> str:
    """SQLite's NOCASE: only ASCII letters fold."""
    return text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class Shown:
    article: ArticleRow
    hit: RankedHit | None


class ArticleListModel(QAbstractListModel):
    def __init__(self, kb: KnowledgeBase, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kb = kb
        self.query = ""
        self._count = 0
        self._hits = Ranking((), [])
        self._hit_rows: dict[str, int] | None = None  # made when a row is looked for
        self._pages: OrderedDict[int, list[Shown]] = OrderedDict()
        self.rows_read = 0  # articles read from the cache (what the tests bound)
        self.resets = 0
        self.matches_text = "{0}"  # the window's translated "matches: {0}"
        self.draft_text = "Draft"
        self._load()

    # ---- what is listed ---------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """List the articles that answer ``text`` (all of them when it is blank)."""
        self.query = text.strip()
        self.refresh()

    def refresh(self) -> None:
        """Read the count (or the search's ranking) again and forget the pages read."""
        self.beginResetModel()
        self._load()
        self.resets += 1
        self.endResetModel()

    def _load(self) -> None:
        self._pages.clear()
        if self.query:
            self._hits = self._kb.ranked(self.query)
            self._hit_rows = None
            self._count = len(self._hits)
        else:
            self._hits, self._hit_rows = Ranking((), []), None
            self._count = self._kb.count()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        shown = self.shown(index.row())
        if shown is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return shown.article.title
        if role == ARTICLE_ID:
            return shown.article.id
        if role == IS_DRAFT:
            return shown.article.status is KbStatus.DRAFT
        if role == DETAIL:
            details = [self.draft_text] if shown.article.status is KbStatus.DRAFT else []
            if shown.hit is not None and shown.hit.matched:
                details.append(self.matches_text.format(" ".join(shown.hit.matched)))
            return " · ".join(details)
        return None

    def shown(self, row: int) -> Shown | None:
        """The row's article (its page read when not in memory)."""
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
            self._pages[number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        at = row - number * PAGE
        return page[at] if at < len(page) else None

    def _read_page(self, number: int) -> list[Shown]:
        start = number * PAGE
        if not self.query:
            rows = [Shown(a, None) for a in self._kb.list_window(start, PAGE)]
        else:
            hits = self._hits[start:start + PAGE]
            found = self._kb.rows_by_rowid([h.rowid for h in hits])
            rows = [Shown(found[h.rowid], h) for h in hits if h.rowid in found]
        self.rows_read += len(rows)
        return rows

    def row_of(self, article_id: str | None) -> int | None:
        """The row the article is listed in, if it is."""
        if article_id is None:
            return None
        if self.query:
            return self._hit_row(article_id)
        row = self._row_in_pages(article_id)
        if row is not None:
            return row
        found = self._kb.list_row(article_id)
        return None if found is None else self._kb.list_position(found.title, found.id)

    # ---- changes -----------------------------------------------------------------------

    def articles_changed(self, old_titles: dict[str, str | None]) -> None:
        """These articles were stored, replaced or removed (``old_titles``: each one's
        title before, None when it was not in the cache). Their rows move, appear,
        go or are drawn again; the other rows are not read again."""
        if not old_titles:
            return
        if self.query:
            self._search_changed(set(old_titles))
        elif len(old_titles) > MOVES_AT_ONCE:
            self.refresh()
        elif len(old_titles) == 1:
            [(article_id, old_title)] = old_titles.items()
            self._one_changed(article_id, old_title)
        else:
            self._several_changed(old_titles)

    def _one_changed(self, article_id: str, old_title: str | None) -> None:
        new = self._kb.list_row(article_id)
        # Where it was: positions among the others, which did not change.
        old_row = self._row_in_pages(article_id)
        if old_row is None and old_title is not None:
            old_row = self._kb.list_position(old_title, article_id)
            if new is not None and (_nocase(new.title), new.id) < (_nocase(old_title),
                                                                   article_id):
                old_row -= 1  # the article itself is counted before its old place now
            if old_row >= self._count:
                old_row = None  # it was not listed (e.g. a draft for an agent)
        new_row = None if new is None else self._kb.list_position(new.title, new.id)
        if old_row is not None and new_row is not None and old_row == new_row:
            self._replace(old_row, new)
        elif old_row is not None and new_row is not None:
            self._remove(old_row)
            self._insert(new_row)
        elif old_row is not None:
            self._remove(old_row)
        elif new_row is not None:
            self._insert(new_row)

    def _several_changed(self, old_titles: dict[str, str | None]) -> None:
        """Several at once: rows that only changed in place are drawn again; anything
        else lays the list out again (their positions depend on each other)."""
        rows: list[tuple[int, ArticleRow]] = []
        for article_id, old_title in old_titles.items():
            new = self._kb.list_row(article_id)
            if new is None or old_title is None or new.title != old_title:
                self.refresh()
                return
            row = self._row_in_pages(article_id)
            if row is not None:
                rows.append((row, new))
        for row, new in rows:
            self._replace(row, new)

    def _search_changed(self, ids: set[str]) -> None:
        ranking = self._kb.ranked(self.query)
        if ranking.ids() != self._hits.ids():
            self.refresh()
            return
        self._hits = ranking
        for article_id in ids:
            row = self._hit_row(article_id)
            new = self._kb.list_row(article_id)
            if row is not None and new is not None:
                self._replace(row, new)

    def _hit_row(self, article_id: str) -> int | None:
        if self._hit_rows is None:
            self._hit_rows = {i: row for row, i in enumerate(self._hits.ids())}
        return self._hit_rows.get(article_id)

    def _row_in_pages(self, article_id: str) -> int | None:
        for number, page in self._pages.items():
            for at, shown in enumerate(page):
                if shown.article.id == article_id:
                    return number * PAGE + at
        return None

    def _replace(self, row: int, article: ArticleRow | None) -> None:
        page = self._pages.get(row // PAGE)
        at = row % PAGE
        if page is not None and article is not None and at < len(page):
            hit = self._hits[row] if self.query and row < len(self._hits) else None
            page[at] = Shown(article, hit)
            self.rows_read += 1
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        self._count -= 1
        self._drop_pages_from(row)
        self.endRemoveRows()

    def _insert(self, row: int) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._count += 1
        self._drop_pages_from(row)
        self.endInsertRows()

    def _drop_pages_from(self, row: int) -> None:
        """Pages at or after ``row`` moved by one: they are read again when shown."""
        for number in [n for n in self._pages if (n + 1) * PAGE > row]:
            del self._pages[number]
