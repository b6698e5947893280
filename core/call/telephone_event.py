"""DTMF in the RTP stream (RFC 4733 telephone-events) for aiortc, which has none.

Negotiation: every offer we make lists ``telephone-event/8000`` (and ``/48000``
beside Opus) on the audio line; an answer of ours lists the one the offer had at
the clock of the codec chosen. Events are sent only when the other side listed
``telephone-event`` at the clock of the audio codec in use (RFC 4733 §2.1: same
clock, same SSRC as the audio).

Sending: aiortc's sender keeps its sequence numbers to itself, so events are not
added as extra packets. While a digit plays, each outgoing audio packet is turned
into an event packet instead (``EventSender.rewrite``, called on the plaintext
RTP before SRTP protection): same SSRC, same sequence number, the event's start
timestamp, the marker bit on the first, the duration growing by one packet time,
then three end packets with the final duration. The audio is replaced, as phones
do while a key is down; a short gap of audio separates digits.

Receiving: packets with an event payload type never reach aiortc's receiver
(it would drop an unknown payload type anyway); each event is reported once, at
its first end packet (or when a newer event starts without an end seen).

Runs on the media thread (the hooks are called by aiortc's transport).
"""

from __future__ import annotations

import collections
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "DIGITS",
    "EventReceiver",
    "EventSender",
    "answer_with_events",
    "decode_event",
    "encode_event",
    "event_payload_types",
    "offer_with_events",
]

DIGITS = "0123456789*#ABCD"  # event codes 0–15 (RFC 4733 §3.2)
OFFERED = {8000: 101, 48000: 110}  # our payload types when we offer
TONE_MS = 100
GAP_PACKETS = 3     # audio packets between two digits
END_PACKETS = 3     # the end packet is sent three times (RFC 4733 §2.5.1.4)
VOLUME = 10         # −10 dBm0


def encode_event(event: int, *, end: bool, duration: int, volume: int = VOLUME) -> bytes:
    return struct.pack("!BBH", event, (0x80 if end else 0) | (volume & 0x3F),
                       min(duration, 0xFFFF))


@dataclass(frozen=True)
class Event:
    code: int
    end: bool
    volume: int
    duration: int

    @property
    def digit(self) -> str | None:
        return DIGITS[self.code] if self.code < len(DIGITS) else None


def decode_event(payload: bytes) -> Event:
    if len(payload) < 4:
        raise ValueError("a telephone-event payload has four bytes")
    code, flags, duration = struct.unpack("!BBH", payload[:4])
    return Event(code, bool(flags & 0x80), flags & 0x3F, duration)


# ---- RTP header fields on plaintext packets ------------------------------------------

def _is_rtcp(packet: bytes) -> bool:
    return len(packet) >= 2 and 192 <= packet[1] <= 223


def _header_length(packet: bytes) -> int:
    length = 12 + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10:  # header extension
        if len(packet) < length + 4:
            raise ValueError("truncated RTP header extension")
        length += 4 + 4 * struct.unpack("!H", packet[length + 2:length + 4])[0]
    if len(packet) < length:
        raise ValueError("truncated RTP header")
    return length


def _timestamp(packet: bytes) -> int:
    return int(struct.unpack("!I", packet[4:8])[0])


# ---- SDP ------------------------------------------------------------------------------

_RTPMAP = re.compile(r"^a=rtpmap:(\d+) ([^/\s]+)/(\d+)", re.IGNORECASE)


def _audio_section(lines: list[str]) -> tuple[int, int] | None:
    """Index of the first m=audio line and of the line after its section."""
    start = next((i for i, line in enumerate(lines) if line.startswith("m=audio")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("m=")),
               len(lines))
    return start, end


def _split(sdp: str) -> tuple[list[str], str]:
    newline = "\r\n" if "\r\n" in sdp else "\n"
    return sdp.rstrip("\r\n").split(newline), newline


def _rtpmaps(lines: list[str]) -> dict[int, tuple[str, int]]:
    found: dict[int, tuple[str, int]] = {}
    for line in lines:
        match = _RTPMAP.match(line)
        if match:
            found[int(match.group(1))] = (match.group(2).lower(), int(match.group(3)))
    return found


def _add_events(sdp: str, events: dict[int, int]) -> str:
    """``events``: payload type → clock rate, added to the first audio section."""
    lines, newline = _split(sdp)
    section = _audio_section(lines)
    if section is None or not events:
        return sdp
    start, end = section
    maps = _rtpmaps(lines[start:end])
    events = {pt: clock for pt, clock in events.items() if pt not in maps}
    if not events:
        return sdp
    lines[start] += "".join(f" {pt}" for pt in events)
    last_map = max((i for i in range(start, end) if _RTPMAP.match(lines[i])), default=end - 1)
    extra = [line for pt, clock in events.items()
             for line in (f"a=rtpmap:{pt} telephone-event/{clock}", f"a=fmtp:{pt} 0-16")]
    lines[last_map + 1:last_map + 1] = extra
    return newline.join(lines) + newline


def offer_with_events(offer: str) -> str:
    """Our offer, listing telephone-event at the clock of each audio codec in it."""
    lines, _ = _split(offer)
    section = _audio_section(lines)
    if section is None:
        return offer
    clocks = {clock for name, clock in _rtpmaps(lines[section[0]:section[1]]).values()}
    return _add_events(offer, {pt: clock for clock, pt in OFFERED.items() if clock in clocks})


def event_payload_types(sdp: str) -> dict[int, int]:
    """telephone-event payload types of the first audio section: clock → type."""
    lines, _ = _split(sdp)
    section = _audio_section(lines)
    if section is None:
        return {}
    return {clock: pt for pt, (name, clock) in _rtpmaps(lines[section[0]:section[1]]).items()
            if name == "telephone-event"}


def answer_with_events(answer: str, offer: str, clock: int) -> str:
    """Our answer, listing the offer's telephone-event at ``clock`` (the audio
    codec's) when the offer had one."""
    pt = event_payload_types(offer).get(clock)
    return answer if pt is None else _add_events(answer, {pt: clock})


# ---- sending --------------------------------------------------------------------------

@dataclass
class _Playing:
    code: int
    start: int            # RTP timestamp of the event (the first packet's)
    duration: int = 0
    ends_sent: int = 0


class EventSender:
    """Turns outgoing audio packets into event packets while digits play."""

    def __init__(self, payload_type: int, clock_rate: int, tone_ms: int = TONE_MS) -> None:
        self.payload_type = payload_type
        self.clock_rate = clock_rate
        self.tone_samples = clock_rate * tone_ms // 1000
        self._queue: collections.deque[int] = collections.deque()
        self._playing: _Playing | None = None
        self._gap = 0
        self._last_ts: int | None = None
        self._step = clock_rate // 50   # one 20 ms packet, until packets say otherwise
        self.packets_sent = 0

    def queue(self, digits: str) -> None:
        digits = digits.upper()
        for digit in digits:
            if digit not in DIGITS:
                raise ValueError(f"not a DTMF digit: {digit!r}")
        self._queue.extend(DIGITS.index(digit) for digit in digits)

    @property
    def busy(self) -> bool:
        return self._playing is not None or bool(self._queue)

    def rewrite(self, packet: bytes) -> bytes:
        """One outgoing plaintext RTP packet of the audio stream → what to send."""
        if _is_rtcp(packet) or len(packet) < 12:
            return packet
        ts = _timestamp(packet)
        if self._last_ts is not None and 0 < (ts - self._last_ts) % 2**32 < self.clock_rate:
            self._step = (ts - self._last_ts) % 2**32
        self._last_ts = ts
        playing = self._playing
        if playing is None:
            if self._gap > 0:
                self._gap -= 1
                return packet
            if not self._queue:
                return packet
            playing = self._playing = _Playing(self._queue.popleft(), ts)
        first = playing.duration == 0
        if playing.duration < self.tone_samples:
            playing.duration = min((ts - playing.start) % 2**32 + self._step, 0xFFFF)
        end = playing.duration >= self.tone_samples
        if end:
            playing.ends_sent += 1
            if playing.ends_sent >= END_PACKETS:
                self._playing = None
                self._gap = GAP_PACKETS
        header = bytearray(packet[:_header_length(packet)])
        header[1] = (0x80 if first else 0) | self.payload_type
        header[4:8] = struct.pack("!I", playing.start)
        self.packets_sent += 1
        return bytes(header) + encode_event(playing.code, end=end, duration=playing.duration)


# ---- receiving ------------------------------------------------------------------------

DigitHandler = Callable[[str, int], None]  # digit, duration in ms


class EventReceiver:
    """Recognises event packets among incoming plaintext RTP; reports each digit once."""

    def __init__(self, on_digit: DigitHandler) -> None:
        self.payload_types: dict[int, int] = {}  # payload type → clock rate
        self.on_digit = on_digit
        self._current: tuple[int, int] | None = None  # (ssrc, timestamp) of the open event
        self._last_event: Event | None = None
        self._reported: tuple[int, int] | None = None

    def packet(self, data: bytes) -> bool:
        """True when ``data`` was an event packet (consumed here)."""
        if len(data) < 12 or _is_rtcp(data):
            return False
        clock = self.payload_types.get(data[1] & 0x7F)
        if clock is None:
            return False
        try:
            event = decode_event(data[_header_length(data):])
        except ValueError:
            return True
        key = (int(struct.unpack("!I", data[8:12])[0]), _timestamp(data))
        if key != self._current:
            self._flush(clock)
            self._current = key
        self._last_event = event
        if event.end:
            self._flush(clock)
        return True

    def _flush(self, clock: int) -> None:
        if self._current is None or self._last_event is None or \
                self._current == self._reported:
            return
        self._reported = self._current
        event = self._last_event
        if event.digit is not None:
            self.on_digit(event.digit, event.duration * 1000 // clock)
