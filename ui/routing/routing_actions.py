"""Routing work beside the conversations: offers, transfers, wrap-up, queues, presence.

``MainWindow`` owns one ``RoutingActions``. It shows offers in a toast (with the
customer's profile in the side panel while the offer rings), asks for a disposition
when a conversation is closed, runs the transfer dialog, feeds the queue dock and
the presence control, and asks the window for a conversation tab through
``conversation_requested`` once an accepted or picked conversation arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from core.protocol.models import Channel, ConversationStatus, MessageAuthor, Presence
from core.protocol.routing import AwayReason, DeclineReason
from core.records import PopReason, ScreenPop
from ui.profile.customer_panel import CustomerPanel
from ui.profile.screen_pop import ScreenPopToast
from ui.routing.offer_toast import OfferCard, OfferToast
from ui.routing.presence_control import PresenceControl
from ui.routing.queue_view import QueueDock
from ui.routing.routing_names import queue_name
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import Theme
from ui.widgets.time_text import now_ms

if TYPE_CHECKING:  # the dialogs load when first opened, not with the window
    from ui.routing.wrap_up_dialogs import DispositionDialog, TransferDialog

DEFAULT_OFFER_S = 30


class RoutingActions(QObject):
    """Runs on the GUI thread, like every widget it drives."""

    conversation_requested = Signal(str)  # open (or switch to) this conversation's tab
    offer_arrived = Signal(str, str, str)  # title, text, offer id: a desktop notification

    def __init__(
        self,
        bridge: ServiceBridge,
        theme: Theme,
        panel: CustomerPanel,
        presence: PresenceControl,
        screen_pop_toast: ScreenPopToast,
        window: QWidget,
        work_area: QWidget,
        current_conversation: Callable[[], str | None],
    ) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._panel = panel
        self._presence = presence
        self._window = window
        self._current_conversation = current_conversation
        self._shown_offers: set[str] = set()
        # A voice offer that rings as a call is answered in the call toast instead.
        self.rings_as_call: Callable[[str], bool] = lambda _conversation_id: False
        self._awaited: set[str] = set()  # accepted or picked, not yet assigned here
        self._taken: set[str] = set()  # accepted or picked here: no "new conversation" pop
        self._screen_pop_toast = screen_pop_toast
        self.transfer_dialog: TransferDialog | None = None
        self.disposition_dialog: DispositionDialog | None = None

        self.offer_toast = OfferToast(work_area)
        self.offer_toast.anchor = panel
        self.offer_toast.accept_requested.connect(self.accept_offer)
        self.offer_toast.decline_requested.connect(self.decline_offer)
        self.queue_dock = QueueDock(theme, window)
        self.queue_dock.view.pick_requested.connect(self.pick)
        presence.presence_chosen.connect(self.choose_presence)

        bridge.offers_changed.connect(self._offers_changed)
        bridge.routing_config_changed.connect(self._config_changed)
        bridge.queue_stats_changed.connect(self._stats_changed)
        bridge.presence_changed.connect(lambda _p: self._presence_changed())
        bridge.presence_detail_changed.connect(self._presence_changed)
        bridge.inbox_changed.connect(self._inbox_changed)
        # after CustomerActions' own slot (connected first), which shows the pop
        bridge.screen_pop_changed.connect(self._screen_pop)
        self._config_changed()
        self._stats_changed()
        self._presence_changed()
        self._offers_changed()

    def set_theme(self, theme: Theme) -> None:
        self._presence.set_theme(theme)
        self.queue_dock.view.set_theme(theme)

    # ---- offers ----------------------------------------------------------------------

    def _offers_changed(self) -> None:
        service = self._bridge.service
        config = service.routing.config()
        timeouts = config.offer_timeout_s if config is not None else {}
        cards = []
        for offer in service.routing.offers():
            if self.rings_as_call(offer.conversation_id):
                continue
            profile = service.customer_profile(offer.customer_id)
            timeout_ms = timeouts.get(offer.channel.value, DEFAULT_OFFER_S) * 1000
            cards.append(OfferCard(
                offer_id=offer.offer_id, conversation_id=offer.conversation_id,
                customer_id=offer.customer_id,
                customer_name=profile.name if profile else offer.customer_id,
                channel=offer.channel, queue_name=self._queue_name(offer.queue),
                priority=offer.priority, offered_at=offer.expires_at - timeout_ms,
                expires_at=offer.expires_at, note=offer.transfer_note,
                note_by=offer.transferred_by, preview=self._preview(offer.conversation_id),
            ))
        first = min(cards, key=lambda c: (c.expires_at, c.offer_id), default=None)
        # the toast shows the customer's tier and stats too, when cached
        profile = service.customer_profile(first.customer_id) if first else None
        self.offer_toast.set_offers(cards, profile)
        current = self.offer_toast.current
        new = [c for c in cards if c.offer_id not in self._shown_offers]
        self._shown_offers = {c.offer_id for c in cards}
        if current is not None and any(c.offer_id == current.offer_id for c in new):
            # The screen pop: who it is, while the offer rings (the toast says it too,
            # so an agent typing in an open conversation keeps that customer's panel).
            if self._busy_conversation() is None:
                self._panel.screen_pop(
                    ScreenPop(current.customer_id, current.conversation_id, PopReason.OFFER))
            QApplication.alert(self._window)
            self.offer_arrived.emit(self.offer_toast.title.text(),
                                    self.offer_toast.customer.text(), current.offer_id)

    def _preview(self, conversation_id: str) -> str:
        """The customer's first message; of an email, its first line (the subject)."""
        first = next((m for m in self._bridge.service.messages(conversation_id, limit=50)
                      if m.author is MessageAuthor.CUSTOMER), None)
        if first is None:
            return ""
        item = self._bridge.service.conversation(conversation_id)
        if item is not None and item.channel is Channel.EMAIL:
            return first.text.strip().split("\n", 1)[0]
        return first.text

    def _busy_conversation(self) -> str | None:
        """The open conversation the agent is working in, if any."""
        conversation_id = self._current_conversation()
        item = self._bridge.service.conversation(conversation_id) if conversation_id else None
        return conversation_id if item and item.status is ConversationStatus.OPEN else None

    def accept_offer(self, offer_id: str) -> None:
        routing = self._bridge.service.routing
        offer = next((o for o in routing.offers() if o.offer_id == offer_id), None)
        if offer is not None:
            self._awaited.add(offer.conversation_id)
            self._taken.add(offer.conversation_id)
        routing.accept_offer(offer_id)

    def decline_offer(self, offer_id: str, reason: DeclineReason) -> None:
        self._bridge.service.routing.decline_offer(offer_id, reason)

    def took(self, conversation_id: str) -> None:
        """Taken here another way (a call answered): open its tab, no arrival notice."""
        shown = self._screen_pop_toast.pop
        if shown is not None and shown.conversation_id == conversation_id:
            self._screen_pop_toast.hide()
        else:
            self._taken.add(conversation_id)
        self._awaited.add(conversation_id)
        self._inbox_changed()

    def _screen_pop(self, pop: ScreenPop) -> None:
        """The agent took this one here and its tab opens: the arrival notice is noise."""
        if pop.conversation_id in self._taken:
            self._taken.discard(pop.conversation_id)
            shown = self._screen_pop_toast.pop
            if shown is not None and shown.conversation_id == pop.conversation_id:
                self._screen_pop_toast.hide()

    def _inbox_changed(self) -> None:
        """An accepted or picked conversation arrived: open its tab."""
        for conversation_id in sorted(self._awaited):
            item = self._bridge.service.conversation(conversation_id)
            if item is not None and item.status is ConversationStatus.OPEN:
                self._awaited.discard(conversation_id)
                self.conversation_requested.emit(conversation_id)

    # ---- presence --------------------------------------------------------------------

    def choose_presence(self, presence: Presence, reason: AwayReason | None) -> None:
        self._bridge.service.set_presence(presence, reason)
        self._presence_changed()

    def _presence_changed(self) -> None:
        service = self._bridge.service
        presence = service.presence()
        detail = service.routing.presence_detail()
        if detail is not None and detail.presence is presence:
            self._presence.set_state(presence, detail.away_reason, detail.ends_at)
        else:  # our own change, before the hub's detail confirms it
            self._presence.set_state(presence, self._presence.selector.away_reason()
                                     if presence is Presence.AWAY else None)

    # ---- transfer and close ----------------------------------------------------------

    def _queue_name(self, queue_id: str | None) -> str:
        config = self._bridge.service.routing.config()
        if config is None or not queue_id:
            return queue_id or ""
        names = {q.id: q.name for q in [*config.all_queues, *config.queues]}
        return queue_name(queue_id, names.get(queue_id, queue_id))

    def open_transfer(self, conversation_id: str | None = None) -> TransferDialog | None:
        conversation_id = conversation_id or self._current_conversation()
        service = self._bridge.service
        item = service.conversation(conversation_id) if conversation_id else None
        if item is None or item.status is not ConversationStatus.OPEN or (
                item.channel not in (Channel.CHAT, Channel.EMAIL)):
            return None
        from ui.routing.wrap_up_dialogs import TransferDialog, TransferTarget

        config = service.routing.config()
        me = service.agent.id if service.agent else None
        agents = [TransferTarget(a.id, a.display_name)
                  for a in service.routing.transfer_agents() if a.id != me]
        queues = list(config.all_queues) if config else []
        dialog = TransferDialog(item.customer_name, agents, queues, self._window)
        dialog.transfer_chosen.connect(
            lambda agent, queue, note: service.routing.transfer(
                item.conversation_id, to_agent=agent, to_queue=queue, note=note))
        dialog.finished.connect(dialog.deleteLater)
        self.transfer_dialog = dialog
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves
        return dialog

    def request_close(self, conversation_id: str) -> DispositionDialog | None:
        """Closing asks for a disposition when the conversation's queue has codes."""
        service = self._bridge.service
        item = service.conversation(conversation_id)
        if item is None:
            return None
        info = service.routing.info(conversation_id)
        codes = service.routing.dispositions(info.queue if info else None)
        if not codes:
            service.close_conversation(conversation_id)
            return None
        config = service.routing.config()
        required = config.disposition_required if config else False
        from ui.routing.wrap_up_dialogs import DispositionDialog

        dialog = DispositionDialog(item.customer_name, codes, required, self._window)
        dialog.disposition_chosen.connect(
            lambda code, note: service.close_conversation(conversation_id, code, note))
        dialog.finished.connect(dialog.deleteLater)
        self.disposition_dialog = dialog
        dialog.open()
        return dialog

    # ---- queues ----------------------------------------------------------------------

    def _config_changed(self) -> None:
        config = self._bridge.service.routing.config()
        view = self.queue_dock.view
        if config is None:
            view.set_queues([], False)
            return
        view.set_queues(list(config.queues), config.role.can_pick)
        self._offers_changed()  # queue names may have arrived

    def _stats_changed(self) -> None:
        self.queue_dock.view.set_stats(now_ms(), self._bridge.service.routing.queue_stats())

    def pick(self, conversation_id: str) -> None:
        self._awaited.add(conversation_id)
        self._taken.add(conversation_id)
        self._bridge.service.routing.pick_conversation(conversation_id)

    def pick_next(self) -> None:
        self.queue_dock.show()
        self.queue_dock.view.pick_selected()
