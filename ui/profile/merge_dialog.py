"""Merge another customer into the one shown: find them, see what moves, confirm."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.profile.profile_header import safe_text
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

CustomerRole = Qt.ItemDataRole.UserRole + 1


class MergeDialog(QDialog):
    """Non-modal (open()); emits ``merge_confirmed`` with (target id, source id)."""

    merge_confirmed = Signal(str, str)

    def __init__(self, bridge: ServiceBridge, target_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MergeDialog")
        self._bridge = bridge
        self.target_id = target_id
        target = bridge.service.profiles.profile(target_id)
        self._target_name = safe_text(target.name if target else target_id, 60)
        self.setWindowTitle(self.tr("Merge into {0}").format(self._target_name))
        self.resize(460, 480)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find the duplicate: name, phone, email…"))
        self.search.textChanged.connect(self._search)
        self.results = QListWidget()
        self.results.currentItemChanged.connect(self._preview)
        self.summary = named(PlainLabel(self.tr("Pick the customer whose history should move "
                                            "here.")), "Muted")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge = named(QPushButton(self.tr("Merge")), "PrimaryButton")
        self.merge.setEnabled(False)
        self.buttons.addButton(self.merge, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.search)
        column.addWidget(self.results, 1)
        column.addWidget(self.summary)
        column.addWidget(self.buttons)

    def _search(self, text: str) -> None:
        self.results.clear()
        for hit in self._bridge.service.profiles.search(text):
            if hit.customer_id == self.target_id:
                continue
            contacts = ", ".join(i.value for i in hit.identities[:2])
            item = QListWidgetItem(safe_text(hit.name, 60) + (f"  ·  {contacts}" if contacts
                                                              else ""))
            item.setData(CustomerRole, hit.customer_id)
            self.results.addItem(item)

    def source_id(self) -> str | None:
        item = self.results.currentItem()
        return item.data(CustomerRole) if item is not None else None

    def _preview(self, *_args: object) -> None:
        source = self.source_id()
        if source is None:
            self.merge.setEnabled(False)
            return
        profiles = self._bridge.service.profiles
        conversations, messages, notes = profiles.merge_preview(source)
        profile = profiles.profile(source)
        name = safe_text(profile.name if profile else source, 60)
        points = ", ".join(p.value for p in (profile.contact_points if profile else ()))
        text = self.tr("{0} will be merged into {1} and disappear. Moving: {2} "
                       "conversation(s), {3} message(s) and {4} note(s) held here, and "
                       "everything the hub holds.").format(
            name, self._target_name, conversations, messages, notes)
        if points:
            text += " " + self.tr("Contact points: {0}.").format(points)
        text += " " + self.tr("You can undo it later from the customer's actions menu.")
        blocked = profiles.has_open_voice(source) or profiles.has_open_voice(self.target_id)
        if blocked:
            text = self.tr("A call with one of these customers is open: merge after it ends.")
        self.summary.setText(text)
        self.merge.setEnabled(not blocked)

    def _confirm(self) -> None:
        source = self.source_id()
        if source is not None:
            self.merge_confirmed.emit(self.target_id, source)
            self.accept()
