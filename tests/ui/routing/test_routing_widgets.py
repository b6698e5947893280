"""Routing widgets with plain data: countdowns, the offer toast, presence, dialogs, queues."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.protocol.models import Channel, Presence
from core.protocol.routing import (
    AgentRole,
    AwayReason,
    DeclineReason,
    Disposition,
    QueueInfo,
    QueueStat,
    SlaState,
    WaitingConversation,
)
from core.session.preferences import ThemeName
from ui.routing.offer_toast import OfferCard, OfferToast
from ui.routing.presence_control import PresenceControl
from ui.routing.queue_view import QueueView
from ui.routing.sla_countdown import SlaLevel, countdown_text, sla_state
from ui.routing.wrap_up_dialogs import (
    MAX_NOTE_CHARS,
    DispositionDialog,
    TransferDialog,
    TransferTarget,
)
from ui.widgets.theme import load_theme
from ui.widgets.time_text import now_ms

THEME = load_theme(ThemeName.LIGHT)
BILLING = QueueInfo("billing", "Billing", Channel.CHAT,
                    [Disposition("solved", "Solved"), Disposition("refund", "Refund issued")])
TECH = QueueInfo("tech", "Technical", Channel.CHAT)


def test_sla_levels_follow_the_time_left() -> None:
    start, due = 1_000_000, 1_060_000  # a 60 s target
    assert sla_state(due, start, start).level is SlaLevel.OK
    assert sla_state(due, start, due - 16_000).level is SlaLevel.OK  # 26 % left
    assert sla_state(due, start, due - 14_000).level is SlaLevel.WARN  # 23 % left
    breached = sla_state(due, start, due + 5_000)
    assert breached.level is SlaLevel.BREACHED and breached.remaining_ms == -5_000
    assert breached.color_key == "danger"
    assert sla_state(None, start, start).level is SlaLevel.NONE


def test_countdown_text() -> None:
    assert countdown_text(42_000) == "0:42"
    assert countdown_text(41_001) == "0:42"  # rounds up: never "0:00" while time is left
    assert countdown_text(3_725_000) == "1:02:05"
    assert countdown_text(-90_000) == "+1:30"


def card(offer_id: str, expires_in_ms: int, note: str | None = None) -> OfferCard:
    now = now_ms()
    return OfferCard(offer_id, f"conv-{offer_id}", "cust-1", "王芳", Channel.CHAT, "Billing", 3,
                     now, now + expires_in_ms, note, "Alex" if note else None)


def test_offer_toast_accepts_with_enter_and_declines_with_a_reason(qtbot: Any) -> None:
    toast = OfferToast()
    qtbot.addWidget(toast)
    toast.set_offers([card("o2", 30_000), card("o1", 20_000, note="Wants a refund")], None)
    assert toast.isVisible()
    assert toast.current is not None and toast.current.offer_id == "o1"  # expires first
    assert "王芳" in toast.customer.text()
    assert "Billing" in toast.title.text()
    assert toast.note.isVisibleTo(toast) and "Wants a refund" in toast.note.text()
    assert toast.more.text() == "+1 more"
    assert "s to answer" in toast.countdown.format()
    with qtbot.waitSignal(toast.accept_requested) as accepted:
        qtbot.keyClick(toast, Qt.Key.Key_Return)
    assert accepted.args == ["o1"]
    with qtbot.waitSignal(toast.decline_requested) as declined:
        toast.decline_menu.actions()[2].trigger()  # "Not a language I speak"
    assert declined.args == ["o1", DeclineReason.LANGUAGE]
    flashes = {toast.flashing}
    qtbot.waitUntil(lambda: (flashes.add(toast.flashing), len(flashes) == 2)[1], timeout=3000)
    toast.set_offers([], None)
    assert not toast.isVisible()


def test_offer_toast_drops_an_offer_once_it_expires(qtbot: Any) -> None:
    toast = OfferToast()
    qtbot.addWidget(toast)
    toast.set_offers([card("late", 600), card("later", 30_000)], None)
    assert toast.current is not None and toast.current.offer_id == "late"
    qtbot.waitUntil(lambda: toast.current is not None and toast.current.offer_id == "later",
                    timeout=3000)


def test_presence_control_shows_what_the_hub_says(qtbot: Any) -> None:
    control = PresenceControl(THEME)
    qtbot.addWidget(control)
    control.show()
    control.set_state(Presence.AWAY, AwayReason.LUNCH)
    assert control.selector.away_reason() is AwayReason.LUNCH
    assert "Lunch" in control.selector.currentText()
    assert control.back_button.isVisible()

    control.set_state(Presence.AFTER_CALL_WORK, None, now_ms() + 45_000)
    assert control.selector.presence() is Presence.AFTER_CALL_WORK
    assert control.state_text().startswith("Wrap-up:") and "0:4" in control.state_text()
    # its end passed (the hub's word not here yet): no "0:00 left" standing still
    control.set_state(Presence.AFTER_CALL_WORK, None, now_ms() - 1_000)
    assert control.state_text() == "Wrap-up ending…"

    control.set_state(Presence.NOT_RESPONDING)
    assert control.back_button.isVisible()
    with qtbot.waitSignal(control.presence_chosen) as chosen:
        qtbot.mouseClick(control.back_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [Presence.AVAILABLE, None]

    # the agent cannot choose a state only the hub sets
    busy_row = control.selector.row_of(Presence.BUSY)
    with qtbot.assertNotEmitted(control.presence_chosen):
        control.selector.activated.emit(busy_row)
    row = control.selector.row_of(Presence.AWAY, AwayReason.TRAINING)
    with qtbot.waitSignal(control.presence_chosen) as chosen:
        control.selector.activated.emit(row)
    assert chosen.args == [Presence.AWAY, AwayReason.TRAINING]

    control.set_state(Presence.AVAILABLE)
    assert not control.back_button.isVisible() and control.state_text() == ""


def test_transfer_dialog_to_an_agent_or_a_queue(qtbot: Any) -> None:
    dialog = TransferDialog("王芳", [TransferTarget("a-alex", "Alex")], [BILLING, TECH])
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.note.setPlainText("  Refund approved, send the form  ")
    with qtbot.waitSignal(dialog.transfer_chosen) as chosen:
        qtbot.mouseClick(dialog.transfer, Qt.MouseButton.LeftButton)
    assert chosen.args == ["a-alex", None, "Refund approved, send the form"]

    dialog = TransferDialog("王芳", [], [BILLING, TECH])
    qtbot.addWidget(dialog)
    assert not dialog.to_agent.isEnabled() and dialog.to_queue.isChecked()
    dialog.choose_queue("tech")
    dialog.note.setPlainText("x" * (MAX_NOTE_CHARS + 50))
    assert len(dialog.note.note()) == MAX_NOTE_CHARS
    with qtbot.waitSignal(dialog.transfer_chosen) as chosen:
        dialog.transfer.click()
    assert chosen.args[:2] == [None, "tech"]


def test_disposition_dialog_needs_a_code_when_required(qtbot: Any) -> None:
    dialog = DispositionDialog("王芳", list(BILLING.dispositions), required=True)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.close_button.isEnabled()
    dialog.choose("refund")
    assert dialog.close_button.isEnabled()
    dialog.note.setPlainText("Refund of ¥120")
    with qtbot.waitSignal(dialog.disposition_chosen) as chosen:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert chosen.args == ["refund", "Refund of ¥120"]

    optional = DispositionDialog("王芳", list(BILLING.dispositions), required=False)
    qtbot.addWidget(optional)
    with qtbot.waitSignal(optional.disposition_chosen) as chosen:
        optional.close_button.click()
    assert chosen.args == [None, ""]


def test_picker_sees_the_waiting_list_and_picks_a_chosen_conversation(
        qtbot: Any, tmp_path: Path) -> None:
    view = QueueView(THEME)
    qtbot.addWidget(view)
    view.resize(420, 420)
    view.show()
    now = now_ms()
    waiting = [
        WaitingConversation("c-9", "王芳", Channel.CHAT, now - 95_000, 245),
        WaitingConversation("c-4", "Tom Baker", Channel.CHAT, now - 30_000, 5),
        WaitingConversation("c-7", "<b>陈静</b>", Channel.EMAIL, now - 3_700_000, 620),
    ]
    # The push says 1 s, but the hub queued the oldest an hour ago: the hub's time wins.
    stat = QueueStat("billing", 3, 1000, SlaState.BREACHED, ["c-9", "c-4", "c-7"],
                     oldest_enqueued_at=now - 3_700_000, waiting_list=waiting)
    view.set_queues([BILLING, TECH], AgentRole.SUPERVISOR.can_pick)
    view.set_stats(now, [stat, QueueStat("tech", 0, 0, SlaState.OK, [])])
    view.select_queue("billing")
    rows = {view.table.topLevelItem(r).text(0): view.table.topLevelItem(r)
            for r in range(view.table.topLevelItemCount())}
    assert rows["Billing"].text(2) == "1 h"
    assert view.oldest_wait_ms(stat) >= 3_700_000

    listed = view.waiting_list
    assert listed.isVisible()
    shown = [[listed.topLevelItem(r).text(c) for c in range(4)]
             for r in range(listed.topLevelItemCount())]
    assert shown == [["王芳", "Chat", "1 min", "245"], ["Tom Baker", "Chat", "30 s", "5"],
                     ["<b>陈静</b>", "Email", "1 h", "620"]]
    assert not view.pick_chosen_button.isEnabled()  # nothing chosen yet
    view.grab().save(str(tmp_path / "queue-view.png"))

    # Keyboard: into the list, down to Tom Baker, Enter picks exactly that one.
    listed.setFocus()
    listed.setCurrentItem(listed.topLevelItem(0))
    qtbot.keyClick(listed, Qt.Key.Key_Down)
    assert view.chosen_conversation() == "c-4" and view.pick_chosen_button.isEnabled()
    with qtbot.waitSignal(view.pick_requested) as picked:
        qtbot.keyClick(listed, Qt.Key.Key_Return)
    assert picked.args == ["c-4"]
    view.choose_conversation("c-7")
    with qtbot.waitSignal(view.pick_requested) as picked:
        qtbot.mouseClick(view.pick_chosen_button, Qt.MouseButton.LeftButton)
    assert picked.args == ["c-7"]

    # A new push keeps the choice; another queue shows its own (empty) list.
    view.set_stats(now_ms(), [stat])
    assert view.chosen_conversation() == "c-7"
    view.select_queue("tech")
    assert listed.topLevelItemCount() == 0 and not view.pick_chosen_button.isEnabled()

    # Plain agents see counts only.
    view.set_queues([BILLING, TECH], AgentRole.AGENT.can_pick)
    assert not listed.isVisible() and not view.pick_chosen_button.isVisible()


def test_queue_view_counts_and_picks_by_role(qtbot: Any) -> None:
    view = QueueView(THEME)
    qtbot.addWidget(view)
    view.show()
    view.set_queues([BILLING, TECH], AgentRole.AGENT.can_pick)
    view.set_stats(now_ms() - 2000, [
        QueueStat("billing", 3, 95_000, SlaState.AT_RISK, ["c-9", "c-4", "c-7"]),
        QueueStat("tech", 0, 0, SlaState.OK, []),
    ])
    rows = {view.table.topLevelItem(r).text(0): view.table.topLevelItem(r)
            for r in range(view.table.topLevelItemCount())}
    assert rows["Billing"].text(1) == "3" and rows["Billing"].text(2) == "1 min"
    assert rows["Technical"].text(1) == "0" and rows["Technical"].text(2) == ""
    assert view.summary.text() == "3 waiting"
    assert not view.pick_button.isVisible()  # plain agents cannot pick
    view.select_queue("billing")
    with qtbot.assertNotEmitted(view.pick_requested):
        view.pick_selected()

    view.set_queues([BILLING, TECH], AgentRole.PICKER.can_pick)
    view.select_queue("billing")
    assert view.pick_button.isVisible() and view.pick_button.isEnabled()
    with qtbot.waitSignal(view.pick_requested) as picked:
        qtbot.mouseClick(view.pick_button, Qt.MouseButton.LeftButton)
    assert picked.args == ["c-9"]  # highest priority first
    view.select_queue("tech")
    assert not view.pick_button.isEnabled()
