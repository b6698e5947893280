"""The agent's main window: inbox | conversation tabs | customer, and a status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.profile_outbox import ProfileFailure
from core.protocol.agent import UnassignReason
from core.protocol.models import AgentInfo, ConversationStatus, Presence
from core.protocol.profile import AddIdentity
from core.records import ScreenPop
from core.sync.client import ConnectionState, ConnectionStatus
from ui.banners import NoticeBar, offline_banner
from ui.chat_panel import ChatPanel, SendKey
from ui.customer_panel import CustomerPanel
from ui.inbox_view import InboxView
from ui.merge_dialog import MergeDialog
from ui.profile_text import failure_text
from ui.screen_pop import ScreenPopToast
from ui.search_popup import SearchPopup
from ui.service_bridge import ServiceBridge
from ui.status_widgets import ConnectionIndicator, PresenceSelector
from ui.theme import Theme, app_icon, named


class MainWindow(QMainWindow):
    settings_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()
    first_shown = Signal()
    walk_in_requested = Signal()
    consistency_check_requested = Signal()

    def __init__(
        self, bridge: ServiceBridge, theme: Theme, send_key: SendKey, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self._bridge = bridge
        self._theme = theme
        self._send_key = send_key
        self._shown_once = False
        self._quitting = False

        # left: inbox
        inbox_pane = named(QWidget(), "InboxPane")
        self.inbox = InboxView(bridge, theme)
        self.inbox.conversation_activated.connect(self.open_conversation)
        self.inbox_count = named(QLabel(), "PaneCount")
        self.walk_in_button = named(QToolButton(), "WalkInButton")
        self.walk_in_button.setIcon(theme.icon("store", "muted", 18))
        self.walk_in_button.setToolTip(self.tr("Walk-in customer: look up and record a visit "
                                               "(Ctrl+Shift+N)"))
        self.walk_in_button.clicked.connect(self.walk_in_requested.emit)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 6, 0)
        head.addWidget(named(QLabel(self.tr("Inbox")), "PaneTitle"), 1)
        head.addWidget(self.inbox_count)
        head.addWidget(self.walk_in_button)
        pane = QVBoxLayout(inbox_pane)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.setSpacing(0)
        pane.addLayout(head)
        pane.addWidget(self.inbox, 1)

        # middle: tabs, or a hint while none is open
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setDrawBase(False)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.empty_hint = named(
            QLabel(
                self.tr("Pick a conversation in the inbox.\nNew chats appear there as they arrive.")
            ),
            "EmptyHint",
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.center = QStackedWidget()
        self.center.addWidget(self.empty_hint)
        self.center.addWidget(self.tabs)

        # right: customer
        self.customer_panel = CustomerPanel(bridge, theme)
        self.customer_panel.merge_requested.connect(self.open_merge)
        self.search_popup = SearchPopup(bridge, theme, self)
        self.search_popup.customer_chosen.connect(self.show_customer)
        self.search_popup.conversation_chosen.connect(self._search_conversation)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(inbox_pane)
        splitter.addWidget(self.center)
        splitter.addWidget(self.customer_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        inbox_pane.setMinimumWidth(240)
        self.customer_panel.setMinimumWidth(260)
        splitter.setSizes([300, 620, 360])

        # above the work area: the offline banner and notices
        self.offline_banner = offline_banner()
        self.offline_banner.hide()
        self.notice_bar = NoticeBar(theme)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.offline_banner)
        column.addWidget(self.notice_bar)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.screen_pop_toast = ScreenPopToast(central)
        self.screen_pop_toast.open_requested.connect(self._open_pop)

        # status bar
        self.connection = ConnectionIndicator(theme)
        self.connection.retry_requested.connect(bridge.service.reconnect_now)
        self.agent_label = named(QLabel(), "Muted")
        self.widget_link = QLabel()
        self.widget_link.setOpenExternalLinks(True)
        self.widget_link.hide()
        self.presence = PresenceSelector(theme)
        self.presence.presence_chosen.connect(bridge.service.set_presence)
        bar = self.statusBar()
        bar.addWidget(self.connection)
        bar.addWidget(self.widget_link)
        bar.addPermanentWidget(self.agent_label)
        bar.addPermanentWidget(self.presence)

        self._widget_url = ""
        self._build_menus()

        bridge.connection_changed.connect(self._connection_changed)
        bridge.presence_changed.connect(self._presence_changed)
        bridge.agent_changed.connect(self._agent_changed)
        bridge.inbox_changed.connect(self._inbox_changed)
        bridge.conversation_changed.connect(self._conversation_changed)
        bridge.command_failed.connect(self._command_failed)
        bridge.assignment_changed.connect(self._assignment_changed)
        bridge.hub_presence_changed.connect(self._hub_presence_changed)
        bridge.screen_pop_changed.connect(self._screen_pop)
        bridge.profile_command_failed.connect(self._profile_command_failed)
        self._connection_changed(bridge.service.connection)
        self._presence_changed(bridge.service.presence())
        if bridge.service.agent is not None:
            self._agent_changed(bridge.service.agent)
        self._inbox_changed()

    # ---- menus and shortcuts -----------------------------------------------------------

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work with the menu bar hidden too
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addAction(
            self._action(self.tr("&Settings…"), "Ctrl+,", self.settings_requested.emit)
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("Sign &out"), None, self.sign_out_requested.emit))
        file_menu.addAction(self._action(self.tr("&Quit"), "Ctrl+Q", self.quit_requested.emit))

        conv = menu.addMenu(self.tr("&Conversation"))
        conv.addAction(self._action(self.tr("&Next conversation"), "Alt+Down",
                                    lambda: self.inbox.step(1)))
        conv.addAction(self._action(self.tr("&Previous conversation"), "Alt+Up",
                                    lambda: self.inbox.step(-1)))
        conv.addAction(self._action(self.tr("Focus the &reply box"), "Ctrl+L",
                                    self.focus_composer))
        conv.addSeparator()
        conv.addAction(self._action(self.tr("&Close conversation"), "Ctrl+Shift+W",
                                    self.close_current_conversation))
        conv.addAction(self._action(self.tr("Close &tab"), "Ctrl+W",
                                    lambda: self._close_tab(self.tabs.currentIndex())))

        conv.addSeparator()
        conv.addAction(self._action(self.tr("&Walk-in customer…"), "Ctrl+Shift+N",
                                    self.walk_in_requested.emit))
        conv.addAction(self._action(self.tr("&Search customers and messages…"), "Ctrl+K",
                                    self.open_search))

        presence = menu.addMenu(self.tr("&Presence"))
        presence.addAction(self._action(self.tr("&Available"), "Ctrl+1",
                                        lambda: self._choose_presence(Presence.AVAILABLE)))
        presence.addAction(self._action(self.tr("A&way"), "Ctrl+2",
                                        lambda: self._choose_presence(Presence.AWAY)))
        presence.addAction(self._action(self.tr("&Offline"), "Ctrl+3",
                                        lambda: self._choose_presence(Presence.OFFLINE)))

        help_menu = menu.addMenu(self.tr("&Help"))
        self.open_widget_action = self._action(
            self.tr("Open the customer chat page"), None, self._open_widget
        )
        self.open_widget_action.setEnabled(False)
        help_menu.addAction(self.open_widget_action)
        help_menu.addSeparator()
        help_menu.addAction(self._action(self.tr("Check cache &consistency"), None,
                                         self.consistency_check_requested.emit))

    # ---- state from core -----------------------------------------------------------

    def _connection_changed(self, status: ConnectionStatus) -> None:
        self.connection.set_status(status)
        # Offline is a normal state: say so once it is more than a first attempt.
        offline = status.state in (ConnectionState.RECONNECTING, ConnectionState.AUTH_FAILED) or (
            status.state is ConnectionState.CONNECTING and status.attempt > 0
        )
        self.offline_banner.setVisible(offline)
        self._open_first_waiting()

    def _assignment_changed(self, conversation_id: str, reason: str) -> None:
        """The conversation is no longer the agent's: close its tab and say why."""
        item = self._bridge.service.conversation(conversation_id)
        name = item.customer_name if item and item.customer_name else self.tr("a customer")
        texts = {
            UnassignReason.AGENT_DISCONNECTED.value: self.tr(
                "The conversation with {0} went to another agent while you were "
                "disconnected."),
            UnassignReason.TRANSFERRED.value: self.tr(
                "The conversation with {0} was transferred to another agent."),
        }
        text = texts.get(reason, self.tr("The conversation with {0} is no longer assigned to "
                                         "you.")).format(name)
        index = self._tab_index(conversation_id)
        if index is not None:
            self._close_tab(index)
        self.notice_bar.show_text(text)

    def _hub_presence_changed(self, presence: Presence, reason: str) -> None:
        names = {Presence.AVAILABLE: self.tr("Available"), Presence.AWAY: self.tr("Away"),
                 Presence.OFFLINE: self.tr("Offline")}
        if reason == "disconnected":
            text = self.tr("While you were disconnected the hub set you to {0}.")
        else:
            text = self.tr("The hub set you to {0}.")
        self.statusBar().showMessage(text.format(names.get(presence, presence.value)), 10000)

    def _presence_changed(self, presence: Presence) -> None:
        self.presence.set_presence(presence)

    def _agent_changed(self, agent: AgentInfo) -> None:
        self.agent_label.setText(agent.display_name)
        self._update_title()

    def _inbox_changed(self) -> None:
        items = self.inbox.inbox_model.items()
        self.inbox_count.setText(str(len(items)) if items else "")
        self._update_title()
        self._open_first_waiting()

    def _open_first_waiting(self) -> None:
        """Nothing open yet: show the longest-waiting conversation.

        Not while a catch-up is filling the inbox (the connection is still
        "connecting"): the list would jump under the agent's eyes, and building a
        chat tab in the middle of it would stall the window.
        """
        if self.tabs.count() or not self.inbox.inbox_model.items():
            return
        if self._bridge.service.connection.state is ConnectionState.CONNECTING:
            return
        self.inbox.setCurrentIndex(self.inbox.inbox_model.index(0))

    def _conversation_changed(self, conversation_id: str) -> None:
        index = self._tab_index(conversation_id)
        if index is not None:
            panel = self.tabs.widget(index)
            if isinstance(panel, ChatPanel):
                self.tabs.setTabText(index, panel.title_text())
        self._update_title()

    def _command_failed(self, kind: str, code: str) -> None:
        texts = {
            "send_message": self.tr("A message could not be sent ({0}). Double-click it to retry."),
            "close_conversation": self.tr("The conversation could not be closed ({0})."),
            "set_presence": self.tr("Your presence could not be changed ({0})."),
            "record_visit": self.tr("A walk-in visit could not be recorded ({0})."),
        }
        self.statusBar().showMessage(texts.get(kind, "{0}").format(code), 8000)

    # ---- customers: search, screen pop, merge ---------------------------------------

    def open_search(self) -> SearchPopup:
        self.search_popup.open_search()
        return self.search_popup

    def show_customer(self, customer_id: str) -> None:
        self.customer_panel.show_customer(customer_id)

    def _search_conversation(self, customer_id: str, conversation_id: str) -> None:
        item = self._bridge.service.conversation(conversation_id)
        if item is not None and item.status is ConversationStatus.OPEN and (
                conversation_id in {i.conversation_id for i in self.inbox.inbox_model.items()}):
            self.open_conversation(conversation_id)
            return
        self.customer_panel.show_customer(customer_id)
        self.customer_panel.open_transcript(conversation_id)

    def _busy_conversation(self) -> str | None:
        """The open conversation the agent is working in, if any."""
        panel = self.current_panel()
        if panel is None:
            return None
        item = self._bridge.service.conversation(panel.conversation_id)
        return panel.conversation_id if item and item.status is ConversationStatus.OPEN else None

    def _screen_pop(self, pop: ScreenPop) -> None:
        if self._busy_conversation() is None:
            self.customer_panel.screen_pop(pop)
        profile = self._bridge.service.profiles.profile(pop.customer_id)
        self.screen_pop_toast.show_pop(pop, profile)

    def _open_pop(self, pop: ScreenPop) -> None:
        if pop.conversation_id and self._bridge.service.conversation(pop.conversation_id):
            self.open_conversation(pop.conversation_id)
        else:
            self.customer_panel.screen_pop(pop)

    def open_merge(self, target_id: str) -> MergeDialog:
        dialog = MergeDialog(self._bridge, target_id, self)
        dialog.merge_confirmed.connect(self._bridge.service.profiles.merge_customers)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): qasync
        dialog.search.setFocus()
        return dialog

    def _profile_command_failed(self, failure: ProfileFailure) -> None:
        command = failure.command
        if (failure.code == "invalid_identity" and isinstance(command, AddIdentity)
                and not command.keep_unverified):
            self._ask_keep_unverified(command, failure)
            return
        self.notice_bar.show_text(failure_text(failure))

    def _ask_keep_unverified(self, command: AddIdentity, failure: ProfileFailure) -> QMessageBox:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Contact point not valid"))
        box.setText(self.tr("“{0}” is not a valid phone number or email address.")
                    .format(command.value))
        box.setInformativeText(
            (self.tr("Hub: {0}").format(failure.message) + "\n\n" if failure.message else "")
            + self.tr("Keep it anyway, marked as unverified? It will not be used to "
                      "recognise the customer."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes.value:
                self._bridge.service.profiles.add_identity(
                    command.customer_id, command.kind, command.value, keep_unverified=True)

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()  # not exec(): qasync
        self.keep_unverified_box = box
        return box

    def _update_title(self) -> None:
        unread = sum(i.unread for i in self.inbox.inbox_model.items())
        agent = self._bridge.service.agent
        title = self.tr("Zuoxi") + (f" — {agent.display_name}" if agent else "")
        self.setWindowTitle(f"({unread}) {title}" if unread else title)
        if unread and not self.isActiveWindow():
            QApplication.alert(self)

    # ---- conversations -------------------------------------------------------------

    def _tab_index(self, conversation_id: str) -> int | None:
        for index in range(self.tabs.count()):
            panel = self.tabs.widget(index)
            if isinstance(panel, ChatPanel) and panel.conversation_id == conversation_id:
                return index
        return None

    def open_conversation(self, conversation_id: str) -> ChatPanel:
        index = self._tab_index(conversation_id)
        if index is None:
            panel = ChatPanel(self._bridge, conversation_id, self._theme, self._send_key)
            panel.close_requested.connect(self._bridge.service.close_conversation)
            index = self.tabs.addTab(panel, panel.title_text())
            self.tabs.tabBar().setTabButton(
                index, QTabBar.ButtonPosition.RightSide, self._tab_close_button(panel)
            )
        self.center.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(index)
        widget = self.tabs.widget(index)
        assert isinstance(widget, ChatPanel)
        return widget

    def _tab_close_button(self, panel: ChatPanel) -> QToolButton:
        button = named(QToolButton(), "TabCloseButton")
        button.setIcon(self._theme.icon("close", "muted", 14))
        button.setIconSize(QSize(14, 14))
        button.setToolTip(self.tr("Close tab (the conversation stays open)"))
        button.setAutoRaise(True)
        button.clicked.connect(lambda: self._close_tab(self.tabs.indexOf(panel)))
        return button

    def current_panel(self) -> ChatPanel | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ChatPanel) else None

    def _tab_changed(self, index: int) -> None:
        panel = self.current_panel()
        conversation_id = panel.conversation_id if panel else None
        self.customer_panel.show_conversation(conversation_id)
        if conversation_id is not None:
            self.inbox.select_conversation(conversation_id)
            self._bridge.service.mark_read(conversation_id)
        else:
            self.center.setCurrentWidget(self.empty_hint)

    def _close_tab(self, index: int) -> None:
        panel = self.tabs.widget(index)
        if panel is None:
            return
        self.tabs.removeTab(index)
        panel.deleteLater()

    def close_current_conversation(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            self._bridge.service.close_conversation(panel.conversation_id)

    def focus_composer(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            panel.focus_composer()

    def _choose_presence(self, presence: Presence) -> None:
        self.presence.set_presence(presence)
        self._bridge.service.set_presence(presence)

    # ---- settings the desktop pushes -----------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.inbox.set_theme(theme)
        self.customer_panel.set_theme(theme)
        self.search_popup.set_theme(theme)
        self.connection.set_theme(theme)
        self.presence.set_theme(theme)
        self.notice_bar.set_theme(theme)
        self.walk_in_button.setIcon(theme.icon("store", "muted", 18))
        for index in range(self.tabs.count()):
            panel = self.tabs.widget(index)
            if isinstance(panel, ChatPanel):
                panel.set_theme(theme)
                button = self.tabs.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
                if isinstance(button, QToolButton):
                    button.setIcon(theme.icon("close", "muted", 14))

    def set_send_key(self, send_key: SendKey) -> None:
        self._send_key = send_key
        for index in range(self.tabs.count()):
            panel = self.tabs.widget(index)
            if isinstance(panel, ChatPanel):
                panel.set_send_key(send_key)

    def set_widget_url(self, url: str) -> None:
        """Where customers chat (shown for the embedded hub)."""
        self._widget_url = url
        self.open_widget_action.setEnabled(bool(url))
        if url:
            self.widget_link.setText(
                self.tr("Customer chat page: {0}").format(f'<a href="{url}">{url}</a>')
            )
        self.widget_link.setVisible(bool(url))

    def show_notice(self, text: str) -> None:
        """A lasting note in the status bar (e.g. no keyring on this system)."""
        self.statusBar().showMessage(text)

    def show_banner_notice(self, text: str) -> None:
        """A note above the work area until dismissed (e.g. the cache was rebuilt)."""
        self.notice_bar.show_text(text)

    def _open_widget(self) -> None:
        if self._widget_url:
            QDesktopServices.openUrl(QUrl(self._widget_url))

    # ---- window events -------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if not self._shown_once and handle is not None:
            # "Shown" means exposed on screen (painted), not merely show() called.
            handle.installEventFilter(self)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            panel = self.current_panel()
            if panel is not None:
                self._bridge.service.mark_read(panel.conversation_id)
        return super().event(event)

    def allow_close(self) -> None:
        self._quitting = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quitting:
            event.accept()
            return
        event.ignore()
        self.quit_requested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._shown_once
            and watched is self.windowHandle()
            and event.type() == QEvent.Type.Expose
            and self.windowHandle().isExposed()
        ):
            self._shown_once = True
            watched.removeEventFilter(self)
            self.first_shown.emit()
        return super().eventFilter(watched, event)
