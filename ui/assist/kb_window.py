"""The knowledge-base window (F1): search the articles, read one; supervisors and
admins also write and publish them.

Everything shown comes from the local cache (``AgentService.knowledge``), so
searching and reading work offline; the list follows the hub's changes as the
bridge announces them. Keys: typing searches, Down goes to the results, Enter opens
the article (from the search box: the first result), Ctrl+N writes a new one,
Ctrl+E edits the one shown, Ctrl+S saves a draft in the editor, Escape closes.
The list is a model over the cache (``ui.assist.kb_list_model``) that reads only
the rows on screen, with a count and the search's ranking from SQL, so a
knowledge base of 10,000 articles opens, scrolls and searches in a frame or two.
Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.protocol.knowledge import KbStatus
from core.sync.client import ConnectionState
from ui.assist.kb_article_view import ArticleView, status_name
from ui.assist.kb_editor import ArticleEditor
from ui.assist.kb_list_delegate import ArticleDelegate, ArticleListView
from ui.assist.kb_list_model import ARTICLE_ID, ArticleListModel
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

CHANGES_MS = 250
__all__ = ["ARTICLE_ID", "KnowledgeBaseWindow"]


class KnowledgeBaseWindow(QWidget):
    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("KnowledgeBaseWindow")
        self.setWindowTitle(self.tr("Knowledge base"))
        self.resize(1100, 720)
        self._bridge = bridge
        self._kb = bridge.service.knowledge
        self.current_id: str | None = None

        self.search = QLineEdit()
        self.search.setObjectName("KbSearch")
        self.search.setPlaceholderText(self.tr("Search the knowledge base (works offline)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh_list)
        self.search.installEventFilter(self)
        self.model = ArticleListModel(self._kb, self)
        self.model.matches_text = self.tr("matches: {0}")
        self.model.draft_text = status_name(KbStatus.DRAFT)
        self.results = ArticleListView()
        self.results.setObjectName("KbResults")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setItemDelegate(ArticleDelegate(lambda: bool(self.model.query),
                                                     self.results))
        self.results.setModel(self.model)
        self._selecting = False
        self.results.selectionModel().currentChanged.connect(self._current_changed)
        self.results.activated.connect(self._activated)
        self.count = named(PlainLabel(), "Muted")
        self.count.setWordWrap(True)

        self.new_button = QPushButton(self.tr("New article (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_article)
        self.edit_button = QPushButton(self.tr("Edit (Ctrl+E)"))
        self.edit_button.clicked.connect(self.edit_current)
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.clicked.connect(self.publish_current)
        self.pending = named(PlainLabel(), "Muted")
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.new_article)
        QShortcut(QKeySequence("Ctrl+E"), self).activated.connect(self.edit_current)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close)

        left = QWidget()
        side = QVBoxLayout(left)
        side.setContentsMargins(12, 12, 6, 12)
        side.addWidget(self.search)
        side.addWidget(self.results, 1)
        side.addWidget(self.count)

        self.article_view = ArticleView()
        self.editor = ArticleEditor(bridge)
        self.editor.saved.connect(self._saved)
        self.editor.cancelled.connect(self._stop_editing)
        self.reader = QWidget()
        tools = QHBoxLayout()
        tools.setContentsMargins(16, 12, 16, 0)
        tools.addWidget(self.pending, 1)
        tools.addWidget(self.new_button)
        tools.addWidget(self.edit_button)
        tools.addWidget(self.publish_button)
        reading = QVBoxLayout(self.reader)
        reading.setContentsMargins(0, 0, 0, 0)
        reading.addLayout(tools)
        reading.addWidget(self.article_view, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.reader)
        self.pages.addWidget(self.editor)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 720])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        # Changes are shown a moment later, those of one burst together; while the first
        # listing brings pages only the count follows (drawing the list again reads and
        # lays out every article: with 10,000 of them far longer than a frame).
        self._changes = QTimer(self)
        self._changes.setSingleShot(True)
        self._changes.setInterval(CHANGES_MS)
        self._changes.timeout.connect(self._show_changes)
        # An event names its articles (their rows move alone); a change that names none
        # (a listing's pages, its end) lays the list out again.
        self._moved: dict[str, str | None] = {}
        self._named = self._unnamed = 0
        bridge.knowledge_base_changed.connect(self._changed)
        bridge.knowledge_articles_changed.connect(self._articles_changed)
        bridge.knowledge_listing_changed.connect(self._listing_changed)
        bridge.connection_changed.connect(lambda _status: self._show_count())
        bridge.routing_config_changed.connect(self._role_changed)
        self._editor = self._kb.is_editor()
        self.refresh_list()

    # ---- the list --------------------------------------------------------------------

    def refresh_list(self) -> None:
        """List what the search box asks for (everything when it is empty)."""
        self.model.set_query(self.search.text())
        self._show_count()
        self.select_article(self.current_id)

    def select_article(self, article_id: str | None) -> None:
        row = self.model.row_of(article_id)
        self._selecting = True
        try:
            if row is None:
                self.results.selectionModel().clear()
            else:
                self.results.setCurrentIndex(self.model.index(row))
        finally:
            self._selecting = False

    def _show_count(self) -> None:
        query = self.model.query
        shown = self.model.rowCount()
        if query:
            text = (self.tr("%n article(s) found", "", shown) if shown
                    else self.tr("Nothing in the knowledge base answers this."))
        else:
            text = self.tr("%n article(s) on this desktop", "", shown)
        if self._bridge.service.connection.state is not ConnectionState.ONLINE:
            text = self.tr("{0} — offline: searching this desktop's copy").format(text)
        progress = self._kb.listing_progress()
        if progress is not None and progress.total:
            locale = QLocale()
            text = self.tr("{0} (copying from the hub: {1} of {2})").format(
                text, locale.toString(progress.done), locale.toString(progress.total))
        self.count.setText(text)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = current.data(ARTICLE_ID) if current.isValid() else None
        if article_id is not None and not self._selecting:
            self.open_article(str(article_id))

    def _activated(self, index: QModelIndex) -> None:
        """Enter: the article opens and its text takes the keys (to scroll)."""
        article_id = index.data(ARTICLE_ID) if index.isValid() else None
        if article_id is None:
            return
        self.open_article(str(article_id))
        self.article_view.body.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- the article -----------------------------------------------------------------

    def open_article(self, article_id: str | None) -> None:
        self.current_id = article_id
        article = self._kb.article(article_id) if article_id else None
        self.article_view.show_article(article)
        if article is None and article_id is not None and self._kb.pending_edits(article_id):
            self.article_view.empty.setText(self.tr("Saved here; the hub stores it when it is "
                                                    "reachable."))
        self.pages.setCurrentWidget(self.reader)
        self._show_tools()

    def _show_tools(self) -> None:
        editor = self._kb.is_editor()
        article = self.article_view.article
        self.new_button.setVisible(editor)
        self.edit_button.setVisible(editor and article is not None)
        self.publish_button.setVisible(editor and article is not None
                                       and article.status is KbStatus.DRAFT)
        waiting = self._kb.pending_edits(self.current_id) if self.current_id else 0
        self.pending.setText(self.tr("Saving… (waiting for the hub)") if waiting else "")

    def _role_changed(self) -> None:
        """Editors list drafts too: a new role lists again."""
        if self._kb.is_editor() != self._editor:
            self._editor = self._kb.is_editor()
            self.refresh_list()
        self._show_tools()

    def _changed(self) -> None:
        self._unnamed += 1
        self._soon()

    def _articles_changed(self, old_titles: dict[str, str | None]) -> None:
        self._named += 1
        for article_id, old_title in old_titles.items():
            self._moved.setdefault(article_id, old_title)
        self._soon()

    def _listing_changed(self) -> None:
        self._soon()

    def _soon(self) -> None:
        if not self._changes.isActive():
            self._changes.start()

    def _show_changes(self) -> None:
        if self._kb.listing_progress() is not None:
            self._show_count()  # the list is drawn again once the copy is complete
            return
        moved, whole = self._moved, self._unnamed > self._named
        self._moved, self._named, self._unnamed = {}, 0, 0
        if whole:
            self.refresh_list()
        else:
            # A removed row moves the view's current row to a neighbour: the article
            # being read is not swapped for it (it shows as gone, as before).
            self._selecting = True
            try:
                self.model.articles_changed(moved)
            finally:
                self._selecting = False
            self._show_count()
            self.select_article(self.current_id)
        if self.pages.currentWidget() is self.reader and (
                whole or self.current_id in moved):
            self.open_article(self.current_id)

    # ---- editing (supervisors and admins) ---------------------------------------------

    def new_article(self) -> None:
        if self._kb.is_editor():
            self.editor.edit(None)
            self.pages.setCurrentWidget(self.editor)

    def edit_current(self) -> None:
        article = self.article_view.article
        if self._kb.is_editor() and article is not None:
            self.editor.edit(article)
            self.pages.setCurrentWidget(self.editor)

    def publish_current(self) -> None:
        article = self.article_view.article
        if article is not None and self._kb.is_editor():
            self._kb.publish(article.id)
            self._show_tools()

    def _stop_editing(self) -> None:
        self.pages.setCurrentWidget(self.reader)

    def _saved(self, article_id: str) -> None:
        self.open_article(article_id)

    # ---- keys ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.rowCount():
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.model.index(0))
                self.results.activated.emit(self.results.currentIndex())
                return True
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.results.setFocus()
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.model.index(0))
                return True
        return super().eventFilter(watched, event)
