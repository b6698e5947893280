"""How the inbox shows a conversation's mood: a dot on the channel badge and a line of
tooltip text. The hub sends scores and codes (core/protocol/sentiment.py); the words
are made here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.records import InboxItem

# Scores at or beyond these read as negative / positive (the hub's own thresholds).
NEGATIVE_AT = -0.2
POSITIVE_AT = 0.25
# A change of the score by more than this between the first message and the last is
# a trend worth naming.
TREND_STEP = 0.3


def mood_color_key(item: InboxItem) -> str | None:
    """The theme colour of the mood dot, or None when there is nothing to show."""
    if item.sentiment_last is None:
        return None
    if item.escalated or item.sentiment_last <= NEGATIVE_AT:
        return "danger"
    if item.sentiment_last >= POSITIVE_AT:
        return "ok"
    return None  # neutral: no dot, less to read


def mood_text(item: InboxItem) -> str:
    """E.g. "Mood: negative, getting worse · escalated"; empty before any classification."""
    last, first = item.sentiment_last, item.sentiment_first
    if last is None:
        return ""
    if last <= NEGATIVE_AT:
        mood = QCoreApplication.translate("Mood", "Mood: negative")
    elif last >= POSITIVE_AT:
        mood = QCoreApplication.translate("Mood", "Mood: positive")
    else:
        mood = QCoreApplication.translate("Mood", "Mood: neutral")
    parts = [mood]
    if first is not None and last - first <= -TREND_STEP:
        parts.append(QCoreApplication.translate("Mood", "getting worse"))
    elif first is not None and last - first >= TREND_STEP:
        parts.append(QCoreApplication.translate("Mood", "getting better"))
    text = parts[0]
    if len(parts) == 2:
        text = QCoreApplication.translate("Mood", "{0}, {1}").format(*parts)
    if item.escalated:
        text = QCoreApplication.translate("Mood", "{0} · escalated").format(text)
    return text
