"""Numbers the agent dials through the PBX: what was typed or pasted, cleaned to what
a phone's keypad can send (digits, ``+``, ``*``, ``#``), and the numbers dialled
recently in this session.

Pure functions and a small list; no Qt, no I/O.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

MAX_DIGITS = 32  # longer than any E.164 number (15) plus a PBX prefix and a code
KEYPAD = "123456789*0#"
_DIALLABLE = frozenset("0123456789+*#")
# Spelling people put around numbers (and what pasting from a web page brings).
_SEPARATORS = frozenset(" \t\r\n-.()/[]\u00a0\u2010\u2011\u2012\u2013\u2014\u2212\u3000")
_SCHEMES = ("tel:", "callto:", "sip:")


class DialProblem(enum.Enum):
    EMPTY = "empty"
    PLUS_NOT_FIRST = "plus_not_first"
    TOO_LONG = "too_long"


class DialNumberError(ValueError):
    """The number cannot be dialled; ``problem`` says why (the UI words it)."""

    def __init__(self, problem: DialProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Cleaned:
    number: str  # only digits, + * #
    dropped: str  # characters that were neither diallable nor spelling (letters …)


def clean_number(raw: str) -> Cleaned:
    """``raw`` as a keypad would dial it: full-width digits become ASCII, a ``tel:``
    scheme and separators go, anything else that is not diallable is dropped and
    reported (a pasted "+86 (138) 0013-8000" is "+8613800138000")."""
    text = unicodedata.normalize("NFKC", raw).strip()
    lowered = text.lower()
    for scheme in _SCHEMES:
        if lowered.startswith(scheme):
            text = text[len(scheme):]
            text = text.split("@", 1)[0].split(";", 1)[0]  # sip:2000@pbx;user=phone
            break
    kept: list[str] = []
    dropped: list[str] = []
    for ch in text:
        if ch in _DIALLABLE:
            kept.append(ch)
        elif ch not in _SEPARATORS:
            dropped.append(ch)
    return Cleaned("".join(kept), "".join(dropped))


def check_number(number: str) -> str:
    """``number`` (already cleaned) if it can be dialled, else ``DialNumberError``."""
    if not number:
        raise DialNumberError(DialProblem.EMPTY)
    if "+" in number[1:]:
        raise DialNumberError(DialProblem.PLUS_NOT_FIRST)
    if len(number) > MAX_DIGITS:
        raise DialNumberError(DialProblem.TOO_LONG)
    return number


class RecentNumbers:
    """The numbers dialled lately, newest first, each once."""

    def __init__(self, limit: int = 8) -> None:
        self.limit = limit
        self._numbers: list[str] = []

    def add(self, number: str) -> None:
        self._numbers = [number, *(n for n in self._numbers if n != number)][: self.limit]

    def numbers(self) -> list[str]:
        return list(self._numbers)
