"""Typing into a composer the way an agent does, for the quick-reply tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QPlainTextEdit

from ui.assist.quick_reply_popup import QuickReplyCompleter


def focus(qtbot: Any, editor: QPlainTextEdit) -> None:
    window = editor.window()
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=5_000)


def slash(qtbot: Any, editor: QPlainTextEdit, query: str) -> None:
    """Type "/" and the query (QtTest types ASCII only: Chinese is inserted as an input
    method would)."""
    qtbot.keyClick(editor, Qt.Key.Key_Slash)
    if query.isascii():
        qtbot.keyClicks(editor, query)
    else:
        editor.insertPlainText(query)


def popup_titles(completer: QuickReplyCompleter) -> list[str]:
    items = completer.popup.list
    return [items.item(i).text().split("\n")[0].split("   ")[0] for i in range(items.count())]


def screenshot(window: Any, name: str, dialog: Any = None) -> None:
    """With ZUOXI_SCREENSHOTS naming a folder: the window at 1366×768 (and a dialog
    drawn over it, centred) saved as ``name`` there, for the docs."""
    folder = os.environ.get("ZUOXI_SCREENSHOTS", "")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    image = window.grab()
    if dialog is not None:
        painter = QPainter(image)
        over = dialog.grab()
        painter.drawPixmap((image.width() - over.width()) // 2,
                           (image.height() - over.height()) // 2, over)
        painter.end()
    image.save(str(Path(folder) / name))
