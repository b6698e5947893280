"""Complaint text into keywords: jieba's precise segmentation for Chinese, words
for English (not stemmed: the report shows them), without stop words.

The stop words are the knowledge base's (``hub.assist.retrieval_text``) and the
words every complaint shares whatever it is about (还没, 一直, 客服, again,
really …): a topic named "一直" says nothing. Single Chinese characters and
numbers (order numbers, amounts) are dropped too. Segmentation is cached per
text, since complaints repeat themselves.
"""

from __future__ import annotations

import re
import unicodedata

from hub.assist.retrieval_text import EN_STOP, ZH_STOP, ready_jieba

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z][a-z0-9]*(?:['’][a-z]+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMPLAINT_ZH = _words(
    "一周 三天 两天 今天 昨天 明天 时候 时间 现在 到现在 根本 还没 还没有 一直 "
    "又 再 再次 已经 真的 实在 非常 特别 太 很 好 好的 感觉 觉得 问题 事情 东西 "
    "客服 你们 我们 他们 说好 说 告诉 显示 知道 需要 希望 马上 赶紧 立刻 为什么 "
    "怎么回事 结果 然后 但 但是 而且 并且 也 都 还 就 才 又是 一样 每次 多次 几次 "
    "以后 之后 之前 以前 一点 有点 一次 两次 这次 上次 下次 订单号 订单 号 谢谢 "
    "不是 没法 不能 不了 不到 不会 不行 没用 打不开 一打开 根本没 现在还 回复 "
    "同样 相同 这样 那样 "
)
COMPLAINT_EN = _words(
    "again already always am another back bad been being cant couldnt didnt doesnt done "
    "even ever every get getting going gone got great really right said say says since "
    "still sure thing things time times today told totally try tried unacceptable way "
    "week weeks day days month months year order orders same one two three want "
    "money customer service please help hello thanks anyone nobody someone "
)
STOP = EN_STOP | ZH_STOP | COMPLAINT_ZH | COMPLAINT_EN

def _jieba_cut(run: str) -> list[str]:
    words: list[str] = ready_jieba().lcut(run, HMM=True)
    return words


class Keywords:
    """Keyword sets of texts, cached (``limit`` distinct texts at most)."""

    def __init__(self, stop: frozenset[str] = STOP, limit: int = 200_000) -> None:
        self.stop = stop
        self.limit = limit
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, text: str) -> frozenset[str]:
        found = self._cache.get(text)
        if found is None:
            found = frozenset(self.words(text))
            if len(self._cache) < self.limit:
                self._cache[text] = found
        return found

    def words(self, text: str) -> list[str]:
        """The keywords of ``text`` in order, with repeats."""
        out: list[str] = []
        for run in _RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
            if _HAS_CJK.match(run):
                out.extend(w for w in _jieba_cut(run) if len(w) > 1 and w not in self.stop)
            else:
                word = run.replace("’", "'").split("'")[0]
                if len(word) > 2 and word not in self.stop and not word.isdigit():
                    out.append(word)
        return out
