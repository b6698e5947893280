"""Text into search terms: jieba words for Chinese, stemmed words for English.

Both the articles and the questions go through ``terms``, so whatever the rules
are, they are the same on both sides. Chinese runs are segmented with jieba's
search mode (which also yields the shorter words inside long ones, so 退款到账
matches 退款); Latin runs are lower-cased, split into words and lightly stemmed
(returns → return, refunded → refund). Stop words (the, 的, 吗 …) are dropped.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:['’][a-z]+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


EN_STOP = _words(
    "a about again all also am an and any are as at be been being but by can could did do "
    "does doing don dont for from get got had has have having he hello her here hey hi him "
    "his how i id if ill im in into is it its ive just know let like many may me might "
    "mine more most much must my need no nor not of ok okay on only or other our ours out "
    "over own please pls s same shall she should so some still such t tell than thank "
    "thanks that the their them then there these they this those to too up very wanna want "
    "was we were what when where which who whom whose why will with would yes yet you your "
    "youre yours "
)
ZH_STOP = _words(
    "一下 一个 一直 上 下 不 与 个 中 为 为了 么 也 了 了吗 "
    "什么 从 他 他们 会 但是 你 你们 刚 刚刚 到 办 又 及 "
    "可不可以 可以 可是 向 吗 吧 呀 呢 咋 和 哈 哦 哪 哪些 哪里 "
    "啊 啥 嗯 嘛 因为 在 太 她 好 如何 它 对 就 就是 已经 很 "
    "怎么 怎么办 怎么样 怎样 您 想 我 我们 或 所以 把 是 是不是 "
    "有 有没有 没 没有 然后 现在 的 的话 给 能 能不能 自己 被 要 "
    "让 请 请问 还 还是 这 这个 那 那个 都 里 "
)

_jieba_lock = threading.Lock()
_jieba_ready = False


def ready_jieba() -> Any:
    """jieba with its dictionary loaded, once per process, quietly (any thread)."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def _segment(run: str) -> list[str]:
    return [w for w in ready_jieba().cut_for_search(run, HMM=True) if w.strip()]


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def stem(word: str) -> str:
    """A light English stemmer: plurals and the commonest verb endings."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ied", "y", 5),
        ("ed", "", 5),
        ("es", "", 6),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + repl
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The search terms of ``text``, in order, with repeats."""
    found: list[str] = []
    for run in _RUNS.findall(normalize(text)):
        if _HAS_CJK.match(run):
            found.extend(w for w in _segment(run) if w not in ZH_STOP)
        else:
            word = run.replace("’", "'").split("'")[0]
            if word and word not in EN_STOP:
                found.append(stem(word))
    return found


def iter_cjk_chars(text: str) -> Iterator[str]:
    for ch in normalize(text):
        if _HAS_CJK.match(ch):
            yield ch


def guess_language(text: str) -> str:
    """``zh`` when Chinese characters make up a fair part of the letters, else ``en``."""
    cjk = sum(1 for _ in iter_cjk_chars(text))
    latin = len(re.findall(r"[a-zA-Z]", text))
    return "zh" if cjk and cjk * 3 >= latin else "en"
