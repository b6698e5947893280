"""Every reach into sounddevice's private parts, checked against the versions it was
written for (see ``library_versions``).

PortAudio lists the devices it found when it was initialised; to see a hot-plugged
headset it must be terminated and initialised again, which sounddevice does only
through its private ``_terminate``/``_initialize``.
"""

from __future__ import annotations

import functools
from typing import Any

from core.call.library_versions import installed_version, require

__all__ = ["AT_LEAST", "BELOW", "check", "reinitialise"]

LIBRARY = "sounddevice"
AT_LEAST = (0, 5)
BELOW = (0, 6)


def check(version: str | None = None) -> None:
    """Raise ``UnsupportedLibraryVersion`` unless sounddevice (or ``version``) is supported."""
    if version is None:
        _check_installed()
    else:
        require(LIBRARY, version, AT_LEAST, BELOW)


@functools.cache
def _check_installed() -> None:
    require(LIBRARY, installed_version(LIBRARY), AT_LEAST, BELOW)


def reinitialise(sounddevice: Any) -> None:
    """Terminate and initialise PortAudio again (only while no stream is open)."""
    check()
    sounddevice._terminate()
    sounddevice._initialize()
