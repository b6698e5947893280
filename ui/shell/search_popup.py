"""Ctrl+K: one search box over the cached customers and message text.

Every keystroke searches the local cache (offline too; Chinese by any substring);
while online the hub's ``search_customers`` is asked as well, after a short pause,
and customers it knows that the cache did not are added below. Arrows move, Enter
opens: a customer in the side panel, a message in its conversation.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.profile.reads import ReadFailed
from core.protocol.models import Channel
from core.records import CustomerHit
from core.tasks import BackgroundTasks
from ui.chat.chat_panel import channel_name
from ui.inbox.inbox_view import CHANNEL_ICONS
from ui.profile.profile_header import safe_text
from ui.profile.profile_text import tier_name
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import day_text

HitRole = Qt.ItemDataRole.UserRole + 1  # ("customer", id) | ("message", customer, conversation)
HUB_DELAY_MS = 250
SNIPPET = 36


def snippet(text: str, query: str) -> str:
    """The part of ``text`` around the first match, on one line."""
    flat = " ".join(text.split())
    at = flat.casefold().find(query.casefold())
    if at < 0 or len(flat) <= SNIPPET * 2:
        return safe_text(flat, SNIPPET * 2)
    start = max(0, at - SNIPPET // 2)
    end = min(len(flat), at + len(query) + SNIPPET)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


class SearchPopup(QDialog):
    customer_chosen = Signal(str)
    conversation_chosen = Signal(str, str)  # customer id, conversation id

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchPopup")
        self.setWindowTitle(self.tr("Search"))
        self.setModal(False)
        self.resize(560, 460)
        self._bridge = bridge
        self._theme = theme
        self._hits: list[CustomerHit] = []
        self._hub_task: asyncio.Task[Any] | None = None
        self._tasks = BackgroundTasks("search")
        self.box = QLineEdit()
        self.box.setObjectName("SearchBox")
        self.box.setPlaceholderText(self.tr("Search customers, phone numbers, emails and "
                                            "messages…"))
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self.run_search)
        self.box.installEventFilter(self)
        self.results = QListWidget()
        self.results.setObjectName("SearchResults")
        self.results.itemActivated.connect(self._activate)
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.status = named(PlainLabel(), "Muted")
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 12, 12, 10)
        column.addWidget(self.box)
        column.addWidget(self.results, 1)
        column.addWidget(self.status)
        self._hub_timer = QTimer(self)
        self._hub_timer.setSingleShot(True)
        self._hub_timer.setInterval(HUB_DELAY_MS)
        self._hub_timer.timeout.connect(self._ask_hub)
        self.status.setText(self.tr("Type at least one character. Works offline."))

    def open_search(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            geometry = parent.geometry()
            self.move(geometry.center().x() - self.width() // 2, geometry.top() + 80)
        self.show()
        self.raise_()
        self.activateWindow()
        self.box.setFocus()
        self.box.selectAll()

    # ---- searching ---------------------------------------------------------------------

    def run_search(self) -> None:
        text = self.box.text().strip()
        self._hub_timer.stop()
        if self._hub_task is not None:
            self._hub_task.cancel()
            self._hub_task = None
        self._hits = self._bridge.service.profiles.search(text) if text else []
        self._fill()
        if not text:
            self.status.setText(self.tr("Type at least one character. Works offline."))
            return
        self._set_count()
        if self._bridge.service.is_connected and len(text) >= 2:
            self._hub_timer.start()

    def _set_count(self) -> None:
        if self._hits:
            self.status.setText(self.tr("%n customer(s)", "", len(self._hits)))
        else:
            self.status.setText(self.tr("Nothing in the local cache matches."))

    def _ask_hub(self) -> None:
        text = self.box.text().strip()
        self._hub_task = self._tasks.spawn(self._hub_search(text))

    async def _hub_search(self, text: str) -> None:
        try:
            hub_hits = await self._bridge.service.profiles.search_hub(text)
        except ReadFailed:
            return  # offline or refused: the local results stand
        if text != self.box.text().strip():
            return
        known = {h.customer_id for h in self._hits}
        extra = [h for h in hub_hits if h.customer_id not in known]
        if extra:
            self._hits = [*self._hits, *extra]
            self._fill(keep_current=True)
            self._set_count()

    def _fill(self, keep_current: bool = False) -> None:
        current = self.results.currentItem()
        keep = current.data(HitRole) if (keep_current and current is not None) else None
        self.results.clear()
        query = self.box.text().strip()
        line = self.results.fontMetrics().lineSpacing() + 2
        for hit in self._hits:
            contacts = ", ".join(i.value for i in hit.identities[:2])
            head = safe_text(hit.name, 60)
            if hit.tier:
                head += f"  ·  {tier_name(hit.tier)}"
            if hit.from_hub:
                head += "  ·  " + self.tr("from the hub")
            item = QListWidgetItem(head + (f"\n{contacts}" if contacts else ""))
            item.setData(HitRole, ("customer", hit.customer_id))
            item.setIcon(self._theme.icon("user", "accent", 18))
            item.setSizeHint(QSize(0, line * (2 if contacts else 1) + 16))
            self.results.addItem(item)
            for message in hit.messages:
                where = channel_name(message.channel) if message.channel else ""
                sub = QListWidgetItem(f"“{snippet(message.text, query)}”\n"
                                      f"{where} · {day_text(message.created_at)}")
                sub.setData(HitRole, ("message", hit.customer_id, message.conversation_id))
                sub.setIcon(self._theme.icon(CHANNEL_ICONS.get(message.channel or Channel.CHAT,
                                                               "chat"), "muted", 14))
                sub.setForeground(self._theme.color("muted"))
                sub.setSizeHint(QSize(0, line * 2 + 16))
                self.results.addItem(sub)
        row = 0
        if keep is not None:
            row = next((r for r in range(self.results.count())
                        if self.results.item(r).data(HitRole) == keep), 0)
        if self.results.count():
            self.results.setCurrentRow(row)

    # ---- keys and choosing ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                        Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[Qt.Key(key)]
                count = self.results.count()
                if count:
                    row = min(max(self.results.currentRow() + step, 0), count - 1)
                    self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem()
                if item is not None:
                    self._activate(item)
                return True
        return super().eventFilter(watched, event)

    def _activate(self, item: QListWidgetItem) -> None:
        data = item.data(HitRole)
        if not data:
            return
        if data[0] == "customer":
            self.customer_chosen.emit(data[1])
        else:
            self.conversation_chosen.emit(data[1], data[2])
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._fill(keep_current=True)
