"""An attribute the agent's role reads masked: the mask, and Reveal where allowed.

The hub sends such a value masked (``****``, ``上海****``); Reveal asks the hub for
the value once (the hub writes the view to its audit log) and shows it here until
the panel shows another customer. The value is never stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.profile.profile_header import safe_text
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named


class MaskedField(QWidget):
    reveal_requested = Signal(str)  # the attribute key

    def __init__(self, key: str, revealable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.value = named(PlainLabel(), "MaskedValue")
        self.value.setToolTip(self.tr("Masked: your role does not read this field in full"))
        # A child from the start: shown while still parentless it would open as a
        # window of its own, and take the main window's activation (and its shortcuts).
        self.reveal = QPushButton(self.tr("Reveal"), self)
        self.reveal.setObjectName("RevealField")
        self.reveal.setToolTip(self.tr("Show the value once; the hub records who saw it"))
        self.reveal.setVisible(revealable)
        self.reveal.clicked.connect(lambda: self.reveal_requested.emit(self.key))
        self.revealed = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.value, 1)
        row.addWidget(self.reveal)

    def show_masked(self, masked: str | float | None) -> None:
        """The value as the hub sent it (a mask), unless revealed for this customer."""
        if self.revealed:
            return
        self.value.setText(self.tr("(none)") if masked is None else safe_text(str(masked), 80))

    def show_busy(self) -> None:
        self.reveal.setEnabled(False)
        self.reveal.setText(self.tr("Revealing…"))

    def show_revealed(self, value: str | float | None) -> None:
        self.revealed = True
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        self.value.setText(self.tr("(none)") if value is None else safe_text(str(value), 80))
        self.value.setToolTip(self.tr("Revealed for you; recorded in the audit log"))
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal.hide()  # the value needs the row's whole width

    def reveal_failed(self) -> None:
        self.reveal.setText(self.tr("Reveal"))
        self.reveal.setEnabled(True)
