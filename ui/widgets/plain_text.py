"""Text from outside shown as text: labels that never render HTML, escaped tooltips.

A QLabel in Qt's default AutoText mode renders anything that looks like HTML, and an
``<img src>`` in it makes Qt read that file (``/dev/zero`` until memory runs out).
Customers, mails, the hub and other agents choose the strings these widgets show, so
every label starts in plain-text mode; a label that needs a link sets rich text
itself and escapes what it inserts. Tooltips have no mode of their own: Qt guesses,
so text from outside is escaped into rich text deliberately.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ELIDED_MIN_CHARS = 8  # an elided label may shrink to about this many characters


class PlainLabel(QLabel):
    """A QLabel that shows its text as plain text (never HTML)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if text:
            self.setText(text)


class ElidedLabel(PlainLabel):
    """One line of plain text that ends in "…" when narrower than the text, instead of
    widening the window; the whole text is in the tooltip then.

    A plain QLabel's minimum width is its whole text: a long status line would push
    the window wider than the screen.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:
        hint = super().sizeHint()
        chars = self.fontMetrics().averageCharWidth() * ELIDED_MIN_CHARS
        return QSize(min(hint.width(), chars), hint.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def elided_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(plain_as_rich(self.text()) if self.is_elided() else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()),
                                  self.palette(), self.isEnabled(), self.elided_text(),
                                  QPalette.ColorRole.WindowText)
        painter.end()


def plain_as_rich(text: str) -> str:
    """``text`` escaped into rich text, for places with no plain mode: tooltips (Qt guesses
    HTML from a ``<``) and a message box's informative text."""
    if not GuiQt.mightBeRichText(text):
        return text  # Qt shows it as it is
    body = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt>{body}</qt>"


def rich_escape(text: str) -> str:
    """``text`` for insertion into a deliberately rich label."""
    return html.escape(text, quote=True)
