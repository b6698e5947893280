"""The customer panel, the Ctrl+K search popup, merge and transcripts (no hub needed).

Screenshots of what these tests show are saved when ZUOXI_SCREENSHOTS names a folder.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from core.chat.preferences import SendKey
from core.profile.outbox import ProfileFailure
from core.protocol.agent import Event
from core.protocol.models import IdentityKind
from core.protocol.profile import AddIdentity, CustomerMerged, MergeCustomers, UpdateCustomer
from core.records import NoteState, TimelineKind
from core.session.preferences import ThemeName
from desktop.translations import install_translators
from tests.ui.profile_seed import T0, nana, seeded_service
from ui.profile.customer_panel import CustomerPanel
from ui.profile.profile_details import CopyLabel
from ui.profile.transcript_dialog import TranscriptDialog
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import apply_theme, load_theme

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")


def shot(widget: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def window(qtbot: Any, timeline_items: int = 30) -> MainWindow:
    service = seeded_service(timeline_items)
    win = MainWindow(ServiceBridge(service), load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def test_panel_follows_the_conversation_and_shows_the_whole_profile(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot)
    panel = win.customer_panel
    qtbot.waitUntil(lambda: panel.customer_id == "cu1")  # the inbox opened c1 at once
    header = panel.header
    assert header.name.text() == "欧阳娜娜 Nana Ouyang"
    badge = header.findChild(type(header.name), "TierBadge")
    assert badge is not None and badge.text() == "VIP"
    autos = [w for w in header.auto_box.children() if getattr(w, "objectName", lambda: "")()
             == "AutoChip"]
    assert "4 contacts in the last 7 days" in autos[0].toolTip()
    assert "4 contacts in 30 days" in header.stats.text() and "CSAT 4.6" in header.stats.text()
    model = panel.timeline.model
    assert model.rowCount() == 20
    entries = [model.entry(r) for r in range(model.rowCount())]
    assert entries[0].id == "c1" and entries[0].preview == "已经为您加急处理，预计明天送达。"  # type: ignore[union-attr]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)  # type: ignore[union-attr]
    values = [w.value for w in panel.details.findChildren(CopyLabel)]
    assert set(values) == {"+8613800138000", "nana.ouyang@example.com", "wx:oQ3k-raw"}
    assert panel.notes.list.count() >= 2
    shot(panel, "panel-light.png")


def test_timeline_loads_more_while_scrolling_and_filters_by_channel(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot, timeline_items=60)
    panel = win.customer_panel
    qtbot.waitUntil(lambda: panel.customer_id == "cu1")
    view, model = panel.timeline.view, panel.timeline.model
    assert model.rowCount() == 20
    bar = view.verticalScrollBar()
    for expected in (40, 60, 63):  # 60 history + the open chat + two notes

        def scrolled(e: int = expected) -> bool:
            bar.setValue(bar.maximum())  # as the agent drags or wheels to the end
            return model.rowCount() == e

        qtbot.waitUntil(scrolled)
    assert len({model.entry(r).id for r in range(63)}) == 63  # type: ignore[union-attr]
    assert not model.canFetchMore(model.index(-1))
    email = panel.timeline.filter.findText("Email")
    panel.timeline.filter.setCurrentIndex(email)
    qtbot.waitUntil(lambda: 0 < model.rowCount() <= 20)
    assert {model.entry(r).channel.value for r in range(model.rowCount())} == {"email"}  # type: ignore[union-attr]


def test_attribute_note_and_contact_edits_go_to_the_outbox(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot)
    panel = win.customer_panel
    service = win._bridge.service
    qtbot.waitUntil(lambda: panel.customer_id == "cu1")
    panel.tabs.setCurrentIndex(1)
    orders = panel.details._editors["orders"]
    orders.setText("40")  # type: ignore[attr-defined]
    orders.editingFinished.emit()  # type: ignore[attr-defined]
    [update] = service.pending_commands()
    assert isinstance(update, UpdateCustomer) and update.attributes == {"orders": 40.0}
    city = panel.details._editors["city"]
    city.setText("杭州")  # type: ignore[attr-defined]
    city.editingFinished.emit()  # type: ignore[attr-defined]
    assert service.profiles.profile("cu1").attributes["city"] == "杭州"  # type: ignore[union-attr]
    # a note: shown at once, as not yet synced
    panel.tabs.setCurrentIndex(2)
    panel.notes.editor.setPlainText("客户要求周五前回电")
    qtbot.mouseClick(panel.notes.save, Qt.MouseButton.LeftButton)
    notes = service.profiles.profile("cu1").notes  # type: ignore[union-attr]
    assert (notes[0].text, notes[0].state) == ("客户要求周五前回电", NoteState.PENDING)
    assert panel.tabs.tabText(2) == "Notes (3)"
    top = panel.timeline.model.entry(0)
    assert top is not None and top.kind is TimelineKind.NOTE
    # a contact point: pending until the hub answers
    panel.details.new_value.setText("nana@work.example")
    panel.details.kind.setCurrentIndex(1)
    qtbot.mouseClick(panel.details.add_button, Qt.MouseButton.LeftButton)
    assert any(p.pending and p.kind is IdentityKind.EMAIL
               for p in service.profiles.profile("cu1").contact_points)  # type: ignore[union-attr]
    # a wrong number typed into a number field is explained, not sent
    before = len(service.pending_commands())
    panel.details._save("orders", "many")
    assert not panel.details.attribute_error.isHidden()
    assert "number" in panel.details.attribute_error.text()
    assert len(service.pending_commands()) == before


def test_invalid_identity_asks_and_keeps_it_unverified(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot)
    service = win._bridge.service
    service.profiles.add_identity("cu1", IdentityKind.PHONE, "12345")
    [command] = service.pending_commands()
    service.op_rejected(command.op, "invalid_identity", "not a valid number for region CN")
    box = win.keep_unverified_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "12345" in box.text() and "region CN" in box.informativeText()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    [again] = service.pending_commands()
    assert isinstance(again, AddIdentity) and again.keep_unverified and again.value == "12345"
    # other refusals are explained in words
    win._bridge.profile_command_failed.emit(ProfileFailure(
        "merge_customers", "merge_refused", "", MergeCustomers(op="o", target_id="cu1",
                                                               source_id="cu2")))
    assert "could not be merged" in win.notice_bar.label.text()


def test_search_popup_is_keyboard_driven(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot)
    qtbot.waitUntil(lambda: win.customer_panel.customer_id == "cu1")
    win.customer_panel.show_customer(None)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win.inbox, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = win.search_popup
    qtbot.waitUntil(popup.isVisible)
    popup.box.insert("娜娜")  # an input method commits Chinese text; two characters: LIKE
    assert popup.results.count() >= 1
    popup.box.clear()
    qtbot.keyClicks(popup.box, "138 0013")
    assert popup.results.item(0).text().startswith("欧阳娜娜")
    shot(popup, "search-light.png")
    qtbot.keyClick(popup.box, Qt.Key.Key_Return)
    assert not popup.isVisible() and win.customer_panel.customer_id == "cu1"
    # a message hit: Down moves from the customer row to the message, Enter opens it
    win.open_search()
    popup.box.clear()
    popup.box.insert("还没有发货")
    assert popup.results.count() == 2  # the customer, then the matching message
    qtbot.keyClick(popup.box, Qt.Key.Key_Down)
    assert popup.results.currentRow() == 1
    qtbot.keyClick(popup.box, Qt.Key.Key_Return)
    assert win.current_panel() is not None and win.current_panel().conversation_id == "c1"  # type: ignore[union-attr]


def test_transcript_opens_non_modal_from_the_timeline(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot)
    panel = win.customer_panel
    qtbot.waitUntil(lambda: panel.customer_id == "cu1")
    dialog = panel.open_transcript("c1")
    assert isinstance(dialog, TranscriptDialog) and not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.record is not None)  # offline: read from the cache
    assert dialog.record.from_cache and len(dialog.record.messages) == 4  # type: ignore[union-attr]
    assert "88172" in dialog.body.toPlainText()
    shot(dialog, "transcript-light.png")


def test_merge_dialog_confirms_what_moves_and_the_panel_follows(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    win = window(qtbot)
    service = win._bridge.service
    panel = win.customer_panel
    panel.show_customer("cu2")
    dialog = win.open_merge("cu1")
    dialog.search.setText("Nana O.")
    dialog.results.setCurrentRow(0)
    assert "Nana O. will be merged into 欧阳娜娜" in dialog.summary.text()
    qtbot.mouseClick(dialog.merge, Qt.MouseButton.LeftButton)
    [merge] = service.pending_commands()
    assert isinstance(merge, MergeCustomers) and (merge.target_id, merge.source_id) == (
        "cu1", "cu2")
    service.events_received([Event(seq=2, ts=T0, body=CustomerMerged(
        merge_id="mg1", source_id="cu2", target=nana(), conversation_ids=[]))])
    assert panel.customer_id == "cu1"  # the shown customer was merged away: follow it
    undo = [a.text() for a in panel.header.menu.actions()]
    assert any(text.startswith("Undo merge of Nana O.") for text in undo)


@pytest.mark.parametrize(("theme", "language"), [("light", "en"), ("dark", "en"),
                                                 ("light", "zh_CN"), ("dark", "zh_CN")])
def test_panel_renders_in_both_themes_and_chinese(qapp: QApplication, qtbot: Any,
                                                  qloop: asyncio.AbstractEventLoop,
                                                  theme: str, language: str) -> None:
    translators = install_translators(qapp, language) if language != "en" else []
    try:
        chosen = load_theme(ThemeName(theme))
        apply_theme(qapp, chosen)
        service = seeded_service()
        panel = CustomerPanel(ServiceBridge(service), chosen)
        qtbot.addWidget(panel)
        panel.resize(380, 780)
        panel.show()
        panel.show_conversation("c1")
        # The side panel's column is 380 px: its texts (longer in Chinese) must fit it.
        assert panel.minimumSizeHint().width() <= 380
        assert panel.timeline.model.rowCount() == 20
        # It is painted in the theme: its commonest colour is one of the theme's grounds.
        image = panel.grab().toImage()
        pixels = Counter(image.pixel(x, y) for x in range(0, image.width(), 7)
                         for y in range(0, image.height(), 7))
        grounds = {chosen.color(key).rgb() for key in ("window", "panel", "panel_alt")}
        assert pixels.most_common(1)[0][0] in grounds
        if language == "zh_CN":
            assert panel.tabs.tabText(0) == "时间线"
        shot(panel, f"panel-{theme}-{language}.png")
        panel.tabs.setCurrentIndex(1)
        shot(panel, f"panel-profile-{theme}-{language}.png")
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        apply_theme(qapp, load_theme(ThemeName.LIGHT))
