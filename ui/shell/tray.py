"""The tray icon: unread and waiting counts at a glance, presence, show, quit.

The icon carries a badge with the number of unread messages in the agent's own
conversations; its tooltip and the first (inert) line of its menu say both
counts: unread, and customers waiting in the agent's queues. The menu sets the
presence (available, away, offline), brings the window forward, or quits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core.protocol.models import Presence
from core.protocol.routing import AwayReason
from ui.routing.presence_control import presence_name

ICON_PX = 64


def badged(icon: QIcon, count: int) -> QIcon:
    """``icon`` with a red badge holding ``count`` (99+ above 99); as is at 0."""
    if count <= 0:
        return icon
    pix = icon.pixmap(ICON_PX, ICON_PX)
    if pix.isNull():
        pix = QPixmap(ICON_PX, ICON_PX)
        pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRect(ICON_PX // 3, 0, ICON_PX * 2 // 3, ICON_PX // 2)
    painter.setBrush(QColor("#d93025"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(box, ICON_PX // 4, ICON_PX // 4)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(ICON_PX // 3)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "99+" if count > 99 else str(count))
    painter.end()
    return QIcon(pix)


class AgentTray(QObject):
    show_requested = Signal()
    quit_requested = Signal()
    presence_chosen = Signal(object, object)  # Presence, AwayReason | None

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self.unread = 0
        self.waiting = 0
        self.tray = QSystemTrayIcon(icon, self)
        self.menu = QMenu()
        self.counts = self.menu.addAction("")
        self.counts.setEnabled(False)
        self.menu.addSeparator()
        self.presence_menu = self.menu.addMenu(self.tr("Presence"))
        group = QActionGroup(self)
        self.presence_actions: dict[Presence, QAction] = {}
        for presence in (Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE):
            action = self.presence_menu.addAction(presence_name(presence))
            action.setCheckable(True)
            group.addAction(action)
            reason = AwayReason.OTHER if presence is Presence.AWAY else None
            action.triggered.connect(
                lambda _=False, p=presence, r=reason: self.presence_chosen.emit(p, r))
            self.presence_actions[presence] = action
        self.show_action = self.menu.addAction(self.tr("Show Zuoxi"))
        self.show_action.triggered.connect(self.show_requested.emit)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction(self.tr("Quit"))
        self.quit_action.triggered.connect(self.quit_requested.emit)
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._activated)
        self.set_counts(0, 0)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        """Shown when the desktop has a system tray (returns whether it has)."""
        if not self.available():
            return False
        self.tray.show()
        return True

    def hide(self) -> None:
        self.tray.hide()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def counts_text(self) -> str:
        unread = self.tr("%n unread", "", self.unread)
        waiting = self.tr("%n waiting", "", self.waiting)
        return f"{unread} · {waiting}"

    def set_counts(self, unread: int, waiting: int) -> None:
        changed = (unread, waiting) != (self.unread, self.waiting)
        self.unread, self.waiting = max(0, unread), max(0, waiting)
        text = self.counts_text()
        self.counts.setText(text)
        self.tray.setToolTip(f"Zuoxi — {text}")
        if changed or self.tray.icon().isNull():
            self.tray.setIcon(badged(self._icon, self.unread))

    def set_presence(self, presence: Presence) -> None:
        action = self.presence_actions.get(presence)
        for each in self.presence_actions.values():
            each.setChecked(each is action)
