"""A bot hand-off's reason (a code from the hub) is worded in the agent's language."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QListView

from core.protocol.customer import HandoffReason
from core.session.preferences import ThemeName
from desktop.translations import install_translators
from ui.chat.chat_view import HANDOFF_PREFIX, BubbleDelegate
from ui.widgets.theme import load_theme


def test_every_handoff_reason_is_worded_in_english_and_chinese(qapp: QApplication) -> None:
    view = QListView()
    delegate = BubbleDelegate(load_theme(ThemeName.LIGHT), view)
    english = {r: delegate.system_text(HANDOFF_PREFIX + r.value) for r in HandoffReason}
    assert english[HandoffReason.ASKED] == (
        "Handed over by the self-service bot: The customer asked for a person")
    # Each reason has its own words, none is the bare code.
    assert len(set(english.values())) == len(HandoffReason)
    assert all(not text.endswith(": " + r.value) for r, text in english.items())
    # Any other system line stays as it is.
    assert delegate.system_text("Transferred to 李娜") == "Transferred to 李娜"

    translators = install_translators(qapp, "zh_CN")
    try:
        chinese = {r: delegate.system_text(HANDOFF_PREFIX + r.value) for r in HandoffReason}
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert chinese[HandoffReason.ASKED] == "自助服务机器人转人工：客户要求转人工"
    assert all(text.startswith("自助服务机器人转人工：")
               and not any(c.isascii() and c.isalpha() for c in text)
               for text in chinese.values())
