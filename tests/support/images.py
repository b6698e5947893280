"""Small real images built byte by byte (PNG), and headers that claim huge sizes."""

from __future__ import annotations

import base64
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width: int, height: int) -> bytes:
    """A valid grey PNG; for huge sizes only the first rows are written (a bomb's header)."""
    rows = min(height, 4)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(rows))
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))


def png_b64(width: int, height: int) -> str:
    return base64.b64encode(png(width, height)).decode()


def gif_b64(width: int, height: int) -> str:
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    return base64.b64encode(head + b"\x2c" + b"\x00" * 9 + b"\x02\x02\x44\x01\x00\x3b").decode()


def jpeg_b64(width: int, height: int) -> str:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return base64.b64encode(b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"
                            b"\x00\x01\x00\x00" + sof + b"\xff\xd9").decode()
