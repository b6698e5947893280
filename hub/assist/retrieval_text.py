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

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:['’][a-z]+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")

EN_STOP = frozenset(
    """a an the and or but if then of to in on at by for with from into about as is are was
    were be been being am do does did doing have has had having i me my mine we our ours you
    your yours he him his she her it its they them their this that these those there here
    what which who whom whose when where why how can could should would will shall may might
    must not no nor so too very just than also only own same s t don dont im ive id ill youre
    please pls hi hello hey thanks thank ok okay yes get got any some all much many more
    most other such up out over again still yet want wanna need like know tell let""".split()
)
ZH_STOP = frozenset(
    """的 了 吗 呢 吧 啊 呀 嘛 哦 哈 么 是 我 你 您 他 她 它 我们 你们 他们 这 那 这个 那个 在 有 和 与
    及 或 就 都 也 还 又 很 太 把 被 让 给 对 从 到 向 为 为了 什么 怎么 怎么样 怎样 如何 哪 哪里 哪些
    能 能不能 可以 可不可以 会 要 想 请问 请 一下 一个 个 下 上 中 里 吗 不 没 没有 了吗 啥 咋 嗯 好
    的话 是不是 有没有 就是 但是 可是 因为 所以 已经 现在 刚 刚刚 一直 还是 然后 自己 怎么办 办""".split()
)

_jieba_lock = threading.Lock()
_jieba_ready = False


def _segment(run: str) -> list[str]:
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return [w for w in jieba.cut_for_search(run, HMM=True) if w.strip()]


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
