"""The agent's chat preferences (kept by the desktop's settings file)."""

from __future__ import annotations

import enum


class SendKey(enum.Enum):
    """Which key sends; the other one (Shift+Enter always) inserts a new line."""

    ENTER = "enter"
    CTRL_ENTER = "ctrl_enter"
