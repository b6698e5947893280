"""The quality rules file: what every closed conversation is checked against.

The hub ships ``quality_rules.toml``; ``--quality-rules PATH`` replaces it. Loading
checks everything up front (TOML syntax, known keys, kinds, types, ranges), so a
mistake is reported with the file and the line at fault. See docs/quality.md.
"""

from __future__ import annotations

import enum
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.protocol.models import Channel
from hub.config import SettingsFileError

DEFAULT_PATH = Path(__file__).resolve().parent / "quality_rules.toml"
TEXT_CHANNELS = (Channel.CHAT, Channel.EMAIL, Channel.VOICE)


class RuleKind(enum.StrEnum):
    GREETING = "greeting"  # one of the phrases in the agent's first message(s)
    CLOSING = "closing"  # one of the phrases in the agent's last message(s)
    REQUIRED_PHRASE = "required_phrase"  # one of the phrases somewhere (identity check)
    BANNED_PHRASE = "banned_phrase"  # none of the phrases anywhere
    FIRST_RESPONSE = "first_response"  # the first reply within the channel's standard
    AVERAGE_RESPONSE = "average_response"  # the mean reply time within the standard
    EMPATHY = "empathy"  # an empathy phrase after the customer turned negative
    RESOLUTION = "resolution"  # resolution asked for or confirmed
    SENTIMENT_TREND = "sentiment_trend"  # the customer ends no worse than they started
    TRANSFER_NOTE = "transfer_note"  # a transfer carries a note for the next agent


_PHRASE_KINDS = {RuleKind.GREETING, RuleKind.CLOSING, RuleKind.REQUIRED_PHRASE,
                 RuleKind.BANNED_PHRASE, RuleKind.EMPATHY, RuleKind.RESOLUTION}
# Keys each kind takes besides the common ones.
_KIND_KEYS: dict[RuleKind, set[str]] = {
    RuleKind.GREETING: {"phrases", "within"},
    RuleKind.CLOSING: {"phrases", "within"},
    RuleKind.REQUIRED_PHRASE: {"phrases"},
    RuleKind.BANNED_PHRASE: {"phrases"},
    RuleKind.FIRST_RESPONSE: {"factor"},
    RuleKind.AVERAGE_RESPONSE: {"factor"},
    RuleKind.EMPATHY: {"phrases"},
    RuleKind.RESOLUTION: {"phrases", "customer_phrases"},
    RuleKind.SENTIMENT_TREND: {"max_drop"},
    RuleKind.TRANSFER_NOTE: set(),
}
_COMMON_KEYS = {"id", "kind", "name", "points", "fatal", "channels"}
_SETTINGS_KEYS = {"sample_rate", "review_below", "appeal_window_days"}


class QualityRulesError(SettingsFileError):
    """The rules file is unusable; ``str()`` names the file and, where known, the line."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: RuleKind
    name: str
    points: int
    fatal: bool
    channels: frozenset[Channel]
    phrases: tuple[str, ...] = ()
    customer_phrases: tuple[str, ...] = ()
    within: int = 1
    factor: float = 1.0
    max_drop: float = 0.3
    matcher: re.Pattern[str] | None = None
    customer_matcher: re.Pattern[str] | None = None


@dataclass(frozen=True)
class QualitySettings:
    sample_rate: float = 0.05  # share of conversations reviewed at random
    review_below: int = 70  # a score under this goes to the review queue
    appeal_window_days: float = 7.0  # an agent may appeal this long after scoring


@dataclass(frozen=True)
class QualityRules:
    rules: tuple[Rule, ...]
    settings: QualitySettings
    source: str
    version: str  # a digest of the file: scores say which rules made them


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for ``phrases``: Chinese as substrings, English
    words whole ("hi" does not match "this")."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase).replace(r"\ ", r"\s+")
        if phrase[0].isascii() and phrase[0].isalnum():
            escaped = r"\b" + escaped
        if phrase[-1].isascii() and phrase[-1].isalnum():
            escaped += r"\b"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


class _Reader:
    """Checks one file's values, naming the line of whatever is wrong."""

    def __init__(self, text: str, path: Path | str) -> None:
        self.lines = text.splitlines()
        self.path = path
        self._rule_headers = [i for i, line in enumerate(self.lines)
                              if re.match(r"^\s*\[\[\s*rule\s*\]\]", line)]

    def error(self, line: int | None, problem: str) -> QualityRulesError:
        return QualityRulesError(self.path, line, problem)

    def rule_line(self, index: int, key: str | None = None) -> int | None:
        """The line of ``key`` in the ``index``-th [[rule]] (or of its header)."""
        if index >= len(self._rule_headers):
            return None
        start = self._rule_headers[index]
        if key is not None:
            pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
            for i in range(start + 1, len(self.lines)):
                if self.lines[i].lstrip().startswith("["):
                    break
                if pattern.match(self.lines[i]):
                    return i + 1
        return start + 1

    def section_line(self, section: str, key: str | None = None) -> int | None:
        header = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
        if start is None:
            return None
        if key is not None:
            pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
            for i in range(start + 1, len(self.lines)):
                if self.lines[i].lstrip().startswith("["):
                    break
                if pattern.match(self.lines[i]):
                    return i + 1
        return start + 1

    def number(self, data: dict[str, Any], key: str, line: int | None, where: str,
               default: float, low: float, high: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not low <= value <= high:
            raise self.error(line, f"{where} {key} must be a number from {low:g} to {high:g}")
        return float(value)

    def strings(self, data: dict[str, Any], key: str, line: int | None, where: str,
                ) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(line, f"{where} {key} must be a list of strings")
        cleaned = tuple(v.strip() for v in value)
        if any(not v for v in cleaned):
            raise self.error(line, f"{where} {key} holds an empty string")
        return cleaned


def _rule(reader: _Reader, index: int, data: Any, seen: set[str]) -> Rule:
    if not isinstance(data, dict):
        raise reader.error(reader.rule_line(index), "each rule must be a [[rule]] table")
    rule_id = data.get("id")
    where = f"rule {index + 1}"
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z0-9_]{1,40}", rule_id):
        raise reader.error(reader.rule_line(index, "id"),
                           f"{where} needs an id of 1-40 lowercase letters, digits or _")
    where = f"rule {rule_id!r}"
    if rule_id in seen:
        raise reader.error(reader.rule_line(index, "id"), f"{where} is defined twice")
    seen.add(rule_id)
    try:
        kind = RuleKind(str(data.get("kind")))
    except ValueError:
        raise reader.error(reader.rule_line(index, "kind"),
                           f"{where} has no known kind (known: "
                           f"{', '.join(k.value for k in RuleKind)})") from None
    allowed = _COMMON_KEYS | _KIND_KEYS[kind]
    for key in data:
        if key not in allowed:
            raise reader.error(reader.rule_line(index, key),
                               f"{where} ({kind.value}) has no setting {key!r} "
                               f"(known: {', '.join(sorted(allowed))})")
    name = data.get("name", rule_id)
    if not isinstance(name, str) or not name.strip():
        raise reader.error(reader.rule_line(index, "name"), f"{where} name must be text")
    points = data.get("points")
    if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 100:
        raise reader.error(reader.rule_line(index, "points"),
                           f"{where} points must be a whole number from 0 to 100")
    fatal = data.get("fatal", False)
    if not isinstance(fatal, bool):
        raise reader.error(reader.rule_line(index, "fatal"), f"{where} fatal must be true or false")
    channel_names = reader.strings(data, "channels", reader.rule_line(index, "channels"), where) \
        or tuple(c.value for c in TEXT_CHANNELS)
    try:
        channels = frozenset(Channel(c) for c in channel_names)
    except ValueError:
        raise reader.error(reader.rule_line(index, "channels"),
                           f"{where} channels must be among "
                           f"{', '.join(c.value for c in Channel)}") from None
    phrases = reader.strings(data, "phrases", reader.rule_line(index, "phrases"), where)
    customer = reader.strings(data, "customer_phrases",
                              reader.rule_line(index, "customer_phrases"), where)
    if kind in _PHRASE_KINDS and not phrases and not customer:
        raise reader.error(reader.rule_line(index), f"{where} ({kind.value}) needs phrases")
    return Rule(
        id=rule_id, kind=kind, name=name.strip(), points=points, fatal=fatal, channels=channels,
        phrases=phrases, customer_phrases=customer,
        within=int(reader.number(data, "within", reader.rule_line(index, "within"), where,
                                 1, 1, 20)),
        factor=reader.number(data, "factor", reader.rule_line(index, "factor"), where,
                             1.0, 0.1, 100),
        max_drop=reader.number(data, "max_drop", reader.rule_line(index, "max_drop"), where,
                               0.3, 0, 2),
        matcher=phrase_pattern(phrases) if phrases else None,
        customer_matcher=phrase_pattern(customer) if customer else None,
    )


def parse(text: str, path: Path | str = "<quality rules>") -> QualityRules:
    """Rules from the text of a rules file; ``QualityRulesError`` says what and where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else text.count("\n") + 1
        raise QualityRulesError(path, line, f"not valid TOML: {exc}") from None
    reader = _Reader(text, path)
    for key in data:
        if key not in {"settings", "rule"}:
            raise reader.error(reader.section_line(key) or _top_key_line(text, key),
                               f"unknown section or setting {key!r} "
                               "(known: [settings], [[rule]])")
    settings_data = data.get("settings", {})
    if not isinstance(settings_data, dict):
        raise reader.error(_top_key_line(text, "settings"), "settings must be a [settings] table")
    for key in settings_data:
        if key not in _SETTINGS_KEYS:
            raise reader.error(reader.section_line("settings", key),
                               f"[settings] has no setting {key!r} "
                               f"(known: {', '.join(sorted(_SETTINGS_KEYS))})")

    def setting(key: str, default: float, low: float, high: float) -> float:
        return reader.number(settings_data, key, reader.section_line("settings", key),
                             "[settings]", default, low, high)

    settings = QualitySettings(
        sample_rate=setting("sample_rate", 0.05, 0, 1),
        review_below=int(setting("review_below", 70, 0, 100)),
        appeal_window_days=setting("appeal_window_days", 7, 0, 365),
    )
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise reader.error(_top_key_line(text, "rule"), "rules must be [[rule]] tables")
    if not raw_rules:
        raise QualityRulesError(path, None, "the file has no [[rule]]")
    seen: set[str] = set()
    rules = tuple(_rule(reader, i, raw, seen) for i, raw in enumerate(raw_rules))
    if sum(r.points for r in rules) == 0:
        raise QualityRulesError(path, None, "every rule has 0 points: nothing to score")
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    return QualityRules(rules=rules, settings=settings, source=str(path), version=version)


def _top_key_line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines()):
        if re.match(r"^\s*" + re.escape(key) + r"\s*=", line):
            return i + 1
    return None


def load(path: Path | str | None = None) -> QualityRules:
    """The rules in ``path`` (default: the shipped file)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QualityRulesError(path, None,
                                f"cannot read the rules file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise QualityRulesError(path, None, "the rules file is not UTF-8 text") from None
    return parse(text, path)
