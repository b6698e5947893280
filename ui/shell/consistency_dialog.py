"""The result of "Check cache consistency": the cache against the hub's digest."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from core.sync.consistency import Comparison
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named


class ConsistencyDialog(QDialog):
    """Non-modal: shown with ``show()`` from an async task (never ``exec()`` there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConsistencyDialog")
        self.setWindowTitle(self.tr("Cache consistency"))
        self.setMinimumWidth(440)
        self.headline = named(PlainLabel(self.tr("Comparing the local cache with the hub…")),
                              "ChatTitle")
        self.headline.setWordWrap(True)
        self.details = PlainLabel()
        self.details.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(buttons)

    def show_comparison(self, comparison: Comparison) -> None:
        local = comparison.local
        counts = self.tr("Last event {0}; {1} open conversations; {2} messages.").format(
            local.head_seq, local.conversations.count, local.messages.count
        )
        if comparison.equal:
            self.headline.setText(self.tr("The cache matches the hub."))
            self.details.setText(counts)
        else:
            self.headline.setText(self.tr("The cache differs from the hub."))
            # The differences are technical detail (seq numbers, row counts).
            self.details.setText(counts + "\n\n" + "\n".join(comparison.differences()))

    def show_error(self, text: str) -> None:
        self.headline.setText(self.tr("The check could not be completed."))
        self.details.setText(text)
