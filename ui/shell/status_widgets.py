"""The status bar and its pieces: the connection indicator and the presence control."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QStatusBar, QWidget

from core.protocol.models import Presence
from core.sync.client import ConnectionState, ConnectionStatus
from ui.routing.presence_control import PresenceControl, dot, presence_name
from ui.widgets.plain_text import ElidedLabel, PlainLabel, plain_as_rich, rich_escape
from ui.widgets.theme import Theme, named

CONNECTION_COLORS = {
    ConnectionState.ONLINE: "ok",
    ConnectionState.CONNECTING: "warn",
    ConnectionState.RECONNECTING: "warn",
    ConnectionState.OFFLINE: "muted",
    ConnectionState.AUTH_FAILED: "danger",
}


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
        self.icon = PlainLabel()
        self.label = PlainLabel()
        self.retry = PlainLabel()
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
            self.setToolTip(plain_as_rich(status.detail))
        else:
            self.setToolTip("")
        self.icon.setPixmap(dot(self._theme.color(CONNECTION_COLORS[state]), 8))


class AgentStatusBar(QStatusBar):
    """Connection and customer chat link on the left; the agent and presence on the right."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = ConnectionIndicator(theme)
        self.agent_label = named(PlainLabel(), "Muted")
        self.widget_link = PlainLabel()
        self.widget_link.setTextFormat(Qt.TextFormat.RichText)
        self.widget_link.setOpenExternalLinks(True)
        self.widget_link.hide()
        # Lasting notes (no keyring, no audio device): beside the connection, never over it.
        self.notice = named(ElidedLabel(), "Muted")
        self.notice.hide()
        self._notices: list[str] = []
        self.presence_control = PresenceControl(theme)
        self.presence = self.presence_control.selector
        self.addWidget(self.connection)
        self.addWidget(self.widget_link)
        self.addWidget(self.notice, 1)
        self.addPermanentWidget(self.agent_label)
        self.addPermanentWidget(self.presence_control)

    def set_theme(self, theme: Theme) -> None:
        self.connection.set_theme(theme)
        self.presence_control.set_theme(theme)

    def add_notice(self, text: str) -> None:
        """A lasting note; the whole text is in the tooltip when the bar is narrow."""
        if text and text not in self._notices:
            self._notices.append(text)
        joined = "  ·  ".join(self._notices)
        self.notice.setText(joined)
        self.notice.setVisible(bool(joined))

    def set_widget_url(self, url: str) -> None:
        if url:
            self.widget_link.setText(
                rich_escape(self.tr("Customer chat page: {0}")).format(
                    f'<a href="{rich_escape(url)}">{rich_escape(url)}</a>')
            )
        self.widget_link.setVisible(bool(url))

    def show_hub_presence(self, presence: Presence, reason: str) -> None:
        """The hub changed the agent's presence (e.g. away after a disconnect)."""
        if reason == "disconnected":
            text = self.tr("While you were disconnected the hub set you to {0}.")
        elif presence is Presence.NOT_RESPONDING:
            text = self.tr("You missed several offers, so the hub set you to {0}.")
        else:
            text = self.tr("The hub set you to {0}.")
        self.showMessage(text.format(presence_name(presence)), 10000)

    def show_command_failed(self, kind: str, code: str) -> None:
        texts = {
            "send_message": self.tr("A message could not be sent ({0}). Double-click it to retry."),
            "close_conversation": self.tr("The conversation could not be closed ({0})."),
            "set_presence": self.tr("Your presence could not be changed ({0})."),
            "accept_offer": self.tr("The offer could not be accepted ({0})."),
            "decline_offer": self.tr("The offer could not be declined ({0})."),
            "transfer": self.tr("The conversation could not be transferred ({0})."),
            "pick_conversation": self.tr("The conversation could not be picked ({0})."),
            "record_visit": self.tr("A walk-in visit could not be recorded ({0})."),
            "followup": self.tr("A follow-up could not be saved ({0})."),
            "reach_out": self.tr("Could not reach out to the customer ({0})."),
        }
        self.showMessage(texts.get(kind, "{0}").format(code), 8000)
