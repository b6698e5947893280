"""Identity normalisation: one canonical spelling per contact point, clear refusals."""

from __future__ import annotations

import pytest

from core.protocol.models import IdentityKind
from hub.profile.identity import (
    IdentityError,
    TextError,
    clean_text,
    lookup_keys,
    normalise,
    normalise_email,
    normalise_phone,
)

CN_MOBILE = "+8613800138000"


@pytest.mark.parametrize(
    "raw",
    [
        "+86 138 0013 8000",
        "13800138000",
        "0086-138-0013-8000",
        "+86-138-0013-8000",
        "(+86) 138.0013.8000",
        "138 0013 8000",
        " 138-0013-8000 ",
        "+8613800138000",
        "００８６１３８００１３８０００",  # full-width digits, as typed with a Chinese IME
    ],
)
def test_chinese_mobile_in_any_spelling_is_one_e164_number(raw: str) -> None:
    assert normalise(IdentityKind.PHONE, raw) == CN_MOBILE


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 (415) 555-2671", "CN", "+14155552671"),
        ("415-555-2671", "US", "+14155552671"),
        ("001 415 555 2671", "CN", "+14155552671"),
        ("010-6552-9988", "CN", "+861065529988"),  # Beijing landline
        ("+44 20 7946 0958", "CN", "+442079460958"),
    ],
)
def test_other_numbers_and_regions(raw: str, region: str, expected: str) -> None:
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("12345", "not a valid phone number"),
        ("1380013800", "not a valid phone number"),  # one digit short
        ("138-0013-800O", "only digits"),  # letter O
        ("call me maybe", "only digits"),
        ("123", "too short"),
        ("+86 138 0013 8000 ext; DROP", "only digits"),
    ],
)
def test_bad_phones_are_refused_with_a_reason(raw: str, why: str) -> None:
    with pytest.raises(IdentityError) as info:
        normalise(IdentityKind.PHONE, raw)
    assert why in str(info.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Zhang.Wei@Example.COM ", "zhang.wei@example.com"),
        ("mailto:Li@Example.cn", "li@example.cn"),
        ("user+tag@例子.中国", "user+tag@xn--fsqu00a.xn--fiqs8s"),
        ("A@münchen.de", "a@xn--mnchen-3ya.de"),
    ],
)
def test_emails_are_trimmed_lower_cased_and_idna(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["no-at-sign", "a@b@c.com", "@example.com", "a@", "a@localhost", "a..b@example.com",
     "a b@example.com", "a@-bad-.com", "a@example.123"],
)
def test_bad_emails_are_refused(raw: str) -> None:
    with pytest.raises(IdentityError):
        normalise(IdentityKind.EMAIL, raw)


def test_external_ids_need_a_namespace() -> None:
    assert normalise(IdentityKind.EXTERNAL, " WeChat:oAbC123_x ") == "wechat:oAbC123_x"
    assert normalise(IdentityKind.EXTERNAL, "order:12345") == "order:12345"
    for bad in ("oAbC123", "wechat:", ":123", "we chat:1", "order:12 345", "微信:abc"):
        with pytest.raises(IdentityError):
            normalise(IdentityKind.EXTERNAL, bad)


def test_visitor_ids_cannot_be_added_by_hand() -> None:
    with pytest.raises(IdentityError):
        normalise(IdentityKind.VISITOR, "v_abc")


def test_lookup_keys_guess_the_kind() -> None:
    assert lookup_keys("0086 138 0013 8000") == [(IdentityKind.PHONE, CN_MOBILE)]
    assert lookup_keys("LI@EXAMPLE.CN") == [(IdentityKind.EMAIL, "li@example.cn")]
    assert lookup_keys("wechat:oX1") == [(IdentityKind.EXTERNAL, "wechat:oX1")]
    assert lookup_keys("王伟") == []


def test_clean_text_refuses_control_characters_but_keeps_unicode() -> None:
    name = "😀 مرحبا 张伟 " + "字" * 100
    assert clean_text(f"  {name}  ", "name", multiline=False) == name
    assert clean_text("line 1\nline 2\tx", "note", multiline=True) == "line 1\nline 2\tx"
    for bad, multiline in (("a\x00b", True), ("a\x1bb", True), ("a\nb", False),
                           ("a\u2028b", True), ("   ", False)):
        with pytest.raises(TextError):
            clean_text(bad, "name", multiline=multiline)
