"""The escalation rules file: which words and patterns escalate a customer message.

The hub ships ``escalation_rules.toml``; ``--assist-rules PATH`` replaces it. Loading
checks everything up front (TOML syntax, known sections and keys, types, regular
expressions), so a mistake is reported with the file and the line at fault.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.protocol.sentiment import EscalationReason
from hub.config import SettingsFileError

DEFAULT_PATH = Path(__file__).resolve().parent / "escalation_rules.toml"

_LIST_KEYS = ("words", "patterns")
_SECTIONS = {reason.value for reason in EscalationReason} | {"negation", "sentiment"}


class RulesError(SettingsFileError):
    """The rules file is unusable; ``str()`` names the file and, where known, the line."""


@dataclass(frozen=True)
class ReasonRule:
    reason: EscalationReason
    words: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class EscalationRules:
    rules: tuple[ReasonRule, ...]
    negations_zh: tuple[str, ...]
    negations_en: tuple[str, ...]
    zh_window: int
    en_window: int
    strong_score_below: float
    negative_below: float
    positive_above: float
    source: str

    def rule(self, reason: EscalationReason) -> ReasonRule | None:
        return next((r for r in self.rules if r.reason is reason), None)


def _line_of(text: str, section: str, needle: str | None = None) -> int | None:
    """The line of ``needle`` inside ``[section]`` (or of the header itself)."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return None
    if needle is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if needle in lines[i]:
            return i + 1
    return start + 1


def _strings(data: dict[str, Any], key: str, section: str, path: Path | str,
             text: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(path, _line_of(text, section, key),
                         f"[{section}] {key} must be a list of strings")
    cleaned = tuple(v.strip() for v in value)
    if any(not v for v in cleaned):
        raise RulesError(path, _line_of(text, section, key),
                         f"[{section}] {key} holds an empty string")
    return cleaned


def _number(data: dict[str, Any], key: str, section: str, path: Path | str, text: str,
            default: float, low: float, high: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise RulesError(path, _line_of(text, section, key),
                         f"[{section}] {key} must be a number from {low} to {high}")
    return float(value)


def _unknown_keys(data: dict[str, Any], allowed: set[str], section: str, path: Path | str,
                  text: str) -> None:
    for key in data:
        if key not in allowed:
            raise RulesError(path, _line_of(text, section, key),
                             f"[{section}] has no setting {key!r} (known: "
                             f"{', '.join(sorted(allowed))})")


def _reason_rule(reason: EscalationReason, data: dict[str, Any], path: Path | str,
                 text: str) -> ReasonRule:
    section = reason.value
    allowed = set(_LIST_KEYS) | ({"score_below"} if reason is EscalationReason.STRONG_NEGATIVE
                                 else set())
    _unknown_keys(data, allowed, section, path, text)
    words = _strings(data, "words", section, path, text)
    patterns = []
    for source in _strings(data, "patterns", section, path, text):
        try:
            patterns.append(re.compile(source, re.IGNORECASE))
        except re.error as exc:
            raise RulesError(path, _line_of(text, section, source) or
                             _line_of(text, section, "patterns"),
                             f"[{section}] pattern {source!r} is not a valid regular "
                             f"expression: {exc}") from None
    return ReasonRule(reason, words, tuple(patterns))


def parse(text: str, path: Path | str = "<rules>") -> EscalationRules:
    """Rules from the text of a rules file; ``RulesError`` says what is wrong and where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else text.count("\n") + 1  # "at end of document"
        raise RulesError(path, line, f"not valid TOML: {exc}") from None
    for section, value in data.items():
        if section not in _SECTIONS:
            raise RulesError(path, _line_of(text, section) or _line_of_key(text, section),
                             f"unknown section [{section}] (known: "
                             f"{', '.join(sorted(_SECTIONS))})")
        if not isinstance(value, dict):
            raise RulesError(path, _line_of_key(text, section), f"{section} must be a [section]")
    rules = tuple(_reason_rule(reason, data.get(reason.value, {}), path, text)
                  for reason in EscalationReason)
    negation = data.get("negation", {})
    _unknown_keys(negation, {"zh", "en", "zh_window", "en_window"}, "negation", path, text)
    sentiment = data.get("sentiment", {})
    _unknown_keys(sentiment, {"negative_below", "positive_above"}, "sentiment", path, text)
    negative_below = _number(sentiment, "negative_below", "sentiment", path, text, -0.2, -1, 0)
    positive_above = _number(sentiment, "positive_above", "sentiment", path, text, 0.25, 0, 1)
    strong = data.get(EscalationReason.STRONG_NEGATIVE.value, {})
    return EscalationRules(
        rules=rules,
        negations_zh=_strings(negation, "zh", "negation", path, text),
        negations_en=tuple(n.lower() for n in _strings(negation, "en", "negation", path, text)),
        zh_window=int(_number(negation, "zh_window", "negation", path, text, 3, 0, 20)),
        en_window=int(_number(negation, "en_window", "negation", path, text, 3, 0, 10)),
        strong_score_below=_number(strong, "score_below", "strong_negative", path, text,
                                   -0.95, -1, 0),
        negative_below=negative_below,
        positive_above=positive_above,
        source=str(path),
    )


def _line_of_key(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines()):
        if re.match(r"^\s*" + re.escape(key) + r"\s*=", line):
            return i + 1
    return None


def load(path: Path | str | None = None) -> EscalationRules:
    """The rules in ``path`` (default: the shipped file)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(path, None, f"cannot read the rules file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RulesError(path, None, "the rules file is not UTF-8 text") from None
    return parse(text, path)
