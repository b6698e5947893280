"""The agent's main window: inbox | conversation tabs | customer, and a status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.call.call_state import CallState
from core.chat.preferences import SendKey
from core.protocol.agent import UnassignReason
from core.protocol.followups import FollowUpStatus
from core.protocol.models import AgentInfo, Presence
from core.protocol.routing import AwayReason
from core.sync.client import ConnectionState, ConnectionStatus
from ui.assist.answer_insert import insert_suggestion
from ui.assist.kb_listing_progress import KbListingProgress
from ui.assist.suggestion_panel import SuggestionPanel
from ui.call.call_desk import CallDesk, CallSounds
from ui.call.call_panel import CallPanel
from ui.call.call_toast import CallToast
from ui.followups.followup_actions import FollowUpActions
from ui.inbox.inbox_view import InboxView
from ui.profile.customer_actions import CustomerActions
from ui.profile.customer_panel import CustomerPanel
from ui.profile.merge_dialog import MergeDialog
from ui.routing.routing_actions import RoutingActions
from ui.shell.banners import NoticeBar, offline_banner
from ui.shell.conversation_tabs import ConversationPage, ConversationTabs
from ui.shell.search_popup import SearchPopup
from ui.shell.service_bridge import ServiceBridge
from ui.shell.status_widgets import AgentStatusBar
from ui.shell.window_menus import build_menus
from ui.supervision.escalation_alerts import EscalationAlerts, EscalationDock
from ui.supervision.monitor_menu import SuperviseMenu
from ui.supervision.quality_actions import QualityActions
from ui.supervision.supervision_actions import SupervisionActions
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, app_icon, named

# Windows opened on request are imported then, not before the first paint
# (tests/desktop/test_start_imports.py).
if TYPE_CHECKING:
    from core.call.call_manager import CallManager
    from ui.assist.kb_window import KnowledgeBaseWindow
    from ui.shell.shortcut_sheet import ShortcutSheet


class MainWindow(QMainWindow):
    settings_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()
    first_shown = Signal()
    walk_in_requested = Signal()
    consistency_check_requested = Signal()
    audio_settings_requested = Signal()

    def __init__(
        self, bridge: ServiceBridge, theme: Theme, send_key: SendKey, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self._bridge = bridge
        self._shown_once = False
        self._quitting = False

        # left: inbox
        inbox_pane = named(QWidget(), "InboxPane")
        self.inbox = InboxView(bridge, theme)
        self.inbox.conversation_activated.connect(self.open_conversation)
        self.inbox_count = named(PlainLabel(), "PaneCount")
        self.walk_in_button = named(QToolButton(), "WalkInButton")
        self.walk_in_button.setIcon(theme.icon("store", "muted", 18))
        self.walk_in_button.setToolTip(self.tr("Walk-in customer: look up and record a visit "
                                               "(Ctrl+Shift+N)"))
        self.walk_in_button.clicked.connect(self.walk_in_requested.emit)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 6, 0)
        head.addWidget(named(PlainLabel(self.tr("Inbox")), "PaneTitle"), 1)
        head.addWidget(self.inbox_count)
        head.addWidget(self.walk_in_button)
        pane = QVBoxLayout(inbox_pane)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.setSpacing(0)
        pane.addLayout(head)
        # beside the conversations: the agent's follow-ups (ui/followups)
        self.followups = FollowUpActions(bridge, theme, self, self._current_conversation)
        self.followups.open_requested.connect(self.open_conversation)
        self.inbox_tabs = named(QTabWidget(), "InboxTabs")
        self.inbox_tabs.setDocumentMode(True)
        self.inbox_tabs.addTab(self.inbox, self.tr("Conversations"))
        self.inbox_tabs.addTab(self.followups.pane, self.tr("Follow-ups"))
        self.followups.shown_requested.connect(
            lambda: self.inbox_tabs.setCurrentWidget(self.followups.pane))
        self.followups.list.followup_model.modelReset.connect(self._followups_counted)
        self.followups.list.followup_model.dataChanged.connect(self._followups_counted)
        self._followups_counted()
        pane.addWidget(self.inbox_tabs, 1)

        # middle: tabs, or a hint while none is open
        self.tabs = ConversationTabs(bridge, theme, send_key)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.empty_hint = named(
            PlainLabel(
                self.tr("Pick a conversation in the inbox.\nNew chats appear there as they arrive.")
            ),
            "EmptyHint",
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.center = QStackedWidget()
        self.center.addWidget(self.empty_hint)
        self.center.addWidget(self.tabs)

        # right: suggested answers (ui.assist), the customer
        self.customer_panel = CustomerPanel(bridge, theme)
        self.suggestions = SuggestionPanel(bridge)
        self.suggestions.insert_requested.connect(self._insert_suggestion)
        self.suggestion_keys = self.suggestions.attach_keys(self)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.suggestions)
        right.addWidget(self.customer_panel)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)
        self.side_panels = right
        self.easy_mode = False

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(inbox_pane)
        splitter.addWidget(self.center)
        splitter.addWidget(right)
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
        self.call_panel = CallPanel()  # calls: driven by ui/call/call_desk.py once attached
        column.addWidget(self.call_panel)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.customers = CustomerActions(bridge, theme, self.customer_panel, self.inbox,
                                         self.notice_bar, self, central,
                                         self._current_conversation)
        self.customers.conversation_requested.connect(self.open_conversation)
        self.search_popup = self.customers.search_popup
        self.screen_pop_toast = self.customers.screen_pop_toast
        self.call_toast = CallToast(central)
        self.call_desk: CallDesk | None = None

        # status bar
        self.status_bar = AgentStatusBar(theme)
        self.setStatusBar(self.status_bar)
        self.connection = self.status_bar.connection
        self.connection.retry_requested.connect(bridge.service.reconnect_now)
        self.agent_label = self.status_bar.agent_label
        self.widget_link = self.status_bar.widget_link
        self.presence = self.status_bar.presence
        # The first copy of the knowledge base for offline search, while it lasts.
        self.kb_progress = KbListingProgress(bridge)
        self.status_bar.addWidget(self.kb_progress)
        self.routing = RoutingActions(bridge, theme, self.customer_panel,
                                      self.status_bar.presence_control,
                                      self.screen_pop_toast, self, central,
                                      self._current_conversation)
        self.routing.conversation_requested.connect(self.open_taken_conversation)
        self.tabs.close_requested.connect(self.routing.request_close)
        self.tabs.transfer_requested.connect(self.routing.open_transfer)
        self.offer_toast = self.routing.offer_toast
        self.queue_dock = self.routing.queue_dock
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.queue_dock)
        # Supervisors: escalated conversations (hidden until one arrives).
        self.escalation_dock = EscalationDock(self)
        self.escalation_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.escalation_dock)
        self.escalations = EscalationAlerts(bridge, self.escalation_dock)
        self.escalations.open_requested.connect(self.open_conversation)
        # Supervisors: the live figures, the wallboard (hidden for everyone else).
        self.supervision = SupervisionActions(bridge, self)
        # Quality scores for everyone; the review queue for supervisors only.
        self.quality = QualityActions(bridge, self)

        self._widget_url = ""
        self.shortcut_sheet: ShortcutSheet | None = None
        self.knowledge_base: KnowledgeBaseWindow | None = None
        self.open_widget_action = build_menus(self)
        # Supervisors: the Supervise menu and the monitor dock (none for agents).
        self.supervise = SuperviseMenu(bridge, theme, self, self.add_shortcut_action)

        bridge.connection_changed.connect(self._connection_changed)
        bridge.agent_changed.connect(self._agent_changed)
        bridge.inbox_changed.connect(self._inbox_changed)
        bridge.conversation_changed.connect(self._conversation_changed)
        bridge.command_failed.connect(self.status_bar.show_command_failed)
        bridge.assignment_changed.connect(self._assignment_changed)
        bridge.hub_presence_changed.connect(self.status_bar.show_hub_presence)
        self._connection_changed(bridge.service.connection)
        if bridge.service.agent is not None:
            self._agent_changed(bridge.service.agent)
        self._inbox_changed()

    # ---- menus and shortcuts (built in ui/shell/window_menus.py) ---------------------------

    def add_shortcut_action(self, text: str, shortcut: QKeySequence | str | None,
                            slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work with the menu bar hidden too
        return action

    def attach_calls(self, manager: CallManager, sounds: CallSounds) -> CallDesk:
        """Calls become possible (the desktop started the media thread)."""
        self.call_desk = CallDesk(manager, self._bridge, sounds, self.call_toast,
                                  self.call_panel, self.notice_bar, self, self.show_customer)
        self.customer_panel.call_requested.connect(self.call_desk.click_to_call)
        # A phone number in the profile opens the dial pad with it (telephone calls).
        self.customer_panel.details.dialling = True
        self.customer_panel.details.dial_requested.connect(self.call_desk.open_dialler)
        self.supervise.attach_calls(manager, sounds)
        self.customer_panel.set_calls_enabled(True, manager.is_online)
        self.call_desk.customer_online_changed.connect(self.customer_panel.update_call_button)

        def call_shown(call_id: str) -> None:
            call = manager.calls.get(call_id)
            if call is not None:
                self.routing.took(call.conversation_id)

        self.call_desk.call_shown.connect(call_shown)
        self.routing.rings_as_call = lambda conversation_id: any(
            c.conversation_id == conversation_id and c.state is CallState.RINGING_IN
            for c in manager.calls.values())
        return self.call_desk

    def answer_call_or_offer(self) -> None:
        """Ctrl+Shift+A: a ringing call is answered first, else the offer on screen."""
        if self.call_desk is not None and self.call_desk.ringing_call() is not None:
            self.call_desk.answer()
        else:
            self.routing.offer_toast.accept_current()

    def decline_call_or_offer(self) -> None:
        if self.call_desk is not None and self.call_desk.ringing_call() is not None:
            self.call_desk.decline()
        else:
            self.routing.offer_toast.open_decline_menu()

    def call_current_customer(self) -> None:
        conversation_id = self._current_conversation()
        if self.call_desk is not None and conversation_id is not None:
            self.call_desk.click_to_call(conversation_id)

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
        self.tabs.close_conversation_tab(conversation_id)
        self.notice_bar.show_text(text)

    def _agent_changed(self, agent: AgentInfo) -> None:
        self.agent_label.setText(agent.display_name)
        self._update_title()

    def _inbox_changed(self) -> None:
        items = self.inbox.inbox_model.items()
        self.inbox_count.setText(str(len(items)) if items else "")
        self._update_title()
        self._open_first_waiting()

    def _followups_counted(self) -> None:
        open_ones = sum(f.status is not FollowUpStatus.SOLVED
                        for f in self.followups.list.followup_model.items())
        self.inbox_tabs.setTabText(1, self.tr("Follow-ups ({0})").format(open_ones)
                                   if open_ones else self.tr("Follow-ups"))

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
        self.tabs.retitle(conversation_id)
        self._update_title()

    # ---- customers: the work lives in CustomerActions ------------------------------

    def open_search(self) -> SearchPopup:
        return self.customers.open_search()

    def show_customer(self, customer_id: str) -> None:
        self.customers.show_customer(customer_id)

    def open_merge(self, target_id: str) -> MergeDialog:
        return self.customers.open_merge(target_id)

    @property
    def keep_unverified_box(self) -> QMessageBox | None:
        """The last "keep an invalid contact point?" question."""
        return self.customers.keep_unverified_box

    def _current_conversation(self) -> str | None:
        panel = self.current_panel()
        return panel.conversation_id if panel is not None else None

    def _update_title(self) -> None:
        unread = sum(i.unread for i in self.inbox.inbox_model.items())
        agent = self._bridge.service.agent
        title = self.tr("Zuoxi") + (f" — {agent.display_name}" if agent else "")
        self.setWindowTitle(f"({unread}) {title}" if unread else title)
        if unread and not self.isActiveWindow():
            QApplication.alert(self)

    # ---- conversations -------------------------------------------------------------

    def open_conversation(self, conversation_id: str) -> ConversationPage:
        panel = self.tabs.open_conversation(conversation_id)
        self.center.setCurrentWidget(self.tabs)
        return panel

    def open_taken_conversation(self, conversation_id: str) -> ConversationPage:
        """Accepted or picked here: its tab opens with the keyboard in the reply box."""
        panel = self.open_conversation(conversation_id)
        panel.focus_composer()
        return panel

    def current_panel(self) -> ConversationPage | None:
        return self.tabs.current_panel()

    def _tab_changed(self, index: int) -> None:
        panel = self.current_panel()
        conversation_id = panel.conversation_id if panel else None
        self.customer_panel.show_conversation(conversation_id)
        self.suggestions.show_conversation(conversation_id)
        if conversation_id is not None:
            self.inbox.select_conversation(conversation_id)
            self._bridge.service.mark_read(conversation_id)
        else:
            self.center.setCurrentWidget(self.empty_hint)

    def _insert_suggestion(self, conversation_id: str, item: object) -> None:
        page = self.current_panel()
        if page is not None and page.conversation_id == conversation_id:
            insert_suggestion(self._bridge, page, item)  # type: ignore[arg-type]

    def close_current_conversation(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            self.routing.request_close(panel.conversation_id)

    def focus_composer(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            panel.focus_composer()

    def choose_presence(self, presence: Presence, reason: AwayReason | None = None) -> None:
        if presence is Presence.AWAY and reason is None:
            reason = AwayReason.OTHER
        self.presence.set_presence(presence, reason)
        self.routing.choose_presence(presence, reason)

    # ---- settings the desktop pushes -----------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self.inbox.set_theme(theme)
        self.customer_panel.set_theme(theme)
        self.customers.set_theme(theme)
        self.routing.set_theme(theme)
        self.followups.set_theme(theme)
        self.status_bar.set_theme(theme)
        self.notice_bar.set_theme(theme)
        self.walk_in_button.setIcon(theme.icon("store", "muted", 18))
        self.tabs.set_theme(theme)

    def set_easy_mode(self, on: bool) -> None:
        """Fewer panels: the inbox and the conversation only (the customer's details
        and suggestions, and the queue overview, come back when easy mode is off)."""
        self.easy_mode = on
        self.side_panels.setVisible(not on)
        self.queue_dock.setVisible(not on)

    def fit_to_screen(self) -> None:
        """Never larger than the screen it opens on (a geometry saved on a larger screen,
        or before a layout change, is shrunk, and the window moved back onto it)."""
        screen = self.screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.size()
        width = min(self.width(), area.width() - frame.width())
        height = min(self.height(), area.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), area.left()), area.right() - width - frame.width() + 1)
        y = min(max(self.y(), area.top()), area.bottom() - height - frame.height() + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def set_send_key(self, send_key: SendKey) -> None:
        self.tabs.set_send_key(send_key)

    def set_widget_url(self, url: str) -> None:
        """Where customers chat (shown for the embedded hub)."""
        self._widget_url = url
        self.open_widget_action.setEnabled(bool(url))
        self.status_bar.set_widget_url(url)

    def show_notice(self, text: str) -> None:
        """A lasting note in the status bar (e.g. no keyring on this system)."""
        self.status_bar.add_notice(text)

    def show_banner_notice(self, text: str) -> None:
        """A note above the work area until dismissed (e.g. the cache was rebuilt)."""
        self.notice_bar.show_text(text)

    def open_shortcut_sheet(self) -> ShortcutSheet:
        """Ctrl+/: every shortcut of this window, read from its actions."""
        if self.shortcut_sheet is not None:
            self.shortcut_sheet.close()
            self.shortcut_sheet.deleteLater()
        from ui.shell.shortcut_sheet import ShortcutSheet

        self.shortcut_sheet = ShortcutSheet(self)
        self.shortcut_sheet.show()
        return self.shortcut_sheet

    def open_knowledge_base(self) -> KnowledgeBaseWindow:
        """F1: the knowledge base in its own window (one, raised when open)."""
        if self.knowledge_base is None:
            from ui.assist.kb_window import KnowledgeBaseWindow

            self.knowledge_base = KnowledgeBaseWindow(self._bridge, self)
        self.knowledge_base.show()
        self.knowledge_base.raise_()
        self.knowledge_base.activateWindow()
        self.knowledge_base.focus_search()
        return self.knowledge_base

    def open_widget(self) -> None:
        if self._widget_url:
            QDesktopServices.openUrl(QUrl(self._widget_url))

    # ---- window events -------------------------------------------------------------

    @property
    def was_shown(self) -> bool:
        """The window has been on screen (``first_shown`` was emitted)."""
        return self._shown_once

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
