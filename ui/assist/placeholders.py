"""Placeholders (``[[order number]]``) in a composer: found, selected, and in the way of
sending until the agent has typed over every one of them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from core.assist.quick_reply_render import unfilled
from ui.widgets.plain_text import PlainLabel


def select_first_placeholder(editor: QPlainTextEdit, start: int = 0,
                             end: int | None = None) -> bool:
    """Select the first placeholder within ``start``..``end`` (the whole text by
    default), so typing replaces it; False when there is none."""
    found = [p for p in unfilled(editor.toPlainText())
             if p.start >= start and (end is None or p.end <= end)]
    if not found:
        return False
    target = found[0]
    cursor = editor.textCursor()
    cursor.setPosition(target.start)
    cursor.setPosition(target.end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.setFocus()
    return True


def refuse_unfilled(editor: QPlainTextEdit, error: PlainLabel) -> bool:
    """True (and the reason shown, the first placeholder selected) when the text still
    holds placeholders: the caller does not send."""
    found = unfilled(editor.toPlainText())
    if not found:
        return False
    error.setText(QCoreApplication.translate(
        "Placeholders", "Fill in {0} before sending (it is selected: type to replace it)."
    ).format(", ".join(f"[[{p.label}]]" for p in found)))
    error.show()
    select_first_placeholder(editor)
    return True
