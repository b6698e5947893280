"""Text an attacker chooses, and a scan of every widget for places Qt renders it as HTML.

Qt renders a string as rich text in a QLabel in its default AutoText mode, and in any
tooltip, whenever ``Qt.mightBeRichText`` says it looks like HTML; an ``<img src>`` in
rich text makes Qt read that file. The scan applies Qt's own rule to what every
widget (labels, tooltips, item views, text documents) holds at the moment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QTextEdit, QWidget

# A size no label reaches with text alone: a label showing the image has it.
BIG_IMAGE_PX = 3000


def big_image(folder: Path) -> Path:
    """A real image file, so a label that renders ``<img src>`` visibly loads it."""
    path = folder / "big.png"
    image = QImage(BIG_IMAGE_PX, BIG_IMAGE_PX, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(path))
    return path


def corpus(image: Path) -> list[str]:
    """Hostile strings: HTML, images from local files, entity floods, bidi, sheer size."""
    return [
        f'<img src="{image}">',
        f'Emma<img src="file://{image}" width=3000>',
        '<b>bold</b><a href="file:///etc/passwd">link</a><font size=7>big</font>',
        '<table><tr><td style="background:url(/etc/passwd)">x</td></tr></table>',
        "&lt;img src=/dev/zero&gt;" + "&amp;" * 2_000,
        "&#" + "9" * 4_000 + ";",
        "\u202eevil.exe\u202c txt \u2066mixed\u2069 \u200f",
        "<qt>" + "A" * 100_000,
    ]


# Substrings that mean the hostile text reached a widget unescaped.
MARKERS = ("<img", "<b>", "<a href", "<table", "<font")
# A text document that took an image from a local file.
_LOCAL_IMAGE = re.compile(r'<img[^>]+src="(/|file:)', re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    widget: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.widget} {self.where}: {self.text[:80]!r}"


def _rendered_rich(text: str, fmt: Qt.TextFormat) -> bool:
    if fmt is Qt.TextFormat.RichText:
        return True
    return fmt is Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)


def _hostile(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in MARKERS)


def _model_tooltips(model: QAbstractItemModel, parent: QModelIndex,
                    depth: int = 0) -> Iterable[str]:
    # A list model's columnCount is private in PySide6: it has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    if isinstance(model, QAbstractListModel) and parent.isValid():
        return
    for row in range(min(model.rowCount(parent), 500)):
        for column in range(columns):
            index = model.index(row, column, parent)
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                yield tip
            if depth < 3 and not isinstance(model, QAbstractListModel) \
                    and model.hasChildren(index):
                yield from _model_tooltips(model, index, depth + 1)


def scan(widgets: Iterable[QWidget] | None = None) -> list[Finding]:
    """Every place where hostile text is (or would be) rendered as HTML."""
    found: list[Finding] = []
    for widget in widgets if widgets is not None else QApplication.allWidgets():
        name = f"{type(widget).__name__}({widget.objectName()})"
        if isinstance(widget, QLabel) and _hostile(widget.text()) \
                and _rendered_rich(widget.text(), widget.textFormat()):
            found.append(Finding(name, "label", widget.text()))
        tip = widget.toolTip()
        if _hostile(tip) and GuiQt.mightBeRichText(tip):
            found.append(Finding(name, "tooltip", tip))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for tip in _model_tooltips(widget.model(), QModelIndex()):
                if _hostile(tip) and GuiQt.mightBeRichText(tip):
                    found.append(Finding(name, "item tooltip", tip))
        if isinstance(widget, QTextEdit) and _LOCAL_IMAGE.search(widget.toHtml()):
            found.append(Finding(name, "document image", widget.toHtml()))
    return found


def shown(text: str, widgets: Iterable[QWidget] | None = None) -> bool:
    """Whether some label shows ``text`` (or its start, when it was cut) literally."""
    start = text[:30]
    return any(isinstance(w, QLabel) and start in w.text()
               for w in (widgets if widgets is not None else QApplication.allWidgets()))
