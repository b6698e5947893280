"""Bars above the work area: the offline banner and dismissable notices."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named


def offline_banner() -> QLabel:
    """Shown while the hub cannot be reached (hidden at first)."""
    banner = named(
        PlainLabel(QCoreApplication.translate(
            "Banners", "You are offline — messages will be sent when the connection returns")),
        "OfflineBanner",
    )
    banner.setWordWrap(True)
    banner.hide()
    return banner


class NoticeBar(QFrame):
    """A dismissable note above the work area (a conversation taken away, a cache reset)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeBar")
        self.label = PlainLabel()
        self.label.setWordWrap(True)
        self.dismiss = named(QToolButton(), "NoticeClose")
        self.dismiss.setIcon(theme.icon("close", "text", 14))
        self.dismiss.setToolTip(self.tr("Dismiss"))
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 8, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss)
        self.hide()

    def show_text(self, text: str) -> None:
        # Several notices in a row stay readable: the newest first, at most three.
        lines = [text, *[t for t in self.label.text().split("\n") if t and self.isVisible()]]
        self.label.setText("\n".join(lines[:3]))
        self.show()

    def set_theme(self, theme: Theme) -> None:
        self.dismiss.setIcon(theme.icon("close", "text", 14))
