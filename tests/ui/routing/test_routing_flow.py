"""Routing in the desktop against a real hub: presence, offers, SLA colours, transfers, close.

Each test starts a hub process on loopback, signs the desktop in as lina and drives
real customers (``SimCustomer``) and, for transfers, a second agent without a window
(``HeadlessAgent``, the same core the desktop runs).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from core.protocol.models import Channel, ConversationStatus, MessageAuthor, Presence
from core.protocol.routing import AwayReason, DeclineReason
from core.session.headless import HeadlessAgent
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import new_desktop, sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config, wait_offer
from ui.routing.sla_countdown import SlaLevel
from ui.settings.settings_dialog import SettingsDialog
from ui.shell.main_window import MainWindow

PASSWORD = "zuoxi-demo"
SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs


def start_desktop(qapp: Any, qtbot: Any, hub: HubProcess, tmp_path: Path) -> DesktopApp:
    app = new_desktop(qapp, hub.url, tmp_path)
    sign_in(qtbot, app, "lina", PASSWORD)
    return app


@pytest.fixture
def routed(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
           make_hub: Callable[..., HubProcess],
           tmp_path: Path) -> Iterator[Callable[[int], tuple[HubProcess, DesktopApp]]]:
    apps: list[DesktopApp] = []

    def start(chat_first_reply_s: int = 60, lina_role: str = "agent", chat_offer_s: int = 30,
              max_missed: int = 3) -> tuple[HubProcess, DesktopApp]:
        config = routing_config(tmp_path / "routing", chat_first_reply_s=chat_first_reply_s,
                                chat_offer_s=chat_offer_s, max_missed=max_missed)
        hub = make_hub("--routing-config", str(config))
        if lina_role != "agent":  # roles are read at start: change it, then start again
            hub.stop()
            with sqlite3.connect(hub.db_path) as db:
                db.execute("UPDATE agents SET role=? WHERE username='lina'", [lina_role])
            hub.start()
        app = start_desktop(qapp, qtbot, hub, tmp_path)
        apps.append(app)
        return hub, app

    yield start
    for app in apps:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda done=finished: bool(done), timeout=10_000)
        if app.login is not None:
            app.login.deleteLater()


def window_of(app: DesktopApp) -> MainWindow:
    assert app.signed is not None
    return app.signed.window


def available(qtbot: Any, hub: HubProcess, window: MainWindow) -> None:
    window.choose_presence(Presence.AVAILABLE)
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE username=?",
                                    "lina") == ("available",), timeout=10_000)


def offered(qtbot: Any, window: MainWindow, customer: SimCustomer) -> str:
    return wait_offer(qtbot, window, customer.conversation_id)


def accept(qtbot: Any, window: MainWindow, customer: SimCustomer) -> str:
    accept_offer(qtbot, window, customer.conversation_id)
    assert customer.conversation_id is not None
    return customer.conversation_id


def test_presence_with_a_reason_and_back(qtbot: Any, routed: Any) -> None:
    hub, app = routed()
    window = window_of(app)
    control = window.status_bar.presence_control
    row = control.selector.row_of(Presence.AWAY, AwayReason.LUNCH)
    control.selector.setCurrentIndex(row)
    control.selector.activated.emit(row)  # what a click in the popup does
    qtbot.waitUntil(lambda: hub_row(hub.db_path,
                                    "SELECT presence, away_reason FROM agents WHERE username=?",
                                    "lina") == ("away", "lunch"), timeout=15_000)
    qtbot.waitUntil(lambda: control.selector.away_reason() is AwayReason.LUNCH)
    assert control.back_button.isVisible()

    qtbot.mouseClick(control.back_button, Qt.MouseButton.LeftButton)  # "I'm back"
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE username=?",
                                    "lina") == ("available",), timeout=15_000)
    qtbot.waitUntil(lambda: control.presence is Presence.AVAILABLE)
    assert not control.back_button.isVisible()


def test_missed_offers_make_the_agent_not_responding_until_back(qtbot: Any, qloop: Any,
                                                                 routed: Any) -> None:
    hub, app = routed(chat_offer_s=2, max_missed=2)
    window = window_of(app)
    control = window.status_bar.presence_control
    available(qtbot, hub, window)
    customer = SimCustomer(hub.customer_ws_url, name="Zhou Min")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("Hello?"))
    first = offered(qtbot, window, customer)
    assert window.offer_toast.countdown.maximum() == 2000  # the hub's chat offer time
    # nobody answers: the offer times out, comes back, times out again ...
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT COUNT(*) FROM offers WHERE "
                                    "status='timeout'") == (2,), timeout=15_000)
    # ... and the hub stops offering: the status bar says so and offers "I'm back"
    qtbot.waitUntil(lambda: control.presence is Presence.NOT_RESPONDING, timeout=10_000)
    assert control.selector.presence() is Presence.NOT_RESPONDING
    assert control.back_button.isVisible()
    assert control.state_text() == "Offers stopped after missed offers"
    qtbot.waitUntil(lambda: not window.offer_toast.isVisible(), timeout=5_000)
    assert hub_row(hub.db_path, "SELECT presence FROM agents WHERE username='lina'") == (
        "not_responding",)

    qtbot.mouseClick(control.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.presence is Presence.AVAILABLE, timeout=10_000)
    # available again: the waiting chat is offered anew
    qtbot.waitUntil(lambda: window.offer_toast.current is not None
                    and window.offer_toast.current.offer_id != first, timeout=10_000)
    run(qtbot, qloop, customer.disconnect())


def test_offer_declined_with_a_reason_goes_to_a_colleague(qtbot: Any, qloop: Any,
                                                         routed: Any, tmp_path: Path) -> None:
    hub, app = routed()
    window = window_of(app)
    available(qtbot, hub, window)
    first = SimCustomer(hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, first.connect())
    run(qtbot, qloop, first.send("你好，我想问一下账单"))
    offer_id = offered(qtbot, window, first)
    toast = window.offer_toast
    assert "王芳" in toast.customer.text()
    # the screen pop: the customer's profile is shown while the offer rings
    qtbot.waitUntil(lambda: window.customer_panel.header.name.text() == "王芳", timeout=10_000)
    assert app.signed is not None and app.signed.notifier is not None
    assert any("王芳" in n.text for n in app.signed.notifier.shown)

    toast.decline_menu.actions()[list(DeclineReason).index(DeclineReason.LANGUAGE)].trigger()
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT status FROM offers WHERE id=?",
                                    offer_id) == ("declined",), timeout=10_000)
    assert all(i.conversation_id != first.conversation_id
               for i in window.inbox.inbox_model.items())
    # the agent's reason reached the hub with the decline
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT reason FROM offers WHERE id=?",
                                    offer_id) == ("language",), timeout=10_000)

    # lina declined it: it is not offered to her again (even as the only agent
    # connected); it waits in its queue. The queue statistics follow the decline's
    # own events, so once they count it waiting, no new offer went out with them.
    view = window.queue_dock.view
    qtbot.waitUntil(lambda: (stat := view.stat("billing") or view.stat("chat")) is not None
                    and first.conversation_id in stat.waiting_ids, timeout=15_000)
    assert hub_row(hub.db_path, "SELECT COUNT(*) FROM offers WHERE conversation_id=? AND "
                   "status='open'", first.conversation_id) == (0,)
    assert not toast.isVisible()

    # a colleague comes online: the hub offers it to them, and they take it
    alex = HeadlessAgent(hub.url, "alex", PASSWORD, tmp_path / "alex.sqlite3")
    run(qtbot, qloop, alex.start())
    run(qtbot, qloop, alex.wait_online())
    alex.service.set_presence(Presence.AVAILABLE)
    alex_id = _agent_id(hub, "alex")
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT agent_id FROM conversations "
                                    "WHERE id=?", first.conversation_id) == (alex_id,),
                    timeout=15_000)
    run(qtbot, qloop, alex.stop())
    run(qtbot, qloop, first.disconnect())


def test_sla_countdown_turns_amber_then_red(qtbot: Any, qloop: Any, routed: Any) -> None:
    hub, app = routed(chat_first_reply_s=8)
    window = window_of(app)
    available(qtbot, hub, window)
    customer = SimCustomer(hub.customer_ws_url, name="陈静")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("在吗？"))
    conversation_id = accept(qtbot, window, customer)
    inbox = window.inbox

    def level() -> SlaLevel:
        row = inbox.inbox_model.row_of(conversation_id)
        return inbox.row_sla(row).level if row is not None else SlaLevel.NONE

    seen: list[SlaLevel] = []

    def reaches(wanted: SlaLevel) -> bool:
        current = level()
        if not seen or seen[-1] is not current:
            seen.append(current)
        return current is wanted

    qtbot.waitUntil(lambda: reaches(SlaLevel.WARN), timeout=15_000)
    qtbot.waitUntil(lambda: reaches(SlaLevel.BREACHED), timeout=15_000)
    assert seen[-2:] == [SlaLevel.WARN, SlaLevel.BREACHED]
    assert SlaLevel.NONE not in seen
    # the row is painted in the breach colour (the strip at its left edge)
    row = inbox.inbox_model.row_of(conversation_id)
    assert row is not None
    rect = inbox.visualRect(inbox.inbox_model.index(row))
    image = inbox.viewport().grab().toImage()
    strip = image.pixelColor(int(1 * image.devicePixelRatio()),
                             int(rect.center().y() * image.devicePixelRatio()))
    assert strip.name() == inbox.delegate.theme.color("danger").name()
    # the hub recorded the breach as an event
    qtbot.waitUntil(lambda: hub_row(hub.db_path,
                                    "SELECT kind FROM sla_breaches WHERE conversation_id=?",
                                    conversation_id) is not None, timeout=10_000)
    # answering stops the countdown
    panel = window.current_panel()
    assert panel is not None
    panel.composer.setPlainText("您好，在的")
    panel.send()
    qtbot.waitUntil(lambda: level() is SlaLevel.NONE, timeout=10_000)
    run(qtbot, qloop, customer.disconnect())


def test_transfer_with_a_note_both_ways(qtbot: Any, qloop: Any, routed: Any,
                                        tmp_path: Path) -> None:
    hub, app = routed()
    window = window_of(app)
    available(qtbot, hub, window)
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("我要退款"))
    conversation_id = accept(qtbot, window, customer)

    alex = HeadlessAgent(hub.url, "alex", PASSWORD, tmp_path / "alex.sqlite3",
                         accept_offers=False)
    run(qtbot, qloop, alex.start())
    run(qtbot, qloop, alex.wait_online())
    alex.service.set_presence(Presence.AVAILABLE)
    alex_id = _agent_id(hub, "alex")
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE id=?",
                                    alex_id) == ("available",), timeout=10_000)

    # lina hands it to alex with a note (Ctrl+Shift+T opens the dialog; the hub lists
    # her colleagues)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.routing.transfer_dialog
    assert dialog is not None and dialog.isVisible()
    names = [dialog.agent_box.itemText(r) for r in range(dialog.agent_box.count())]
    assert "Alex Chen" in names and "李娜" not in names
    dialog.choose_agent(alex_id)
    dialog.note.setPlainText("Refund approved by billing, please send the form")
    qtbot.mouseClick(dialog.transfer, Qt.MouseButton.LeftButton)
    run(qtbot, qloop, alex.wait_until(lambda: any(
        o.conversation_id == conversation_id for o in alex.service.routing.offers()),
        timeout=10))
    offer = next(o for o in alex.service.routing.offers() if o.conversation_id == conversation_id)
    assert offer.transfer_note == "Refund approved by billing, please send the form"
    assert alex.service.routing.accept_offer(offer.offer_id)
    # lina's tab goes, with a note saying why; the customer was told
    qtbot.waitUntil(lambda: window.tabs.tab_index(conversation_id) is None, timeout=10_000)
    assert "transferred" in window.notice_bar.label.text()
    # the customer sees the hub's short message, never the internal note
    told = run(qtbot, qloop, customer.wait_for(lambda: next(
        (m for m in customer.messages if m.author is MessageAuthor.SYSTEM), None), timeout=10))
    assert told is not None and "colleague" in told.text and "Refund" not in told.text
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT agent_id FROM conversations WHERE id=?",
                                    conversation_id) == (alex_id,), timeout=10_000)

    # alex hands it back with a note: lina sees the note first, in the toast and the tab
    alex.service.routing.transfer(conversation_id, to_agent=_agent_id(hub, "lina"),
                                  note="Customer wants to talk to you again")
    offered(qtbot, window, customer)
    toast = window.offer_toast
    assert "Customer wants to talk to you again" in toast.note.text()
    assert toast.note.isVisibleTo(toast)
    accept(qtbot, window, customer)
    panel = window.current_panel()
    assert panel is not None
    qtbot.waitUntil(lambda: panel.note_banner.isVisibleTo(panel), timeout=10_000)
    assert "Customer wants to talk to you again" in panel.note_banner.text()
    assert "Alex Chen" in panel.note_banner.text()  # who transferred it
    run(qtbot, qloop, customer.disconnect())
    run(qtbot, qloop, alex.stop())


def _agent_id(hub: HubProcess, username: str) -> str:
    row = hub_row(hub.db_path, "SELECT id FROM agents WHERE username=?", username)
    assert row is not None
    return str(row[0])


def test_close_asks_for_a_disposition(qtbot: Any, qloop: Any, routed: Any) -> None:
    hub, app = routed()
    window = window_of(app)
    available(qtbot, hub, window)
    customer = SimCustomer(hub.customer_ws_url, name="Tom Baker")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("Thanks, that is all"))
    conversation_id = accept(qtbot, window, customer)

    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.routing.disposition_dialog
    assert dialog is not None and dialog.isVisible()
    labels = [dialog.codes.item(r).text() for r in range(dialog.codes.count())]
    assert "Resolved" in labels
    dialog.choose("resolved")
    dialog.note.setPlainText("Parcel found at the depot")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hub_row(hub.db_path,
                                    "SELECT status, disposition, disposition_note "
                                    "FROM conversations WHERE id=?", conversation_id)
                    == ("closed", "resolved", "Parcel found at the depot"), timeout=15_000)
    item = app.signed.service.conversation(conversation_id)  # type: ignore[union-attr]
    assert item is not None and item.status is ConversationStatus.CLOSED
    run(qtbot, qloop, customer.wait_for(lambda: customer.closed_by is not None, timeout=10))
    run(qtbot, qloop, customer.disconnect())


def test_queue_view_counts_waiting_and_a_picker_picks(qtbot: Any, qloop: Any,
                                                       routed: Any) -> None:
    hub, app = routed(lina_role="picker")
    window = window_of(app)
    window.resize(1280, 800)
    dock, view = window.queue_dock, window.queue_dock.view
    assert view.can_pick and view.pick_button.isVisible()
    served = {view.table.topLevelItem(r).text(0)  # type: ignore[union-attr]
              for r in range(view.table.topLevelItemCount())}
    assert {"Web chat", "Complaints", "Billing"} <= served

    # away: what arrives waits in its queue
    window.choose_presence(Presence.AWAY, AwayReason.MEETING)
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE username=?",
                                    "lina") == ("away",), timeout=10_000)
    customers = [SimCustomer(hub.customer_ws_url, name=name)
                 for name in ("Tom Baker", "陈静", "王芳")]
    texts = ["Where is my parcel?", "请问营业时间？", "我要投诉，快递太慢了"]
    for customer, text in zip(customers, texts, strict=True):
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send(text))

    def waiting(queue_id: str) -> int:
        stat = view.stat(queue_id)
        return stat.waiting if stat is not None else 0

    qtbot.waitUntil(lambda: waiting("chat") == 2 and waiting("complaints") == 1, timeout=15_000)
    assert view.summary.text() == "3 waiting"
    stat = view.stat("chat")
    assert stat is not None and stat.oldest_enqueued_at is not None  # the hub's time
    assert not window.offer_toast.isVisible()  # nothing is offered to an away agent

    # the picker sees who waits, from the hub; picking the second one takes exactly it
    view.select_queue("chat")
    qtbot.waitUntil(lambda: len(view.waiting_shown()) == 2, timeout=15_000)
    shown = view.waiting_shown()
    assert [(w.customer_name, w.channel) for w in shown] == [("Tom Baker", Channel.CHAT),
                                                              ("陈静", Channel.CHAT)]
    chosen = shown[1].conversation_id
    view.choose_conversation(chosen)
    qtbot.mouseClick(view.pick_chosen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_panel() is not None
                    and window.current_panel().conversation_id == chosen,  # type: ignore[union-attr]
                    timeout=15_000)
    qtbot.waitUntil(lambda: waiting("chat") == 1, timeout=15_000)

    # pick the first waiting chat by hand: it becomes ours at once and its tab opens
    first_waiting = view.stat("chat").waiting_ids[0]  # type: ignore[union-attr]
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.current_panel() is not None
                    and window.current_panel().conversation_id == first_waiting,  # type: ignore[union-attr]
                    timeout=15_000)
    qtbot.waitUntil(lambda: waiting("chat") == 0, timeout=15_000)
    assert hub_row(hub.db_path, "SELECT agent_id IS NOT NULL FROM conversations WHERE id=?",
                   first_waiting) == (1,)

    # back to available: the complaint (highest priority) is offered first
    window.choose_presence(Presence.AVAILABLE)
    complaint = customers[2]
    wait_offer(qtbot, window, complaint.conversation_id)
    assert "Complaints" in window.offer_toast.title.text()
    assert "王芳" in window.offer_toast.customer.text()
    # working in an open conversation: the side panel stays with that customer
    assert window.customer_panel.header.name.text() == "Tom Baker"
    if SHOTS:
        qtbot.wait(1200)  # a countdown tick and the flash
        window.grab().save(os.path.join(SHOTS, "screenshot-routing.png"))
    assert dock.isVisible()
    for customer in customers:
        run(qtbot, qloop, customer.disconnect())


def test_auto_accept_chats_from_the_settings(qtbot: Any, qloop: Any, routed: Any) -> None:
    hub, app = routed()
    window = window_of(app)
    available(qtbot, hub, window)
    app._open_settings()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and not dialog.auto_accept.isChecked()  # the hub's value
    dialog.auto_accept.setChecked(True)
    dialog.findChild(QDialogButtonBox).button(  # type: ignore[union-attr]
        QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT auto_accept_chat FROM agents "
                                    "WHERE username='lina'") == (1,), timeout=10_000)

    customer = SimCustomer(hub.customer_ws_url, name="Emma Walker")
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("Quick question"))
    model = window.inbox.inbox_model
    qtbot.waitUntil(lambda: any(i.conversation_id == customer.conversation_id
                                for i in model.items()), timeout=15_000)
    assert not window.offer_toast.isVisible()  # it never rang
    assert window.screen_pop_toast.isVisible()  # the arrival notice instead
    run(qtbot, qloop, customer.disconnect())
