"""The customer beside the conversation: name, contact points, recent conversations."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.protocol.models import ConversationStatus, IdentityKind
from core.records import CustomerProfile
from ui.chat_panel import channel_name
from ui.inbox_view import CHANNEL_ICONS
from ui.service_bridge import ServiceBridge
from ui.theme import Theme, named
from ui.time_text import date_text

IDENTITY_ICONS = {
    IdentityKind.PHONE: "phone",
    IdentityKind.EMAIL: "email",
    IdentityKind.VISITOR: "globe",
    IdentityKind.EXTERNAL: "user",
}


def identity_label(kind: IdentityKind) -> str:
    labels = {
        IdentityKind.PHONE: QCoreApplication.translate("CustomerPanel", "Phone"),
        IdentityKind.EMAIL: QCoreApplication.translate("CustomerPanel", "Email"),
        IdentityKind.VISITOR: QCoreApplication.translate("CustomerPanel", "Web visitor"),
        IdentityKind.EXTERNAL: QCoreApplication.translate("CustomerPanel", "External id"),
    }
    return labels.get(kind, kind.value)


def avatar(name: str, theme: Theme, size: int = 56) -> QPixmap:
    """A round badge with the name's first character (works for 王 and for Emma)."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.color("accent_soft"))
    painter.drawEllipse(0, 0, size * ratio, size * ratio)
    font = QFont()
    font.setPixelSize(int(size * ratio * 0.42))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(QColor(theme.color("accent")))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, (name.strip() or "?")[0].upper())
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class CustomerPanel(QScrollArea):
    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._bridge = bridge
        self._theme = theme
        self._customer_id: str | None = None
        self._conversation_id: str | None = None
        bridge.customer_changed.connect(self._customer_changed)
        bridge.conversation_changed.connect(self._conversation_changed)
        self._render(None)

    def show_conversation(self, conversation_id: str | None) -> None:
        self._conversation_id = conversation_id
        item = self._bridge.service.conversation(conversation_id) if conversation_id else None
        self._customer_id = item.customer_id if item else None
        self.refresh()

    def show_customer(self, customer_id: str | None) -> None:
        """A customer without a current conversation (the walk-in lookup)."""
        self._conversation_id = None
        self._customer_id = customer_id
        self.refresh()

    def refresh(self) -> None:
        profile = (
            self._bridge.service.customer_profile(self._customer_id) if self._customer_id else None
        )
        self._render(profile)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.refresh()

    def _customer_changed(self, customer_id: str) -> None:
        if customer_id == self._customer_id:
            self.refresh()

    def _conversation_changed(self, conversation_id: str) -> None:
        # A conversation of this customer changed status: the history list shows it.
        if self._customer_id is None:
            return
        item = self._bridge.service.conversation(conversation_id)
        if item is not None and item.customer_id == self._customer_id:
            self.refresh()

    # ---- rendering -------------------------------------------------------------------

    def _render(self, profile: CustomerProfile | None) -> None:
        body = named(QWidget(), "CustomerPanel")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(6)
        if profile is None:
            hint = QLabel(self.tr("The customer of the selected conversation appears here."))
            hint.setObjectName("EmptyHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
            layout.addStretch(1)
            self.setWidget(body)
            return
        theme = self._theme

        picture = QLabel()
        picture.setPixmap(avatar(profile.name, theme))
        picture.setFixedSize(QSize(56, 56))
        name = named(QLabel(profile.name), "ChatTitle")
        name.setWordWrap(True)
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QHBoxLayout()
        head.addWidget(picture)
        head.addWidget(name, 1)
        layout.addLayout(head)

        chips = [*([profile.tier] if profile.tier else []), *profile.tags]
        if chips:
            row = QHBoxLayout()
            row.setSpacing(4)
            for chip in chips[:6]:
                row.addWidget(named(QLabel(chip), "Chip"))
            row.addStretch(1)
            layout.addLayout(row)
        if profile.language:
            layout.addWidget(
                named(QLabel(self.tr("Language: {0}").format(profile.language)), "Muted")
            )

        layout.addWidget(named(QLabel(self.tr("Contact points")), "SectionTitle"))
        if not profile.identities:
            layout.addWidget(named(QLabel(self.tr("None known")), "Muted"))
        for identity in profile.identities:
            row = QHBoxLayout()
            icon = QLabel()
            icon.setPixmap(theme.pixmap(IDENTITY_ICONS.get(identity.kind, "user"), "muted", 16))
            icon.setToolTip(identity_label(identity.kind))
            value = QLabel(identity.value)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setToolTip(identity_label(identity.kind))
            row.addWidget(icon)
            row.addWidget(value, 1)
            layout.addLayout(row)

        layout.addWidget(named(QLabel(self.tr("Recent conversations")), "SectionTitle"))
        recent = [p for p in profile.recent if p.id != self._conversation_id]
        if not recent:
            layout.addWidget(named(QLabel(self.tr("This is the first conversation.")), "Muted"))
        for past in recent:
            row = QHBoxLayout()
            row.setSpacing(8)
            icon = QLabel()
            icon.setPixmap(theme.pixmap(CHANNEL_ICONS.get(past.channel, "chat"), "muted", 16))
            icon.setToolTip(channel_name(past.channel))
            icon.setAlignment(Qt.AlignmentFlag.AlignTop)
            text = QVBoxLayout()
            text.setSpacing(0)
            status = (
                self.tr("open")
                if past.status is ConversationStatus.OPEN
                else self.tr("closed")
            )
            when = named(QLabel(f"{date_text(past.created_at)} · {status}"), "Muted")
            text.addWidget(when)
            if past.last_text:
                last = QLabel(past.last_text)
                last.setWordWrap(True)
                text.addWidget(last)
            row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(text, 1)
            layout.addLayout(row)
        layout.addStretch(1)
        self.setWidget(body)
