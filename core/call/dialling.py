"""Numbers the agent dials through the PBX: what was typed or pasted, cleaned to what
a phone's keypad can send (digits, ``+``, ``*``, ``#``), and the numbers dialled
recently.

Pure functions and a small list; no Qt, no I/O: the list is kept by whoever gives it
a ``NumberSlot`` (the desktop's cache, which is encrypted at rest — these are
customers' numbers, never the plain settings file).
"""

from __future__ import annotations

import enum
import json
import logging
import unicodedata
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

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


class NumberSlot(Protocol):
    """Where the recent numbers are kept between runs: one text value."""

    def load(self) -> str | None: ...

    def save(self, value: str) -> None: ...


class RecentNumbers:
    """The numbers dialled lately, newest first, each once.

    With a ``slot`` the list outlives the app: it is read from the slot once and
    written back after each call placed. A value that is not a list of diallable
    numbers (an older or damaged one) is ignored — the list starts empty — and
    overwritten at the next dial.
    """

    def __init__(self, limit: int = 8, slot: NumberSlot | None = None) -> None:
        self.limit = limit
        self._slot = slot
        self._numbers: list[str] = self._loaded() if slot is not None else []

    def _loaded(self) -> list[str]:
        assert self._slot is not None
        try:
            raw = self._slot.load()
        except Exception:  # the cache closed or failed: a list for this run only
            log.warning("recent numbers could not be read", exc_info=True)
            return []
        if not raw:
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            log.warning("recent numbers ignored: not a list of numbers")
            return []
        numbers: list[str] = []
        for entry in value:
            cleaned = clean_number(entry)
            try:
                number = check_number(cleaned.number)
            except DialNumberError:
                continue
            if cleaned.dropped or number != entry:
                continue  # only what the dial pad itself stored
            if number not in numbers:
                numbers.append(number)
        return numbers[: self.limit]

    def add(self, number: str) -> None:
        self._numbers = [number, *(n for n in self._numbers if n != number)][: self.limit]
        if self._slot is not None:
            try:
                self._slot.save(json.dumps(self._numbers))
            except Exception:  # kept for this run; the call itself goes on
                log.warning("recent numbers could not be saved", exc_info=True)

    def numbers(self) -> list[str]:
        return list(self._numbers)
