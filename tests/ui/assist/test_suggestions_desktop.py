"""Suggestions in the desktop against a real hub: a customer's chat message and an
inbound mail bring the quick replies that answer them into the panel, with why;
Alt+1 inserts the first into the composer; a verdict is stored at the hub and a
supervisor's desktop lists it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from core.email.compose import Field
from core.protocol.assist import FeedbackVerdict, SuggestionKind
from core.protocol.email import EmailKind
from core.protocol.models import Channel
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.assist.quick_reply_helpers import focus, popup_titles, screenshot, slash
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.email.test_email_flow import customer_writes
from tests.ui.routing_helpers import accept_offer, auto_accept_hub, hub_row
from ui.chat.chat_panel import ChatPanel
from ui.email.view import EmailView
from ui.settings.settings_dialog import SettingsDialog


def test_a_chat_message_brings_suggestions_alt_1_inserts_and_a_verdict_is_stored(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "lina") as app, \
            running_desktop(qapp, qtbot, hub.url, tmp_path / "wang") as boss:
        sign_in(qtbot, app)
        window, service = app.signed.window, app.signed.service
        window.resize(1366, 768)
        customer = SimCustomer(hub.customer_ws_url, name="王芳")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("你好，在吗？"))
        qtbot.waitUntil(lambda: customer.conversation_id is not None and any(
            i.conversation_id == customer.conversation_id for i in service.inbox()),
            timeout=15_000)
        conversation_id = customer.conversation_id
        assert conversation_id is not None
        panel = window.open_conversation(conversation_id)
        assert isinstance(panel, ChatPanel)
        suggestions = window.suggestions
        assert not suggestions.isVisible()  # "你好，在吗？" needs no answer from the book

        asked = run(qtbot, qloop, customer.send("我想退货，怎么申请售后？"))
        qtbot.waitUntil(lambda: suggestions.isVisible(), timeout=10_000)
        assert suggestions.suggested is not None
        assert suggestions.suggested.message_id == asked.id
        items = suggestions.items()
        # The knowledge base answers beside the quick replies, best first.
        assert any(s.kind is SuggestionKind.ARTICLE for s in items)
        assert [s.score for s in items] == sorted((s.score for s in items), reverse=True)
        index = next(i for i, s in enumerate(items)
                     if (s.kind, s.title) == (SuggestionKind.QUICK_REPLY, "退货退款流程"))
        first, card = items[index], suggestions.cards[index]
        assert card.title.text() == f"Alt+{index + 1}  ·  Quick reply  ·  退货退款流程"
        assert "退货" in card.why.text() and "申请售后" in card.why.text()
        # The matched words are highlighted over the answer's plain text.
        marked = {s.cursor.selectedText() for s in card.answer.extraSelections()}
        assert {"退货", "申请售后"} <= marked
        qtbot.waitUntil(lambda: suggestions.height() >= suggestions.minimumHeight() > 0)
        qtbot.waitUntil(lambda: window.customer_panel.geometry().top()
                        >= suggestions.geometry().bottom())  # laid out above the customer
        window.customers.screen_pop_toast.hide()  # not what this picture shows
        screenshot(window, "suggestions-panel.png")

        focus(qtbot, panel.composer)
        qtbot.keyClick(panel.composer, Qt.Key(Qt.Key.Key_1.value + index),
                       Qt.KeyboardModifier.AltModifier)
        assert panel.composer.toPlainText().startswith("退货请在“我的订单”中点击“申请售后”")

        qtbot.mouseClick(card.helpful, Qt.MouseButton.LeftButton)
        assert card.helpful.isChecked()
        qtbot.waitUntil(lambda: hub_row(
            hub.db_path, "SELECT verdict, kind, item_id FROM suggestion_feedback "
            "WHERE message_id=?", asked.id) == ("helpful", "quick_reply", first.id),
            timeout=10_000)
        sign_in(qtbot, boss, "wang")  # only now: the chat was to be routed to Lina
        listed = run(qtbot, qloop, boss.signed.service.suggestions.feedback_list())
        assert [(e.title, e.verdict, e.agent_name) for e in listed.entries] == [
            ("退货退款流程", FeedbackVerdict.HELPFUL, "李娜")]
        # The supervisor reads them under Settings → Quick replies; agents do not.
        page = SettingsDialog(boss.preferences, boss.signed.window,
                              bridge=boss.signed.bridge).quick_replies_page
        assert page is not None and not page.feedback.isHidden()
        qtbot.mouseClick(page.feedback.load_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.feedback.list.count() == 1, timeout=10_000)
        line = page.feedback.list.item(0).text()
        assert "李娜" in line and "helpful" in line and "退货退款流程" in line
        assert page.feedback.totals.text() == "1 helpful, 0 wrong"
        own = SettingsDialog(app.preferences, window,
                             bridge=app.signed.bridge).quick_replies_page
        assert own is not None and own.feedback.isHidden()
        run(qtbot, qloop, customer.disconnect())


def test_an_inbound_mail_brings_suggestions_and_alt_1_opens_the_reply_with_it(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        mail_hub: tuple[HubProcess, int], tmp_path: Path) -> None:
    hub, receiver = mail_hub
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "lina") as app:
        sign_in(qtbot, app)
        window, service = app.signed.window, app.signed.service
        customer_writes(receiver)
        qtbot.waitUntil(lambda: any(o.channel is Channel.EMAIL
                                    for o in service.routing.offers()), timeout=15_000)
        [offer] = [o for o in service.routing.offers() if o.channel is Channel.EMAIL]
        accept_offer(qtbot, window, offer.conversation_id)
        view = window.open_conversation(offer.conversation_id)
        assert isinstance(view, EmailView)
        suggestions = window.suggestions
        qtbot.waitUntil(lambda: suggestions.isVisible(), timeout=10_000)
        items = suggestions.items()
        index = next(i for i, s in enumerate(items) if s.title == "查询订单号")
        assert "订单" in suggestions.cards[index].why.text()
        # Accepting opened the reply with the keyboard in it; Alt+1 inserts there.
        assert view.composer.isVisible()
        window.activateWindow()
        view.setFocus()
        qtbot.keyClick(view, Qt.Key(Qt.Key.Key_1.value + index), Qt.KeyboardModifier.AltModifier)
        assert view.composer.isVisible() and view.composer.kind is EmailKind.REPLY
        text = view.composer.text
        assert "为了帮您查询，请提供一下您的订单号" in text.toPlainText()

        # "/" works in the mail's text too, with the replies meant for email.
        focus(qtbot, text)
        text.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClick(text, Qt.Key.Key_Return)
        slash(qtbot, text, "sig")
        completer = view.quick_replies
        qtbot.waitUntil(lambda: completer.is_open)
        assert popup_titles(completer)[0] == "Email sign-off"
        qtbot.keyClick(text, Qt.Key.Key_Return)
        assert text.toPlainText().endswith("Kind regards,\n李娜\nCustomer care, Zuoxi shop")
        qtbot.keyClick(text, Qt.Key.Key_Return)
        slash(qtbot, text, "hi")  # the chat-only greeting is not offered in a mail
        assert "开场问候" not in popup_titles(completer)
        qtbot.keyClick(text, Qt.Key.Key_Escape)
        # A mail with a placeholder left is not sent: the first one is selected.
        text.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClick(text, Qt.Key.Key_Return)
        slash(qtbot, text, "refund")
        qtbot.waitUntil(lambda: completer.is_open)
        qtbot.keyClick(text, Qt.Key.Key_Return)
        assert text.textCursor().selectedText() == "[[amount]]"
        text.moveCursor(QTextCursor.MoveOperation.End)
        assert view.composer.send() is None
        assert text.textCursor().selectedText() == "[[amount]]"
        assert "[[amount]]" in view.composer.errors[Field.TEXT].text()
        assert service.email.draft(offer.conversation_id) is not None  # kept, not sent
