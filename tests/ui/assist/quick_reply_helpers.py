"""Typing into a composer the way an agent does, for the quick-reply tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
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
