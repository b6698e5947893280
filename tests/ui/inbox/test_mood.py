"""The inbox and the conversation panel show the customer's mood against a real hub:
the hub classifies each message, the desktop's cache keeps the trend, the row gets a
dot and a tooltip line, an escalation adds a ring, and the panel's subtitle says the
same words."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.records import InboxItem
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import auto_accept_hub
from ui.chat.chat_panel import ChatPanel
from ui.inbox.mood import mood_color_key, mood_text

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs


def test_the_inbox_row_shows_mood_trend_and_escalation(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "lina")
        assert app.signed is not None
        window = app.signed.window
        customer = SimCustomer(hub.customer_ws_url, name="刘洋")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("你好，请问我的订单什么时候发货？"))
        model = window.inbox.inbox_model

        def row() -> InboxItem | None:
            return next((i for i in model.items() if i.customer_name == "刘洋"), None)

        qtbot.waitUntil(lambda: (item := row()) is not None
                        and item.sentiment_last is not None, timeout=15_000)
        calm = row()
        assert calm is not None and not calm.escalated
        assert mood_color_key(calm) is None  # a neutral question: no dot
        assert mood_text(calm) == "Mood: neutral"
        # The conversation's panel shows the same, and follows the trend.
        panel = window.open_conversation(calm.conversation_id)
        assert isinstance(panel, ChatPanel)
        assert panel.subtitle.text() == "Web chat · Mood: neutral"

        run(qtbot, qloop, customer.send("已经第三次问了还是没发货，再不处理我就去12315投诉！"))
        qtbot.waitUntil(lambda: (item := row()) is not None and item.escalated,
                        timeout=15_000)
        angry = row()
        assert angry is not None and angry.sentiment_last is not None
        assert angry.sentiment_first == calm.sentiment_last
        assert angry.sentiment_last < -0.2 and mood_color_key(angry) == "danger"
        assert mood_text(angry) == "Mood: negative, getting worse · escalated"
        qtbot.waitUntil(lambda: panel.subtitle.text()
                        == "Web chat · Mood: negative, getting worse · escalated", timeout=5_000)
        index = model.index(next(n for n, i in enumerate(model.items()) if i == angry))
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert isinstance(tip, str) and "getting worse · escalated" in tip
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / "screenshot-mood.png"))
        window.inbox.grab().save(str(tmp_path / "inbox.png"))
        assert (tmp_path / "inbox.png").stat().st_size > 0
        run(qtbot, qloop, customer.disconnect())
