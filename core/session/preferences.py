"""The agent's general preferences: send key, language, theme, remote hub, store mode."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.chat.preferences import SendKey

# Languages with a translation, each named in itself; "" follows the system.
LANGUAGES = {"": "", "en": "English", "zh_CN": "简体中文"}


class ThemeName(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Preferences:
    send_key: SendKey = SendKey.ENTER
    language: str = ""  # "" = system locale
    theme: ThemeName = ThemeName.LIGHT
    hub_url: str = ""  # "" = embedded local hub
    store_tag: str = ""  # store mode: keep the customers with this tag offline ("" = off)
    # Notification sounds (offer, message, email): loudness in percent, or off.
    alert_volume: int = 70
    alert_muted: bool = False
    # Kept by the hub per agent (not in the settings file): chats offered are taken at once.
    auto_accept_chat: bool = False
