"""Finding quick replies by what the agent types after "/", and by what a customer wrote.

``search`` ranks replies for a short query over shortcut, title and text:

* Latin text: case-insensitive substring first, then a subsequence ("thx" in
  "thanks"), then one or two typos in a word ("refnud" for "refund");
* Chinese: any substring ("退货" in "退货流程"), and pinyin: the initials
  ("thlc" for 退货流程, "xx" for 谢谢; some may be left out: "thlc" also finds
  退货退款流程) or the whole syllables ("tuihuo").

Each word of the query must match somewhere; a shortcut weighs most, then the
title, then the text. ``match_message`` goes the other way, for suggestions: which
replies share words (Latin words, Chinese character pairs) with a customer's
message, and which words those are. Pure functions, no I/O: the desktop searches
its cache with them, the hub matches messages with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.protocol.assist import QuickReply

# How much of a reply's text is indexed for pinyin (long replies: their start).
PINYIN_TEXT_CHARS = 400

# Base scores by field and kind of match; the best match of each query word counts.
_FIELD_WEIGHT = {"shortcut": 3.0, "title": 2.0, "category": 1.2, "text": 1.0}
_EXACT, _PREFIX, _SUBSTRING, _INITIALS, _SYLLABLES, _SUBSEQUENCE, _TYPO = (
    100.0, 80.0, 60.0, 50.0, 45.0, 30.0, 25.0)
_INITIALS_SUBSEQUENCE = 20.0

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    """Lower case, full-width forms folded (Ｔｈａｎｋｓ -> thanks)."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=4096)
def _pinyin_keys(text: str) -> tuple[str, str]:
    """(initials, syllables) of ``text``; other characters kept, spaces dropped."""
    # pypinyin's dictionaries cost about a second and 50 MB: loaded when a reply is
    # first indexed for a search, not when the desktop starts.
    from pypinyin import Style, lazy_pinyin

    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).replace(" ", "")
    syllables = "".join(lazy_pinyin(text)).replace(" ", "")
    return _fold(initials), _fold(syllables)


@dataclass(frozen=True)
class _Field:
    name: str
    folded: str
    words: tuple[str, ...]  # distinct, in order
    initials: str  # empty when the field has no Chinese
    syllables: str


def _field(name: str, text: str) -> _Field:
    folded = _fold(text)
    initials = syllables = ""
    if _CJK.search(text):
        initials, syllables = _pinyin_keys(text[:PINYIN_TEXT_CHARS])
    words = tuple(dict.fromkeys(_LATIN_WORD.findall(folded)))
    return _Field(name, folded, words, initials, syllables)


@dataclass(frozen=True)
class IndexedReply:
    reply: QuickReply
    fields: tuple[_Field, ...]


@lru_cache(maxsize=2048)
def _indexed(reply_id: str, updated_at: int, shortcut: str, title: str, category: str,
             text: str) -> tuple[_Field, ...]:
    del reply_id, updated_at  # part of the cache key only
    return (_field("shortcut", shortcut), _field("title", title),
            _field("category", category), _field("text", text))


def index(reply: QuickReply) -> IndexedReply:
    return IndexedReply(reply, _indexed(reply.id, reply.updated_at, reply.shortcut,
                                        reply.title, reply.category, reply.text))


@dataclass(frozen=True)
class Hit:
    reply: QuickReply
    score: float


def _subsequence_score(query: str, text: str) -> float:
    """0 when ``query`` is not a subsequence of ``text``; else higher for tighter,
    word-start matches (1.0 at best)."""
    pos = -1
    gaps = 0
    starts = 0
    for ch in query:
        found = text.find(ch, pos + 1)
        if found < 0:
            return 0.0
        if pos >= 0:
            gaps += found - pos - 1
        if found == 0 or not text[found - 1].isalnum():
            starts += 1
        pos = found
    return 1.0 / (1.0 + gaps / len(query)) * (0.7 + 0.3 * starts / len(query))


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _typo_allowance(term: str) -> int:
    if len(term) < 4 or not term.isascii() or not term.isalnum():
        return 0
    return 1 if len(term) < 8 else 2


def _term_score(term: str, field: _Field) -> float:
    text = field.folded
    if not text:
        return 0.0
    if text == term:
        return _EXACT
    found = text.find(term)
    if found == 0:
        return _PREFIX
    if found > 0:
        # Earlier is better; a match at a word start is nearly a prefix.
        at_start = not text[found - 1].isalnum() or bool(_CJK.match(term))
        return _SUBSTRING + (10.0 if at_start else 0.0) - min(10.0, found / 20)
    best = 0.0
    if field.initials and term.isascii() and term.isalpha():
        at = field.initials.find(term)
        if at >= 0:
            best = _INITIALS - min(10.0, at / 4)
        elif len(term) >= 3 and term in field.syllables:
            best = _SYLLABLES
        elif len(term) >= 2 and field.name != "text":
            # Initials with some left out: "thlc" for 退货退款流程.
            best = _INITIALS_SUBSEQUENCE * _subsequence_score(term, field.initials)
    if best:
        return best
    if term.isascii():
        # Letters scattered over a long text match almost anything: short fields only.
        short = field.name != "text"
        sub = _subsequence_score(term, text) if len(term) >= 2 and short else 0.0
        if sub:
            best = _SUBSEQUENCE * sub
        allowance = _typo_allowance(term)
        if allowance and not best:
            for word in field.words:
                # A word that starts like the term, typed with a slip (in a long
                # text only words with the same first letter: it stays fast).
                if not short and word[0] != term[0]:
                    continue
                if _edit_distance(term, word[: len(term) + allowance], allowance) <= allowance:
                    best = _TYPO
                    break
    return best


def query_terms(query: str) -> list[str]:
    return [t for t in _fold(query).split() if t]


def score(item: IndexedReply, terms: Sequence[str]) -> float:
    """0 unless every term matches some field."""
    total = 0.0
    for term in terms:
        best = max(_term_score(term, f) * _FIELD_WEIGHT[f.name] for f in item.fields)
        if best <= 0:
            return 0.0
        total += best
    return total


def search(replies: Iterable[QuickReply], query: str, limit: int = 20) -> list[Hit]:
    """Replies matching ``query``, best first; every reply (by title) for an empty one."""
    terms = query_terms(query)
    if not terms:
        ordered = sorted(replies, key=lambda r: (r.category, r.title, r.id))
        return [Hit(r, 0.0) for r in ordered[:limit]]
    hits = []
    for reply in replies:
        value = score(index(reply), terms)
        if value > 0:
            hits.append(Hit(reply, value))
    # Ties: shorter titles (more specific) first, then by title for stable order.
    hits.sort(key=lambda h: (-h.score, len(h.reply.title), h.reply.title, h.reply.id))
    return hits[:limit]


# ---- a customer's message against the replies (suggestions) -------------------------

def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words too common to say anything about which answer fits.
_STOP_WORDS = _word_set(
    "the and for you your are was were have has had can could would should will with "
    "this that what when where which who how why not but from please thanks thank "
    "hello there they them our out about into just any all get got been its it's i'm "
    "don't want need help hi hey dear regards"
)
_STOP_PAIRS = _word_set(
    "你好 您好 请问 谢谢 我的 你们 我们 一下 可以 什么 怎么 这个 "
    "那个 是不 不是 没有 有没 一个 现在 还是 就是 如果 因为 所以 "
    "已经 时候 麻烦 帮我 能不 不能 为什 么时"
)


# Particles: a pair holding one ("的订", "单了") is not a word.
_PARTICLES = frozenset("的了吗呢吧啊呀么哦嘛")


@lru_cache(maxsize=8192)
def _reply_keys(text: str) -> frozenset[str]:
    """A reply's keys (replies change rarely: kept between messages)."""
    return frozenset(_message_keys(text))


def _message_keys(text: str) -> dict[str, str]:
    """Keys of a text: Latin words (3+ letters, not common) and Chinese character
    pairs, each mapped to itself (the matched word shown to the agent)."""
    folded = _fold(text)
    keys: dict[str, str] = {}
    for word in _LATIN_WORD.findall(folded):
        if len(word) >= 3 and word not in _STOP_WORDS and not word.isdigit():
            keys[word] = word
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", folded):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair not in _STOP_PAIRS and not _PARTICLES.intersection(pair):
                keys[pair] = pair
    return keys


def _merged_words(message: str, pairs: set[str]) -> list[str]:
    """Adjacent matched Chinese pairs of the message joined into words (退货 + 货流 -> 退货流)."""
    words: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", _fold(message)):
        current = ""
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair in pairs:
                current = current + pair[1] if current and current[-1] == pair[0] else pair
                if current not in words and len(current) > 2 and current[:-1] in words:
                    words.remove(current[:-1])
            elif current:
                if current not in words:
                    words.append(current)
                current = ""
        if current and current not in words:
            words.append(current)
    return words


@dataclass(frozen=True)
class MessageMatch:
    reply: QuickReply
    score: float  # 0..1
    matched: tuple[str, ...]


def match_message(replies: Iterable[QuickReply], message: str, limit: int = 3,
                  threshold: float = 0.25) -> list[MessageMatch]:
    """Replies that answer ``message``, best first, with the words they share.

    The score is the share of the reply's own keys (title and shortcut count
    double) that the message contains, lifted by how many keys match: one
    shared word in a long reply says little; its title's words say a lot.
    """
    message_keys = _message_keys(message)
    if not message_keys:
        return []
    out: list[MessageMatch] = []
    for reply in replies:
        title_keys = _reply_keys(f"{reply.title} {reply.shortcut} {reply.category}")
        text_keys = _reply_keys(reply.text)
        shared_title = title_keys & message_keys.keys()
        shared_text = (text_keys - title_keys) & message_keys.keys()
        if not shared_title and len(shared_text) < 2:
            continue
        weight = 2 * len(shared_title) + len(shared_text)
        possible = 2 * len(title_keys) + min(len(text_keys), 12)
        coverage = weight / max(1, possible)
        strength = min(1.0, weight / 4)
        value = round(0.5 * coverage + 0.5 * strength, 4)
        if value < threshold:
            continue
        shared = shared_title | shared_text
        latin = sorted(k for k in shared if k.isascii())
        words = tuple(_merged_words(message, {k for k in shared if not k.isascii()}) + latin)
        out.append(MessageMatch(reply, value, words))
    out.sort(key=lambda m: (-m.score, m.reply.title, m.reply.id))
    return out[:limit]
