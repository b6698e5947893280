"""A new email reply puts the cursor where the agent writes: below the greeting."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtGui import QTextCursor

from core.email.settings import EmailSettings, ReplyTemplate
from core.protocol.email import EmailKind
from tests.ui.email.test_email_composer import service_at
from ui.email.view import EmailView
from ui.shell.service_bridge import ServiceBridge

SETTINGS = EmailSettings(signature="小张",
                         templates=(ReplyTemplate("Greeting", "Dear {customer_name},"),))


def test_reply_cursor_starts_below_the_greeting(qtbot: Any,
                                               qloop: asyncio.AbstractEventLoop) -> None:
    view = EmailView(ServiceBridge(service_at(":memory:")), "e1", SETTINGS)
    qtbot.addWidget(view)
    view.show()
    view.start(EmailKind.REPLY)
    editor = view.composer.text
    assert editor.toPlainText().startswith("Dear 王芳,\n\n-- \n小张")
    # typing goes on the empty line between the greeting and the signature
    editor.insertPlainText("Your parcel left today.")
    assert editor.toPlainText().startswith("Dear 王芳,\nYour parcel left today.\n-- \n小张")
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    assert cursor.block().text() == "Your parcel left today."
