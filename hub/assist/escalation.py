"""Find the escalation reasons a message's words give, from the rules file.

Chinese phrases match as substrings, English phrases as whole words, patterns as
written. A match right after a negation ("我不是要投诉", "no need for a manager") does
not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.protocol.sentiment import EscalationReason
from hub.assist.escalation_rules import EscalationRules, ReasonRule

_CLAUSE_END = re.compile(r"[，。！？；、,.!?;\n]")
_EN_WORD = re.compile(r"[a-z0-9']+")
_LATIN_PHRASE = re.compile(r"^[A-Za-z][A-Za-z0-9 '\-]*$")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Words after a negation that start a new thought: "if you don't fix it I'll complain".
_BLOCKERS = frozenset({"will", "i'll", "we'll", "or", "then", "gonna", "going", "unless",
                       "if", "but", "so"})


@dataclass(frozen=True)
class Match:
    reason: EscalationReason
    start: int
    end: int
    text: str


def _word_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        if _LATIN_PHRASE.match(word):
            parts.append(rf"(?<![A-Za-z]){escaped}(?![A-Za-z])")
        else:
            parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


class ReasonMatcher:
    """Compiled rules; ``matches(text)`` is pure and cheap (a few regex scans)."""

    def __init__(self, rules: EscalationRules) -> None:
        self.rules = rules
        self._compiled: list[tuple[EscalationReason, list[re.Pattern[str]]]] = []
        for rule in rules.rules:
            self._compiled.append((rule.reason, self._patterns(rule)))
        self._neg_en: list[tuple[str, ...]] = [tuple(c.split()) for c in rules.negations_en]

    @staticmethod
    def _patterns(rule: ReasonRule) -> list[re.Pattern[str]]:
        words = _word_regex(rule.words)
        return ([words] if words else []) + list(rule.patterns)

    def matches(self, text: str) -> list[Match]:
        """Every match that no negation cancels, in reason order."""
        text = text.replace("’", "'")
        found = []
        for reason, patterns in self._compiled:
            for pattern in patterns:
                for m in pattern.finditer(text):
                    if m.end() > m.start() and not self._negated(text, m.start(), m.group()):
                        found.append(Match(reason, m.start(), m.end(), m.group()))
        return found

    def _negated(self, text: str, start: int, matched: str) -> bool:
        prefix = text[:start]
        ends = [m.end() for m in _CLAUSE_END.finditer(prefix)]
        if ends:
            prefix = prefix[ends[-1]:]
        if not prefix:
            return False
        if _CJK.search(matched) or _CJK.search(prefix[-1:]):
            for cue in self.rules.negations_zh:
                at = prefix.rfind(cue)
                if at < 0 or len(prefix) - (at + len(cue)) > self.rules.zh_window:
                    continue
                if at > 0 and len(cue) > 1 and prefix[at - 1] == cue[1]:
                    continue  # "是不是骗子": a question (A-not-A), no negation
                return True
            return False
        words: list[str] = _EN_WORD.findall(prefix.lower())
        for cue_words in self._neg_en:
            n = len(cue_words)
            for end in range(len(words), max(n, len(words) - self.rules.en_window) - 1, -1):
                if (tuple(words[end - n:end]) == cue_words
                        and not _BLOCKERS.intersection(words[end:])):
                    return True
        return False

    def reasons(self, text: str) -> list[EscalationReason]:
        seen: list[EscalationReason] = []
        for match in self.matches(text):
            if match.reason not in seen:
                seen.append(match.reason)
        return seen
