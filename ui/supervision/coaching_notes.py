"""Coaching notes in a conversation: what a supervisor whispered, marked as coaching.

Shown under the message list of the agent's conversation (and in the supervisor's
monitor): each note in its own tinted box headed "Coaching from <name>", and a
line when a supervisor joined the conversation. The customer never sees these
(the hub keeps them apart from messages). The supervisor's text and name are
shown as plain text. Hidden while the conversation has none. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from core.supervision.coaching_cache import JOINED, CoachingItem
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named
from ui.widgets.time_text import clock_text

MAX_HEIGHT = 180


class CoachingNotesView(QScrollArea):
    def __init__(self, bridge: ServiceBridge, conversation_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CoachingNotes")
        self._bridge = bridge
        self.conversation_id = conversation_id
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMaximumHeight(MAX_HEIGHT)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._inner = QWidget()
        self._inner.setObjectName("CoachingNotes")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setContentsMargins(12, 8, 12, 8)
        self._layout.setSpacing(6)
        self.setWidget(self._inner)
        self.shown: list[CoachingItem] = []
        self.setVisible(False)  # until there is a note
        # A bound method: Qt drops the connection when this view is deleted.
        bridge.coaching_changed.connect(self._changed)
        self.refresh()

    def _changed(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh()

    def refresh(self) -> None:
        items = self._bridge.service.coaching.items(self.conversation_id)
        if items == self.shown:
            return
        self.shown = items
        while self._layout.count():
            taken = self._layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        for item in items:
            self._layout.addWidget(self._item_widget(item))
        self.setVisible(bool(items))
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    def _item_widget(self, item: CoachingItem) -> QWidget:
        if item.kind == JOINED:
            line = named(PlainLabel(self.tr("{0} joined the conversation · {1}").format(
                item.author_name, clock_text(item.created_at))), "CoachingJoined")
            return line
        box = named(QFrame(), "CoachingNote")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        header = named(PlainLabel(self.tr("Coaching from {0} · {1} · not shown to the "
                                          "customer").format(item.author_name,
                                                             clock_text(item.created_at))),
                       "CoachingNoteHeader")
        text = PlainLabel(item.text)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(header)
        layout.addWidget(text)
        return box

    def texts(self) -> list[str]:
        """The notes' texts as shown (for tests and accessibility)."""
        return [i.text for i in self.shown if i.kind != JOINED]
