"""The agent's audio devices and volume for calls (kept by the desktop's settings file)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioPreferences:
    microphone: str = ""  # device keys; "" = the system default
    speaker: str = ""
    ringer: str = ""  # "" = the speaker's device
    volume: float = 1.0
