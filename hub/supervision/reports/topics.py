"""Topics: clusters of similar complaints, found by their frequent keywords.

Frequent-term clustering (Beil, Ester and Xu, 2002, simplified): the keyword
found in the most not-yet-clustered documents anchors a topic; the keywords that
mostly appear together with it (快递 with 物流) join it; a document with the
anchor, with a keyword almost always seen with it, or with two of the topic's
keywords belongs to it and leaves the pool; repeat. One pass over
the documents per topic with counts kept up to date, so 100,000 conversations
take well under a second after segmentation. A document is one conversation
(all its negative texts), so counts are conversations.

The previous week's documents are assigned to the same topics by the same rule,
which gives each topic's trend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# A keyword joins the anchor's topic when at least this share of all the documents
# it appears in also have the anchor (words every complaint uses never do).
ASSOCIATION = 0.5
# A keyword this tied to the anchor (物流 to 快递) brings its documents in alone;
# a looser one only together with another of the topic's keywords.
STRONG = 0.8
MAX_TOPIC_KEYWORDS = 4
EXAMPLES = 3


@dataclass(frozen=True)
class Document:
    conversation_id: str
    text: str  # one representative text (shown as an example)
    keywords: frozenset[str]


@dataclass
class Topic:
    keywords: list[str]  # the anchor first
    core: list[str] = field(default_factory=list)  # the anchor and its strong keywords
    conversations: list[str] = field(default_factory=list)
    examples: list[tuple[str, str]] = field(default_factory=list)  # (conversation, text)
    previous: int = 0  # conversations of the previous week in this topic

    @property
    def count(self) -> int:
        return len(self.conversations)

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_pct(self) -> float | None:
        return None if self.previous == 0 else round(100.0 * self.change / self.previous, 1)

    @property
    def label(self) -> str:
        return " / ".join(self.keywords)


def cluster(docs: Sequence[Document], max_topics: int = 10, min_support: int = 3
            ) -> list[Topic]:
    """Topics of ``docs``, largest first; documents in no topic are left out."""
    postings: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        for word in doc.keywords:
            postings.setdefault(word, []).append(i)
    df = {w: len(p) for w, p in postings.items()}
    counts = Counter(df)
    taken = bytearray(len(docs))
    topics: list[Topic] = []
    while len(topics) < max_topics and counts:
        anchor, support = _most_common(counts)
        if support < min_support:
            break
        with_anchor = [i for i in postings[anchor] if not taken[i]]
        together: Counter[str] = Counter()
        for i in with_anchor:
            together.update(docs[i].keywords)
        related = sorted(
            (w for w, n in together.items()
             if w != anchor and n >= min_support and n >= ASSOCIATION * df[w]),
            key=lambda w: (-together[w], w))
        words = [anchor, *related[: MAX_TOPIC_KEYWORDS - 1]]
        core = [anchor, *(w for w in related if together[w] >= STRONG * df[w])]
        topic = Topic(keywords=words, core=core)
        members = sorted({i for w in words for i in postings[w]
                          if not taken[i] and _belongs(docs[i].keywords, topic)})
        for i in members:
            taken[i] = 1
            topic.conversations.append(docs[i].conversation_id)
            for w in docs[i].keywords:
                counts[w] -= 1
                if counts[w] <= 0:
                    del counts[w]
        topic.examples = _examples(docs, members, set(words))
        topics.append(topic)
    return topics


def _belongs(keywords: frozenset[str], topic: Topic) -> bool:
    return bool(keywords.intersection(topic.core)) or len(
        keywords.intersection(topic.keywords)) >= 2


def _most_common(counts: Counter[str]) -> tuple[str, int]:
    # Ties go to the alphabetically first keyword: the same data, the same report.
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _examples(docs: Sequence[Document], members: list[int], words: set[str]
              ) -> list[tuple[str, str]]:
    """The members sharing the most of the topic's keywords, distinct texts first."""
    ranked = sorted(members, key=lambda i: -len(docs[i].keywords & words))
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for i in ranked:
        if docs[i].text in seen:
            continue
        seen.add(docs[i].text)
        out.append((docs[i].conversation_id, docs[i].text))
        if len(out) == EXAMPLES:
            break
    return out


def assign_previous(topics: list[Topic], previous: Iterable[Document]) -> None:
    """Count each earlier document in the first topic it belongs to (by the rule that
    made the topics)."""
    for doc in previous:
        for topic in topics:
            if _belongs(doc.keywords, topic):
                topic.previous += 1
                break


@dataclass(frozen=True)
class KeywordCount:
    keyword: str
    count: int  # conversations this week
    previous: int  # conversations the week before


def top_keywords(docs: Iterable[Document], previous: Iterable[Document], limit: int = 20
                 ) -> list[KeywordCount]:
    now: Counter[str] = Counter()
    for doc in docs:
        now.update(doc.keywords)
    before: Counter[str] = Counter()
    for doc in previous:
        before.update(doc.keywords)
    ranked = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [KeywordCount(w, n, before.get(w, 0)) for w, n in ranked]
