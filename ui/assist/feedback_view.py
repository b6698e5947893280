"""What agents said about the suggestions (helpful or wrong): read from the hub on
request, for supervisors, beside the quick replies they keep."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from core.assist.suggestions import FeedbackUnavailable
from core.protocol.assist import FeedbackVerdict, SuggestionFeedbackList, SuggestionKind
from core.tasks import BackgroundTasks
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named
from ui.widgets.time_text import date_time_text


class FeedbackView(QWidget):
    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SuggestionFeedbackView")
        self._service = bridge.service
        self._tasks = BackgroundTasks("suggestion feedback")
        self.load_button = QPushButton(self.tr("Show the agents' verdicts on suggestions"))
        self.load_button.clicked.connect(self.load)
        self.totals = named(PlainLabel(), "Muted")
        self.list = QListWidget()
        self.list.setObjectName("SuggestionFeedbackList")
        self.list.hide()
        row = QHBoxLayout()
        row.addWidget(self.load_button)
        row.addWidget(self.totals, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)

    def load(self) -> None:
        self.totals.setText(self.tr("Loading…"))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside a loop callback (qasync runs Qt's loop)
            loop = asyncio.get_event_loop()
        self._tasks.spawn(self._load(), loop=loop)

    async def _load(self) -> None:
        try:
            answer = await self._service.suggestions.feedback_list()
        except FeedbackUnavailable as exc:
            self.totals.setText(self.tr("Not available now ({0}).").format(str(exc)))
            return
        self.show_list(answer)

    def show_list(self, answer: SuggestionFeedbackList) -> None:
        self.totals.setText(self.tr("{0} helpful, {1} wrong").format(answer.helpful,
                                                                      answer.wrong))
        self.list.clear()
        for entry in answer.entries:
            verdict = (self.tr("helpful") if entry.verdict is FeedbackVerdict.HELPFUL
                       else self.tr("wrong"))
            kind = (self.tr("article") if entry.kind is SuggestionKind.ARTICLE
                    else self.tr("quick reply"))
            title = entry.title or entry.item_id
            self.list.addItem(f"{date_time_text(entry.created_at)}  ·  {entry.agent_name}  ·  "
                              f"{verdict}  ·  {kind}: {title}")
        self.list.show()
