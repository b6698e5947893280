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

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QWidget


class PlainLabel(QLabel):
    """A QLabel that shows its text as plain text (never HTML)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if text:
            self.setText(text)


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
