"""Rating and NPS entries in the profile timeline read as feedback, in English and
Chinese (the compiled translations, as the desktop installs them)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from core.records import TimelineEntry, TimelineKind
from desktop.translations import install_translators
from ui.profile.timeline_view import timeline_detail, timeline_title

RATING = TimelineEntry(kind=TimelineKind.RATING, id="conv1", at=0, agent_name="李娜",
                       preview="Too slow", score=2, solved=False)
NPS = TimelineEntry(kind=TimelineKind.NPS, id="nps_1", at=0, agent_name="李娜", score=9)


def test_feedback_entries_in_english(qapp: QApplication) -> None:
    assert timeline_title(RATING) == "Satisfaction rating"
    assert timeline_detail(RATING) == "2 of 5 · not solved · 李娜"
    assert timeline_title(NPS) == "Recommendation score (NPS)"
    assert timeline_detail(NPS) == "9 of 10 · 李娜"


def test_feedback_entries_in_chinese(qapp: QApplication) -> None:
    translators = install_translators(qapp, "zh_CN")
    try:
        assert timeline_title(RATING) == "满意度评价"
        assert timeline_detail(RATING) == "2 分（满分 5 分） · 未解决 · 李娜"
        assert timeline_title(NPS) == "推荐度（NPS）"
        assert timeline_detail(NPS) == "9 分（满分 10 分） · 李娜"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
