"""Signed rating links: made only with the secret, bound to one conversation,
expiring; reuse is refused by the store (one rating per conversation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.feedback.rating_links import (
    LinkError,
    LinkRefusal,
    RatingLinks,
    load_or_create_secret,
)

SECRET = b"k" * 32
NOW = 1_800_000_000


def refusal(links: RatingLinks, token: str, now: int = NOW) -> LinkRefusal:
    with pytest.raises(LinkError) as err:
        links.verify(token, now)
    return err.value.refusal


def test_a_link_names_its_conversation_until_it_expires() -> None:
    links = RatingLinks(SECRET, ttl_s=14 * 24 * 3600)
    token = links.issue("conv_abc", NOW)
    assert links.verify(token, NOW) == "conv_abc"
    assert links.verify(token, NOW + 14 * 24 * 3600 - 1) == "conv_abc"
    assert refusal(links, token, NOW + 14 * 24 * 3600) is LinkRefusal.EXPIRED
    assert links.issue("conv_abc", NOW) != token  # unguessable: a fresh nonce each time


def test_forged_and_cross_conversation_links_are_refused() -> None:
    links = RatingLinks(SECRET)
    token = links.issue("conv_mine", NOW)
    conv, expiry, nonce, sig = token.split(".")
    # Someone else's conversation with my signature; a later expiry; another key.
    assert refusal(links, f"conv_theirs.{expiry}.{nonce}.{sig}") is LinkRefusal.FORGED
    assert refusal(links, f"{conv}.{int(expiry) + 10**6}.{nonce}.{sig}") is LinkRefusal.FORGED
    other = RatingLinks(b"o" * 32).issue("conv_mine", NOW)
    assert refusal(links, other) is LinkRefusal.FORGED
    for junk in ("", "a.b.c", "conv.x.n.s", "c/../d.1.n.s", "a" * 400):
        assert refusal(links, junk) is LinkRefusal.MALFORMED


def test_short_secrets_are_refused_and_the_key_file_is_kept(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        RatingLinks(b"short")
    path = tmp_path / "keys" / "rating_link.key"
    first = load_or_create_secret(path)
    assert len(first) == 32 and load_or_create_secret(path) == first
    assert path.stat().st_mode & 0o077 == 0
