"""Human wording for times and durations, translated ("3 min", "yesterday 14:02")."""

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


def clock_text(ms: int, now: int | None = None) -> str:
    """Time of a message: "14:02" today, "Yesterday 14:02", else a short date."""
    when = QDateTime.fromMSecsSinceEpoch(ms)
    today = QDateTime.fromMSecsSinceEpoch(now if now is not None else now_ms()).date()
    locale = QLocale()
    hm = locale.toString(when.time(), QLocale.FormatType.ShortFormat)
    days = when.date().daysTo(today)
    if days == 0:
        return hm
    if days == 1:
        return QCoreApplication.translate("TimeText", "Yesterday {0}").format(hm)
    return locale.toString(when.date(), QLocale.FormatType.ShortFormat)


def date_text(ms: int) -> str:
    return QLocale().toString(
        QDateTime.fromMSecsSinceEpoch(ms).date(), QLocale.FormatType.ShortFormat
    )


def is_late(channel: Channel, waiting_since: int | None, now: int | None = None) -> bool:
    if waiting_since is None:
        return False
    waited = ((now if now is not None else now_ms()) - waiting_since) / 1000
    return waited > ANSWER_TARGET_S.get(channel, 60)
