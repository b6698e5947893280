"""The middle of the main window: one tab per open conversation — a ``ChatPanel``,
or an ``EmailView`` for email conversations.

Closing a tab only hides the conversation; closing the conversation itself (after
the disposition is asked) and transferring it are commands to the hub, re-emitted
here as ``close_requested`` and ``transfer_requested``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QTabBar, QTabWidget, QToolButton, QWidget

from core.chat.preferences import SendKey
from core.email.settings import EmailSettings
from core.protocol.models import Channel
from ui.chat.chat_panel import ChatPanel
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import Theme, named

if TYPE_CHECKING:
    # The mail view (composer, sanitiser, browser) is imported with the first mail
    # opened: most starts show chats only (tests/desktop/test_start_imports.py).
    from ui.email.view import EmailView

ConversationPage: TypeAlias = "ChatPanel | EmailView"


def as_page(widget: object) -> ConversationPage | None:
    """The widget as a conversation page (chat or mail), or None."""
    if isinstance(widget, ChatPanel):
        return widget
    email = sys.modules.get("ui.email.view")  # no mail view can exist before it loads
    if email is not None and isinstance(widget, email.EmailView):
        page: EmailView = widget
        return page
    return None


class ConversationTabs(QTabWidget):
    close_requested = Signal(str)  # conversation id: the agent wants to close it
    transfer_requested = Signal(str)  # conversation id

    def __init__(self, bridge: ServiceBridge, theme: Theme, send_key: SendKey,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._theme = theme
        self._send_key = send_key
        self.email_settings = EmailSettings()
        self.setDocumentMode(True)
        self.tabBar().setDrawBase(False)
        self.setMovable(True)
        self.tabCloseRequested.connect(self.close_tab)

    def set_email_settings(self, settings: EmailSettings) -> None:
        self.email_settings = settings
        for _index, panel in self.panels():
            if not isinstance(panel, ChatPanel):
                panel.set_settings(settings)

    def panels(self) -> Iterator[tuple[int, ConversationPage]]:
        for index in range(self.count()):
            panel = as_page(self.widget(index))
            if panel is not None:
                yield index, panel

    def tab_index(self, conversation_id: str) -> int | None:
        for index, panel in self.panels():
            if panel.conversation_id == conversation_id:
                return index
        return None

    def current_panel(self) -> ConversationPage | None:
        return as_page(self.currentWidget())

    def open_conversation(self, conversation_id: str) -> ConversationPage:
        """Switch to the conversation's tab, adding it first when there is none."""
        index = self.tab_index(conversation_id)
        if index is None:
            item = self._bridge.service.conversation(conversation_id)
            panel: ConversationPage
            if item is not None and item.channel is Channel.EMAIL:
                from ui.email.view import EmailView

                panel = EmailView(self._bridge, conversation_id, self.email_settings)
            else:
                panel = ChatPanel(self._bridge, conversation_id, self._theme, self._send_key)
            panel.close_requested.connect(self.close_requested.emit)
            if isinstance(panel, ChatPanel):
                panel.transfer_requested.connect(self.transfer_requested.emit)
            index = self.addTab(panel, panel.title_text())
            self.tabBar().setTabButton(
                index, QTabBar.ButtonPosition.RightSide, self._close_button(panel)
            )
        self.setCurrentIndex(index)
        widget = as_page(self.widget(index))
        assert widget is not None
        return widget

    def retitle(self, conversation_id: str) -> None:
        index = self.tab_index(conversation_id)
        if index is not None:
            panel = as_page(self.widget(index))
            if panel is not None:
                self.setTabText(index, panel.title_text())

    def close_tab(self, index: int) -> None:
        panel = self.widget(index)
        if panel is None:
            return
        self.removeTab(index)
        panel.deleteLater()

    def close_conversation_tab(self, conversation_id: str) -> None:
        index = self.tab_index(conversation_id)
        if index is not None:
            self.close_tab(index)

    def _close_button(self, panel: ConversationPage) -> QToolButton:
        button = named(QToolButton(), "TabCloseButton")
        button.setIcon(self._theme.icon("close", "muted", 14))
        button.setIconSize(QSize(14, 14))
        button.setToolTip(self.tr("Close tab (the conversation stays open)"))
        button.setAutoRaise(True)
        button.clicked.connect(lambda: self.close_tab(self.indexOf(panel)))
        return button

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for index, panel in self.panels():
            panel.set_theme(theme)
            button = self.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
            if isinstance(button, QToolButton):
                button.setIcon(theme.icon("close", "muted", 14))

    def set_send_key(self, send_key: SendKey) -> None:
        self._send_key = send_key
        for _index, panel in self.panels():
            panel.set_send_key(send_key)
