"""Follow-ups on the real desktop against a real hub: made from the open chat with
its shortcut (listed on the Ctrl+/ sheet), shown beside the conversations with a
countdown, the hub's reminder notified (the reminder lead is longer than the time
to the due time, so it comes at once) and its row highlighted, Enter opens its
conversation, and solving it updates the list, the hub and the customer's widget.

With ZUOXI_SCREENSHOTS=<folder> (and ZUOXI_SCREENSHOTS_LANG=zh_CN) it saves the
window at 1920x1080 with the reminded follow-up in the list."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from core.protocol.followups import FollowUpKind, FollowUpSolved, FollowUpStatus
from desktop.notifications import NoticeKind
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import qloop, run  # noqa: F401 - the Qt-driven loop fixture
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import hub_row, routing_config
from ui.routing.sla_countdown import SlaLevel
from ui.shell.shortcut_sheet import shortcut_rows

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")
SHOTS_LANG = os.environ.get("ZUOXI_SCREENSHOTS_LANG", "en")
EN = SHOTS_LANG == "en"
HOUR_MS = 3600 * 1000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _followup_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    """Chats assigned at once; owners reminded two hours ahead (so a follow-up due in
    an hour is reminded as soon as it is made)."""
    path = routing_config(tmp_path / "routing", auto_accept_chat=True)
    text, count = re.subn(r"(?m)^remind_before_s = \d+", "remind_before_s = 7200",
                          path.read_text(encoding="utf-8"))
    assert count == 1
    path.write_text(text, encoding="utf-8")
    return make_hub("--routing-config", str(path))


def test_follow_up_made_with_the_shortcut_reminds_and_is_solved(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,  # noqa: F811
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    translators = install_translators(qapp, SHOTS_LANG) if not EN else []
    hub = _followup_hub(make_hub, tmp_path)
    customer = SimCustomer(hub.customer_ws_url, name="王芳 <b>VIP</b>", locale="zh-CN")
    try:
        with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
            sign_in(qtbot, app)
            assert app.signed is not None and app.signed.notifier is not None
            window, notifier = app.signed.window, app.signed.notifier
            service = app.signed.service
            window.resize(1920, 1080)
            window.activateWindow()
            run(qtbot, qloop, customer.connect())
            run(qtbot, qloop, customer.send("退款还没到账"))
            conversation_id = customer.conversation_id
            assert conversation_id is not None
            qtbot.waitUntil(lambda: service.conversation(conversation_id) is not None,
                            timeout=15_000)
            window.open_conversation(conversation_id)
            followups = window.followups
            if EN:  # the shortcut is on the Ctrl+/ sheet
                keys = {r.text: r.keys for r in shortcut_rows(window)}
                assert keys["New follow-up"] == "Ctrl+Shift+J"

            # The shortcut opens the dialog (open(), not exec(): the test goes on).
            qtbot.keyClick(window, Qt.Key.Key_J, CTRL_SHIFT)
            qtbot.waitUntil(lambda: followups.dialog is not None
                            and followups.dialog.isVisible(), timeout=5_000)
            dialog = followups.dialog
            assert dialog is not None
            assert dialog.customer.text() == "王芳 <b>VIP</b>"  # plain text
            assert dialog.customer.textFormat() is Qt.TextFormat.PlainText
            # a due time in the past is refused in the dialog, which stays open
            dialog.set_due_at(int(time.time() * 1000) - 60_000)
            dialog.kind.setCurrentIndex(list(FollowUpKind).index(FollowUpKind.INVESTIGATION))
            dialog.note.setPlainText("查退款 <img src=x>")
            due_at = int(time.time() * 1000) + HOUR_MS
            dialog.set_due_at(due_at)
            made_at = time.monotonic()
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                             Qt.MouseButton.LeftButton)
            assert not dialog.isVisible()

            # The list beside the conversations shows it, with a countdown.
            view = followups.list
            assert window.inbox_tabs.currentWidget() is followups.pane
            qtbot.waitUntil(lambda: view.followup_model.rowCount() == 1, timeout=5_000)
            [followup] = view.followup_model.items()
            assert (followup.customer_name, followup.kind, followup.status, followup.note) == (
                "王芳 <b>VIP</b>", FollowUpKind.INVESTIGATION, FollowUpStatus.OPEN,
                "查退款 <img src=x>")
            assert abs(followup.due_at - due_at) < 60_000  # the dialog keeps minutes
            state = view.row_state(0)
            assert state.level is not SlaLevel.NONE
            assert HOUR_MS - 120_000 < state.remaining_ms <= HOUR_MS
            # red once overdue (the same row, an hour and a minute on)
            assert view.row_state(0, now=followup.due_at + 60_000).level is SlaLevel.BREACHED
            assert window.inbox_tabs.tabText(1) == ("Follow-ups (1)" if EN
                                                   else window.inbox_tabs.tabText(1))
            qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT status, kind FROM followups "
                                            "WHERE id=?", followup.id)
                            == ("open", "investigation"), timeout=10_000)

            # The hub's reminder: a desktop notification, the row highlighted and amber.
            qtbot.waitUntil(lambda: any(n.kind is NoticeKind.FOLLOWUP for n in notifier.shown),
                            timeout=10_000)
            assert time.monotonic() - made_at < 8
            [notice] = [n for n in notifier.shown if n.kind is NoticeKind.FOLLOWUP]
            assert notice.key == followup.id and "王芳 <b>VIP</b>" in notice.title
            assert "查退款" in notice.text
            assert followup.id in view.followup_model.highlighted
            qtbot.waitUntil(lambda: view.row_state(0).level is SlaLevel.WARN, timeout=5_000)
            if SHOTS:
                window.followups.list.clearSelection()
                qtbot.wait(50)  # let the tab switch and the countdown paint
                window.grab().save(str(Path(SHOTS) / f"screenshot-followups-{SHOTS_LANG}.png"))

            # Keyboard: Enter on the row opens its conversation (its tab was closed).
            window.tabs.close_tab(window.tabs.currentIndex())
            qtbot.waitUntil(lambda: window.current_panel() is None, timeout=5_000)
            view.setFocus()
            view.setCurrentIndex(view.followup_model.index(0))
            qtbot.keyClick(view, Qt.Key.Key_Return)
            assert followup.id not in view.followup_model.highlighted  # seen
            panel = window.current_panel()
            assert panel is not None and panel.conversation_id == conversation_id

            # Solved: the list, the tab's count and the hub follow; the customer is told.
            assert followups.pane.solved_button.isEnabled()
            qtbot.mouseClick(followups.pane.solved_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: view.followup_model.items()[0].status
                            is FollowUpStatus.SOLVED, timeout=5_000)
            assert view.row_state(0).level is SlaLevel.NONE
            assert not followups.pane.solved_button.isEnabled()
            if EN:
                assert window.inbox_tabs.tabText(1) == "Follow-ups"
            qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT status FROM followups "
                                            "WHERE id=?", followup.id) == ("solved",),
                            timeout=10_000)
            qtbot.waitUntil(lambda: any(isinstance(f, FollowUpSolved) and f.followup_id
                                        == followup.id for f in customer.frames),
                            timeout=10_000)
            assert [n for n in notifier.shown if n.kind is NoticeKind.FOLLOWUP] == [notice]
    finally:
        run(qtbot, qloop, customer.disconnect())
        for translator in translators:
            qapp.removeTranslator(translator)
