"""The mood's words, in English and in the Chinese catalog."""

from __future__ import annotations

from typing import Any

from core.protocol.models import Channel, ConversationStatus
from core.protocol.sentiment import EscalationReason
from core.records import InboxItem
from desktop.translations import install_translators
from ui.inbox.mood import mood_color_key, mood_text
from ui.supervision.escalation_alerts import reason_text


def item(first: float | None, last: float | None, escalated: bool = False) -> InboxItem:
    return InboxItem("c1", "cu1", "王芳", Channel.CHAT, ConversationStatus.OPEN, 0, None, None,
                     None, None, 0, sentiment_first=first, sentiment_last=last,
                     escalated=escalated)


def test_mood_words_and_colours(qapp: Any) -> None:
    assert mood_text(item(None, None)) == "" and mood_color_key(item(None, None)) is None
    assert mood_text(item(0.0, 0.1)) == "Mood: neutral"
    assert mood_color_key(item(0.0, 0.1)) is None
    assert mood_text(item(-0.5, 0.6)) == "Mood: positive, getting better"
    assert mood_color_key(item(-0.5, 0.6)) == "ok"
    assert mood_text(item(0.2, -0.7, True)) == "Mood: negative, getting worse · escalated"
    assert mood_color_key(item(0.2, -0.7)) == "danger"
    # an escalated customer reads as trouble even when the words were calm
    assert mood_color_key(item(0.0, 0.0, True)) == "danger"


def test_mood_and_reasons_in_chinese(qapp: Any) -> None:
    translators = install_translators(qapp, "zh_CN")
    try:
        assert translators, "the zh_CN catalog did not load"
        assert mood_text(item(0.2, -0.7, True)) == "情绪：负面，正在变差 · 已升级"
        assert reason_text(EscalationReason.ASK_HUMAN) == "要求人工"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert reason_text(EscalationReason.ASK_HUMAN) == "asks for a person"
