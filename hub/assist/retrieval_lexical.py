"""BM25 over search terms, in memory (built from the database, so any dialect works).

Besides the BM25 score used for ranking, ``coverage`` says how much of a question
a document contains: the IDF-weighted share of the question's terms found in it.
A term no document has counts with the highest IDF, so a question about something
the knowledge base never mentions has a low coverage everywhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

K1 = 1.2
B = 0.75


class LexicalIndex:
    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        """``documents[i]`` is the term list of document ``i``."""
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        self._norm = K1 * (1 - B + B * lengths / max(avg, 1.0))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(tf)
        self._postings = {
            term: (np.array(ids, dtype=np.int32), np.array(tfs, dtype=np.float32))
            for term, (ids, tfs) in postings.items()
        }

    def idf(self, term: str) -> float:
        found = self._postings.get(term)
        df = 0 if found is None else len(found[0])
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(BM25 score, coverage in [0, 1]) of every document for the query terms."""
        bm25 = np.zeros(self.size, dtype=np.float32)
        matched = np.zeros(self.size, dtype=np.float32)
        unique = list(dict.fromkeys(query))
        total = 0.0
        for term in unique:
            weight = self.idf(term)
            total += weight
            found = self._postings.get(term)
            if found is None:
                continue
            ids, tfs = found
            bm25[ids] += weight * tfs * (K1 + 1) / (tfs + self._norm[ids])
            matched[ids] += weight
        coverage = matched / total if total > 0 else matched
        return bm25, coverage

    def matched_terms(self, query: Sequence[str], document: Sequence[str]) -> list[str]:
        have = set(document)
        return [term for term in dict.fromkeys(query) if term in have]
