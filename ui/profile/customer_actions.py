"""Customer work beside the conversations: search, screen pops, merges, refused edits.

``MainWindow`` owns one ``CustomerActions``. It shows customers in the side panel
by itself and asks the window for a conversation tab through
``conversation_requested``, so it never reaches into the tabs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from core.profile.outbox import ProfileFailure
from core.protocol.models import ConversationStatus
from core.protocol.profile import AddIdentity
from core.records import ScreenPop
from ui.inbox.inbox_view import InboxView
from ui.profile.customer_panel import CustomerPanel
from ui.profile.merge_dialog import MergeDialog
from ui.profile.profile_text import failure_text
from ui.profile.screen_pop import ScreenPopToast
from ui.shell.banners import NoticeBar
from ui.shell.search_popup import SearchPopup
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import plain_as_rich
from ui.widgets.theme import Theme


class CustomerActions(QObject):
    """Runs on the GUI thread, like every widget it drives."""

    conversation_requested = Signal(str)  # open (or switch to) this conversation's tab

    def __init__(
        self,
        bridge: ServiceBridge,
        theme: Theme,
        panel: CustomerPanel,
        inbox: InboxView,
        notice_bar: NoticeBar,
        window: QWidget,
        work_area: QWidget,
        current_conversation: Callable[[], str | None],
    ) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._panel = panel
        self._inbox = inbox
        self._notice_bar = notice_bar
        self._window = window
        self._current_conversation = current_conversation
        self.keep_unverified_box: QMessageBox | None = None

        panel.merge_requested.connect(self.open_merge)
        self.search_popup = SearchPopup(bridge, theme, window)
        self.search_popup.customer_chosen.connect(self.show_customer)
        self.search_popup.conversation_chosen.connect(self._search_conversation)
        self.screen_pop_toast = ScreenPopToast(work_area)
        self.screen_pop_toast.open_requested.connect(self._open_pop)

        bridge.screen_pop_changed.connect(self._screen_pop)
        bridge.profile_command_failed.connect(self._profile_command_failed)

    def set_theme(self, theme: Theme) -> None:
        self.search_popup.set_theme(theme)

    # ---- search ----------------------------------------------------------------------

    def open_search(self) -> SearchPopup:
        self.search_popup.open_search()
        return self.search_popup

    def show_customer(self, customer_id: str) -> None:
        self._panel.show_customer(customer_id)

    def _search_conversation(self, customer_id: str, conversation_id: str) -> None:
        """An open conversation of this agent opens its tab; any other shows a transcript."""
        item = self._bridge.service.conversation(conversation_id)
        if item is not None and item.status is ConversationStatus.OPEN and (
                conversation_id in {i.conversation_id for i in self._inbox.inbox_model.items()}):
            self.conversation_requested.emit(conversation_id)
            return
        self._panel.show_customer(customer_id)
        self._panel.open_transcript(conversation_id)

    # ---- screen pops -----------------------------------------------------------------

    def _busy_conversation(self) -> str | None:
        """The open conversation the agent is working in, if any."""
        conversation_id = self._current_conversation()
        if conversation_id is None:
            return None
        item = self._bridge.service.conversation(conversation_id)
        return conversation_id if item and item.status is ConversationStatus.OPEN else None

    def _screen_pop(self, pop: ScreenPop) -> None:
        if self._busy_conversation() is None:
            self._panel.screen_pop(pop)
        profile = self._bridge.service.profiles.profile(pop.customer_id)
        self.screen_pop_toast.show_pop(pop, profile)

    def _open_pop(self, pop: ScreenPop) -> None:
        if pop.conversation_id and self._bridge.service.conversation(pop.conversation_id):
            self.conversation_requested.emit(pop.conversation_id)
        else:
            self._panel.screen_pop(pop)

    # ---- merges and refused profile edits --------------------------------------------

    def open_merge(self, target_id: str) -> MergeDialog:
        dialog = MergeDialog(self._bridge, target_id, self._window)
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
        self._notice_bar.show_text(failure_text(failure))

    def _ask_keep_unverified(self, command: AddIdentity, failure: ProfileFailure) -> QMessageBox:
        box = QMessageBox(self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Contact point not valid"))
        box.setText(self.tr("“{0}” is not a valid phone number or email address.")
                    .format(command.value))
        box.setInformativeText(plain_as_rich(
            (self.tr("Hub: {0}").format(failure.message) + "\n\n" if failure.message else "")
            + self.tr("Keep it anyway, marked as unverified? It will not be used to "
                      "recognise the customer.")))
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
