"""Quality inspection's entry points in the main window.

"My quality scores" (Ctrl+Shift+Q) is for everyone signed in: the hub gives each
agent their own scores only. "Quality review" (Alt+Shift+Q) exists for
supervisors (and admins) only, as the hub's ``routing_config`` says, so an agent's
menus and shortcut sheet (Ctrl+/) never show it; the hub refuses the review
queue and review decisions to agents anyway. Thread: the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from core.protocol.routing import AgentRole
from ui.shell.service_bridge import ServiceBridge

if TYPE_CHECKING:  # the windows load when first opened, not with the main window
    from ui.supervision.quality_review import QualityReviewWindow
    from ui.supervision.quality_scores import QualityScoresWindow

SCORES_SHORTCUT = "Ctrl+Shift+Q"
REVIEW_SHORTCUT = "Alt+Shift+Q"


class QualityActions(QObject):
    def __init__(self, bridge: ServiceBridge, window: QWidget) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._window = window
        self.scores: QualityScoresWindow | None = None
        self.review: QualityReviewWindow | None = None
        self.scores_action = QAction(self.tr("My &quality scores"), window)
        self.scores_action.setObjectName("QualityScoresAction")
        self.scores_action.setShortcut(QKeySequence(SCORES_SHORTCUT))
        self.scores_action.triggered.connect(self.open_scores)
        self.review_action = QAction(self.tr("Quality &review"), window)
        self.review_action.setObjectName("QualityReviewAction")
        self.review_action.setShortcut(QKeySequence(REVIEW_SHORTCUT))
        self.review_action.triggered.connect(self.open_review)
        bridge.routing_config_changed.connect(self._config_changed)
        self._config_changed()

    @property
    def review_allowed(self) -> bool:
        return self.review_action.isVisible()

    def _config_changed(self) -> None:
        config = self._bridge.service.routing.config()
        allowed = config is not None and config.role is AgentRole.SUPERVISOR
        self.review_action.setVisible(allowed)
        self.review_action.setEnabled(allowed)
        if not allowed and self.review is not None:
            self.review.close()

    def open_scores(self) -> QualityScoresWindow:
        if self.scores is None:
            from ui.supervision.quality_scores import QualityScoresWindow

            self.scores = QualityScoresWindow(self._bridge, self._window)
            self.scores.closed.connect(self._scores_closed)
            self.scores.resize(1400, 900)
        self.scores.show()
        self.scores.raise_()
        self.scores.activateWindow()
        return self.scores

    def open_review(self) -> QualityReviewWindow | None:
        if not self.review_allowed:
            return None
        if self.review is None:
            from ui.supervision.quality_review import QualityReviewWindow

            self.review = QualityReviewWindow(self._bridge, self._window)
            self.review.closed.connect(self._review_closed)
            self.review.resize(1600, 1000)
        self.review.show()
        self.review.raise_()
        self.review.activateWindow()
        return self.review

    def _scores_closed(self) -> None:
        self.scores = None

    def _review_closed(self) -> None:
        self.review = None
