"""The Chinese desktop leaves no English behind where hub codes or the Call menu
were: the whole Call menu, queue names (offer, queue dock), automatic tags (label
and reason, from the hub's codes and parameters) and a call's outcome in the
timeline.

The real desktop in Chinese against a real hub; a customer's chat is offered and
accepted, then lina marks the customer VIP, so the hub's rules add a tag.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel

from core.profile.outbox import ProfileChange
from core.protocol.models import AutoTag, Presence, Tier
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import sign_in
from tests.ui.routing_helpers import accept_offer, hub_row, routing_config, wait_offer
from ui.profile.profile_text import auto_tag_reason
from ui.routing.routing_names import outcome_text


def test_chinese_call_menu_queues_tags_and_outcomes(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    previous_locale = QLocale()
    translators = install_translators(qapp, "zh_CN")
    hub = make_hub("--routing-config", str(routing_config(tmp_path / "routing")))
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data",
                                   language="zh_CN"),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    try:
        sign_in(qtbot, app)
        assert app.signed is not None
        window, service = app.signed.window, app.signed.service

        # the Call menu
        [call_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "通话(&L)"]
        texts = [a.text() for a in call_menu.actions() if not a.isSeparator()]
        assert texts == ["接听(&A)", "拒接(&D)", "挂断(&U)", "静音 / 取消静音(&M)",
                         "保持 / 恢复(&H)", "拨号键盘(&K)", "开始/停止录音(&R)",
                         "呼叫此客户(&C)", "拨打号码(&N)…"]

        # queue names: the dock and the offer
        view = window.queue_dock.view
        names = {view.table.topLevelItem(r).text(0)  # type: ignore[union-attr]
                 for r in range(view.table.topLevelItemCount())}
        assert {"网页聊天", "投诉", "账单"} <= names
        window.choose_presence(Presence.AVAILABLE)
        qtbot.waitUntil(lambda: hub_row(hub.db_path, "SELECT presence FROM agents WHERE "
                                        "username='lina'") == ("available",), timeout=10_000)
        customer = SimCustomer(hub.customer_ws_url, name="Tom Baker")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("Where is my parcel?"))
        wait_offer(qtbot, window, customer.conversation_id)
        assert "网页聊天" in window.offer_toast.title.text()
        accept_offer(qtbot, window, customer.conversation_id)

        # an automatic tag from the hub's rules, in Chinese
        item = service.conversation(customer.conversation_id or "")
        assert item is not None
        service.profiles.update_customer(item.customer_id, ProfileChange(tier=Tier.VIP))
        header = window.customer_panel.header

        def auto_chips() -> list[QLabel]:
            return [c for c in header.findChildren(QLabel) if c.objectName() == "AutoChip"
                    and c.isVisibleTo(header)]

        qtbot.waitUntil(lambda: bool(auto_chips()), timeout=15_000)
        chip = auto_chips()[0]
        assert chip.text() == "⚡ 高价值"
        assert "高价值" in chip.toolTip()  # the rule's name
        assert "客户等级为VIP" in chip.toolTip()
        assert "tier is" not in chip.toolTip()
        # an older hub sends no code: its English words are shown rather than nothing
        assert auto_tag_reason(AutoTag(tag="x", rule="r", reason="old words")) == "old words"

        # how a call ended and its wrap-up, as the timeline says them
        assert outcome_text("hung_up_by_agent") == "坐席挂断"
        assert outcome_text("resolved") == "已解决"
        assert outcome_text("site_specific_code") == "site_specific_code"
        run(qtbot, qloop, customer.disconnect())
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)
