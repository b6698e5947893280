"""The 360° customer panel beside the conversation: header, timeline, profile, notes.

It follows the selected conversation (``show_conversation``), a customer picked in
search or the walk-in lookup (``show_customer``), and a screen pop (``screen_pop``)
— the same path an offer will take once offers exist. Everything it shows is read
from the cache, so it renders at once and offline; the timeline then asks the hub
for newer pages in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.profile.reads import ReadFailed
from core.protocol.models import Channel, ConversationStatus
from core.records import CustomerProfile, ScreenPop
from core.tasks import BackgroundTasks
from ui.profile.notes_view import NotesView
from ui.profile.profile_details import ProfileDetails
from ui.profile.profile_header import ProfileHeader
from ui.profile.timeline_view import TimelinePanel
from ui.profile.transcript_dialog import TranscriptDialog
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named


class CustomerPanel(QWidget):
    merge_requested = Signal(str)  # target customer id: pick the customer to merge in
    reach_out_requested = Signal(str)  # customer id: write to them (widget or email)
    customer_shown = Signal(str)  # the panel now shows this customer (after rendering)
    call_requested = Signal(str)  # conversation id: call this customer in the widget

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerPanel")
        self._bridge = bridge
        self._theme = theme
        self._customer_id: str | None = None
        self._conversation_id: str | None = None
        self._transcripts: list[tuple[TranscriptDialog, str]] = []  # dialog, conversation
        self._closed_seen: set[str] = set()  # closed conversations the stats were asked for
        self._tasks = BackgroundTasks("customer panel")

        self.hint = named(PlainLabel(self.tr("The customer of the selected conversation appears "
                                         "here.")), "EmptyHint")
        self.hint.setWordWrap(True)
        self.hint.setContentsMargins(16, 16, 16, 16)
        self.header = ProfileHeader(theme)
        self.header.merge_requested.connect(
            lambda: self._customer_id and self.merge_requested.emit(self._customer_id))
        self.header.reach_out_requested.connect(
            lambda: self._customer_id and self.reach_out_requested.emit(self._customer_id))
        self.header.unmerge_requested.connect(bridge.service.profiles.unmerge_customers)
        self.header.refresh_requested.connect(self._refresh_from_hub)
        self.timeline = TimelinePanel(theme)
        self.timeline.transcript_requested.connect(self.open_transcript)
        self.timeline.channel_changed.connect(lambda _c: self._new_pager())
        self.details = ProfileDetails(bridge, theme)
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setWidget(self.details)
        self.notes = NotesView(bridge, theme)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ProfileTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setDrawBase(False)
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        self.tabs.addTab(details_scroll, self.tr("Profile"))
        self.tabs.addTab(self.notes, self.tr("Notes"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        self.call_button = named(QPushButton(self.tr("Call")), "ClickToCall")
        self.call_button.setToolTip(self.tr("Call the customer in the chat page (Ctrl+Shift+C)"))
        self.call_button.clicked.connect(
            lambda: self._conversation_id and self.call_requested.emit(self._conversation_id))
        self.call_button.hide()
        self._calls_enabled = False
        self._is_online: Callable[[str], bool] | None = None
        column.addWidget(self.call_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.tabs, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        bridge.customer_changed.connect(self._customer_changed)
        bridge.conversation_changed.connect(self._conversation_changed)
        bridge.timeline_changed.connect(self._timeline_changed)
        bridge.customer_merged.connect(self._customer_merged)
        bridge.profile_config_changed.connect(self.refresh)

    # ---- what to show ------------------------------------------------------------------

    @property
    def customer_id(self) -> str | None:
        return self._customer_id

    def show_conversation(self, conversation_id: str | None) -> None:
        item = self._bridge.service.conversation(conversation_id) if conversation_id else None
        self._show(item.customer_id if item else None, conversation_id)

    def show_customer(self, customer_id: str | None, conversation_id: str | None = None) -> None:
        """A customer without (or before) a current conversation: search, walk-in, pop."""
        self._show(customer_id, conversation_id)

    def screen_pop(self, pop: ScreenPop) -> None:
        """Show the customer of an arriving (later: offered) conversation right away."""
        self._show(pop.customer_id, pop.conversation_id)

    def _show(self, customer_id: str | None, conversation_id: str | None) -> None:
        self._conversation_id = conversation_id
        if customer_id == self._customer_id and customer_id is not None:
            self.refresh()
            return
        self._customer_id = customer_id
        self.refresh()
        self._new_pager()

    def refresh(self) -> None:
        profile = (self._bridge.service.profiles.profile(self._customer_id)
                   if self._customer_id else None)
        self._render(profile)
        self._update_call_button()

    def set_calls_enabled(self, enabled: bool,
                          is_online: Callable[[str], bool] | None = None) -> None:
        """``is_online``: whether a customer is in the widget (the call manager knows)."""
        self._calls_enabled = enabled
        self._is_online = is_online
        self._update_call_button()

    def update_call_button(self) -> None:
        self._update_call_button()

    def _update_call_button(self) -> None:
        """Click-to-call: for an open chat or voice conversation, enabled while the
        customer is online in the widget."""
        item = (self._bridge.service.conversation(self._conversation_id)
                if self._conversation_id else None)
        callable_ = (self._calls_enabled and item is not None
                     and item.channel in (Channel.CHAT, Channel.VOICE)
                     and item.status is not ConversationStatus.CLOSED)
        self.call_button.setVisible(callable_)
        online = item is not None and (self._is_online is None
                                       or self._is_online(item.customer_id))
        self.call_button.setEnabled(online)
        self.call_button.setToolTip(
            self.tr("Call the customer in the chat page (Ctrl+Shift+C)") if online
            else self.tr("The customer is not online in the web widget; calling is possible "
                         "while they have it open"))

    def _new_pager(self) -> None:
        customer_id = self._customer_id
        if customer_id is None:
            self.timeline.model.set_pager(None)
            return
        pager = self._bridge.service.profiles.timeline_pager(customer_id, self.timeline.channel())
        self.timeline.model.set_pager(pager, fetch_hub=self._bridge.service.is_connected)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.header.set_theme(theme)
        self.timeline.set_theme(theme)
        self.details.set_theme(theme)
        self.notes.set_theme(theme)
        self.refresh()

    # ---- changes from core ---------------------------------------------------------------

    def _customer_changed(self, customer_id: str) -> None:
        if customer_id == self._customer_id:
            self.refresh()

    def _timeline_changed(self, customer_id: str) -> None:
        if customer_id == self._customer_id:
            self.timeline.model.refresh_from_cache()

    def _conversation_changed(self, conversation_id: str) -> None:
        if self._customer_id is None:
            return
        item = self._bridge.service.conversation(conversation_id)
        if item is not None and item.customer_id == self._customer_id:
            self.timeline.model.refresh_from_cache()
            # The statistics ("1 open") are the hub's: ask again once it closed.
            if (item.status is ConversationStatus.CLOSED
                    and conversation_id not in self._closed_seen
                    and self._bridge.service.is_connected):
                self._closed_seen.add(conversation_id)
                self._spawn(self._refresh(item.customer_id))

    def _customer_merged(self, source_id: str, target_id: str) -> None:
        if self._customer_id == source_id:  # the customer shown is gone: follow the merge
            self._show(target_id, self._conversation_id)

    # ---- rendering -----------------------------------------------------------------------

    def _render(self, profile: CustomerProfile | None) -> None:
        if profile is None:
            self.stack.setCurrentWidget(self.hint)
            return
        self.header.set_profile(profile)
        self.details.set_profile(profile)
        self.notes.set_notes(profile.id, profile.notes)
        self.tabs.setTabText(2, self.tr("Notes ({0})").format(len(profile.notes))
                             if profile.notes else self.tr("Notes"))
        self.stack.setCurrentIndex(1)
        self.customer_shown.emit(profile.id)

    # ---- transcripts and hub refresh -----------------------------------------------------

    def open_transcript(self, conversation_id: str) -> TranscriptDialog:
        """A non-modal, read-only dialog (several may stay open beside the work; one per
        conversation: asking again brings its dialog to the front)."""
        for open_dialog, shown_id in self._transcripts:
            if shown_id == conversation_id:
                open_dialog.raise_()
                open_dialog.activateWindow()
                return open_dialog
        dialog = TranscriptDialog(self._theme, self.window())
        self._transcripts.append((dialog, conversation_id))
        dialog.finished.connect(lambda _r, d=dialog: self._forget(d))
        dialog.show()  # never exec(): this may run inside an asyncio task
        self._spawn(self._load_transcript(dialog, conversation_id))
        return dialog

    async def _load_transcript(self, dialog: TranscriptDialog, conversation_id: str) -> None:
        try:
            record = await self._bridge.service.profiles.transcript(conversation_id)
        except ReadFailed as exc:
            dialog.show_error(exc.code)
            return
        dialog.show_transcript(record)

    def _forget(self, dialog: TranscriptDialog) -> None:
        self._transcripts = [(d, c) for d, c in self._transcripts if d is not dialog]
        dialog.deleteLater()

    def _refresh_from_hub(self) -> None:
        if self._customer_id is not None:
            self._spawn(self._refresh(self._customer_id))

    async def _refresh(self, customer_id: str) -> None:
        try:
            await self._bridge.service.profiles.refresh_customer(customer_id)
        except ReadFailed as exc:
            window = self.window()
            bar = getattr(window, "statusBar", None)
            if callable(bar):
                bar().showMessage(QCoreApplication.translate(
                    "CustomerPanel", "The hub could not be asked ({0}).").format(exc.code), 6000)
        self._new_pager()

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        self._tasks.spawn(coro)
