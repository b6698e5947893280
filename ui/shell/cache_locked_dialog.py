"""The choice when the encrypted local cache cannot be opened: re-sync from the hub,
or quit (and bring the key back: unlock the keyring, sign in to the desktop session
that holds it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.cache.cache_file import LockReason
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

WIDTH = 540


class CacheLockedDialog(QDialog):
    """Shown with ``open()`` (never ``exec()`` under qasync); one of the two signals
    follows a click, and closing the dialog is quitting."""

    resync_chosen = Signal()
    quit_chosen = Signal()

    def __init__(self, reason: LockReason, file_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CacheLockedDialog")
        self.setWindowTitle(self.tr("The local cache is locked"))
        if reason is LockReason.KEY_MISSING:
            text = self.tr("The local cache is encrypted, and its key is not in this "
                           "computer's keyring.")
        else:
            text = self.tr("The local cache is encrypted, and the key in this computer's "
                           "keyring does not open it.")
        self.headline = named(PlainLabel(text), "ChatTitle")
        self.headline.setWordWrap(True)
        self.details = PlainLabel(self.tr(
            "Re-sync: the locked file is set aside and your conversations are loaded again "
            "from the hub. Replies not sent yet stay in the locked file: they cannot be sent "
            "without its key.\n\n"
            "Quit: bring the key back (unlock the keyring, or sign in to the desktop session "
            "that holds it) and start Zuoxi again. Nothing is changed.") + "\n\n"
            + self.tr("File: {0}").format(file_name))
        self.details.setWordWrap(True)
        self.resync = QPushButton(self.tr("Re-sync from the hub"))
        self.resync.setObjectName("ResyncButton")
        self.quit = QPushButton(self.tr("Quit"))
        self.quit.setObjectName("QuitButton")
        self.quit.setDefault(True)  # the choice that changes nothing
        self.resync.clicked.connect(self._resync)
        self.quit.clicked.connect(self.reject)
        self.rejected.connect(self.quit_chosen.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.resync)
        buttons.addWidget(self.quit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        # Wrapped labels: the dialog takes the height their text needs at its width
        # (a layout alone sizes a wrapped label for one line too few).
        self.setFixedWidth(WIDTH)
        self.setMinimumHeight(layout.totalHeightForWidth(WIDTH))

    def _resync(self) -> None:
        self.done(QDialog.DialogCode.Accepted)
        self.resync_chosen.emit()
