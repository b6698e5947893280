"""Days read the same in every locale: a written month, never "21 11 2025"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from ui.widgets.time_text import clock_text, date_text, date_time_text, day_text


def at(year: int, month: int, day: int, hour: int = 14, minute: int = 5) -> int:
    return QDateTime(QDate(year, month, day), QTime(hour, minute)).toMSecsSinceEpoch()


NOW = at(2025, 11, 21, 18, 0)


@pytest.fixture
def locale() -> Iterator[None]:
    previous = QLocale()
    yield
    QLocale.setDefault(previous)


@pytest.mark.parametrize(("name", "older", "this_year"), [
    ("C", "21 Nov 2024", "3 Feb"),
    ("en_GB", "21 Nov 2024", "3 Feb"),
    ("zh_CN", "2024年11月21日", "2月3日"),
])
def test_days_have_a_written_month_and_the_year_only_when_it_differs(
        locale: None, name: str, older: str, this_year: str) -> None:
    QLocale.setDefault(QLocale(name))
    assert date_text(at(2024, 11, 21), NOW) == older
    assert date_text(at(2025, 2, 3), NOW) == this_year
    assert day_text(at(2025, 2, 3), NOW) == this_year
    assert clock_text(at(2025, 2, 3), NOW) == this_year


def test_today_shows_the_time_and_notes_show_both(locale: None) -> None:
    QLocale.setDefault(QLocale("zh_CN"))
    assert day_text(at(2025, 11, 21), NOW) == "14:05"
    assert clock_text(at(2025, 11, 21), NOW) == "14:05"
    assert date_time_text(at(2025, 11, 21), NOW) == "11月21日 14:05"
    QLocale.setDefault(QLocale("C"))
    assert clock_text(at(2025, 11, 20), NOW) == "Yesterday 14:05"
    assert date_time_text(at(2023, 1, 9, 9, 30), NOW) == "9 Jan 2023 09:30"
