"""Desktop notifications that are not missed: the freedesktop notification service
with buttons, else a tray balloon; the taskbar entry flashes and a sound plays.

Five kinds: a routing offer, a customer's message, an email, an incoming call,
a follow-up's reminder.
Each is shown through the session bus's notification service when there is one
(``FreedesktopNotifier``: "Accept" and "Open" buttons where the server has
actions), else as a tray balloon; in every case the taskbar entry asks for
attention (``QApplication.alert``) and the kind's sound plays unless muted.
Thread: GUI thread.
"""

from __future__ import annotations

import enum
import html
import logging
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from desktop.freedesktop_notify import (
    DEFAULT_ACTION,
    FreedesktopNotifier,
    NotifyUnavailableError,
    ServerInfo,
)

log = logging.getLogger(__name__)

SHOW_MS = 15_000
ACCEPT, OPEN = "accept", DEFAULT_ACTION  # clicking the bubble opens, like "Open"


class NoticeKind(enum.Enum):
    OFFER = "offer"
    MESSAGE = "message"
    EMAIL = "email"
    CALL = "call"
    FOLLOWUP = "followup"  # a follow-up's reminder (ui/followups)


# freedesktop categories and urgencies (1 normal, 2 critical: stays until handled)
_CATEGORY = {NoticeKind.OFFER: "im", NoticeKind.MESSAGE: "im.received",
             NoticeKind.EMAIL: "email.arrived", NoticeKind.CALL: "call.incoming",
             NoticeKind.FOLLOWUP: "x-zuoxi.followup"}
_URGENCY = {NoticeKind.OFFER: 2, NoticeKind.MESSAGE: 1, NoticeKind.EMAIL: 1,
            NoticeKind.CALL: 2, NoticeKind.FOLLOWUP: 1}


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    via_tray: bool
    kind: NoticeKind = NoticeKind.OFFER
    key: str = ""  # the offer, conversation or call it is about
    via_bus: bool = False  # sent to the notification service
    sound: bool = False  # its sound was started


Spawn = Callable[[Coroutine[Any, Any, Any]], object]
SoundPlayer = Callable[[NoticeKind], bool]  # True when a sound was started


class Notifier(QObject):
    """Shows notifications for ``window``; remembers what it showed (newest last).

    ``action`` is emitted with (kind, key, action) when a button of a notification
    was pressed: ``ACCEPT`` or ``OPEN``."""

    action = Signal(object, str, str)
    bus_ready = Signal(object)  # ServerInfo, or None when there is no service

    def __init__(self, window: QWidget, *, spawn: Spawn | None = None,
                 sound: SoundPlayer | None = None, use_bus: bool = True,
                 bus_now: bool = True) -> None:
        super().__init__(window)
        self._window = window
        self._spawn = spawn
        self._sound = sound
        self._tray: QSystemTrayIcon | None = None
        self.tray_external = False  # a tray icon owned by someone else shows balloons
        self.shown: list[Notice] = []
        self._pending: dict[int, tuple[NoticeKind, str]] = {}
        self.server: ServerInfo | None = None
        self._bus: FreedesktopNotifier | None = None
        self.action.connect(self._default_action)
        self._bus_wanted = use_bus and spawn is not None and sys.platform.startswith("linux")
        if bus_now:
            self.start_bus()

    def start_bus(self) -> None:
        """Connect to the notification service (once). With ``bus_now=False`` the
        owner calls this when it suits, e.g. after the window's first paint: the
        D-Bus connection and its library cost the first paint 15-20 ms; until then
        notices go to the tray (or the taskbar flag)."""
        if self._bus_wanted and self._bus is None and self._spawn is not None:
            self._bus_wanted = False
            self._bus = FreedesktopNotifier("Zuoxi", on_action=self._bus_action)
            self._spawn(self._connect_bus())

    def use_tray(self, tray: QSystemTrayIcon) -> None:
        """Balloons through this (already shown) tray icon when there is no service."""
        self._tray = tray
        tray.messageClicked.connect(self.raise_window)

    async def _connect_bus(self) -> None:
        assert self._bus is not None
        try:
            self.server = await self._bus.connect()
        except NotifyUnavailableError as exc:
            log.info("no notification service: %s", exc)
            self._bus = None
        self.bus_ready.emit(self.server)

    def notify(self, title: str, text: str, kind: NoticeKind = NoticeKind.OFFER,
               key: str = "") -> Notice:
        via_bus = self._bus is not None and self.server is not None and self._spawn is not None
        via_tray = False
        if via_bus and self._spawn is not None:
            self._spawn(self._send(title, text, kind, key))
        elif self._tray is not None and QSystemTrayIcon.supportsMessages():
            via_tray = True
            self._tray.showMessage(_tray_text(title), _tray_text(text),
                                   QSystemTrayIcon.MessageIcon.Information, SHOW_MS)
        # The taskbar entry flashes too (and is all there is without either).
        QApplication.alert(self._window)
        sound = bool(self._sound and self._sound(kind))
        notice = Notice(title, text, via_tray, kind, key, via_bus, sound)
        self.shown = [*self.shown[-19:], notice]
        log.debug("notification: %s", kind.value)  # never the customer's text in logs
        return notice

    def _actions(self, kind: NoticeKind) -> list[tuple[str, str]]:
        actions = [(OPEN, self.tr("Open"))]
        if kind is NoticeKind.OFFER:
            actions.append((ACCEPT, self.tr("Accept")))
        elif kind is NoticeKind.CALL:
            actions.append((ACCEPT, self.tr("Answer")))
        return actions

    async def _send(self, title: str, text: str, kind: NoticeKind, key: str) -> None:
        bus = self._bus
        if bus is None:
            return
        try:
            notification_id = await bus.notify(
                title, text, self._actions(kind), category=_CATEGORY[kind],
                urgency=_URGENCY[kind], timeout_ms=SHOW_MS if _URGENCY[kind] < 2 else 0)
        except NotifyUnavailableError as exc:
            log.warning("notification not shown: %s", exc)
            return
        self._pending[notification_id] = (kind, key)
        while len(self._pending) > 50:
            self._pending.pop(next(iter(self._pending)))

    def _bus_action(self, notification_id: int, key: str) -> None:
        about = self._pending.get(notification_id)
        if about is not None:
            self.action.emit(about[0], about[1], key)

    def _default_action(self, _kind: NoticeKind, _key: str, _action: str) -> None:
        self.raise_window()

    def close(self) -> None:
        self._tray = None
        bus, self._bus = self._bus, None
        if bus is not None and self._spawn is not None:
            self._spawn(bus.close())

    def raise_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()


def _tray_text(text: str) -> str:
    """Freedesktop notification servers read the body as markup (``<img>`` included):
    the customer's name and words are escaped there. Elsewhere the tray shows plain text."""
    return html.escape(text, quote=False) if sys.platform.startswith("linux") else text
