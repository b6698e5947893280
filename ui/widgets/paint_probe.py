"""What the views have actually painted, for measurements from outside.

The chat and inbox views report, at the end of each paint of their viewport, what
that paint drew: the customer messages whose bubbles were drawn, the number of
conversations the inbox held when its rows were drawn. Nothing listens unless a
measurement installs a listener (the benchmark trace, a test); without one a view
pays one attribute read per paint.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, str], None]  # (kind, key)

_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def active() -> bool:
    return _listener is not None


def painted(kind: str, key: str) -> None:
    """A view finished a paint that drew ``key`` (of ``kind``)."""
    if _listener is not None:
        _listener(kind, key)
