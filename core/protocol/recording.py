"""Call recordings as hub and desktop exchange them (docs/protocol.md, "Call
recordings"): the file format's facts, the listing's JSON, and a pure-Python look
at an Ogg/Opus file's header and last page (the hub checks uploads without
decoding them)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import msgspec

CONTENT_TYPE = "audio/ogg"
SUFFIX = ".ogg"  # a recording file's name ending
OPUS_RATE = 48_000


class RecordingFileError(Exception):
    """The file is not a recording this code can read."""


class RecordingInfo(msgspec.Struct, frozen=True):
    """A stored recording as ``GET /api/recordings`` lists it."""

    call_id: str
    agent_id: str
    conversation_id: str
    channels: int
    duration_s: float
    size: int
    stored_at: int


@dataclass(frozen=True)
class OggInfo:
    channels: int
    duration_s: float


def ogg_opus_info(head: bytes, tail: bytes) -> OggInfo:
    """Channels and duration of an Ogg/Opus file from its first and last bytes
    (pure Python: the hub checks uploads without decoding them).

    ``head``: the file's first 64 bytes or more; ``tail``: its last 64 KiB or less."""
    if len(head) < 47 or head[:4] != b"OggS":
        raise RecordingFileError("not an Ogg file")
    segments = head[26]
    body = 27 + segments
    if len(head) < body + 12 or head[body:body + 8] != b"OpusHead":
        raise RecordingFileError("not Opus in Ogg")
    channels = head[body + 9]
    pre_skip = struct.unpack_from("<H", head, body + 10)[0]
    at = tail.rfind(b"OggS")
    if at < 0 or len(tail) < at + 14:
        raise RecordingFileError("no complete Ogg page at the end")
    granule = struct.unpack_from("<q", tail, at + 6)[0]
    return OggInfo(channels=channels, duration_s=max(0, granule - pre_skip) / OPUS_RATE)
