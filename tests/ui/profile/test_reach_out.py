"""Reach out from the customer panel, against a real hub: Ctrl+Alt+O opens the dialog
for the customer on screen, the message reaches the customer online in the widget as
the agent's new chat, the timeline shows the outreach in the agent's words, and a
second try is refused by the hub's per-customer limit (the panel says why). The
timeline entries read in English and Chinese."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.protocol.models import Presence
from core.protocol.outreach import Outreach
from core.records import TimelineEntry, TimelineKind
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config
from ui.profile.timeline_view import timeline_detail, timeline_title

AGENT = TimelineEntry(kind=TimelineKind.OUTREACH, id="out_1", at=0, agent_name="李娜",
                      preview="Your parcel left the depot", code="outreach.agent",
                      params={"channel": "email"})
TRIGGER = TimelineEntry(kind=TimelineKind.OUTREACH, id="out_2", at=0, preview="Need help?",
                        code="outreach.trigger",
                        params={"channel": "widget", "trigger": "pricing-help"})


def test_outreach_entries_in_english_and_chinese(qapp: QApplication) -> None:
    assert timeline_title(AGENT) == "Reached out"
    assert timeline_detail(AGENT) == "by email · 李娜"
    assert timeline_title(TRIGGER) == "Proactive message"
    assert timeline_detail(TRIGGER) == "in the web chat · trigger pricing-help"
    translators = install_translators(qapp, "zh_CN")
    try:
        assert timeline_title(AGENT) == "主动联系"
        assert timeline_detail(AGENT) == "通过邮件 · 李娜"
        assert timeline_title(TRIGGER) == "主动消息"
        assert timeline_detail(TRIGGER) == "在网页聊天中 · 触发规则 pricing-help"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def _shots() -> Path | None:
    folder = os.environ.get("ZUOXI_SCREENSHOT_DIR")
    return Path(folder) if folder else None


def test_reach_out_from_the_panel_to_a_customer_online_in_the_widget(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app)
        assert app.signed is not None
        window, service = app.signed.window, app.signed.service
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        customer = SimCustomer(hub.customer_ws_url, name="Zhou Min")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Where is my parcel?"))
        first = customer.conversation_id
        accept_offer(qtbot, window, first)
        assert first is not None
        service.close_conversation(first, "resolved")
        qtbot.waitUntil(lambda: customer.closed_by is not None, timeout=10_000)
        panel = window.customer_panel
        customer_id = panel.customer_id
        assert customer_id is not None

        # The keyboard shortcut opens the dialog for the customer on screen.
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_O,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: window.customers.reach_out_dialog is not None
                        and window.customers.reach_out_dialog.isVisible(), timeout=5_000)
        dialog = window.customers.reach_out_dialog
        assert dialog is not None
        assert dialog.heading.text() == "Reach out to Zhou Min"
        assert not dialog.send.isEnabled()
        qtbot.keyClicks(dialog.text, "Your parcel left the depot today.")
        assert dialog.send.isEnabled()
        shots = _shots()
        if shots is not None:
            for width, height in ((1366, 768), (1920, 1080)):
                window.resize(width, height)
                qapp.processEvents()
                window.grab().save(str(shots / f"reach-out-window-{width}.png"))
                dialog.grab().save(str(shots / f"reach-out-dialog-{width}.png"))
        qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)

        # The customer, still in the widget, gets the agent's message in a new chat.
        message = run(qtbot, qloop, customer.wait_message(
            lambda m: m.text == "Your parcel left the depot today.", timeout=10))
        assert message.conversation_id not in (None, first)
        run(qtbot, qloop, customer.wait_for(
            lambda: any(isinstance(f, Outreach) for f in customer.frames)))
        assert hub_row(hub.db_path, "SELECT source, channel FROM outreach_log") == (
            "agent", "widget")
        # The new chat is the agent's: it opens in the inbox.
        qtbot.waitUntil(lambda: service.conversation(message.conversation_id) is not None,
                        timeout=10_000)

        # The timeline shows it, in the agent's words (fetched once the hub acked).

        def outreach_row() -> int | None:
            model = panel.timeline.model
            for row in range(model.rowCount()):
                entry = model.entry(row)
                if entry is not None and entry.kind is TimelineKind.OUTREACH:
                    return row
            return None

        qtbot.waitUntil(lambda: outreach_row() is not None, timeout=10_000)
        entry = panel.timeline.model.entry(outreach_row() or 0)
        assert entry is not None
        assert timeline_title(entry) == "Reached out"
        assert timeline_detail(entry) == "in the web chat · 李娜"
        assert entry.preview == "Your parcel left the depot today."
        if shots is not None:
            panel.tabs.setCurrentWidget(panel.timeline)
            window.resize(1366, 768)
            qapp.processEvents()
            window.grab().save(str(shots / "reach-out-timeline-1366.png"))

        # Again at once: the hub refuses (one reach-out per customer per hour); the
        # panel's notice says why.
        again = window.customers.open_reach_out()
        assert again is not None
        qtbot.keyClicks(again.text, "One more thing")
        qtbot.mouseClick(again.send, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "a short while ago" in window.notice_bar.label.text(),
                        timeout=10_000)
        assert hub_row(hub.db_path, "SELECT count(*) FROM outreach_log") == (1,)
        run(qtbot, qloop, customer.disconnect())
