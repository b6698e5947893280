"""Desktop notifications: a system-tray balloon when the desktop has a tray, else a taskbar alert.

Offers must not be missed when the window is behind others, so the desktop shows one
notification per new offer (the toast in the window rings too). Thread: GUI thread.
"""

from __future__ import annotations

import html
import logging
import sys
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from ui.widgets.theme import app_icon

log = logging.getLogger(__name__)

SHOW_MS = 15_000


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    via_tray: bool


class Notifier:
    """Shows notifications for ``window``; remembers what it showed (newest last)."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(app_icon(), window)
            self._tray.setToolTip("Zuoxi")
            self._tray.activated.connect(lambda _reason: self._raise())
            self._tray.messageClicked.connect(self._raise)
            self._tray.show()
        self.shown: list[Notice] = []

    def notify(self, title: str, text: str) -> Notice:
        via_tray = self._tray is not None and QSystemTrayIcon.supportsMessages()
        if via_tray and self._tray is not None:
            self._tray.showMessage(_tray_text(title), _tray_text(text),
                                   QSystemTrayIcon.MessageIcon.Information, SHOW_MS)
        # The taskbar entry flashes too (and is all there is without a tray).
        QApplication.alert(self._window)
        notice = Notice(title, text, via_tray)
        self.shown = [*self.shown[-19:], notice]
        log.debug("notification: %s", title)  # never the customer's text in logs
        return notice

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
            self._tray.deleteLater()
            self._tray = None

    def _raise(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()


def _tray_text(text: str) -> str:
    """Freedesktop notification servers read the body as markup (``<img>`` included):
    the customer's name and words are escaped there. Elsewhere the tray shows plain text."""
    return html.escape(text, quote=False) if sys.platform.startswith("linux") else text
