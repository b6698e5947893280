"""Encoding and validated decoding of protocol frames.

One decoder per (protocol, direction). Decoding never raises anything but
``ProtocolError``, whose ``code`` is one of ``ErrorCode``.
"""

from __future__ import annotations

import enum
from typing import Any, Generic, TypeVar

import msgspec

from core.protocol import agent, customer

PROTOCOL_VERSION = 1

# Largest frame either endpoint accepts. Real frames are far smaller; snapshots
# travel hub -> client and are not bound by this.
MAX_CLIENT_FRAME_BYTES = 16 * 1024


class ErrorCode(enum.StrEnum):
    BAD_JSON = "bad_json"
    TOO_LARGE = "too_large"
    UNKNOWN_TYPE = "unknown_type"
    INVALID = "invalid"
    UNSUPPORTED_VERSION = "unsupported_version"
    NOT_AUTHENTICATED = "not_authenticated"
    UNAUTHORIZED = "unauthorized"
    TOKEN_EXPIRED = "token_expired"
    # The agent signed in again elsewhere (a hub run with --one-login-per-agent).
    SESSION_REPLACED = "session_replaced"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    NO_CONVERSATION = "no_conversation"
    INVALID_IDENTITY = "invalid_identity"
    IDENTITY_TAKEN = "identity_taken"
    MERGE_REFUSED = "merge_refused"
    INTERNAL = "internal"
    # The hub cannot write its database (disk full, read-only): try again later.
    UNAVAILABLE = "unavailable"


class ProtocolError(Exception):
    """A frame could not be accepted. ``code`` is stable; ``detail`` is for humans."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


T = TypeVar("T")

_TOO_DEEP = "the frame is nested too deeply"

_encoder = msgspec.json.Encoder()


def encode(frame: msgspec.Struct) -> bytes:
    return _encoder.encode(frame)


def encode_text(frame: msgspec.Struct) -> str:
    return _encoder.encode(frame).decode()


_NUL_ESCAPE = b"\\u0000"
_NUL_ESCAPE_TEXT = "\\u0000"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class FrameDecoder(Generic[T]):
    """Validating decoder for one union of frame types."""

    def __init__(self, union: Any, max_bytes: int | None = None) -> None:
        self._decoder: msgspec.json.Decoder[T] = msgspec.json.Decoder(union)
        self._max_bytes = max_bytes
        self._tags = {t.__struct_config__.tag for t in getattr(union, "__args__", (union,))}

    def decode(self, data: bytes | str) -> T:
        if self._max_bytes is not None and len(data) > self._max_bytes:
            raise ProtocolError(ErrorCode.TOO_LARGE, f"frame larger than {self._max_bytes} bytes")
        try:
            frame = self._decoder.decode(data)
        except msgspec.ValidationError as exc:
            raise self._classify(data, exc) from None
        except msgspec.DecodeError as exc:
            raise ProtocolError(ErrorCode.BAD_JSON, str(exc)) from None
        except RecursionError:
            raise ProtocolError(ErrorCode.INVALID, _TOO_DEEP) from None
        # JSON can only carry NUL escaped; only then look closer (rare, cheap).
        if _NUL_ESCAPE in data if isinstance(data, bytes) else _NUL_ESCAPE_TEXT in data:
            try:
                nul = _holds_nul(msgspec.json.decode(data))
            except RecursionError:
                raise ProtocolError(ErrorCode.INVALID, _TOO_DEEP) from None
            if nul:
                # No store keeps NUL in text (PostgreSQL refuses it), and no one means it.
                raise ProtocolError(ErrorCode.INVALID, "text must not contain NUL (U+0000)")
        return frame

    def _classify(self, data: bytes | str, exc: msgspec.ValidationError) -> ProtocolError:
        # Only on the error path: find out whether the type itself was the problem.
        # The untyped decode meets the same hostile values (integers out of range,
        # deep nesting) and must not let them escape as anything but ProtocolError.
        try:
            raw = msgspec.json.decode(data)
        except RecursionError:
            return ProtocolError(ErrorCode.INVALID, _TOO_DEEP)
        except (msgspec.MsgspecError, ValueError):
            return ProtocolError(ErrorCode.INVALID, str(exc)[:200])
        if not isinstance(raw, dict):
            return ProtocolError(ErrorCode.INVALID, "a frame must be a JSON object")
        kind = raw.get("type")
        if not isinstance(kind, str):
            return ProtocolError(ErrorCode.INVALID, "a frame needs a string 'type'")
        if kind not in self._tags:
            return ProtocolError(ErrorCode.UNKNOWN_TYPE, f"unknown frame type {kind[:40]!r}")
        return ProtocolError(ErrorCode.INVALID, str(exc)[:200])


def agent_client_decoder() -> FrameDecoder[agent.ClientFrame]:
    """Hub side: frames sent by the desktop."""
    return FrameDecoder(agent.ClientFrame, MAX_CLIENT_FRAME_BYTES)


def agent_server_decoder() -> FrameDecoder[agent.ServerFrame]:
    """Desktop side: frames sent by the hub (no size cap: snapshots are large)."""
    return FrameDecoder(agent.ServerFrame)


def customer_client_decoder() -> FrameDecoder[customer.ClientFrame]:
    """Hub side: frames sent by the widget (public)."""
    return FrameDecoder(customer.ClientFrame, MAX_CLIENT_FRAME_BYTES)


def customer_server_decoder() -> FrameDecoder[customer.ServerFrame]:
    """Widget-simulator side: frames sent by the hub."""
    return FrameDecoder(customer.ServerFrame)
