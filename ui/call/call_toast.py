"""The incoming-call toast: who is calling (screen pop), Answer / Decline.

Shown over the top right of the window while a call rings; a second call during an
active one (call waiting) shows the same toast marked as waiting, and the desktop
rings softly. The customer's profile is already in the side panel when it shows.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.records import CustomerProfile
from ui.profile.profile_header import safe_text, stats_text
from ui.profile.profile_text import tier_name
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named


class CallToast(QFrame):
    answer_requested = Signal(str)  # call id
    decline_requested = Signal(str)  # call id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CallToast")
        self.kind = named(PlainLabel(), "Muted")
        self.title = named(PlainLabel(), "ToastTitle")
        self.detail = named(PlainLabel(), "Muted")
        self.detail.setWordWrap(True)
        self.answer_button = named(QPushButton(self.tr("&Answer")), "AnswerButton")
        self.answer_button.setToolTip(self.tr("Answer (Ctrl+Shift+A)"))
        self.answer_button.clicked.connect(self._answer)
        self.decline_button = named(QPushButton(self.tr("&Decline")), "DeclineButton")
        self.decline_button.setToolTip(self.tr("Decline: the call goes to another agent "
                                               "(Ctrl+Shift+D)"))
        self.decline_button.clicked.connect(self._decline)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.kind)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        row.addLayout(text, 1)
        row.addWidget(self.answer_button)
        row.addWidget(self.decline_button)
        self.call_id: str | None = None
        self.waiting = False
        self.setFixedWidth(420)
        self.hide()

    def show_call(self, call_id: str, caller: str, profile: CustomerProfile | None,
                  *, waiting: bool = False, transferred_from: str | None = None) -> None:
        self.call_id = call_id
        self.waiting = waiting
        self.setProperty("waiting", waiting)
        self.style().unpolish(self)
        self.style().polish(self)
        if waiting:
            kind = self.tr("Call waiting — answering puts the current call on hold")
        elif transferred_from:
            kind = self.tr("Transferred call from {0}").format(safe_text(transferred_from, 40))
        else:
            kind = self.tr("Incoming call")
        self.kind.setText(kind)
        name = safe_text(profile.name if profile and profile.name else caller, 60)
        tier = f"  ·  {tier_name(profile.tier)}" if profile and profile.tier else ""
        self.title.setText(name + tier)
        self.detail.setText(stats_text(profile) if profile else "")
        self.detail.setVisible(bool(self.detail.text()))
        self.adjustSize()
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - 16, 16)
        self.show()
        self.raise_()

    def dismiss(self, call_id: str | None = None) -> None:
        """Hide (only if it still shows ``call_id``, when given)."""
        if call_id is None or call_id == self.call_id:
            self.call_id = None
            self.hide()

    def _answer(self) -> None:
        if self.call_id is not None:
            self.answer_requested.emit(self.call_id)

    def _decline(self) -> None:
        if self.call_id is not None:
            self.decline_requested.emit(self.call_id)
