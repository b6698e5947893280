"""Human wording for times, days and durations ("3 min", "Yesterday 14:02", "21 Nov")."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from core.protocol.models import Channel

# Service levels from the product brief: how long a customer may wait for a first
# answer before the inbox shows the conversation as late.
ANSWER_TARGET_S = {
    Channel.VOICE: 30,
    Channel.CHAT: 60,
    Channel.STORE: 300,
    Channel.EMAIL: 4 * 3600,
}


def now_ms() -> int:
    return int(time.time() * 1000)


def duration_text(seconds: float) -> str:
    """Compact duration: "12 s", "5 min", "2 h", "3 d"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return QCoreApplication.translate("TimeText", "{0} s").format(seconds)
    if seconds < 3600:
        return QCoreApplication.translate("TimeText", "{0} min").format(seconds // 60)
    if seconds < 86400:
        return QCoreApplication.translate("TimeText", "{0} h").format(seconds // 3600)
    return QCoreApplication.translate("TimeText", "{0} d").format(seconds // 86400)


def ui_locale() -> QLocale:
    """The UI language's locale (the desktop makes it the default), else the system's."""
    return QLocale()


def day_format(locale: QLocale, with_year: bool) -> str:
    """A date pattern with separators and a written month, never "21 11 2025".

    Short formats differ too much between locales (the C locale gives "21 11 25"),
    so the pattern is chosen here and only the month names come from the locale.
    """
    if locale.language() in (QLocale.Language.Chinese, QLocale.Language.Japanese):
        return "yyyy年M月d日" if with_year else "M月d日"
    if locale.language() is QLocale.Language.Korean:
        return "yyyy년 M월 d일" if with_year else "M월 d일"
    return "d MMM yyyy" if with_year else "d MMM"


def time_of_day_text(ms: int) -> str:
    """"14:05" (or "2:05 PM" where the locale says so)."""
    when = QDateTime.fromMSecsSinceEpoch(ms).time()
    return ui_locale().toString(when, QLocale.FormatType.ShortFormat)


def date_text(ms: int, now: int | None = None) -> str:
    """A day: "21 Nov" this year, "21 Nov 2025" otherwise; "11月21日" / "2025年11月21日"."""
    day = QDateTime.fromMSecsSinceEpoch(ms).date()
    today = QDateTime.fromMSecsSinceEpoch(now if now is not None else now_ms()).date()
    locale = ui_locale()
    return locale.toString(day, day_format(locale, day.year() != today.year()))


def day_text(ms: int, now: int | None = None) -> str:
    """When something happened, briefly: "14:05" today, else the day as in ``date_text``."""
    day = QDateTime.fromMSecsSinceEpoch(ms).date()
    today = QDateTime.fromMSecsSinceEpoch(now if now is not None else now_ms()).date()
    return time_of_day_text(ms) if day == today else date_text(ms, now)


def date_time_text(ms: int, now: int | None = None) -> str:
    """Day and time: "21 Nov 14:05", "2025年11月21日 14:05"."""
    return f"{date_text(ms, now)} {time_of_day_text(ms)}"


def clock_text(ms: int, now: int | None = None) -> str:
    """Time of a message: "14:02" today, "Yesterday 14:02", else the day."""
    when = QDateTime.fromMSecsSinceEpoch(ms).date()
    today = QDateTime.fromMSecsSinceEpoch(now if now is not None else now_ms()).date()
    days = when.daysTo(today)
    if days == 0:
        return time_of_day_text(ms)
    if days == 1:
        return QCoreApplication.translate("TimeText", "Yesterday {0}").format(
            time_of_day_text(ms))
    return date_text(ms, now)


def is_late(channel: Channel, waiting_since: int | None, now: int | None = None) -> bool:
    if waiting_since is None:
        return False
    waited = ((now if now is not None else now_ms()) - waiting_since) / 1000
    return waited > ANSWER_TARGET_S.get(channel, 60)
