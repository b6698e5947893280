"""Monitoring and coaching on the real desktop against a real hub on loopback.

As 王伟 (supervisor): monitor 李娜's live chat from the Supervise menu, whisper
(李娜 receives it, the customer's widget never does), barge in (the customer sees
王伟's name), reassign to Alex. As 李娜 (agent): the whisper shows under the chat,
marked as coaching; her window has no supervisor actions, and the hub refuses
them when her desktop sends one anyway.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from PySide6.QtCore import Qt

from core.protocol import agent as ap
from core.protocol import coaching as cop
from core.protocol import routing as rp
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import auto_accept_hub
from ui.chat.chat_panel import ChatPanel
from ui.shell.shortcut_sheet import shortcut_rows
from ui.supervision.monitor_menu import MonitorPicker

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs
# "zh_CN" for the Chinese screenshots; English texts are checked only in English.
SHOTS_LANG = os.environ.get("ZUOXI_SCREENSHOTS_LANG", "en")
EN = SHOTS_LANG == "en"
WHISPER = "先道歉，再提供免运费 · apologise first, then offer free shipping"


def _widget_saw(customer: SimCustomer, text: str) -> bool:
    return any(text in msgspec.json.encode(f).decode() for f in customer.frames)


def test_supervisor_monitors_whispers_barges_and_reassigns(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    translators = install_translators(qapp, SHOTS_LANG) if not EN else []
    hub = auto_accept_hub(make_hub, tmp_path)
    lina = run(qtbot, qloop, AgentProbe.logged_in(hub.url, "lina"))
    customer = SimCustomer(hub.customer_ws_url, name="赵敏", locale="zh-CN")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("我的订单三天了还没到"))
    assigned = run(qtbot, qloop, lina.wait_body(ap.ConversationAssigned, timeout=10))
    conv_id = assigned.conversation.id
    run(qtbot, qloop, lina.reply(conv_id, "您好，我帮您查一下物流"))
    alex = run(qtbot, qloop, AgentProbe.logged_in(hub.url, "alex"))

    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "wang")
        assert app.signed is not None
        window = app.signed.window
        if SHOTS:
            window.resize(1920, 1080)
        supervise = window.supervise
        qtbot.waitUntil(lambda: "monitor" in supervise.actions, timeout=10_000)
        # The shortcuts are in the menu and on the Ctrl+/ sheet.
        keys = {r.text: r.keys for r in shortcut_rows(window)}
        if EN:
            assert keys["Whisper to the agent"] == "Alt+Shift+W"
            assert keys["Barge in"] == "Alt+Shift+B" and keys["Reassign"] == "Alt+Shift+R"
            assert keys["Monitor a conversation"] == "Alt+Shift+M"

        supervise.actions["monitor"].trigger()
        picker = supervise.dialog
        assert isinstance(picker, MonitorPicker)
        qtbot.waitUntil(lambda: picker.rows.count() >= 1 and picker.rows.item(0).data(
            Qt.ItemDataRole.UserRole) == conv_id, timeout=10_000)
        assert "赵敏" in picker.rows.item(0).text() and "李娜" in picker.rows.item(0).text()
        picker.rows.setCurrentRow(0)
        qtbot.keyClick(picker.rows, Qt.Key.Key_Return)
        dock = supervise.dock
        assert dock is not None and dock.conversation_id == conv_id
        qtbot.waitUntil(lambda: dock.chat_view is not None
                        and dock.chat_view.message_model.rowCount() == 2, timeout=10_000)
        qtbot.waitUntil(lambda: "李娜" in dock.banner.text(), timeout=5_000)
        assert not EN or "monitoring (read-only)" in dock.banner.text()
        assert app.signed.service.conversation(conv_id) is not None
        assert all(i.conversation_id != conv_id for i in app.signed.service.inbox())

        # A live message reaches the monitor.
        run(qtbot, qloop, customer.send("能不能快一点？"))
        qtbot.waitUntil(lambda: dock.chat_view is not None
                        and dock.chat_view.message_model.rowCount() == 3, timeout=10_000)

        # Whisper: the action focuses the box; Enter sends.
        supervise.actions["whisper"].trigger()
        dock.whisper_edit.setText(WHISPER)  # keyClicks cannot type Chinese
        qtbot.keyClick(dock.whisper_edit, Qt.Key.Key_Return)
        note = run(qtbot, qloop, lina.wait_body(cop.CoachingNoteAdded, timeout=10))
        assert note.note.text == WHISPER and note.note.author_name == "王伟"
        qtbot.waitUntil(lambda: dock.notes is not None and dock.notes.texts() == [WHISPER],
                        timeout=10_000)
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / f"screenshot-coaching-monitor-{SHOTS_LANG}.png"))

        # Barge in and write to the customer as 王伟.
        supervise.actions["barge"].trigger()
        qtbot.waitUntil(dock.barge_edit.isVisible, timeout=5_000)
        dock.barge_edit.setText("您好，我是主管王伟，马上为您加急")
        qtbot.keyClick(dock.barge_edit, Qt.Key.Key_Return)
        got = run(qtbot, qloop, customer.wait_message(lambda m: "主管王伟" in m.text,
                                                      timeout=10))
        assert got.author_name == "王伟"
        qtbot.waitUntil(lambda: not dock.barge_button.isEnabled(), timeout=10_000)
        assert not EN or "you have joined" in dock.banner.text()
        # The barrier: the widget's socket is ordered and the barge message left after
        # the whisper, so anything the whisper sent the widget has arrived already.
        assert not _widget_saw(customer, WHISPER)

        # Reassign to Alex through routing's transfer.
        supervise.actions["reassign"].trigger()
        dialog = supervise.dialog
        assert dialog is not None
        dialog.to_agent.setChecked(True)  # type: ignore[attr-defined]
        box = dialog.agent_box  # type: ignore[attr-defined]
        box.setCurrentIndex(box.findText("Alex Chen"))
        assert box.currentText() == "Alex Chen"
        dialog.note.setPlainText("VIP")  # type: ignore[attr-defined]
        qtbot.mouseClick(dialog.transfer, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        offer = run(qtbot, qloop, alex.wait_body(rp.OfferMade, timeout=10))
        assert offer.conversation.id == conv_id and offer.transferred_by == "王伟"
        gone = run(qtbot, qloop, lina.wait_body(ap.ConversationUnassigned, timeout=10))
        assert gone.conversation_id == conv_id
    run(qtbot, qloop, customer.disconnect())
    for probe in (lina, alex):
        run(qtbot, qloop, probe.close())
    for translator in translators:
        qapp.removeTranslator(translator)



def test_agent_sees_the_whisper_and_has_no_supervisor_actions(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    translators = install_translators(qapp, SHOTS_LANG) if not EN else []
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "lina")
        assert app.signed is not None
        window, service, bridge = app.signed.window, app.signed.service, app.signed.bridge
        if SHOTS:
            window.resize(1920, 1080)
        customer = SimCustomer(hub.customer_ws_url, name="Tom Baker")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Where is my parcel? It is three days late."))
        qtbot.waitUntil(lambda: any(i.conversation_id == customer.conversation_id
                                    for i in service.inbox()), timeout=15_000)
        conv_id = customer.conversation_id or ""
        window.open_conversation(conv_id)
        panel = window.tabs.current_panel()
        assert isinstance(panel, ChatPanel)
        assert not panel.coaching_notes.isVisible()

        wang = run(qtbot, qloop, AgentProbe.logged_in(hub.url, "wang", accept_offers=False))
        run(qtbot, qloop, wang.command(cop.MonitorConversation(op="m1",
                                                               conversation_id=conv_id)))
        run(qtbot, qloop, wang.command(cop.Whisper(op="w1", conversation_id=conv_id,
                                                   note_id=uuid.uuid4().hex, text=WHISPER)))
        qtbot.waitUntil(lambda: panel.coaching_notes.texts() == [WHISPER], timeout=10_000)
        assert panel.coaching_notes.isVisible()
        headers = [w.text() for w in panel.coaching_notes.findChildren(type(panel.title))
                   if w.objectName() == "CoachingNoteHeader"]
        assert len(headers) == 1 and "王伟" in headers[0]
        assert not EN or headers[0].startswith("Coaching from 王伟")
        # Not a message: the chat's message list holds only the customer's.
        assert [m.text for m in service.messages(conv_id)] == [
            "Where is my parcel? It is three days late."]
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / f"screenshot-coaching-agent-{SHOTS_LANG}.png"))

        # The widget never got it: lina's reply, sent after, is the barrier.
        service.send_message(conv_id, "Let me check that for you.")
        run(qtbot, qloop, customer.wait_message(lambda m: m.text.startswith("Let me check"),
                                                timeout=10))
        assert not _widget_saw(customer, WHISPER)

        # An agent has no supervisor actions, in menus or on the shortcut sheet ...
        assert window.supervise.dock is None and not window.supervise.actions
        assert all(not r.keys.startswith("Alt+Shift") for r in shortcut_rows(window))
        # ... and the hub refuses one her desktop sends anyway.
        with qtbot.waitSignal(bridge.command_failed, timeout=10_000,
                              check_params_cb=lambda kind, code: (kind, code)
                              == ("whisper", "forbidden")):
            service.coaching.whisper(conv_id, "I coach myself")
        run(qtbot, qloop, customer.disconnect())
        run(qtbot, qloop, wang.close())
    for translator in translators:
        qapp.removeTranslator(translator)
