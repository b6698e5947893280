"""One knowledge-base article, read: its title, who wrote which version, its tags, and
its Markdown body rendered safely.

An article's body is text from outside (whoever edits the knowledge base). It is
rendered as Markdown with raw HTML switched off, the HTML that makes goes through
the mail view's allow-list sanitiser (``core.email.html_sanitiser``: no scripts,
no style sheets, remote images replaced by placeholders), and is shown in the mail
view's ``SafeBrowser``, which loads nothing by itself and opens links only in the
system browser when clicked. Title, author and tags are plain-text labels.
Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.email.html_sanitiser import SafeHtml, sanitise
from core.protocol.knowledge import KbArticle, KbLanguage, KbStatus
from ui.email.browser import SafeBrowser
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named
from ui.widgets.time_text import date_time_text

translate = QCoreApplication.translate  # lupdate reads translate("ArticleView", …) calls

_FEATURES = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


def markdown_html(markdown: str) -> SafeHtml:
    """Markdown as sanitised HTML: raw HTML in it is shown as text, never obeyed."""
    document = QTextDocument()
    document.setMarkdown(markdown, _FEATURES)
    return sanitise(document.toHtml())


def without_title_heading(body: str, title: str) -> str:
    """The body without a first ``# heading`` that repeats the title shown above it."""
    first, _, rest = body.lstrip().partition("\n")
    if first.startswith("#") and first.lstrip("#").strip() == title.strip():
        return rest.lstrip("\n")
    return body


def language_name(language: KbLanguage) -> str:
    return {KbLanguage.ZH: translate("ArticleView", "Chinese"),
            KbLanguage.EN: translate("ArticleView", "English")}[language]


def status_name(status: KbStatus) -> str:
    return {KbStatus.DRAFT: translate("ArticleView", "Draft"),
            KbStatus.PUBLISHED: translate("ArticleView", "Published")}[status]


class ArticleView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KbArticleView")
        self.article: KbArticle | None = None
        self.title = named(PlainLabel(), "ChatTitle")
        self.title.setWordWrap(True)
        self.meta = named(PlainLabel(), "Muted")
        self.meta.setWordWrap(True)
        self.tags = named(PlainLabel(), "Muted")
        self.tags.setWordWrap(True)
        self.body = SafeBrowser()
        self.body.setObjectName("KbArticleBody")
        self.body.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.body.document().setDocumentMargin(14)
        self.empty = named(PlainLabel(self.tr("Pick an article to read it.")), "EmptyHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.tags)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty, 1)
        self.show_article(None)

    def show_article(self, article: KbArticle | None) -> None:
        self.article = article
        shown = article is not None
        for widget in (self.title, self.meta, self.tags, self.body):
            widget.setVisible(shown)
        self.empty.setVisible(not shown)
        if article is None:
            self.empty.setText(self.tr("Pick an article to read it."))
            self.body.clear()
            return
        self.title.setText(article.title)
        self.meta.setText(self.tr("{0} · {1} · version {2} by {3} · {4}").format(
            status_name(article.status), language_name(article.language), article.version,
            article.author, date_time_text(article.updated_at)))
        self.tags.setText(self.tr("Tags: {0}").format(", ".join(article.tags))
                          if article.tags else "")
        self.tags.setVisible(bool(article.tags))
        self.body.show_html(markdown_html(without_title_heading(article.body, article.title)))
