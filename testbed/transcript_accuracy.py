"""Word error rate (English) and character error rate (Chinese) of a transcript.

Both sides are normalised first, the way speech-recognition scoring usually is:
case and punctuation dropped, and digits spelt out digit by digit (the reference
says "three eight six two", Whisper writes "3862"; Chinese "三八六二" and "3862"
likewise), so a number written either way is not counted as an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_ZH_DIGITS = "零一二三四五六七八九"


def _strip(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(" " if unicodedata.category(c).startswith(("P", "S")) else c for c in text)


def english_words(text: str) -> list[str]:
    text = re.sub(r"\d", lambda m: f" {_EN_DIGITS[int(m.group())]} ", _strip(text))
    return text.split()


def chinese_chars(text: str) -> list[str]:
    text = re.sub(r"\d", lambda m: _ZH_DIGITS[int(m.group())], _strip(text))
    return [c for c in text if not c.isspace()]


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def error_rate(reference: str, hypothesis: str, language: str) -> float:
    """WER for "en", CER for "zh": edits / reference length."""
    units = chinese_chars if language == "zh" else english_words
    ref, hyp = units(reference), units(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)
