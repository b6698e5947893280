"""The screen pop notice: who is arriving, with one click to open them.

Shown for every conversation routed to the agent (and, once offers exist, for an
offer): the customer's name, tier and the first line of their stats, over the top
right of the window for a few seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.records import CustomerProfile, ScreenPop
from ui.profile.profile_header import safe_text, stats_text
from ui.profile.profile_text import tier_name
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

SHOW_MS = 8000


class ScreenPopToast(QFrame):
    open_requested = Signal(object)  # ScreenPop

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScreenPopToast")
        self.title = named(PlainLabel(), "ToastTitle")
        self.detail = named(PlainLabel(), "Muted")
        self.detail.setWordWrap(True)
        self.open_button = named(QPushButton(self.tr("Open")), "PrimaryButton")
        self.open_button.clicked.connect(self._open)
        self.dismiss = QPushButton(self.tr("Later"))
        self.dismiss.clicked.connect(self.hide)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        row.addLayout(text, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.dismiss)
        self._pop: ScreenPop | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.setFixedWidth(380)
        self.hide()

    @property
    def pop(self) -> ScreenPop | None:
        return self._pop

    def show_pop(self, pop: ScreenPop, profile: CustomerProfile | None) -> None:
        self._pop = pop
        name = safe_text(profile.name if profile else pop.customer_id, 60)
        tier = f"  ·  {tier_name(profile.tier)}" if profile and profile.tier else ""
        self.title.setText(self.tr("New conversation: {0}").format(name) + tier)
        self.detail.setText(stats_text(profile) if profile else "")
        self.detail.setVisible(bool(self.detail.text()))
        self.adjustSize()
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - 16, 56)
        self.show()
        self.raise_()
        self._timer.start(SHOW_MS)

    def _open(self) -> None:
        if self._pop is not None:
            self.open_requested.emit(self._pop)
        self.hide()
