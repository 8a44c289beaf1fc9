"""Search by name or title: an in-memory inverted index, one per snapshot.

Every word of the query must begin a word of the entity's name, title or file name ("quin" finds
"Ada Quinn"). The index maps each word to the entities using it: a sorted vocabulary and, per word,
a run of entry numbers in one flat ``array``; a query word is looked up as a prefix with ``bisect``,
so a search touches only the entities that can match instead of scanning every label. The query
never reaches SPARQL. The index is part of the snapshot's summary (:mod:`kgpub.summary`): a build
writes it beside the snapshot, so a worker's first search reads a file instead of every label.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kgpub import summary
from kgpub.store import Store
from kgpub.summary import words_of
from kgpub.web import iris
from kgpub.web.listings import summary_part

__all__ = ["Entry", "SearchIndex", "search", "search_index", "words_of"]
MAX_WORDS = 12


@dataclass(frozen=True)
class Entry:
    """One searchable entity."""

    folded: str
    label: str
    iri: str
    kind: str


@dataclass
class SearchIndex:
    labels: Sequence[str]  # entry number -> label, IRI, kind (packed: kgpub.packed.Strings)
    iris: Sequence[str]
    kinds: Sequence[str]
    vocabulary: Sequence[str]  # sorted
    flat: array  # entry numbers of vocabulary[i] are flat[offsets[i]:offsets[i + 1]]
    offsets: array
    same: array | None = None  # per entry, numbers to group and rank by (kgpub.summary.search_ranks)
    rank: array | None = None
    lead: array | None = None

    @classmethod
    def of(cls, part: dict[str, Any]) -> SearchIndex:
        keys = ("labels", "iris", "kinds", "vocabulary", "flat", "offsets")
        return cls(*(part[k] for k in keys), *(part.get(k) for k in ("same", "rank", "lead")))

    def words(self, word: str) -> range:
        """Vocabulary numbers of the words starting with ``word`` (the vocabulary is sorted)."""
        start = end = bisect_left(self.vocabulary, word)
        while end < len(self.vocabulary) and self.vocabulary[end].startswith(word):
            end += 1
        return range(start, end)

    def prefixed(self, word: str) -> set[int]:
        """Entries having a word that starts with ``word``."""
        found: set[int] = set()
        for at in self.words(word):
            found.update(self.flat[self.offsets[at] : self.offsets[at + 1]])
        return found

    def entry(self, number: int) -> Entry:
        label = self.labels[number]
        return Entry(label.casefold(), label, self.iris[number], self.kinds[number])


def search_index(store: Store) -> SearchIndex:
    part = summary_part(store, "search", lambda: summary.search(store, iris.base()))
    return SearchIndex.of(part)


def search(store: Store, query: str, limit: int = 50) -> tuple[list[Entry], int]:
    """Entities matching every query word (as a word prefix), best first; and how many matched."""
    words = sorted(set(words_of(query)), key=len, reverse=True)[:MAX_WORDS]
    if not words:
        return [], 0
    index = search_index(store)
    hits: set[int] | None = None
    for word in words:  # longest (rarest) words first: the intersection shrinks fast
        found = index.prefixed(word)
        hits = found if hits is None else hits & found
        if not hits:
            return [], 0
    first = words_of(query)[0]
    if index.same is not None and index.rank is not None and index.lead is not None:
        return _ranked(index, hits or set(), first, limit)
    unique: dict[str, Entry] = {}
    for number in sorted(hits or ()):
        unique.setdefault(index.iris[number], index.entry(number))

    def rank(e: Entry) -> tuple[bool, bool, str, str]:
        return (not e.folded.startswith(first), e.kind != "person", e.folded, e.iri)

    return heapq.nsmallest(limit, unique.values(), key=rank), len(unique)


def _ranked(index: SearchIndex, hits: set[int], first: str, limit: int) -> tuple[list[Entry], int]:
    """The ranking above in numbers: one hit per IRI (the lowest entry number), labels starting
    with the first query word first, then people, then by folded label and IRI; only the hits
    shown are read as strings (a common word hits thousands)."""
    same, rank, lead = index.same, index.rank, index.lead
    assert same is not None and rank is not None and lead is not None
    best: dict[int, int] = {}
    for number in sorted(hits):
        best.setdefault(same[number], number)
    starts = index.words(first)

    def key(n: int) -> tuple[bool, int]:
        return (lead[n] not in starts, rank[n])

    return [index.entry(n) for n in heapq.nsmallest(limit, best.values(), key=key)], len(best)
