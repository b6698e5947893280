"""States and errors of a call's media, without the WebRTC stack itself.

The call manager and the GUI side need these names; importing them must not load
aiortc, PyAV and the codecs (tens of megabytes), which ``media_session`` does.
"""

from __future__ import annotations

import enum


class MediaState(enum.Enum):
    NEW = "new"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    FAILED = "failed"
    CLOSED = "closed"


class MediaError(Exception):
    """Negotiation or connection failed; ``str()`` says why."""
