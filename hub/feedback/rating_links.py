"""Signed one-click rating links for email conversations.

A token is ``<conversation id>.<expiry, unix s>.<nonce>.<signature>``; the
signature is HMAC-SHA256 over the first three parts with the hub's secret, so a
token cannot be made or altered without the secret, and it names exactly one
conversation: a link cannot rate someone else's. Single use follows from the
store's one-rating-per-conversation rule. Sans-I/O: time comes in as arguments.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

DEFAULT_LINK_TTL_S = 14 * 24 * 3600
MAX_TOKEN_CHARS = 300
_CONV_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class LinkRefusal(enum.StrEnum):
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"


class LinkError(Exception):
    def __init__(self, refusal: LinkRefusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class RatingLinks:
    def __init__(self, secret: bytes, ttl_s: int = DEFAULT_LINK_TTL_S) -> None:
        if len(secret) < 16:
            raise ValueError("the rating link secret needs at least 16 bytes")
        self._secret = secret
        self.ttl_s = ttl_s

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode(), hashlib.sha256).digest())

    def issue(self, conversation_id: str, now_s: int) -> str:
        if not _CONV_ID.match(conversation_id):
            raise ValueError(f"not a conversation id: {conversation_id!r}")
        body = f"{conversation_id}.{now_s + self.ttl_s}.{_b64(secrets.token_bytes(12))}"
        return f"{body}.{self._sign(body)}"

    def verify(self, token: str, now_s: int) -> str:
        """The conversation the token rates; raises LinkError otherwise."""
        parts = token.split(".") if len(token) <= MAX_TOKEN_CHARS else []
        if len(parts) != 4 or not _CONV_ID.match(parts[0]) or not parts[1].isdigit():
            raise LinkError(LinkRefusal.MALFORMED)
        body = ".".join(parts[:3])
        if not hmac.compare_digest(self._sign(body), parts[3]):
            raise LinkError(LinkRefusal.FORGED)
        if now_s >= int(parts[1]):
            raise LinkError(LinkRefusal.EXPIRED)
        return parts[0]


def load_or_create_secret(path: Path) -> bytes:
    """The hub's link secret, made once (32 random bytes, owner-only) and kept, so
    links mailed before a restart still work."""
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    data = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return data
