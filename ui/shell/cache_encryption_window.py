"""The small window shown while a plain cache from an earlier version is encrypted at
the first start after the update (a large cache takes many seconds): what is
happening, how far it is, and that nothing is lost. The main window follows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressBar, QVBoxLayout, QWidget

from core.cache.cipher import EncryptStage
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named

WIDTH = 480
STEPS = 1000  # the bar's range
# Where each stage starts on the bar: the copy is most of the work.
STAGE_START = {EncryptStage.COPYING: 0, EncryptStage.CHECKING: 900,
               EncryptStage.REPLACING: 960, EncryptStage.DONE: STEPS}
MB = 1_000_000


class CacheEncryptionWindow(QWidget):
    """Shown before the main window; closed by its owner when the work is done. It
    cannot be closed by hand: the work runs on a worker thread that cannot be
    stopped halfway (a crash is safe: the plain file stays until the copy replaces
    it), and the main window opens as soon as it is done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.CustomizeWindowHint
                         | Qt.WindowType.WindowTitleHint)
        self.setObjectName("CacheEncryptionWindow")
        self.setWindowTitle(self.tr("Zuoxi: encrypting the local cache"))
        self.headline = named(PlainLabel(self.tr("Encrypting the local cache")), "ChatTitle")
        self.details = PlainLabel(self.tr(
            "This happens once, after the update: the copy of your conversations on this "
            "computer is being encrypted. Nothing is lost, replies not sent yet included. "
            "Zuoxi opens as soon as it is done."))
        self.details.setWordWrap(True)
        self.stage = PlainLabel()
        self.stage.setObjectName("CacheEncryptionStage")
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        self.bar.setTextVisible(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addSpacing(6)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        self.show_progress(EncryptStage.COPYING, 0, 0)
        self.setFixedWidth(WIDTH)
        self.setMinimumHeight(layout.totalHeightForWidth(WIDTH))

    def show_progress(self, stage: EncryptStage, written: int, total: int) -> None:
        """``written`` of ``total`` bytes of the encrypted copy (while copying)."""
        if stage is EncryptStage.COPYING:
            share = min(1.0, written / total) if total > 0 else 0.0
            value = int(share * STAGE_START[EncryptStage.CHECKING])
            digits = 1 if total < 10 * MB else 0
            text = self.tr("Writing the encrypted copy: {0} of {1} MB").format(
                f"{written / MB:,.{digits}f}", f"{total / MB:,.{digits}f}")
        elif stage is EncryptStage.CHECKING:
            value = STAGE_START[stage]
            text = self.tr("Checking the encrypted copy against the original…")
        elif stage is EncryptStage.REPLACING:
            value = STAGE_START[stage]
            text = self.tr("Replacing the unencrypted file and erasing it…")
        else:
            value = STEPS
            text = self.tr("Done. Opening Zuoxi…")
        self.stage.setText(text)
        self.bar.setValue(max(value, self.bar.value()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.property("finished"):
            event.accept()
        else:
            event.ignore()

    def finish(self) -> None:
        self.setProperty("finished", True)
        self.close()
