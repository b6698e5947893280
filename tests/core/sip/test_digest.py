"""Digest responses against the RFC 2617 example, and challenge parsing."""

from __future__ import annotations

import pytest

from core.sip.digest import DigestError, authorization, digest_response, parse_challenge
from core.sip.message import SipParseError


def test_rfc2617_example() -> None:
    # RFC 2617 §3.5: Mufasa / "Circle Of Life", qop=auth.
    assert digest_response(
        username="Mufasa", password="Circle Of Life", realm="testrealm@host.com",
        nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", method="GET", uri="/dir/index.html",
        qop="auth", nc="00000001", cnonce="0a4f113b",
    ) == "6629fae49393a05397450978507c4ef1"


def test_challenge_with_commas_in_quotes_and_qop_list() -> None:
    challenge = parse_challenge(
        'Digest realm="pbx, main", nonce="n1", qop="auth,auth-int", opaque="o", stale=TRUE')
    assert challenge.realm == "pbx, main"
    assert challenge.qop == ("auth", "auth-int")
    assert challenge.stale
    header = authorization(challenge, username="u", password="p", method="REGISTER",
                           uri="sip:pbx.test", nonce_count=2, cnonce="c")
    expected = digest_response(username="u", password="p", realm="pbx, main", nonce="n1",
                               method="REGISTER", uri="sip:pbx.test", qop="auth",
                               nc="00000002", cnonce="c")
    assert f'response="{expected}"' in header
    assert "nc=00000002" in header and 'opaque="o"' in header


def test_without_qop_uses_the_rfc2069_form() -> None:
    challenge = parse_challenge('Digest realm="r", nonce="n"')
    header = authorization(challenge, username="u", password="p", method="INVITE",
                           uri="sip:x@r", nonce_count=1)
    assert "qop" not in header
    assert digest_response(username="u", password="p", realm="r", nonce="n", method="INVITE",
                           uri="sip:x@r") in header


def test_unsupported_and_broken_challenges() -> None:
    with pytest.raises(DigestError, match="scheme"):
        parse_challenge('Basic realm="r"')
    with pytest.raises(SipParseError, match="realm or nonce"):
        parse_challenge('Digest realm="r"')
    with pytest.raises(SipParseError, match="unterminated"):
        parse_challenge('Digest realm="r, nonce=n')
    with pytest.raises(DigestError, match="algorithm"):
        authorization(parse_challenge('Digest realm="r", nonce="n", algorithm=SHA-512'),
                      username="u", password="p", method="REGISTER", uri="sip:r",
                      nonce_count=1)
    with pytest.raises(DigestError, match="qop"):
        authorization(parse_challenge('Digest realm="r", nonce="n", qop="auth-int"'),
                      username="u", password="p", method="REGISTER", uri="sip:r",
                      nonce_count=1)
