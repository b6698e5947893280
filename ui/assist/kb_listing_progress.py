"""How far the first copy of the knowledge base onto this desktop has got, in the
status bar: "Copying the knowledge base for offline search: 3,450 of 10,000" and a
bar. Shown once the copy has lasted a moment (a small knowledge base is copied
before anyone could read it), hidden when the copy is complete. An interrupted copy
says that it goes on when the desktop is online again.

Everything shown is read from the cache (``KnowledgeBase.listing_progress``), when
the bridge says the listing moved on. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from core.sync.client import ConnectionState
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

SHOW_AFTER_MS = 1000  # a copy shorter than this is never announced
# The listing reports every few milliseconds; the text follows a few times a second
# (each new text lays out and repaints the status bar).
REDRAW_MS = 250


class KbListingProgress(QWidget):
    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KbListingProgress")
        self._bridge = bridge
        self._kb = bridge.service.knowledge
        self.label = named(PlainLabel(), "Muted")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(120)
        self.bar.setMaximumHeight(10)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self._due = False  # the copy has lasted long enough to be shown
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SHOW_AFTER_MS)
        self._delay.timeout.connect(self._show_now)
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self.refresh)
        bridge.knowledge_listing_changed.connect(self._listing_changed)
        bridge.connection_changed.connect(lambda _status: self.refresh())
        self.hide()
        self.refresh()

    def _listing_changed(self) -> None:
        if not self._redraw.isActive():
            self._redraw.start()

    def _show_now(self) -> None:
        self._due = True
        self.refresh()

    def refresh(self) -> None:
        progress = self._kb.listing_progress()
        if progress is None:
            self._delay.stop()
            self._due = False
            self.hide()
            return
        if not self._due:
            if not self._delay.isActive():
                self._delay.start()
            return
        locale = QLocale()
        done = locale.toString(progress.done)
        online = self._bridge.service.connection.state is ConnectionState.ONLINE
        if progress.total:
            total = locale.toString(progress.total)
            if online:
                text = self.tr("Copying the knowledge base for offline search: {0} of {1}")
            else:
                text = self.tr("Knowledge base copied for offline search: {0} of {1}; "
                               "the rest follows when online")
            text = text.format(done, total)
            self.bar.setRange(0, progress.total)
            self.bar.setValue(min(progress.done, progress.total))
        else:
            if online:
                text = self.tr("Copying the knowledge base for offline search: {0}")
            else:
                text = self.tr("Knowledge base copied for offline search: {0}; "
                               "the rest follows when online")
            text = text.format(done)
            self.bar.setRange(0, 0)  # busy: how many is not known yet
        self.label.setText(text)
        self.show()
