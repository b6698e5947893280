"""Persistent preferences in an INI file through QSettings.

Every value is validated when read: a hand-edited or outdated file yields the
default and a logged warning, never a crash.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings

from core.call.preferences import AudioPreferences
from core.call.sip_account import SipAccountSettings
from core.chat.preferences import SendKey
from core.email.settings import EmailSettings, ReplyTemplate
from core.session.preferences import LANGUAGES, Preferences, ThemeName
from ui.email.reply_templates import default_templates

log = logging.getLogger(__name__)

E = TypeVar("E", bound=enum.Enum)

EMBEDDED_KEY = "embedded"  # the hub key of the local hub's agents


def cache_path(data_dir: Path, hub_key: str, username: str) -> Path:
    """One cache file per (hub, agent) under the data directory."""
    digest = hashlib.sha256(f"{hub_key}\n{username}".encode()).hexdigest()[:20]
    return data_dir / "cache" / f"{digest}.sqlite3"


class Settings:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self.warnings: list[str] = []

    def _warn(self, key: str, value: object) -> None:
        message = f"ignoring bad setting {key}={value!r} in {self.path}; using the default"
        log.warning(message)
        self.warnings.append(message)

    def _str(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self._warn(key, value)
            return default
        return value

    def _enum(self, key: str, kind: type[E], default: E) -> E:
        raw = self._str(key, default.value)
        try:
            return kind(raw)
        except ValueError:
            self._warn(key, raw)
            return default

    # ---- preferences ---------------------------------------------------------------

    def preferences(self) -> Preferences:
        language = self._str("ui/language")
        if language not in LANGUAGES:
            self._warn("ui/language", language)
            language = ""
        return Preferences(
            send_key=self._enum("chat/send_key", SendKey, SendKey.ENTER),
            language=language,
            theme=self._enum("ui/theme", ThemeName, ThemeName.LIGHT),
            hub_url=self._str("hub/url"),
            store_tag=self._str("store/tag").strip(),
            easy_mode=self._str("ui/easy_mode", "false") == "true",
            font_scale=self._font_scale(),
            alert_volume=self._alert_volume(),
            alert_muted=self._str("alerts/muted", "false") == "true",
        )

    def _font_scale(self) -> int:
        raw = self._str("ui/font_scale", "100")
        try:
            scale = int(raw)
            if not 100 <= scale <= 200:
                raise ValueError(raw)
        except ValueError:
            self._warn("ui/font_scale", raw)
            return 100
        return scale

    def _alert_volume(self) -> int:
        raw = self._str("alerts/volume", "70")
        try:
            volume = int(raw)
            if not 0 <= volume <= 100:
                raise ValueError(raw)
        except ValueError:
            self._warn("alerts/volume", raw)
            return 70
        return volume

    def save_preferences(self, preferences: Preferences) -> None:
        self._qs.setValue("chat/send_key", preferences.send_key.value)
        self._qs.setValue("ui/language", preferences.language)
        self._qs.setValue("ui/theme", preferences.theme.value)
        self._qs.setValue("hub/url", preferences.hub_url)
        self._qs.setValue("store/tag", preferences.store_tag)
        self._qs.setValue("ui/easy_mode", "true" if preferences.easy_mode else "false")
        self._qs.setValue("ui/font_scale", str(preferences.font_scale))
        self._qs.setValue("alerts/volume", str(preferences.alert_volume))
        self._qs.setValue("alerts/muted", "true" if preferences.alert_muted else "false")
        self._qs.sync()

    def email_settings(self) -> EmailSettings:
        """Signature, reply templates ([email] templates: a JSON list of {name, text})
        and the mailbox's own addresses (never answered to by "reply all")."""
        if not self._qs.contains("email/templates"):
            return EmailSettings(self._str("email/signature"), default_templates(),
                                 self._mailboxes())
        raw = self._str("email/templates", "[]")
        templates: list[ReplyTemplate] = []
        try:
            items = json.loads(raw)
            if not isinstance(items, list):
                raise ValueError(raw)
            for entry in items:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str) \
                        and isinstance(entry.get("text"), str):
                    templates.append(ReplyTemplate(entry["name"], entry["text"]))
        except ValueError:
            self._warn("email/templates", raw)
        return EmailSettings(self._str("email/signature"), tuple(templates), self._mailboxes())

    def _mailboxes(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self._str("email/mailboxes").split(",") if a.strip())

    def save_email_settings(self, settings: EmailSettings) -> None:
        self._qs.setValue("email/signature", settings.signature)
        self._qs.setValue("email/templates", json.dumps(
            [{"name": t.name, "text": t.text} for t in settings.templates], ensure_ascii=False))
        self._qs.setValue("email/mailboxes", ", ".join(settings.mailboxes))
        self._qs.sync()
    def audio_preferences(self) -> AudioPreferences:
        raw = self._str("audio/volume", "1.0")
        try:
            volume = float(raw)
            if not 0.0 <= volume <= 1.0:
                raise ValueError(raw)
        except ValueError:
            self._warn("audio/volume", raw)
            volume = 1.0
        return AudioPreferences(microphone=self._str("audio/microphone"),
                                speaker=self._str("audio/speaker"),
                                ringer=self._str("audio/ringer"), volume=volume)

    def save_audio_preferences(self, audio: AudioPreferences) -> None:
        self._qs.setValue("audio/microphone", audio.microphone)
        self._qs.setValue("audio/speaker", audio.speaker)
        self._qs.setValue("audio/ringer", audio.ringer)
        self._qs.setValue("audio/volume", f"{audio.volume:.2f}")
        self._qs.sync()

    def sip_account(self) -> SipAccountSettings:
        """The telephony account (its password is in the keyring, never here)."""
        return SipAccountSettings(
            url=self._str("sip/url"), username=self._str("sip/username"),
            domain=self._str("sip/domain"), display_name=self._str("sip/display_name"),
            enabled=self._str("sip/enabled", "false") == "true",
            ca_file=self._str("sip/ca_file"))

    def save_sip_account(self, account: SipAccountSettings) -> None:
        self._qs.setValue("sip/url", account.url)
        self._qs.setValue("sip/username", account.username)
        self._qs.setValue("sip/domain", account.domain)
        self._qs.setValue("sip/display_name", account.display_name)
        self._qs.setValue("sip/enabled", "true" if account.enabled else "false")
        self._qs.setValue("sip/ca_file", account.ca_file)
        self._qs.sync()

    # ---- remembered values -----------------------------------------------------------

    @property
    def hub_url(self) -> str:
        return self._str("hub/url")

    @hub_url.setter
    def hub_url(self, value: str) -> None:
        self._qs.setValue("hub/url", value)
        self._qs.sync()

    @property
    def username(self) -> str:
        return self._str("hub/username")

    @username.setter
    def username(self, value: str) -> None:
        self._qs.setValue("hub/username", value)
        self._qs.sync()

    def token_kept(self, hub_url: str, username: str) -> bool:
        """This agent's token for this hub was put in the keyring and has not been
        removed since (no sign-out, no refusal by the hub): a start may then draw the
        window from the cache before the keyring is asked. Only a note of whose
        token it is: the token itself stays in the keyring."""
        return bool(username) and self._str("hub/token_kept") == f"{username} {hub_url}"

    def set_token_kept(self, hub_url: str, username: str, kept: bool) -> None:
        self._qs.setValue("hub/token_kept", f"{username} {hub_url}" if kept else "")
        self._qs.sync()

    def forget_token_kept(self) -> None:
        self._qs.setValue("hub/token_kept", "")
        self._qs.sync()

    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_window_geometry(self, geometry: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.sync()
