"""Putting a suggested answer into a conversation's composer (chat or email)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPlainTextEdit

from core.protocol.assist import Suggestion, SuggestionKind
from core.protocol.email import EmailKind
from ui.assist.quick_reply_popup import QuickReplyCompleter, insert_text
from ui.chat.chat_panel import ChatPanel
from ui.shell.service_bridge import ServiceBridge

if TYPE_CHECKING:
    from ui.email.view import EmailView  # loads with the first mail opened


def answer_text(bridge: ServiceBridge, conversation_id: str, item: Suggestion) -> str:
    """A quick reply with its variables filled in; an article's answer as it is."""
    quick = bridge.service.quick_replies
    if item.kind is SuggestionKind.QUICK_REPLY:
        reply = quick.get(item.id)
        template = reply.text if reply is not None else item.text
        return quick.render_text(template, quick.context_for(conversation_id)).text
    return item.text


def insert_answer(editor: QPlainTextEdit, text: str) -> None:
    """At the cursor (over the selection), as its own undo step; its first
    placeholder selected."""
    cursor = editor.textCursor()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    insert_text(editor, start, end, text)


def insert_suggestion(bridge: ServiceBridge, page: ChatPanel | EmailView,
                      item: Suggestion) -> QPlainTextEdit:
    """Into the page's composer; an email view opens its reply first. Returns the editor."""
    if not isinstance(page, ChatPanel) and page.composer.isHidden():
        page.start(EmailKind.REPLY)
    completer: QuickReplyCompleter = page.quick_replies
    insert_answer(completer.editor, answer_text(bridge, page.conversation_id, item))
    return completer.editor
