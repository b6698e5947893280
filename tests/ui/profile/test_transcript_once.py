"""Double-clicking a timeline item opens its transcript once (not two identical
windows); asking again brings that window to the front.

A real hub; lina takes a customer's chat, whose timeline item is double-clicked
with the mouse in the side panel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from core.protocol.models import Presence
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config
from ui.profile.transcript_dialog import TranscriptDialog


def open_transcripts() -> list[TranscriptDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, TranscriptDialog) and w.isVisible()]


def double_click(qtbot: Any, widget: QWidget, pos: QPoint) -> None:
    """What the window system delivers: press, release, then the double click."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_double_click_opens_one_transcript(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app)
        assert app.signed is not None
        window = app.signed.window
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        customer = SimCustomer(hub.customer_ws_url, name="Zhou Min")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Where is my parcel?"))
        accept_offer(qtbot, window, customer.conversation_id)
        timeline = window.customer_panel.timeline
        qtbot.waitUntil(lambda: timeline.view.model().rowCount() > 0, timeout=10_000)
        view = timeline.view
        rect = view.visualRect(view.model().index(0, 0))
        double_click(qtbot, view.viewport(), rect.center())
        qtbot.waitUntil(lambda: len(open_transcripts()) >= 1, timeout=10_000)
        [dialog] = open_transcripts()
        # the transcript arrives from the hub (a second window would open with the first)
        qtbot.waitUntil(lambda: "Where is my parcel?" in dialog.body.toPlainText(),
                        timeout=10_000)
        assert len(open_transcripts()) == 1
        # asked again: the same window comes to the front
        double_click(qtbot, view.viewport(), rect.center())
        assert open_transcripts() == [dialog]
        dialog.close()
        run(qtbot, qloop, customer.disconnect())
