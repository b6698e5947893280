"""Every reach into aiortc's private parts, checked against the versions it was
written for (see ``library_versions``).

- The audio receiver's jitter buffer is replaced (``jitter_buffer`` says why): it is
  the name-mangled ``RTCRtpReceiver.__jitter_buffer``, and the packets it is given
  carry their depayloaded bytes in ``_data``.
- Benchmarks wrap the ICE transport's packet send (``RTCIceTransport._send``) to
  inject delay and loss.
- RFC 4733 telephone-events (``telephone_event``) wrap the DTLS transport's
  plaintext RTP send (``RTCDtlsTransport._send_rtp``, before SRTP protection) and
  its plaintext RTP receive (``RTCDtlsTransport._handle_rtp_data``, after SRTP).

Importing this module does not import aiortc (it loads on the media thread).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from core.call.library_versions import installed_version, require

__all__ = ["AT_LEAST", "BELOW", "check", "filter_rtp_receive", "packet_payload",
           "replace_jitter_buffer", "rewrite_rtp_send", "wrap_ice_send"]

LIBRARY = "aiortc"
AT_LEAST = (1, 16)
BELOW = (1, 17)

_JITTER_BUFFER = "_RTCRtpReceiver__jitter_buffer"

PacketSend = Callable[[bytes], Coroutine[Any, Any, None]]


def check(version: str | None = None) -> None:
    """Raise ``UnsupportedLibraryVersion`` unless aiortc (or ``version``) is supported."""
    if version is None:
        _check_installed()
    else:
        require(LIBRARY, version, AT_LEAST, BELOW)


@functools.cache
def _check_installed() -> None:
    require(LIBRARY, installed_version(LIBRARY), AT_LEAST, BELOW)


def replace_jitter_buffer(receiver: object, buffer: object) -> None:
    """Make an audio ``RTCRtpReceiver`` use ``buffer`` (before media flows)."""
    check()
    if not hasattr(receiver, _JITTER_BUFFER):
        raise RuntimeError("this aiortc version keeps its jitter buffer elsewhere")
    setattr(receiver, _JITTER_BUFFER, buffer)


def packet_payload(packet: object) -> bytes:
    """The depayloaded bytes aiortc's receiver left on an RTP packet for its buffer."""
    return bytes(getattr(packet, "_data", b""))


def wrap_ice_send(ice_transport: Any, wrap: Callable[[PacketSend], PacketSend]) -> None:
    """Replace an ``RTCIceTransport``'s packet send with ``wrap(send)``."""
    check()
    ice_transport._send = wrap(ice_transport._send)


def rewrite_rtp_send(dtls_transport: Any, rewrite: Callable[[bytes], bytes]) -> None:
    """Every plaintext RTP/RTCP packet the DTLS transport is asked to send passes
    through ``rewrite`` first."""
    check()
    send = dtls_transport._send_rtp

    async def rewritten(data: bytes) -> None:
        await send(rewrite(data))

    dtls_transport._send_rtp = rewritten


def filter_rtp_receive(dtls_transport: Any, consume: Callable[[bytes], bool]) -> None:
    """Every decrypted RTP packet goes to ``consume`` first; aiortc sees only those
    it did not consume."""
    check()
    handle = dtls_transport._handle_rtp_data

    async def filtered(data: bytes, arrival_time_ms: int) -> None:
        if not consume(data):
            await handle(data, arrival_time_ms)

    dtls_transport._handle_rtp_data = filtered
