"""Preference values are written to the settings file: their stored spellings stay put."""

from __future__ import annotations

from core.call.preferences import AudioPreferences
from core.chat.preferences import SendKey
from core.email.settings import EmailSettings
from core.session.preferences import LANGUAGES, Preferences, ThemeName


def test_stored_enum_spellings_are_stable() -> None:
    assert {k.value for k in SendKey} == {"enter", "ctrl_enter"}
    assert {t.value for t in ThemeName} == {"light", "dark", "contrast"}


def test_defaults_follow_the_system_and_the_embedded_hub() -> None:
    prefs = Preferences()
    assert (prefs.send_key, prefs.language, prefs.theme, prefs.hub_url, prefs.store_tag) == (
        SendKey.ENTER, "", ThemeName.LIGHT, "", "")
    assert "" in LANGUAGES and "zh_CN" in LANGUAGES
    assert AudioPreferences() == AudioPreferences("", "", "", 1.0)
    assert EmailSettings() == EmailSettings("", (), ())
