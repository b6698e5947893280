"""Supervisors' quality review: the review queue (fatal, low, sampled and appealed
scores, oldest first) with confirm or override-with-a-score, always with a
comment; and the figures per agent and per team (queue) with the most-failed rules.

Keyboard: Ctrl+1 / Ctrl+2 switch tabs, F5 reads again, Ctrl+M focuses the
comment, Alt+C confirms, Alt+O overrides with the score in the box. The hub
refuses all of it to agents (``forbidden``); the window is only offered to
supervisors. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.protocol import quality as qp
from core.supervision.quality_client import QualityUnavailable
from ui.shell.service_bridge import ServiceBridge
from ui.supervision.quality_detail import QualityDetail
from ui.supervision.quality_scores import ScoreList, ScoreLoader
from ui.supervision.quality_text import failure_text
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import now_ms

DAY_MS = 86_400_000
PERIODS = (7, 30, 90)  # days the figures look back


class QualityReviewWindow(QMainWindow):
    closed = Signal()
    loaded = Signal()  # the queue (or its failure) is shown: tests wait on it
    figures_loaded = Signal()

    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("QualityReviewWindow")
        self.setWindowTitle(self.tr("Quality review"))
        self._bridge = bridge
        self.quality = bridge.service.quality
        self.names: dict[str, str] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._queue_tab(), self.tr("Review &queue"))
        self.tabs.addTab(self._figures_tab(), self.tr("&Figures"))
        self.setCentralWidget(self.tabs)
        for keys, slot in (("F5", self.refresh), ("Escape", self.close),
                           ("Ctrl+1", lambda: self.tabs.setCurrentIndex(0)),
                           ("Ctrl+2", lambda: self.tabs.setCurrentIndex(1)),
                           ("Ctrl+M", self.comment.setFocus)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)
        bridge.quality_changed.connect(self._quality_changed)

    # ---- the queue --------------------------------------------------------------------

    def _queue_tab(self) -> QWidget:
        self.status = PlainLabel(self.tr("Loading the review queue…"))
        self.status.setObjectName("Muted")
        self.queue = ScoreList(with_agent=True)
        self.queue.currentItemChanged.connect(lambda *_: self._current_changed())
        self.detail = QualityDetail()
        self.loader = ScoreLoader(self._bridge, self.detail)
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("ReviewComment")
        self.comment.setPlaceholderText(self.tr("Your comment (the agent reads it)"))
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(90)
        self.score = QSpinBox()
        self.score.setRange(0, 100)
        self.score.setSuffix(self.tr(" points"))
        self.score.setMaximumWidth(160)
        self.confirm_button = QPushButton(self.tr("&Confirm the score"))
        self.confirm_button.clicked.connect(self.confirm)
        self.override_button = QPushButton(self.tr("&Override with this score"))
        self.override_button.clicked.connect(self.override)
        self.comment.textChanged.connect(self._update_buttons)
        form = QFormLayout()
        form.addRow(self.tr("Co&mment"), self.comment)
        form.addRow(self.tr("New &score"), self.score)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.queue, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(form)
        right_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([640, 1280])
        self._update_buttons()
        return split

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.loader.spawn(self._load_queue())
        self.loader.spawn(self._load_figures())

    async def _load_queue(self) -> None:
        try:
            scores = await self.quality.review_queue()
        except QualityUnavailable as exc:
            self.status.setText(failure_text(exc.code))
            self.loaded.emit()
            return
        self.queue.show_scores(scores, self.names)
        self.status.setText(self.tr("%n score(s) waiting for review", "", len(scores))
                            if scores else self.tr("Nothing waits for review."))
        self.queue.select_first()
        if not scores:
            self.detail.clear(self.tr("Nothing waits for review."))
        self._update_buttons()
        self.loaded.emit()

    def _current_changed(self) -> None:
        conversation_id = self.queue.current_id()
        self._update_buttons()
        if conversation_id is None:
            return
        summary = self.queue.summary(conversation_id)
        if summary is not None and summary.final_score is not None:
            self.score.setValue(summary.final_score)
        self.loader.spawn(self._load_detail(conversation_id))

    async def _load_detail(self, conversation_id: str) -> None:
        await self.loader.load(conversation_id)

    def _update_buttons(self) -> None:
        ready = self.queue.current_id() is not None and bool(self.comment.toPlainText().strip())
        self.confirm_button.setEnabled(ready)
        self.override_button.setEnabled(ready)

    def confirm(self) -> None:
        self._decide(None)

    def override(self) -> None:
        self._decide(self.score.value())

    def _decide(self, score: int | None) -> None:
        conversation_id = self.queue.current_id()
        comment = self.comment.toPlainText()
        if conversation_id is None or not comment.strip():
            return
        if score is None:
            self.quality.confirm(conversation_id, comment)
        else:
            self.quality.override(conversation_id, score, comment)
        self.comment.clear()
        self.statusBar().showMessage(self.tr("Sending your decision…"), 5_000)

    def _quality_changed(self, conversation_id: str, code: str) -> None:
        self.statusBar().showMessage(failure_text(code) if code
                                     else self.tr("The hub took the decision."), 15_000)
        if self.isVisible():
            self.refresh()

    # ---- figures ----------------------------------------------------------------------

    def _figures_tab(self) -> QWidget:
        self.period = QComboBox()
        for days in PERIODS:
            self.period.addItem(self.tr("Last %n day(s)", "", days), days)
        self.period.currentIndexChanged.connect(
            lambda _: self.loader.spawn(self._load_figures()))
        self.figures_status = PlainLabel()
        self.figures_status.setObjectName("Muted")
        self.agents = _table([self.tr("Agent"), self.tr("Conversations"), self.tr("Mean score"),
                              self.tr("Fatal")])
        self.teams = _table([self.tr("Queue"), self.tr("Conversations"), self.tr("Mean score"),
                             self.tr("Fatal")])
        self.agent_teams = _table([self.tr("Team"), self.tr("Conversations"),
                                   self.tr("Mean score"), self.tr("Fatal")])
        self.rules = _table([self.tr("Rule"), self.tr("Failed"), self.tr("Checked"),
                             self.tr("Failed %")])
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.figures_status, 1)
        layout.addLayout(top)
        grid = QSplitter()
        for title, table in ((self.tr("Per agent"), self.agents),
                             (self.tr("Per team"), self.agent_teams),
                             (self.tr("Per queue"), self.teams),
                             (self.tr("Most-failed rules"), self.rules)):
            box = QWidget()
            column = QVBoxLayout(box)
            column.addWidget(PlainLabel(title))
            column.addWidget(table, 1)
            grid.addWidget(box)
        layout.addWidget(grid, 1)
        return page

    async def _load_figures(self) -> None:
        days = int(self.period.currentData())
        try:
            figures = await self.quality.aggregates(from_ms=now_ms() - days * DAY_MS)
        except QualityUnavailable as exc:
            self.figures_status.setText(failure_text(exc.code))
            self.figures_loaded.emit()
            return
        self.names.update({g.id: g.name for g in figures.agents})
        self.show_figures(figures)
        if self.queue.scores:  # the agents' names may have arrived after the queue
            self.queue.show_scores(self.queue.scores, self.names)
        self.figures_loaded.emit()

    def show_figures(self, figures: qp.QaAggregateFigures) -> None:
        _fill(self.agents, [[g.name, g.conversations, g.mean_score, g.fatal]
                            for g in figures.agents])
        _fill(self.teams, [[g.name, g.conversations, g.mean_score, g.fatal]
                           for g in figures.teams])
        _fill(self.agent_teams, [[g.name, g.conversations, g.mean_score, g.fatal]
                                 for g in figures.agent_teams])
        _fill(self.rules, [[r.rule_id, r.failed, r.checked,
                            round(100 * r.failed / r.checked, 1) if r.checked else 0.0]
                           for r in figures.rules])
        total = sum(g.conversations for g in figures.agents)
        self.figures_status.setText(self.tr("%n scored conversation(s)", "", total))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.loader.cancel()
        self.closed.emit()
        super().closeEvent(event)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setSortingEnabled(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str | int | float]]) -> None:
    """Numbers sort as numbers (``DisplayRole`` holds the value, not its text)."""
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.DisplayRole, value)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.setSortingEnabled(True)
