"""Writing a knowledge-base article (supervisors and admins): title, language, tags and
the Markdown body; Ctrl+S saves a draft, "Save and publish" makes it the version
agents see. The version history (who wrote which version) is read from the hub.

The edit goes through the outbox (``core.assist.knowledge_base``): offline it waits
and is sent once the hub is reachable; the hub's event brings the saved version
back into the cache. Thread: the GUI thread.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.assist.knowledge_base import (
    ArticleDraft,
    KnowledgeEditError,
    KnowledgeUnavailable,
    parse_tags,
)
from core.protocol.knowledge import KbArticle, KbLanguage, KbVersionInfo
from core.tasks import BackgroundTasks
from ui.assist.kb_article_view import language_name, status_name
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named
from ui.widgets.time_text import date_time_text


class ArticleEditor(QWidget):
    saved = Signal(str)  # article id (queued for the hub)
    cancelled = Signal()

    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KbArticleEditor")
        self._kb = bridge.service.knowledge
        self._tasks = BackgroundTasks("knowledge-base versions")
        self.article_id: str | None = None
        self.heading = named(PlainLabel(), "ChatTitle")
        self.title = QLineEdit()
        self.title.setMaxLength(300)
        self.language = QComboBox()
        for language in KbLanguage:
            self.language.addItem(language_name(language), language)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("Comma-separated, e.g. returns, 退货"))
        self.body = QPlainTextEdit()
        self.body.setObjectName("KbBodyEditor")
        self.body.setPlaceholderText(self.tr(
            "Markdown. Put the sentence agents insert under a heading \"## Answer\" "
            "(or \"## 答案\"), or make it the first paragraph."))
        self.error = named(PlainLabel(), "LoginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.versions_label = named(PlainLabel(self.tr("Versions")), "Muted")
        self.versions = QListWidget()
        self.versions.setObjectName("KbVersions")
        self.versions.setMaximumHeight(120)

        self.save_button = QPushButton(self.tr("Save draft (Ctrl+S)"))
        self.save_button.clicked.connect(lambda: self.save(publish=False))
        self.publish_button = QPushButton(self.tr("Save and publish"))
        self.publish_button.setObjectName("PrimaryButton")
        self.publish_button.clicked.connect(lambda: self.save(publish=True))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancelled.emit)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(lambda: self.save(publish=False))

        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Tags"), self.tags)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.publish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.versions_label)
        layout.addWidget(self.versions)
        layout.addLayout(buttons)

    def edit(self, article: KbArticle | None) -> None:
        """Open ``article`` (None: a new one) in the editor."""
        self.article_id = article.id if article else None
        self.heading.setText(self.tr("Edit article") if article else self.tr("New article"))
        self.title.setText(article.title if article else "")
        self.language.setCurrentIndex(
            list(KbLanguage).index(article.language if article else KbLanguage.ZH))
        self.tags.setText(", ".join(article.tags) if article else "")
        self.body.setPlainText(article.body if article else "")
        self.error.hide()
        self.versions.clear()
        self.versions_label.setVisible(article is not None)
        self.versions.setVisible(article is not None)
        if article is not None:
            self.versions.addItem(self.tr("Loading…"))
            self._tasks.spawn(self._load_versions(article.id), loop=_loop())
        self.title.setFocus()

    async def _load_versions(self, article_id: str) -> None:
        try:
            versions = await self._kb.versions(article_id)
        except KnowledgeUnavailable as exc:
            if self.article_id == article_id:
                self.versions.clear()
                self.versions.addItem(self.tr("The history is not available now ({0}).")
                                      .format(exc.code))
            return
        if self.article_id == article_id:
            self.show_versions(versions)

    def show_versions(self, versions: list[KbVersionInfo]) -> None:
        self.versions.clear()
        for v in reversed(versions):  # newest first
            self.versions.addItem(self.tr("Version {0} · {1} · {2} · {3}").format(
                v.version, status_name(v.status), v.author, date_time_text(v.created_at)))

    def save(self, publish: bool) -> str | None:
        """Queue the article for the hub; None (and a reason shown) when refused here."""
        draft = ArticleDraft(self.title.text(), self.body.toPlainText(),
                             self.language.currentData(), parse_tags(self.tags.text()))
        try:
            article_id = self._kb.save(draft, self.article_id, publish=publish)
        except KnowledgeEditError as exc:
            self.error.setText({
                "empty": self.tr("An article needs a title and a body."),
                "too_long": self.tr("Too long: at most 300 characters of title, 12,000 of "
                                    "body and 30 tags."),
                "forbidden": self.tr("Only supervisors and admins edit the knowledge base."),
            }.get(exc.code, exc.code))
            self.error.show()
            return None
        self.error.hide()
        self.article_id = article_id
        self.saved.emit(article_id)
        return article_id


def _loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # called outside a loop callback (qasync runs Qt's loop)
        return asyncio.get_event_loop()
