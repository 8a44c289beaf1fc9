"""Search by name or title: an in-memory inverted index, built once per snapshot.

Every word of the query must begin a word of the entity's name, title or file name ("quin" finds
"Ada Quinn"). The index maps each word to the entities using it (compact ``array`` postings); a query
word is looked up as a prefix in the sorted vocabulary with ``bisect``, so a search touches only the
entities that can match instead of scanning every label. The query never reaches SPARQL.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass

import pyoxigraph as ox

from kgpub.store import Store
from kgpub.web import iris
from kgpub.web.listings import cached, served

NAMES = "SELECT $p ?s ?l WHERE { ?s $p ?l FILTER(isIRI(?s) && isLiteral(?l)) }"
LABEL_PREDICATES = (
    "http://schema.org/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://w3id.org/kgpub/ns#fileName",
)
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "002_feed.txt" is 002, feed, txt
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
    entries: list[Entry]
    vocabulary: list[str]  # sorted
    postings: dict[str, array]  # word -> entry numbers

    def prefixed(self, word: str) -> set[int]:
        """Entries having a word that starts with ``word``."""
        found: set[int] = set()
        at = bisect_left(self.vocabulary, word)
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(word):
            found.update(self.postings[self.vocabulary[at]])
            at += 1
        return found


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def build(store: Store) -> SearchIndex:
    own = iris.base() + "id/"
    seen: set[tuple[str, str]] = set()
    entries: list[Entry] = []
    postings: dict[str, list[int]] = {}
    for pred in LABEL_PREDICATES:
        for r in store.query(NAMES, substitutions={"p": ox.NamedNode(pred)}):
            iri, label = r["s"].value, r["l"].value
            found = served(iri, own)
            if found is None or (iri, label) in seen:
                continue
            seen.add((iri, label))
            number = len(entries)
            entries.append(Entry(label.casefold(), label, iri, found[1]))
            for word in set(words_of(label)):
                postings.setdefault(word, []).append(number)
    packed = {word: array("I", numbers) for word, numbers in postings.items()}
    return SearchIndex(entries, sorted(packed), packed)


def search_index(store: Store) -> SearchIndex:
    return cached("search-index", store, lambda: build(store))


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
        entry = index.entries[number]
        unique.setdefault(entry.iri, entry)
    first = words_of(query)[0]

    def rank(e: Entry) -> tuple[bool, bool, str, str]:
        return (not e.folded.startswith(first), e.kind != "person", e.folded, e.iri)

    return heapq.nsmallest(limit, unique.values(), key=rank), len(unique)
