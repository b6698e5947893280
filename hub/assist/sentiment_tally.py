"""What the language scorers add up for one message, and how it becomes a score.

Each clause adds its positive and negative weight (on VADER's scale, about ±1 to
±3 a word) and the signs a scorer notices: courtesy ("谢谢", "thanks"), reported
problems ("坏了", "never arrived"), sarcasm markers, a contrast ("但是", "but") and
exclamation marks. ``score()`` turns the tally into a number in [-1, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Damping of a question's words: "怎么申请退款" and "how do I return a broken item"
# ask; they do not complain.
QUESTION_DAMPING = 0.15
# Courtesy that comes with a problem is politeness, not praise.
_COURTESY_NEGATIVE_LIMIT = -0.6
_EMPHASIS_PER_MARK = 0.3
_ALPHA = 6.0


@dataclass
class Tally:
    positive: float = 0.0
    negative: float = 0.0
    courtesy: float = 0.0
    problems: int = 0
    sarcasm: bool = False
    contrast: bool = False
    emphasis: int = 0

    def add(self, valence: float) -> None:
        if valence > 0:
            self.positive += valence
        else:
            self.negative += valence

    def raw(self) -> float:
        positive, negative = self.positive, self.negative
        if positive > 0 and (self.sarcasm or (self.problems and not self.contrast)):
            # "太好了，又黑屏了", "great, just great, another broken one": the praise is
            # said of a failure, so it counts against.
            negative -= positive * 0.8
            positive = 0.0
        if self.sarcasm:
            negative -= 1.5
        if negative > _COURTESY_NEGATIVE_LIMIT:
            positive += self.courtesy
        raw = positive + negative
        if raw and self.emphasis:
            raw += math.copysign(min(self.emphasis, 3) * _EMPHASIS_PER_MARK, raw)
        return raw

    def score(self) -> float:
        raw = self.raw()
        return raw / math.sqrt(raw * raw + _ALPHA)
