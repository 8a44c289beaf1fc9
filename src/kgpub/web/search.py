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

    @classmethod
    def of(cls, part: dict[str, Any]) -> SearchIndex:
        keys = ("labels", "iris", "kinds", "vocabulary", "flat", "offsets")
        return cls(*(part[k] for k in keys))

    def prefixed(self, word: str) -> set[int]:
        """Entries having a word that starts with ``word``."""
        found: set[int] = set()
        at = bisect_left(self.vocabulary, word)
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(word):
            found.update(self.flat[self.offsets[at] : self.offsets[at + 1]])
            at += 1
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
    unique: dict[str, Entry] = {}
    for number in sorted(hits or ()):
        unique.setdefault(index.iris[number], index.entry(number))
    first = words_of(query)[0]

    def rank(e: Entry) -> tuple[bool, bool, str, str]:
        return (not e.folded.startswith(first), e.kind != "person", e.folded, e.iri)

    return heapq.nsmallest(limit, unique.values(), key=rank), len(unique)
