"""The agent's general preferences: send key, language, theme, remote hub, store mode."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.chat.preferences import SendKey

# Languages with a translation, each named in itself; "" follows the system.
LANGUAGES = {"": "", "en": "English", "zh_CN": "简体中文", "zh_TW": "繁體中文"}


class ThemeName(enum.Enum):
    LIGHT = "light"
    DARK = "dark"
    CONTRAST = "contrast"  # high contrast: black, white and yellow


@dataclass(frozen=True)
class Preferences:
    send_key: SendKey = SendKey.ENTER
    language: str = ""  # "" = system locale
    theme: ThemeName = ThemeName.LIGHT
    hub_url: str = ""  # "" = embedded local hub
    store_tag: str = ""  # store mode: keep the customers with this tag offline ("" = off)
    # Easy mode: high contrast, larger click targets, fewer panels; the text size
    # (percent, 100-200) applies in either mode.
    easy_mode: bool = False
    font_scale: int = 100
    # Notification sounds (offer, message, email): loudness in percent, or off.
    alert_volume: int = 70
    alert_muted: bool = False
    # Kept by the hub per agent (not in the settings file): chats offered are taken at once.
    auto_accept_chat: bool = False


FONT_SCALES = range(100, 201, 25)  # the text sizes offered, percent


def effective_theme(preferences: Preferences) -> ThemeName:
    """Easy mode always draws in high contrast."""
    return ThemeName.CONTRAST if preferences.easy_mode else preferences.theme
