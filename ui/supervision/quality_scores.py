""""My quality scores": every agent's own scored conversations, each score's rules
and evidence, and an appeal while the window is open.

The list is read from the hub (scores are kept there) when the window opens, on
F5, and when the hub took or refused an appeal; the hub gives an agent only their
own scores. "Appeal…" (Alt+A) asks for a reason; when an appeal is not possible
the button is disabled and the line beside it says why. Thread: the GUI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.protocol import quality as qp
from core.supervision.quality_client import AppealStatus, QualityUnavailable, appeal_status
from core.tasks import BackgroundTasks
from ui.shell.service_bridge import ServiceBridge
from ui.supervision.figure_text import channel_name
from ui.supervision.quality_detail import QualityDetail, channel_of, extra_reason, top_items
from ui.supervision.quality_text import failure_text, reason_text, review_text, score_text
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import date_time_text, now_ms

CONVERSATION = Qt.ItemDataRole.UserRole


class ScoreList(QTreeWidget):
    """Scores as rows: closed, (agent,) channel, score, fatal, review state."""

    def __init__(self, with_agent: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QualityScoreList")
        self._with_agent = with_agent
        labels = [self.tr("Closed"), self.tr("Channel"), self.tr("Score"), self.tr("Fatal"),
                  self.tr("Review")]
        if with_agent:
            labels.insert(1, self.tr("Agent"))
        self.setHeaderLabels(labels)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.scores: list[qp.ScoreSummary] = []

    def show_scores(self, scores: list[qp.ScoreSummary],
                    names: dict[str, str] | None = None) -> None:
        keep = self.current_id()
        self.scores = list(scores)
        self.clear()
        for s in scores:
            review = review_text(s.review)
            if extra_reason(s):
                review = f"{review} · {reason_text(s.review_reason)}"
            values = [date_time_text(s.closed_at), channel_name(channel_of(s.channel)),
                      score_text(s), self.tr("fatal") if s.fatal else "", review]
            if self._with_agent:
                values.insert(1, (names or {}).get(s.agent_id or "", s.agent_id or "—"))
            item = QTreeWidgetItem(values)
            item.setData(0, CONVERSATION, s.conversation_id)
            self.addTopLevelItem(item)
            if s.conversation_id == keep:
                self.setCurrentItem(item)

    def current_id(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(0, CONVERSATION))

    def select_first(self) -> None:
        """Select the first row when none is (which loads its detail)."""
        first = self.topLevelItem(0)
        if self.currentItem() is None and first is not None:
            self.setCurrentItem(first)

    def summary(self, conversation_id: str) -> qp.ScoreSummary | None:
        return next((s for s in self.scores if s.conversation_id == conversation_id), None)

    def select(self, conversation_id: str) -> bool:
        for item in top_items(self):
            if item.data(0, CONVERSATION) == conversation_id:
                self.setCurrentItem(item)
                return True
        return False


class ScoreLoader:
    """Reads a score and its conversation for a ``QualityDetail``: the conversation
    from the local cache when it holds it, else from the hub."""

    def __init__(self, bridge: ServiceBridge, detail: QualityDetail) -> None:
        self._service = bridge.service
        self._detail = detail
        self._tasks = BackgroundTasks("quality")
        self.shown: str | None = None

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside a loop callback (qasync runs Qt's loop)
            loop = asyncio.get_event_loop()
        self._tasks.spawn(coro, loop=loop)

    async def load(self, conversation_id: str) -> qp.QaScoreDetail | None:
        self.shown = conversation_id
        try:
            detail = await self._service.quality.fetch(conversation_id)
        except QualityUnavailable as exc:
            if self.shown == conversation_id:
                self._detail.clear(failure_text(exc.code))
            return None
        if self.shown != conversation_id:
            return None
        me = self._service.agent.id if self._service.agent else None
        self._detail.show_detail(detail, me)
        cached = self._service.messages(conversation_id, limit=5000)
        if cached:
            self._detail.show_messages(cached, from_cache=True)
        else:
            record = await self._service.profiles.transcript(conversation_id)
            if self.shown == conversation_id:
                self._detail.show_messages(None if record is None else list(record.messages),
                                           from_cache=bool(record and record.from_cache))
        return detail

    def cancel(self) -> None:
        self._tasks.cancel_all()


class AppealDialog(QDialog):
    """The reason for an appeal; Ctrl+Enter sends. Opened with ``open()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Appeal this score"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Why is this score wrong? A supervisor will "
                                               "read it."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send = self.buttons.addButton(self.tr("Send the appeal"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.send.setEnabled(False)
        self.reason.installEventFilter(self)  # Ctrl+Enter sends (the editor eats shortcuts)
        self.reason.textChanged.connect(
            lambda: self.send.setEnabled(bool(self.reason.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel(self.tr("Reason")))
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.resize(520, 260)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.reason and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            if self.send.isEnabled():
                self.accept()
            return True
        return super().eventFilter(watched, event)


class QualityScoresWindow(QMainWindow):
    closed = Signal()
    loaded = Signal()  # the list (or its failure) is shown: tests wait on it

    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("QualityScoresWindow")
        self.setWindowTitle(self.tr("My quality scores"))
        self._bridge = bridge
        self.quality = bridge.service.quality
        self.status = PlainLabel(self.tr("Loading your scores…"))
        self.status.setObjectName("Muted")
        self.scores = ScoreList(with_agent=False)
        self.scores.currentItemChanged.connect(lambda *_: self._current_changed())
        self.detail = QualityDetail()
        self.loader = ScoreLoader(bridge, self.detail)
        self.appeal_button = QPushButton(self.tr("&Appeal…"))
        self.appeal_button.setObjectName("AppealButton")
        self.appeal_button.clicked.connect(self.open_appeal)
        self.appeal_state = PlainLabel()
        self.appeal_state.setObjectName("Muted")
        self.appeal_state.setWordWrap(True)
        self.dialog: AppealDialog | None = None

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.scores, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.detail, 1)
        row = QHBoxLayout()
        row.addWidget(self.appeal_button)
        row.addWidget(self.appeal_state, 1)
        right_layout.addLayout(row)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 1400])
        self.setCentralWidget(split)
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.refresh)
        self.addAction(refresh)
        close = QAction(self.tr("Close"), self)
        close.setShortcut(QKeySequence("Escape"))
        close.triggered.connect(self.close)
        self.addAction(close)
        bridge.quality_changed.connect(self._quality_changed)
        self._update_appeal()

    # ---- reading ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.loader.spawn(self._load_list())

    async def _load_list(self) -> None:
        try:
            scores = await self.quality.list_scores()
        except QualityUnavailable as exc:
            self.status.setText(failure_text(exc.code))
            self.loaded.emit()
            return
        self.scores.show_scores(scores)
        self.status.setText(self.tr("%n scored conversation(s)", "", len(scores)) if scores
                            else self.tr("No scored conversation yet."))
        self.scores.select_first()
        self.scores.setFocus()
        self.loaded.emit()

    def _current_changed(self) -> None:
        conversation_id = self.scores.current_id()
        self._update_appeal()
        if conversation_id is not None:
            self.loader.spawn(self._load_detail(conversation_id))

    async def _load_detail(self, conversation_id: str) -> None:
        await self.loader.load(conversation_id)

    # ---- appeal -----------------------------------------------------------------------

    def _update_appeal(self) -> None:
        conversation_id = self.scores.current_id()
        summary = None if conversation_id is None else self.scores.summary(conversation_id)
        if summary is None:
            self.appeal_button.setEnabled(False)
            self.appeal_state.setText("")
            return
        agent = self._bridge.service.agent
        status = appeal_status(summary, agent.id if agent else None, now_ms(),
                               self.quality.queued(summary.conversation_id))
        self.appeal_button.setEnabled(status is AppealStatus.OPEN)
        texts = {
            AppealStatus.OPEN: self.tr("You may appeal until {0}."),
            AppealStatus.SENDING: self.tr("Your appeal is being sent."),
            AppealStatus.APPEALED: self.tr("Appealed: a score is appealed once."),
            AppealStatus.CLOSED: self.tr("The appeal window closed on {0}."),
            AppealStatus.NOT_YOURS: self.tr("Only the scored agent may appeal."),
        }
        until = date_time_text(summary.appealable_until or 0)
        self.appeal_state.setText(texts[status].format(until))

    def open_appeal(self) -> AppealDialog | None:
        conversation_id = self.scores.current_id()
        if conversation_id is None or not self.appeal_button.isEnabled():
            return None
        self.dialog = AppealDialog(self)
        self.dialog.accepted.connect(lambda: self._send_appeal(conversation_id))
        self.dialog.open()
        self.dialog.reason.setFocus()
        return self.dialog

    def _send_appeal(self, conversation_id: str) -> None:
        assert self.dialog is not None
        try:
            self.quality.appeal(conversation_id, self.dialog.reason.toPlainText())
        except ValueError:
            return  # the button is off for a blank reason
        self._update_appeal()

    def _quality_changed(self, conversation_id: str, code: str) -> None:
        if code:
            self.statusBar().showMessage(failure_text(code), 15_000)
        if self.isVisible():
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.loader.cancel()
        self.closed.emit()
        super().closeEvent(event)
