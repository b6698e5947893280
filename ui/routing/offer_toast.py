"""The offer toast: a conversation the hub offers, ringing until accepted, declined or gone.

It sits over the bottom right of the work area (clear of the headers), flashes its
border while it rings and counts down to the offer's expiry. It never takes the
keyboard: an agent typing a reply keeps typing into it, and Enter still sends that
reply. Ctrl+Shift+A anywhere in the window (or a click) accepts; Decline opens a menu
of reasons (Ctrl+Shift+D). The toast is in the Tab chain, and Enter accepts only
when the agent moved there on purpose. Its arrival is announced to assistive
technology and as a desktop notification, without moving the focus.
The customer's profile is shown in the side panel while it rings, so the agent
knows who it is before taking it. One offer at a time is shown, the one that
expires first; "+N more" says how many wait behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.protocol.models import Channel
from core.protocol.routing import DeclineReason
from core.records import CustomerProfile
from ui.chat.chat_panel import channel_name
from ui.profile.profile_header import safe_text, stats_text
from ui.profile.profile_text import tier_name
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named
from ui.widgets.time_text import now_ms

FLASH_MS = 500
TOAST_MAX_W = 400
TOAST_MIN_W = 300
TEXT_HEIGHT_AT_100 = 17  # a line of the standard 13 px text


@dataclass(frozen=True)
class OfferCard:
    """What the toast shows of one offer (built from core's offer record)."""

    offer_id: str
    conversation_id: str
    customer_id: str
    customer_name: str
    channel: Channel
    queue_name: str
    priority: int
    offered_at: int  # ms
    expires_at: int  # ms
    note: str | None = None  # the internal note of a transfer
    note_by: str | None = None
    preview: str = ""  # the customer's first message (an email: its subject line)


class OfferToast(QFrame):
    accept_requested = Signal(str)  # offer id
    decline_requested = Signal(str, object)  # offer id, DeclineReason

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OfferToast")
        # Reached with Tab or a click on a button, never given the focus by itself.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.title = named(PlainLabel(), "ToastTitle")
        self.customer = named(PlainLabel(), "OfferCustomer")
        self.detail = named(PlainLabel(), "Muted")
        self.detail.setWordWrap(True)
        # what the customer wrote: text from outside, shown as plain text
        self.preview = named(PlainLabel(), "OfferPreview")
        self.preview.setWordWrap(True)
        self.note = named(PlainLabel(), "OfferNote")
        self.note.setWordWrap(True)
        self.more = named(PlainLabel(), "Muted")
        self.countdown = named(QProgressBar(), "OfferCountdown")
        self.countdown.setTextVisible(True)
        self.countdown.setFixedHeight(14)  # grows with the text size (see _place)
        self.accept_button = named(QPushButton(self.tr("Accept")), "PrimaryButton")
        self.accept_button.setToolTip(self.tr("Take this conversation (Ctrl+Shift+A)"))
        self.accept_button.clicked.connect(self.accept_current)
        self.decline_button = QPushButton(self.tr("Decline"))
        for button in (self.accept_button, self.decline_button):
            # a click accepts without moving the keyboard out of the reply being typed
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.keys_hint = named(PlainLabel(self.tr("Ctrl+Shift+A accepts · Ctrl+Shift+D declines")),
                               "Muted")
        self.keys_hint.setWordWrap(True)
        self.title.setWordWrap(True)
        self.customer.setWordWrap(True)
        self.decline_button.setToolTip(self.tr("Pass it to another agent (Ctrl+Shift+D)"))
        self.decline_menu = QMenu(self)
        for reason, text in self.reason_texts().items():
            action = self.decline_menu.addAction(text)
            action.triggered.connect(lambda _=False, r=reason: self.decline_current(r))
        self.decline_button.setMenu(self.decline_menu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.more, 1)
        buttons.addWidget(self.decline_button)
        buttons.addWidget(self.accept_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 12, 14, 12)
        column.setSpacing(4)
        column.addWidget(self.title)
        column.addWidget(self.customer)
        column.addWidget(self.detail)
        column.addWidget(self.preview)
        column.addWidget(self.note)
        column.addWidget(self.countdown)
        column.addWidget(self.keys_hint)
        column.addLayout(buttons)
        self._column = column
        self._cards: list[OfferCard] = []
        self.announced_offer: str | None = None
        self._flash_on = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(FLASH_MS)
        self._ticker.timeout.connect(self._tick)
        self.setFixedWidth(TOAST_MAX_W)
        # The side panel it rings over: kept within it where it is wide enough, so the
        # reply box beside it stays uncovered.
        self.anchor: QWidget | None = None
        self.hide()

    def reason_texts(self) -> dict[DeclineReason, str]:
        return {
            DeclineReason.BUSY: self.tr("Busy with another customer"),
            DeclineReason.WRONG_QUEUE: self.tr("Not my topic"),
            DeclineReason.LANGUAGE: self.tr("Not a language I speak"),
            DeclineReason.OTHER: self.tr("Other reason"),
        }

    # ---- state -----------------------------------------------------------------------

    @property
    def current(self) -> OfferCard | None:
        return self._cards[0] if self._cards else None

    @property
    def flashing(self) -> bool:
        return self._flash_on

    def set_offers(self, cards: list[OfferCard], profile: CustomerProfile | None) -> None:
        """Show the pending offers (``profile``: the first one's customer, when cached)."""
        now = now_ms()
        self._cards = sorted((c for c in cards if c.expires_at > now),
                             key=lambda c: (c.expires_at, c.offer_id))
        card = self.current
        if card is None:
            self._ticker.stop()
            self.hide()
            return
        kind = {
            Channel.VOICE: self.tr("Incoming call"),
            Channel.EMAIL: self.tr("New email offered"),
        }.get(card.channel, self.tr("New chat offered"))
        queue = f" · {safe_text(card.queue_name, 40)}" if card.queue_name else ""
        self.title.setText(f"{kind}{queue}")
        name = safe_text(profile.name if profile else card.customer_name, 60)
        tier = f"  ·  {tier_name(profile.tier)}" if profile and profile.tier else ""
        self.customer.setText(name + tier)
        parts = [channel_name(card.channel)]
        if card.priority:
            parts.append(self.tr("priority {0}").format(card.priority))
        if profile is not None and stats_text(profile):
            parts.append(stats_text(profile))
        self.detail.setText("  ·  ".join(parts))
        preview = " ".join(card.preview.split())  # one paragraph, however it was written
        if preview and card.channel is Channel.EMAIL:
            preview = self.tr("Subject: {0}").format(safe_text(preview, 120))
        elif preview:
            preview = f"“{safe_text(preview, 160)}”"
        self.preview.setText(preview)
        self.preview.setVisible(bool(preview))
        if card.note:
            who = safe_text(card.note_by or self.tr("a colleague"), 60)
            self.note.setText(self.tr("Note from {0}: {1}").format(who, safe_text(card.note, 400)))
        self.note.setVisible(bool(card.note))
        waiting = len(self._cards) - 1
        self.more.setText(self.tr("+{0} more").format(waiting) if waiting else "")
        self._place()
        announced = self.isHidden() or self.announced_offer != card.offer_id
        self.show()
        self.raise_()
        if announced:
            self.announced_offer = card.offer_id
            announcement = QAccessibleAnnouncementEvent(
                self, f"{self.title.text()}: {self.customer.text()}. "
                + self.tr("Ctrl+Shift+A accepts."))
            QAccessible.updateAccessibility(announcement)
        if not self._ticker.isActive():
            self._ticker.start()
        self._tick()

    def text_scale(self) -> float:
        """How much larger than the standard 13 px the text is (easy mode: up to 2)."""
        return max(1.0, self.fontMetrics().height() / TEXT_HEIGHT_AT_100)

    def _place(self) -> None:
        parent = self.parentWidget()
        scale = self.text_scale()
        widest = round(TOAST_MAX_W * scale)
        if parent is not None:
            widest = max(TOAST_MIN_W, min(widest, parent.width() - 32))
        width = widest
        if self.anchor is not None and parent is not None and self.anchor.isVisible():
            width = max(TOAST_MIN_W, min(widest, self.anchor.width() - 16))
        if width != self.width():
            self.setFixedWidth(width)
        bar = max(14, self.countdown.fontMetrics().height() + 2)
        if bar != self.countdown.height():
            self.countdown.setFixedHeight(bar)
        layout = self._column
        layout.activate()
        self.setFixedHeight(layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                            else self.sizeHint().height())
        if parent is not None:
            # bottom right: the customer's header and the chat header stay visible
            self.move(parent.width() - self.width() - 16,
                      parent.height() - self.height() - 16)

    def _tick(self) -> None:
        card = self.current
        if card is None:
            return
        now = now_ms()
        if card.expires_at <= now:
            # The hub withdraws it (timeout); until then, hide what can no longer be taken.
            self.set_offers(self._cards[1:], None)
            return
        total = max(1, card.expires_at - card.offered_at)
        left = card.expires_at - now
        self.countdown.setRange(0, total)
        self.countdown.setValue(left)
        self.countdown.setFormat(self.tr("{0} s to answer").format(-(-left // 1000)))
        self._place()  # follows the window when it is resized
        self._flash_on = not self._flash_on
        self.setProperty("ringing", self._flash_on)
        self.style().unpolish(self)
        self.style().polish(self)

    # ---- intents ---------------------------------------------------------------------

    def accept_current(self) -> None:
        card = self.current
        if card is not None:
            self.accept_requested.emit(card.offer_id)

    def decline_current(self, reason: DeclineReason = DeclineReason.OTHER) -> None:
        card = self.current
        if card is not None:
            self.decline_requested.emit(card.offer_id, reason)

    def open_decline_menu(self) -> None:
        if self.current is not None:
            self.decline_button.showMenu()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Only reached when the agent moved the focus here (Tab): the toast never takes it.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_current()
            return
        super().keyPressEvent(event)
