"""Profile settings from a TOML file: attribute definitions, consent keys, tag rules.

The hub ships ``profile_rules.toml``; ``zuoxi-hub serve --profile-config PATH``
replaces it. Loading checks everything up front, so a typo stops the hub at
start-up with the line (syntax) or the key (meaning) at fault, never later.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from core.protocol.models import AttributeValue, Tier
from core.protocol.profile import AttributeDefinition, AttributeType, FieldClass

# The shipped rules stay beside the hub package (hub/profile_rules.toml).
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "profile_rules.toml"
MAX_TEXT_ATTRIBUTE = 500


class ProfileConfigError(ValueError):
    """The profile settings file is unusable; ``str()`` names the file and the place."""


class AttributeValueError(ValueError):
    """An attribute or consent value an agent sent does not fit its definition."""


@dataclass(frozen=True)
class FrequentContactRule:
    tag: str = "frequent-contact"
    min_contacts: int = 3
    days: int = 7


@dataclass(frozen=True)
class ComplaintRule:
    tag: str = "recent-complaint"
    days: int = 14
    keywords: tuple[str, ...] = ("投诉", "complaint", "refund")


@dataclass(frozen=True)
class HighValueRule:
    tag: str = "high-value"
    tiers: tuple[str, ...] = ("high-value", "vip")


@dataclass(frozen=True)
class ChurnRiskRule:
    tag: str = "churn-risk"
    tiers: tuple[str, ...] = ("churn-risk",)
    max_nps: int | None = 6
    csat_drop: float | None = 1.0


@dataclass(frozen=True)
class ProfileSettings:
    attributes: list[AttributeDefinition] = field(default_factory=list)
    consent_keys: tuple[str, ...] = ()
    default_region: str = "CN"
    frequent_contact: FrequentContactRule | None = FrequentContactRule()
    recent_complaint: ComplaintRule | None = ComplaintRule()
    high_value: HighValueRule | None = HighValueRule()
    churn_risk: ChurnRiskRule | None = ChurnRiskRule()

    def definition(self, key: str) -> AttributeDefinition | None:
        return next((d for d in self.attributes if d.key == key), None)

    def check_attribute(self, key: str, value: AttributeValue) -> AttributeValue:
        """The value to store for ``key``, or ``AttributeValueError`` saying what is wrong."""
        definition = self.definition(key)
        if definition is None:
            known = ", ".join(d.key for d in self.attributes) or "none"
            raise AttributeValueError(f"unknown attribute {key!r} (defined: {known})")
        kind = definition.type
        if kind == AttributeType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value):
                raise AttributeValueError(f"attribute {key!r} takes a number, not {value!r}")
            return float(value)
        if not isinstance(value, str):
            raise AttributeValueError(f"attribute {key!r} takes text, not the number {value!r}")
        text = value.strip()
        if kind == AttributeType.DATE:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise AttributeValueError(
                    f"attribute {key!r} takes a date as YYYY-MM-DD, not {text[:40]!r}"
                ) from None
            if len(text) != 10:
                raise AttributeValueError(f"attribute {key!r} takes a date as YYYY-MM-DD")
            return day.isoformat()
        if kind == AttributeType.CHOICE:
            if text not in definition.choices:
                raise AttributeValueError(
                    f"attribute {key!r} must be one of {', '.join(definition.choices)}; "
                    f"not {text[:40]!r}"
                )
            return text
        if len(text) > MAX_TEXT_ATTRIBUTE:
            raise AttributeValueError(f"attribute {key!r} is over {MAX_TEXT_ATTRIBUTE} chars")
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
            raise AttributeValueError(f"attribute {key!r} contains control characters")
        return text

    def check_consent(self, key: str) -> None:
        if key not in self.consent_keys:
            known = ", ".join(self.consent_keys) or "none"
            raise AttributeValueError(f"unknown consent flag {key!r} (defined: {known})")


def load(path: Path | str | None = None) -> ProfileSettings:
    """Read and check a settings file (the shipped default when ``path`` is None)."""
    where = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = where.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileConfigError(f"{where}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ProfileConfigError(f"{where}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileConfigError(f"{where}: {exc}") from None
    try:
        return parse(data)
    except ProfileConfigError as exc:
        raise ProfileConfigError(f"{where}: {exc}") from None


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
         default: Any = None, required: bool = False) -> Any:
    if key not in table:
        if required:
            raise ProfileConfigError(f"{where}.{key}: missing")
        return default
    value = table[key]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ProfileConfigError(f"{where}.{key}: expected {name}, got {value!r}")
    return value


def _only(table: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ProfileConfigError(f"{where}.{extra[0]}: unknown key (expected one of "
                                 f"{', '.join(sorted(allowed))})")


def _strings(values: list[Any], where: str) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v for v in values):
        raise ProfileConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(values)


def _positive(value: int, where: str) -> int:
    if value < 1:
        raise ProfileConfigError(f"{where}: must be at least 1, got {value}")
    return value


def _tiers(values: list[Any], where: str) -> tuple[str, ...]:
    tiers = _strings(values, where)
    known = {t.value for t in Tier}
    for tier in tiers:
        if tier not in known:
            raise ProfileConfigError(f"{where}: unknown tier {tier!r} "
                                     f"(one of {', '.join(sorted(known))})")
    return tiers


def parse(data: dict[str, Any]) -> ProfileSettings:
    _only(data, {"default_region", "attributes", "consent", "rules"}, "")
    region = _get(data, "default_region", str, "default_region", "CN")
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ProfileConfigError(f"default_region: unknown region {region!r} (e.g. CN, US)")
    attributes: list[AttributeDefinition] = []
    seen: set[str] = set()
    for i, item in enumerate(_get(data, "attributes", list, "attributes", [])):
        where = f"attributes[{i}]"
        if not isinstance(item, dict):
            raise ProfileConfigError(f"{where}: expected a table ([[attributes]])")
        _only(item, {"key", "label", "type", "choices", "class"}, where)
        key = _get(item, "key", str, where, required=True)
        if not key.isascii() or not key[:1].isalpha() or not key.replace("_", "").isalnum() \
                or key != key.lower() or len(key) > 40:
            raise ProfileConfigError(f"{where}.key: {key!r} must be lower-case a-z, 0-9, _")
        if key in seen:
            raise ProfileConfigError(f"{where}.key: {key!r} is defined twice")
        seen.add(key)
        type_name = _get(item, "type", str, where, required=True)
        try:
            kind = AttributeType(type_name)
        except ValueError:
            raise ProfileConfigError(
                f"{where}.type: {type_name!r} is not one of "
                f"{', '.join(t.value for t in AttributeType)}"
            ) from None
        choices = list(_strings(_get(item, "choices", list, where, []), f"{where}.choices"))
        if kind == AttributeType.CHOICE and not choices:
            raise ProfileConfigError(f"{where}.choices: a choice attribute needs choices")
        if kind != AttributeType.CHOICE and choices:
            raise ProfileConfigError(f"{where}.choices: only choice attributes have choices")
        label = _get(item, "label", str, where, key)
        class_name = _get(item, "class", str, where, FieldClass.PROFILE.value)
        try:
            field_class = FieldClass(class_name)
        except ValueError:
            raise ProfileConfigError(
                f"{where}.class: {class_name!r} is not one of "
                f"{', '.join(c.value for c in FieldClass)}"
            ) from None
        attributes.append(AttributeDefinition(key=key, label=label, type=kind, choices=choices,
                                              field_class=field_class))
    consent = _get(data, "consent", dict, "consent", {})
    _only(consent, {"keys"}, "consent")
    consent_keys = _strings(_get(consent, "keys", list, "consent", []), "consent.keys")
    rules = _get(data, "rules", dict, "rules", {})
    _only(rules, {"frequent_contact", "recent_complaint", "high_value", "churn_risk"}, "rules")
    return ProfileSettings(
        attributes=attributes,
        consent_keys=consent_keys,
        default_region=region,
        frequent_contact=_frequent(rules.get("frequent_contact")),
        recent_complaint=_complaint(rules.get("recent_complaint")),
        high_value=_high_value(rules.get("high_value")),
        churn_risk=_churn(rules.get("churn_risk")),
    )


def _table(value: Any, where: str, allowed: set[str]) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ProfileConfigError(f"{where}: expected a table")
    _only(value, allowed, where)
    return value


def _frequent(value: Any) -> FrequentContactRule | None:
    w = "rules.frequent_contact"
    t = _table(value, w, {"tag", "min_contacts", "days"})
    if t is None:
        return None
    return FrequentContactRule(
        tag=_get(t, "tag", str, w, "frequent-contact"),
        min_contacts=_positive(_get(t, "min_contacts", int, w, 3), f"{w}.min_contacts"),
        days=_positive(_get(t, "days", int, w, 7), f"{w}.days"),
    )


def _complaint(value: Any) -> ComplaintRule | None:
    w = "rules.recent_complaint"
    t = _table(value, w, {"tag", "days", "keywords"})
    if t is None:
        return None
    keywords = _strings(_get(t, "keywords", list, w, required=True), f"{w}.keywords")
    if not keywords:
        raise ProfileConfigError(f"{w}.keywords: give at least one keyword")
    return ComplaintRule(
        tag=_get(t, "tag", str, w, "recent-complaint"),
        days=_positive(_get(t, "days", int, w, 14), f"{w}.days"),
        keywords=tuple(k.lower() for k in keywords),
    )


def _high_value(value: Any) -> HighValueRule | None:
    w = "rules.high_value"
    t = _table(value, w, {"tag", "tiers"})
    if t is None:
        return None
    return HighValueRule(
        tag=_get(t, "tag", str, w, "high-value"),
        tiers=_tiers(_get(t, "tiers", list, w, ["high-value", "vip"]), f"{w}.tiers"),
    )


def _churn(value: Any) -> ChurnRiskRule | None:
    w = "rules.churn_risk"
    t = _table(value, w, {"tag", "tiers", "max_nps", "csat_drop"})
    if t is None:
        return None
    max_nps = _get(t, "max_nps", int, w, None)
    if max_nps is not None and not 0 <= max_nps <= 10:
        raise ProfileConfigError(f"{w}.max_nps: must be 0-10, got {max_nps}")
    drop = _get(t, "csat_drop", (int, float), w, None)
    return ChurnRiskRule(
        tag=_get(t, "tag", str, w, "churn-risk"),
        tiers=_tiers(_get(t, "tiers", list, w, ["churn-risk"]), f"{w}.tiers"),
        max_nps=max_nps,
        csat_drop=float(drop) if drop is not None else None,
    )
