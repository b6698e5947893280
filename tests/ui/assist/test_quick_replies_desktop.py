"""Quick replies in the desktop against a real hub: "/" in the chat and email
composers (Chinese, pinyin initials, English), variables filled in, placeholders
that block sending, the Settings page (personal and team), offline use, and an
edit on one desktop reaching the agent's second desktop."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.assist.quick_reply_cache import ReplyState
from core.protocol.assist import QuickReplyScope
from core.protocol.models import MessageAuthor
from core.sync.client import ConnectionState
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.assist.quick_reply_helpers import focus, popup_titles, screenshot, slash
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import auto_accept_hub
from ui.chat.chat_panel import ChatPanel
from ui.settings.settings_dialog import SettingsDialog


def open_chat(qtbot: Any, qloop: asyncio.AbstractEventLoop, app: Any, hub: HubProcess,
              name: str = "王芳") -> tuple[SimCustomer, ChatPanel]:
    customer = SimCustomer(hub.customer_ws_url, name=name)
    run(qtbot, qloop, customer.connect())
    run(qtbot, qloop, customer.send("你好，在吗？"))
    window = app.signed.window
    qtbot.waitUntil(lambda: customer.conversation_id is not None and any(
        i.conversation_id == customer.conversation_id for i in app.signed.service.inbox()),
        timeout=15_000)
    panel = window.open_conversation(customer.conversation_id)
    assert isinstance(panel, ChatPanel)
    return customer, panel


def test_slash_search_variables_and_placeholders_in_a_chat(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "lina") as app:
        sign_in(qtbot, app)
        service = app.signed.service
        qtbot.waitUntil(lambda: len(service.quick_replies.all()) >= 15, timeout=10_000)
        app.signed.window.resize(1366, 768)
        customer, panel = open_chat(qtbot, qloop, app, hub)
        composer, completer = panel.composer, panel.quick_replies
        focus(qtbot, composer)

        # Chinese by substring: the popup opens and lists what matches.
        slash(qtbot, composer, "退货")
        qtbot.waitUntil(lambda: completer.is_open)
        assert popup_titles(completer)[0] == "退货退款流程"
        app.signed.window.customers.screen_pop_toast.hide()  # not what this picture shows
        screenshot(app.signed.window, "quick-replies-popup.png")
        # Escape closes it and leaves the text as typed.
        qtbot.keyClick(composer, Qt.Key.Key_Escape)
        assert not completer.is_open and composer.toPlainText() == "/退货"
        composer.clear()

        # Pinyin initials: "xx" is 谢谢; Enter inserts it with the variables filled in.
        slash(qtbot, composer, "xx")
        qtbot.waitUntil(lambda: completer.is_open)
        assert popup_titles(completer)[0] == "谢谢 / 结束语"
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert not completer.is_open
        assert composer.toPlainText() == (
            "感谢您的耐心等待，王芳！如还有其他问题，随时联系我们，祝您生活愉快！")
        composer.clear()

        # English, fuzzy ("thk" in "thanks"), arrows move; the fallback of a variable.
        slash(qtbot, composer, "hello")
        qtbot.waitUntil(lambda: completer.is_open)
        qtbot.keyClick(composer, Qt.Key.Key_Down)
        qtbot.keyClick(composer, Qt.Key.Key_Up)
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert composer.toPlainText() == (
            "Hi 王芳, this is 李娜 from the Zuoxi shop. How can I help you today?")
        composer.clear()
        slash(qtbot, composer, "thk")
        qtbot.waitUntil(lambda: completer.is_open)
        assert "Thanks and goodbye" in popup_titles(completer)[:2]

        # Placeholders: inserted, the first selected, sending refused until filled.
        qtbot.keyClick(composer, Qt.Key.Key_Escape)
        composer.clear()
        slash(qtbot, composer, "refund")
        qtbot.waitUntil(lambda: completer.is_open)
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert composer.textCursor().selectedText() == "[[amount]]"
        qtbot.keyClicks(composer, "USD 25")  # typing replaces the selection
        qtbot.keyClick(composer, Qt.Key.Key_Return)  # Enter sends ... not yet
        assert panel.error_label.isVisibleTo(panel)
        assert "[[order number]]" in panel.error_label.text()
        assert composer.textCursor().selectedText() == "[[order number]]"
        qtbot.keyClicks(composer, "SO-1234")
        composer.selectAll()
        text = composer.toPlainText()
        assert "[[" not in text.replace("[[date]]", "")
        composer.setPlainText(text.replace("[[date]]", "Dec 5"))
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert composer.toPlainText() == ""
        # The first message the customer gets from the agent is the filled-in one:
        # the refused attempt never left.
        first = run(qtbot, qloop, customer.wait_message(
            lambda m: m.author is MessageAuthor.AGENT, timeout=10))
        assert first is not None
        assert first.text == ("Your refund of USD 25 for order SO-1234 was issued on Dec 5. "
                              "It usually shows on your card within 3-5 business days.")
        run(qtbot, qloop, customer.disconnect())


def test_offline_the_popup_still_finds_and_inserts(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "lina") as app:
        sign_in(qtbot, app)
        service = app.signed.service
        qtbot.waitUntil(lambda: len(service.quick_replies.all()) >= 15, timeout=10_000)
        customer, panel = open_chat(qtbot, qloop, app, hub)
        run(qtbot, qloop, customer.disconnect())
        hub.stop()
        qtbot.waitUntil(lambda: service.connection.state is not ConnectionState.ONLINE,
                        timeout=15_000)

        composer, completer = panel.composer, panel.quick_replies
        focus(qtbot, composer)
        slash(qtbot, composer, "thlc")  # 退货流程 by pinyin initials, from the cache
        qtbot.waitUntil(lambda: completer.is_open)
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert composer.toPlainText().startswith("退货请在“我的订单”中点击“申请售后”")

        # A personal reply written offline is there at once, waiting to sync.
        page = SettingsDialog(app.preferences, app.signed.window,
                              bridge=app.signed.bridge).quick_replies_page
        assert page is not None
        page.new_reply()
        page.title.setText("稍等片刻")
        page.shortcut.setText("sd")
        page.text.setPlainText("{{customer.name|您好}}，请稍等，我马上为您查询。")
        reply_id = page.save()
        assert reply_id is not None
        [listed] = [r for r in service.quick_replies.listed() if r.reply.id == reply_id]
        assert listed.state is ReplyState.PENDING
        composer.clear()
        slash(qtbot, composer, "sd")
        qtbot.waitUntil(lambda: completer.is_open)
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert composer.toPlainText() == "王芳，请稍等，我马上为您查询。"


def test_team_and_personal_and_a_second_desktop_of_the_same_agent(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess,
        tmp_path: Path) -> None:
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "one") as one, \
            running_desktop(qapp, qtbot, hub.url, tmp_path / "two") as two, \
            running_desktop(qapp, qtbot, hub.url, tmp_path / "wang") as boss:
        for app, user in ((one, "lina"), (two, "lina"), (boss, "wang")):
            sign_in(qtbot, app, user)
        lina1, lina2, wang = (a.signed.service for a in (one, two, boss))
        for service in (lina1, lina2, wang):
            qtbot.waitUntil(lambda s=service: len(s.quick_replies.all()) >= 15, timeout=10_000)
        # Lina sees her own personal replies, not Alex's; Wang sees neither.
        assert "稍等查询" in [r.title for r in lina1.quick_replies.all()]
        assert "Checking now" not in [r.title for r in lina1.quick_replies.all()]
        assert "稍等查询" not in [r.title for r in wang.quick_replies.all()]

        # Lina edits a personal reply on her first desktop: her second one gets it.
        page = SettingsDialog(one.preferences, one.signed.window,
                              bridge=one.signed.bridge).quick_replies_page
        assert page is not None
        [mine] = [r for r in lina1.quick_replies.all() if r.title == "稍等查询"]
        page.filter.setText("ddy")
        assert page.list.item(0).text().startswith("稍等查询  ·  /ddy")
        page.list.setCurrentRow(0)
        assert page.title.text() == "稍等查询" and page.save_button.isEnabled()
        page.text.setPlainText("好的，马上帮您查，请稍等两分钟～")
        assert page.save() == mine.id
        qtbot.waitUntil(lambda: (lina2.quick_replies.get(mine.id) or mine).text
                        == "好的，马上帮您查，请稍等两分钟～", timeout=10_000)
        qtbot.waitUntil(lambda: lina1.quick_replies.listed()[0].state is ReplyState.SYNCED
                        and all(r.state is ReplyState.SYNCED
                                for r in lina1.quick_replies.listed()), timeout=10_000)

        # A team reply is read-only for Lina ...
        page.filter.setText("退货退款")
        page.list.setCurrentRow(0)
        assert page.title.text() == "退货退款流程"
        if os.environ.get("ZUOXI_SCREENSHOTS"):
            window = one.signed.window
            window.resize(1366, 768)
            dialog = page.window()
            page.filter.clear()
            page.list.setCurrentRow(1)
            dialog.resize(900, 560)
            dialog.pages.setCurrentWidget(page)
            dialog.show()
            screenshot(window, "quick-replies-settings.png", dialog)
            dialog.hide()
            page.filter.setText("退货退款")
            page.list.setCurrentRow(0)
        assert page.title.isReadOnly() and not page.save_button.isEnabled()
        assert page.read_only_note.isVisibleTo(page)
        assert page.scope.findData(QuickReplyScope.TEAM) >= 0 and not page.scope.isEnabled()
        # ... and Wang (a supervisor) changes it: every desktop of Lina hears of it.
        boss_page = SettingsDialog(boss.preferences, boss.signed.window,
                                   bridge=boss.signed.bridge).quick_replies_page
        assert boss_page is not None
        boss_page.filter.setText("thtk")
        boss_page.list.setCurrentRow(0)
        assert boss_page.title.text() == "退货退款流程" and boss_page.save_button.isEnabled()
        boss_page.title.setText("退货退款流程（7 天无理由）")
        team_id = boss_page.save()
        assert team_id is not None
        for service in (lina1, lina2):
            qtbot.waitUntil(lambda s=service: (s.quick_replies.get(team_id) or mine).title
                            == "退货退款流程（7 天无理由）", timeout=10_000)
        qtbot.waitUntil(lambda: page.title.text() == "退货退款流程（7 天无理由）",
                        timeout=5_000)  # the open page follows
        # Wang adds a team reply; Lina deletes a personal one: both reach the others.
        boss_page.new_reply()
        assert boss_page.scope.isEnabled()
        boss_page.scope.setCurrentIndex(boss_page.scope.findData(QuickReplyScope.TEAM))
        boss_page.title.setText("节假日发货")
        boss_page.text.setPlainText("节假日期间订单正常发货，物流可能延迟 1-2 天。")
        new_team = boss_page.save()
        page.filter.setText("ddy")
        page.list.setCurrentRow(0)
        page.delete_current()
        qtbot.waitUntil(lambda: lina2.quick_replies.get(mine.id) is None, timeout=10_000)
        qtbot.waitUntil(lambda: new_team is not None
                        and lina2.quick_replies.get(new_team) is not None, timeout=10_000)
