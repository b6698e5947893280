"""Digest authentication for SIP requests (RFC 2617 / RFC 8760: MD5, qop=auth)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from core.sip.message import SipParseError

__all__ = [
    "Challenge",
    "DigestError",
    "authorization",
    "digest_response",
    "parse_auth_params",
    "parse_challenge",
]


class DigestError(Exception):
    """A challenge we cannot answer (unknown algorithm or qop)."""


@dataclass(frozen=True)
class Challenge:
    realm: str
    nonce: str
    algorithm: str = "MD5"
    qop: tuple[str, ...] = ()
    opaque: str | None = None
    stale: bool = False


def parse_auth_params(text: str) -> dict[str, str]:
    """``a="x, y", b=z`` → dict; quoted values may contain commas."""
    out: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " ,\t":
            i += 1
        start = i
        while i < n and text[i] not in "=,":
            i += 1
        name = text[start:i].strip().lower()
        if i >= n or text[i] != "=":
            if name:
                raise SipParseError(f"auth parameter without value: {name!r}")
            continue
        i += 1
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == '"':
            i += 1
            chars: list[str] = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(text[i])
                i += 1
            if i >= n:
                raise SipParseError("unterminated quoted auth parameter")
            i += 1
            value = "".join(chars)
        else:
            start = i
            while i < n and text[i] != ",":
                i += 1
            value = text[start:i].strip()
        out[name] = value
    return out


def parse_challenge(header: str) -> Challenge:
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        raise DigestError(f"unsupported authentication scheme {scheme!r}")
    params = parse_auth_params(rest)
    if "realm" not in params or "nonce" not in params:
        raise SipParseError("digest challenge without realm or nonce")
    qop = tuple(q.strip().lower() for q in params.get("qop", "").split(",") if q.strip())
    return Challenge(
        realm=params["realm"], nonce=params["nonce"],
        algorithm=params.get("algorithm", "MD5"), qop=qop, opaque=params.get("opaque"),
        stale=params.get("stale", "").lower() == "true",
    )


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def digest_response(*, username: str, password: str, realm: str, nonce: str, method: str,
                    uri: str, qop: str | None = None, nc: str = "", cnonce: str = "") -> str:
    ha1 = _md5(f"{username}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    if qop:
        return _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
    return _md5(f"{ha1}:{nonce}:{ha2}")


def authorization(challenge: Challenge, *, username: str, password: str, method: str,
                  uri: str, nonce_count: int, cnonce: str | None = None) -> str:
    """The value of an Authorization / Proxy-Authorization header."""
    if challenge.algorithm.upper() != "MD5":
        raise DigestError(f"unsupported digest algorithm {challenge.algorithm!r}")
    if challenge.qop and "auth" not in challenge.qop:
        raise DigestError(f"unsupported qop {','.join(challenge.qop)!r}")
    qop = "auth" if challenge.qop else None
    nc = f"{nonce_count:08x}"
    cnonce = cnonce or secrets.token_hex(8)
    response = digest_response(username=username, password=password, realm=challenge.realm,
                               nonce=challenge.nonce, method=method, uri=uri, qop=qop,
                               nc=nc, cnonce=cnonce)
    parts = [f'username="{username}"', f'realm="{challenge.realm}"',
             f'nonce="{challenge.nonce}"', f'uri="{uri}"', f'response="{response}"',
             "algorithm=MD5"]
    if qop:
        parts += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
    if challenge.opaque is not None:
        parts.append(f'opaque="{challenge.opaque}"')
    return "Digest " + ", ".join(parts)
