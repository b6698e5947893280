"""The presence control in the status bar: what the agent chooses, what the hub says.

The agent chooses Available, Away with a reason, or Offline. The hub is
authoritative and may set states of its own: Busy (at capacity), After-call work
(counting down to its end) and Not responding (after missed offers, with an
"I'm back" button). The control shows whatever the hub last said; a choice is an
intent sent through core, shown once the hub confirms it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from core.protocol.models import Presence
from core.protocol.routing import AwayReason
from ui.routing.sla_countdown import countdown_text
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import now_ms

PRESENCE_COLORS = {
    Presence.AVAILABLE: "ok",
    Presence.BUSY: "danger",
    Presence.AWAY: "warn",
    Presence.AFTER_CALL_WORK: "accent",
    Presence.NOT_RESPONDING: "danger",
    Presence.OFFLINE: "muted",
}
# States only the hub sets: shown, never chosen from the list.
HUB_STATES = (Presence.BUSY, Presence.AFTER_CALL_WORK, Presence.NOT_RESPONDING)


def dot(color: QColor, size: int = 10) -> QPixmap:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(0, 0, size * 2, size * 2)
    painter.end()
    pixmap.setDevicePixelRatio(2)
    return pixmap


def presence_name(presence: Presence) -> str:
    names = {
        Presence.AVAILABLE: QCoreApplication.translate("Presence", "Available"),
        Presence.BUSY: QCoreApplication.translate("Presence", "Busy"),
        Presence.AWAY: QCoreApplication.translate("Presence", "Away"),
        Presence.AFTER_CALL_WORK: QCoreApplication.translate("Presence", "After-call work"),
        Presence.NOT_RESPONDING: QCoreApplication.translate("Presence", "Not responding"),
        Presence.OFFLINE: QCoreApplication.translate("Presence", "Offline"),
    }
    return names.get(presence, presence.value)


def away_reason_name(reason: AwayReason) -> str:
    names = {
        AwayReason.BREAK: QCoreApplication.translate("Presence", "Break"),
        AwayReason.MEETING: QCoreApplication.translate("Presence", "Meeting"),
        AwayReason.TRAINING: QCoreApplication.translate("Presence", "Training"),
        AwayReason.LUNCH: QCoreApplication.translate("Presence", "Lunch"),
        AwayReason.OTHER: QCoreApplication.translate("Presence", "Other"),
    }
    return names.get(reason, reason.value)


def _key(presence: Presence, reason: AwayReason | None = None) -> str:
    return f"{presence.value}:{reason.value}" if reason is not None else presence.value


class PresenceSelector(QComboBox):
    """Emits ``presence_chosen(Presence, AwayReason | None)`` on the agent's choice only."""

    presence_chosen = Signal(object, object)  # Presence, AwayReason | None

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PresenceSelector")
        self._theme = theme
        self._rows: list[tuple[Presence, AwayReason | None]] = []
        self._add(Presence.AVAILABLE, None, presence_name(Presence.AVAILABLE))
        for reason in AwayReason:
            text = self.tr("Away — {0}").format(away_reason_name(reason))
            self._add(Presence.AWAY, reason, text)
        self._add(Presence.OFFLINE, None, presence_name(Presence.OFFLINE))
        model = self.model()
        for presence in HUB_STATES:
            self._add(presence, None, presence_name(presence))
            if isinstance(model, QStandardItemModel):
                item = model.item(self.count() - 1)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self._paint_icons()
        self.setToolTip(self.tr("Your presence (Ctrl+1 available, Ctrl+2 away, Ctrl+3 offline): "
                                "new conversations are offered to available agents"))
        self.activated.connect(self._activated)

    def _add(self, presence: Presence, reason: AwayReason | None, text: str) -> None:
        self._rows.append((presence, reason))
        self.addItem(text, _key(presence, reason))

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._paint_icons()

    def _paint_icons(self) -> None:
        for row, (presence, _reason) in enumerate(self._rows):
            self.setItemIcon(row, dot(self._theme.color(PRESENCE_COLORS[presence]), 5))

    def row_of(self, presence: Presence, reason: AwayReason | None = None) -> int:
        if presence is Presence.AWAY and reason is None:
            reason = AwayReason.OTHER
        return self.findData(_key(presence, reason))

    def presence(self) -> Presence:
        row = self.currentIndex()
        return self._rows[row][0] if 0 <= row < len(self._rows) else Presence.OFFLINE

    def away_reason(self) -> AwayReason | None:
        row = self.currentIndex()
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def set_presence(self, presence: Presence, reason: AwayReason | None = None) -> None:
        """Show the presence core reports (no signal: it is not the agent's choice)."""
        row = self.row_of(presence, reason)
        if row >= 0:
            self.setCurrentIndex(row)

    def _activated(self, row: int) -> None:
        if 0 <= row < len(self._rows) and self._rows[row][0] not in HUB_STATES:
            presence, reason = self._rows[row]
            self.presence_chosen.emit(presence, reason)


class PresenceControl(QWidget):
    """The selector, an after-call-work countdown and an "I'm back" button."""

    presence_chosen = Signal(object, object)  # Presence, AwayReason | None

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PresenceControl")
        self.selector = PresenceSelector(theme)
        self.selector.presence_chosen.connect(self.presence_chosen.emit)
        self.state_label = named(PlainLabel(), "PresenceState")
        self.state_label.hide()
        self.back_button = named(QPushButton(self.tr("I'm back")), "BackButton")
        self.back_button.setToolTip(self.tr("Become available again (Ctrl+1)"))
        self.back_button.clicked.connect(
            lambda: self.presence_chosen.emit(Presence.AVAILABLE, None))
        self.back_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.state_label)
        layout.addWidget(self.back_button)
        layout.addWidget(self.selector)
        self._presence = Presence.OFFLINE
        self._ends_at: int | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._render)

    @property
    def presence(self) -> Presence:
        return self._presence

    def set_theme(self, theme: Theme) -> None:
        self.selector.set_theme(theme)

    def set_state(self, presence: Presence, reason: AwayReason | None = None,
                  ends_at: int | None = None) -> None:
        """What the hub (through core) says the agent's state is."""
        self._presence = presence
        self._ends_at = ends_at if presence is Presence.AFTER_CALL_WORK else None
        self.selector.set_presence(presence, reason)
        if self._ends_at is not None:
            self._ticker.start()
        else:
            self._ticker.stop()
        self._render()

    def state_text(self) -> str:
        return self.state_label.text() if self.state_label.isVisibleTo(self) else ""

    def _render(self) -> None:
        presence = self._presence
        text = ""
        if presence is Presence.AFTER_CALL_WORK and self._ends_at is not None:
            left = self._ends_at - now_ms()
            text = self.tr("Wrap-up: {0} left").format(countdown_text(left))
            if left <= 0:  # the hub ends it; until its word arrives, no "0:00 left"
                text = self.tr("Wrap-up ending…")
                self._ticker.stop()
        elif presence is Presence.NOT_RESPONDING:
            text = self.tr("Offers stopped after missed offers")
        elif presence is Presence.BUSY:
            text = self.tr("At capacity")
        self.state_label.setText(text)
        self.state_label.setVisible(bool(text))
        self.back_button.setVisible(presence in (Presence.NOT_RESPONDING, Presence.AWAY))
