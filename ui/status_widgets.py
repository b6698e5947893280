"""The status bar and its pieces: the connection indicator and the presence selector."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStatusBar, QWidget

from core.protocol.models import Presence
from core.sync.client import ConnectionState, ConnectionStatus
from ui.theme import Theme, named

CONNECTION_COLORS = {
    ConnectionState.ONLINE: "ok",
    ConnectionState.CONNECTING: "warn",
    ConnectionState.RECONNECTING: "warn",
    ConnectionState.OFFLINE: "muted",
    ConnectionState.AUTH_FAILED: "danger",
}
PRESENCE_COLORS = {Presence.AVAILABLE: "ok", Presence.AWAY: "warn", Presence.OFFLINE: "muted"}


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


class ConnectionIndicator(QWidget):
    """Dot and words for the sync state; counts down to the next attempt.

    While reconnecting, a "Retry now" link skips the wait (``retry_requested``).
    """

    retry_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConnectionIndicator")
        self._theme = theme
        self._status = ConnectionStatus(ConnectionState.OFFLINE)
        self._starting_hub = False
        self.icon = QLabel()
        self.label = QLabel()
        self.retry = QLabel()
        self.retry.setObjectName("RetryLink")
        self.retry.setTextFormat(Qt.TextFormat.RichText)
        self.retry.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.retry.linkActivated.connect(lambda _link: self.retry_requested.emit())
        self.retry.setToolTip(self.tr("Try to reach the hub now instead of waiting"))
        self.retry.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(2)
        layout.addWidget(self.icon)
        layout.addWidget(self.label)
        layout.addWidget(self.retry)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._render)
        self._render()

    @property
    def status(self) -> ConnectionStatus:
        return self._status

    def set_status(self, status: ConnectionStatus) -> None:
        self._status = status
        if status.state is ConnectionState.RECONNECTING:
            self._ticker.start()
        else:
            self._ticker.stop()
        self._render()

    def set_starting_hub(self, starting: bool) -> None:
        self._starting_hub = starting
        self._render()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._render()

    def text(self) -> str:
        return self.label.text()

    def _render(self) -> None:
        status = self._status
        state = status.state
        if self._starting_hub and state in (ConnectionState.OFFLINE, ConnectionState.CONNECTING):
            text = self.tr("Starting the local hub…")
        elif state is ConnectionState.ONLINE:
            text = self.tr("Online")
        elif state is ConnectionState.CONNECTING:
            text = self.tr("Connecting…")
        elif state is ConnectionState.RECONNECTING:
            wait = max(0, round((status.next_try_at or 0) - time.time()))
            text = (
                self.tr("Reconnecting — next try in {0} s").format(wait)
                if wait
                else self.tr("Reconnecting…")
            )
        elif state is ConnectionState.AUTH_FAILED:
            text = self.tr("Signed out — please sign in again")
        else:
            text = self.tr("Offline")
        self.label.setText(text)
        reconnecting = state is ConnectionState.RECONNECTING
        if reconnecting:
            color = self._theme.color("accent").name()
            self.retry.setText(
                f'<a href="retry" style="color: {color};">{self.tr("Retry now")}</a>'
            )
        self.retry.setVisible(reconnecting)
        if status.detail and state is not ConnectionState.ONLINE:
            self.setToolTip(status.detail)
        else:
            self.setToolTip("")
        self.icon.setPixmap(dot(self._theme.color(CONNECTION_COLORS[state]), 8))


class PresenceSelector(QComboBox):
    """Available / Away / Offline; emits ``presence_chosen`` on the agent's choice only."""

    presence_chosen = Signal(object)  # Presence

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PresenceSelector")
        self._theme = theme
        labels = {
            Presence.AVAILABLE: self.tr("Available"),
            Presence.AWAY: self.tr("Away"),
            Presence.OFFLINE: self.tr("Offline"),
        }
        for presence, label in labels.items():
            # Stored as the plain value: Qt would turn a str-enum into a bare str anyway.
            self.addItem(label, presence.value)
        self._paint_icons()
        self.setToolTip(self.tr("Your presence: new conversations are routed to available agents"))
        self.activated.connect(self._activated)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._paint_icons()

    def _paint_icons(self) -> None:
        for row in range(self.count()):
            presence = self._presence_at(row)
            if presence is not None:
                self.setItemIcon(row, dot(self._theme.color(PRESENCE_COLORS[presence]), 5))

    def _presence_at(self, row: int) -> Presence | None:
        try:
            return Presence(self.itemData(row))
        except ValueError:
            return None

    def row_of(self, presence: Presence) -> int:
        return self.findData(presence.value)

    def presence(self) -> Presence:
        return self._presence_at(self.currentIndex()) or Presence.OFFLINE

    def set_presence(self, presence: Presence) -> None:
        """Show the presence core reports (no signal: it is not the agent's choice)."""
        row = self.row_of(presence)
        if row >= 0:
            self.setCurrentIndex(row)

    def _activated(self, row: int) -> None:
        presence = self._presence_at(row)
        if presence is not None:
            self.presence_chosen.emit(presence)


class AgentStatusBar(QStatusBar):
    """Connection and customer chat link on the left; the agent and presence on the right."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = ConnectionIndicator(theme)
        self.agent_label = named(QLabel(), "Muted")
        self.widget_link = QLabel()
        self.widget_link.setOpenExternalLinks(True)
        self.widget_link.hide()
        self.presence = PresenceSelector(theme)
        self.addWidget(self.connection)
        self.addWidget(self.widget_link)
        self.addPermanentWidget(self.agent_label)
        self.addPermanentWidget(self.presence)

    def set_theme(self, theme: Theme) -> None:
        self.connection.set_theme(theme)
        self.presence.set_theme(theme)

    def set_widget_url(self, url: str) -> None:
        if url:
            self.widget_link.setText(
                self.tr("Customer chat page: {0}").format(f'<a href="{url}">{url}</a>')
            )
        self.widget_link.setVisible(bool(url))

    def show_hub_presence(self, presence: Presence, reason: str) -> None:
        """The hub changed the agent's presence (e.g. away after a disconnect)."""
        names = {Presence.AVAILABLE: self.tr("Available"), Presence.AWAY: self.tr("Away"),
                 Presence.OFFLINE: self.tr("Offline")}
        if reason == "disconnected":
            text = self.tr("While you were disconnected the hub set you to {0}.")
        else:
            text = self.tr("The hub set you to {0}.")
        self.showMessage(text.format(names.get(presence, presence.value)), 10000)

    def show_command_failed(self, kind: str, code: str) -> None:
        texts = {
            "send_message": self.tr("A message could not be sent ({0}). Double-click it to retry."),
            "close_conversation": self.tr("The conversation could not be closed ({0})."),
            "set_presence": self.tr("Your presence could not be changed ({0})."),
            "record_visit": self.tr("A walk-in visit could not be recorded ({0})."),
        }
        self.showMessage(texts.get(kind, "{0}").format(code), 8000)
