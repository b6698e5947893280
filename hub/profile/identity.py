"""Contact points in one canonical spelling: phones (E.164), emails, external ids.

Every inbound channel (widget hello, email, voice) and every agent edit goes
through ``normalise``, so one customer is found by one key however the value was
typed. A value that does not validate raises ``IdentityError`` whose message
says why, in words an agent can act on.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

import phonenumbers

from core.protocol.models import IdentityKind

DEFAULT_REGION = "CN"
MAX_VALUE_CHARS = 255

# Namespaces of external channel ids: "wechat:OPENID", "order:12345".
_NAMESPACE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_EXTERNAL_ID = re.compile(r"^[\x21-\x7e]{1,200}$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Characters people type around phone numbers; anything else is refused.
_PHONE_CHARS = re.compile(r"^[0-9+()\-.\s/]+$")


class IdentityError(ValueError):
    """The value is not a usable contact point of that kind; ``str()`` says why."""


def normalise(kind: IdentityKind, raw: str, region: str = DEFAULT_REGION) -> str:
    """The canonical value of ``raw``, or ``IdentityError``."""
    value = unicodedata.normalize("NFKC", raw).strip()
    if not value:
        raise IdentityError("the value is empty")
    if len(value) > MAX_VALUE_CHARS:
        raise IdentityError(f"the value is longer than {MAX_VALUE_CHARS} characters")
    if kind == IdentityKind.PHONE:
        return normalise_phone(value, region)
    if kind == IdentityKind.EMAIL:
        return normalise_email(value)
    if kind == IdentityKind.EXTERNAL:
        return normalise_external(value)
    raise IdentityError("visitor ids are issued by the hub and cannot be added")


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (``+8613800138000``); national numbers are read in ``region``."""
    value = unicodedata.normalize("NFKC", raw).strip()
    if not _PHONE_CHARS.match(value):
        raise IdentityError(f"{value[:40]!r} is not a phone number: only digits, spaces, "
                              "+ ( ) - . / are allowed")
    digits = sum(ch.isdigit() for ch in value)
    if digits < 5:
        raise IdentityError(f"{value!r} is too short for a phone number")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        why = exc.args[0] if exc.args else exc  # the library's words, without its code
        raise IdentityError(f"{value!r} is not a phone number ({why})") from None
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        raise IdentityError(
            f"{value!r} is not a valid phone number for region {where} "
            f"(country code +{number.country_code}); check the digits or add the country code"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """Trimmed, lower-cased, the domain in its ASCII (IDNA) form."""
    value = unicodedata.normalize("NFKC", raw).strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if value.count("@") != 1:
        raise IdentityError(f"{value[:60]!r} is not an email address: it needs one '@'")
    local, domain = value.rsplit("@", 1)
    if not _LOCAL_PART.match(local) or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        raise IdentityError(f"the part before '@' in {value[:60]!r} is not valid")
    domain = domain.rstrip(".").lower()
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise IdentityError(f"the domain {domain[:60]!r} is not valid") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        raise IdentityError(f"the domain {domain[:60]!r} is not valid (e.g. example.com)")
    if labels[-1].isdigit():
        raise IdentityError(f"the domain {domain[:60]!r} is not valid (e.g. example.com)")
    return f"{local.lower()}@{ascii_domain}"


def normalise_external(raw: str) -> str:
    """``namespace:id`` with a lower-case namespace; the id keeps its case."""
    value = raw.strip()
    namespace, sep, ident = value.partition(":")
    namespace = namespace.strip().lower()
    ident = ident.strip()
    if not sep or not ident:
        raise IdentityError(
            f"{value[:60]!r} needs a namespace prefix, e.g. 'wechat:OPENID' or 'order:12345'"
        )
    if not _NAMESPACE.match(namespace):
        raise IdentityError(f"the namespace {namespace[:40]!r} must be lower-case letters, "
                              "digits, '-' or '_'")
    if not _EXTERNAL_ID.match(ident):
        raise IdentityError("an external id is printable ASCII without spaces")
    return f"{namespace}:{ident}"


def lookup_keys(raw: str, region: str = DEFAULT_REGION) -> list[tuple[IdentityKind, str]]:
    """Every identity ``raw`` could be, for search and for resolving inbound contacts."""
    keys: list[tuple[IdentityKind, str]] = []
    value = raw.strip()
    if "@" in value:
        with contextlib.suppress(IdentityError):
            keys.append((IdentityKind.EMAIL, normalise_email(value)))
    elif ":" in value:
        with contextlib.suppress(IdentityError):
            keys.append((IdentityKind.EXTERNAL, normalise_external(value)))
    elif _PHONE_CHARS.match(value):
        with contextlib.suppress(IdentityError):
            keys.append((IdentityKind.PHONE, normalise_phone(value, region)))
    return keys


def clean_text(value: str, what: str, multiline: bool) -> str:
    """``value`` without surrounding space; C0 controls (other than newline and tab,
    when ``multiline``) are refused, so nothing invisible hides in a name or note."""
    bad = [
        ch for ch in value
        if (unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t"))
        or ch in "\u2028\u2029"
    ]
    if bad:
        raise TextError(
            f"the {what} contains control character(s) U+{ord(bad[0]):04X}; remove them"
        )
    cleaned = value.strip()
    if not cleaned:
        raise TextError(f"the {what} is empty")
    return cleaned


class TextError(ValueError):
    """Text an agent typed that the hub will not store; ``str()`` says why."""
