"""Customer work beside the conversations: search, screen pops, merges, refused edits.

``MainWindow`` owns one ``CustomerActions``. It shows customers in the side panel
by itself and asks the window for a conversation tab through
``conversation_requested``, so it never reaches into the tabs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from core.outreach.reach_out import ReachOutError
from core.profile.outbox import ProfileFailure
from core.protocol.models import ConversationStatus
from core.protocol.profile import AddIdentity
from core.records import ScreenPop
from ui.inbox.inbox_view import InboxView
from ui.profile.customer_panel import CustomerPanel
from ui.profile.merge_dialog import MergeDialog
from ui.profile.profile_text import failure_text
from ui.profile.reach_out_dialog import ReachOutDialog
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
        panel.reach_out_requested.connect(self.open_reach_out)
        self.reach_out_dialog: ReachOutDialog | None = None
        self.search_popup = SearchPopup(bridge, theme, window)
        self.search_popup.customer_chosen.connect(self.show_customer)
        self.search_popup.conversation_chosen.connect(self._search_conversation)
        self.screen_pop_toast = ScreenPopToast(work_area)
        self.screen_pop_toast.open_requested.connect(self._open_pop)

        bridge.screen_pop_changed.connect(self._screen_pop)
        bridge.profile_command_failed.connect(self._profile_command_failed)
        bridge.command_failed.connect(self._command_failed)

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

    # ---- reaching out ----------------------------------------------------------------

    def open_reach_out(self, customer_id: str | None = None) -> ReachOutDialog | None:
        """The dialog for ``customer_id`` (default: the customer the panel shows)."""
        customer_id = customer_id or self._panel.customer_id
        profile = self._bridge.service.profiles.profile(customer_id) if customer_id else None
        if profile is None:
            self._notice_bar.show_text(self.tr("Open a customer first, then reach out to them."))
            return None
        dialog = ReachOutDialog(profile, self._window)
        dialog.reach_out_confirmed.connect(self._reach_out)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): qasync
        dialog.text.setFocus()
        self.reach_out_dialog = dialog
        return dialog

    def _reach_out(self, customer_id: str, text: str, subject: str) -> None:
        try:
            self._bridge.service.outreach.reach_out(customer_id, text, subject)
        except ReachOutError as exc:
            self._notice_bar.show_text(reach_out_error_text(exc.code))

    def _command_failed(self, kind: str, code: str) -> None:
        if kind == "reach_out":
            self._notice_bar.show_text(reach_out_refused_text(code))

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


def reach_out_error_text(code: str) -> str:
    texts = {
        "empty": QCoreApplication.translate("CustomerActions", "Write a message first."),
        "too_long": QCoreApplication.translate("CustomerActions", "The message is too long."),
        "subject_too_long": QCoreApplication.translate("CustomerActions",
                                                       "The subject is too long."),
    }
    return texts.get(code, code)


def reach_out_refused_text(code: str) -> str:
    """Why the hub refused a reach-out, in the agent's language."""
    texts = {
        "forbidden": QCoreApplication.translate(
            "CustomerActions", "You cannot reach out to this customer: they are outside "
            "your queues."),
        "rate_limited": QCoreApplication.translate(
            "CustomerActions", "Someone reached out to this customer a short while ago. "
            "Try again later."),
        "conflict": QCoreApplication.translate(
            "CustomerActions", "The customer is not online in the web chat and cannot be "
            "emailed, or is already chatting with a colleague."),
    }
    return texts.get(code, QCoreApplication.translate(
        "CustomerActions", "Could not reach out to the customer ({0}).").format(code))
