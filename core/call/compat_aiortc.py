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
- CPU per call (bench/telephony_bench.py, profiled with py-spy): aiortc hands every
  20 ms frame's encode to a thread pool (``RTCRtpSender.__loop.run_in_executor``),
  whose hop costs about four times the PCMU encode itself, so the sender's loop is
  given one that runs the encode in place (``encode_in_place``); and it computes
  the RFC 6465 audio level of every outgoing frame with a Python loop over its 960
  samples (``aiortc.rtp.compute_audio_level_dbov``, 70 µs a frame), replaced by the
  same arithmetic in numpy (``fast_audio_level``). Each received frame also
  crossed to a decoder thread and back (``RTCRtpReceiver.__decoder_queue``, then
  ``run_coroutine_threadsafe`` per frame): an audio receiver is given a queue that
  decodes in place on its loop (``decode_in_place``); the thread aiortc still
  starts only waits for the end.

Importing this module does not import aiortc (it loads on the media thread).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import numpy as np

from core.call.library_versions import installed_version, require

__all__ = ["AT_LEAST", "BELOW", "audio_level_dbov", "check", "decode_in_place", "encode_in_place",
           "fast_audio_level", "filter_rtp_receive", "packet_payload", "replace_jitter_buffer",
           "rewrite_rtp_send", "wrap_ice_send"]

LIBRARY = "aiortc"
AT_LEAST = (1, 16)
BELOW = (1, 17)

_JITTER_BUFFER = "_RTCRtpReceiver__jitter_buffer"
_SENDER_LOOP = "_RTCRtpSender__loop"
_DECODER_QUEUE = "_RTCRtpReceiver__decoder_queue"
_DECODER_THREAD = "_RTCRtpReceiver__decoder_thread"
_DECODER_ERROR = "_RTCRtpReceiver__decoder_error"

log = logging.getLogger(__name__)

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


class _EncodeInPlace:
    """The sender's event loop, except that ``run_in_executor`` (which aiortc uses
    only for the encoder) runs the function at once and returns its result as a
    finished future. Thread: the loop's own (the sender's)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def run_in_executor(self, executor: object, func: Callable[..., Any],
                        *args: Any) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = self._loop.create_future()
        try:
            future.set_result(func(*args))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loop, name)


def encode_in_place(sender: Any) -> None:
    """Make an audio ``RTCRtpSender`` encode each frame on its own loop instead of
    in the default thread pool (an audio frame's encode is shorter than the hop)."""
    check()
    loop = getattr(sender, _SENDER_LOOP, None)
    if not isinstance(loop, asyncio.AbstractEventLoop | _EncodeInPlace):
        raise RuntimeError("this aiortc version keeps its sender's loop elsewhere")
    if isinstance(loop, asyncio.AbstractEventLoop):
        setattr(sender, _SENDER_LOOP, _EncodeInPlace(loop))


_MAX_SAMPLE = 32767.0
# aiortc's own function, once replaced (tests compare the two)
replaced_audio_level: Callable[[Any], int] | None = None


def audio_level_dbov(frame: Any) -> int:
    """RFC 6465 Appendix A's level of an s16 frame, as aiortc computes it
    (``aiortc.rtp.compute_audio_level_dbov``: the mean square over
    ``frame.samples``, in dBov from -127 to 0, rounded), with numpy."""
    samples = np.frombuffer(bytes(frame.planes[0]), dtype=np.int16).astype(np.float64)
    power = float(np.dot(samples, samples)) / (frame.samples * _MAX_SAMPLE * _MAX_SAMPLE)
    if power <= 0:
        return -127
    return round(min(max(10 * math.log10(power), -127), 0))


@functools.cache
def fast_audio_level() -> None:
    """Replace aiortc's per-sample Python loop for the outgoing audio level (once)."""
    check()
    from aiortc import rtp

    global replaced_audio_level
    original = getattr(rtp, "compute_audio_level_dbov", None)
    if not callable(original):
        raise RuntimeError("this aiortc version computes the audio level elsewhere")
    replaced_audio_level = original
    rtp.compute_audio_level_dbov = audio_level_dbov


class _DecodeInPlace:
    """Stands in for an audio receiver's decoder queue. ``put`` is called on the
    receiver's loop with each complete frame: it decodes there and hands the audio
    to the track's queue, as aiortc's ``decoder_worker`` would from its thread.
    ``get`` is what that thread (still started by aiortc) calls: it returns None —
    the end, which the thread then passes on to the track — once ``put(None)``
    (the receiver stopping) arrived."""

    def __init__(self, receiver: Any, error: threading.Event) -> None:
        self._receiver = receiver  # its track (made when it receives) gets the audio
        self._error = error
        self._codec_name: str | None = None
        self._decoder: Any = None
        self._decode_error: type[Exception] = Exception  # av.FFmpegError, once decoding
        self._ended = threading.Event()

    def put(self, task: tuple[Any, Any] | None) -> None:
        if task is None:
            self._ended.set()
            return
        codec, encoded_frame = task
        if codec.name != self._codec_name:
            import av
            from aiortc.codecs import get_decoder

            self._decoder = get_decoder(codec)
            self._codec_name = codec.name
            self._decode_error = av.FFmpegError
        try:
            frames = self._decoder.decode(encoded_frame)
        except self._decode_error as exc:  # aiortc's worker logs, flags and goes on
            log.warning("failed to decode %s audio: %s", codec.name, exc)
            self._error.set()
            return
        track_queue = self._receiver._track._queue
        for frame in frames:
            track_queue.put_nowait(frame)

    def get(self) -> None:
        self._ended.wait()


def decode_in_place(receiver: Any) -> bool:
    """Make an audio ``RTCRtpReceiver`` decode on its own loop instead of in its
    decoder thread. Only before it receives (its thread takes the queue at start):
    False, and nothing changed, when it already does."""
    check()
    queue = getattr(receiver, _DECODER_QUEUE, None)
    error = getattr(receiver, _DECODER_ERROR, None)
    if queue is None or not isinstance(error, threading.Event) \
            or not hasattr(receiver, _DECODER_THREAD) or not hasattr(receiver, "_track"):
        raise RuntimeError("this aiortc version decodes elsewhere")
    if isinstance(queue, _DecodeInPlace):
        return True
    if getattr(receiver, _DECODER_THREAD) is not None:
        return False
    setattr(receiver, _DECODER_QUEUE, _DecodeInPlace(receiver, error))
    return True
