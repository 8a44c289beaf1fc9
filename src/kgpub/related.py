"""Every work's related works, computed once per snapshot: a part of its summary (:mod:`kgpub.summary`).

A work page's related-works queries were most of its time at 100,000 works (the co-works of each
author, the checks of prolific co-authors, the titles: about 5 of 13 ms a page in-process); a
snapshot never changes, so the build computes the list of every work at once from three full scans
and a page only looks its list up. The web asks the store live when a snapshot has no such part
(a remote store, a snapshot built before this part existed): :func:`kgpub.web.render.work.related_works`.
Both follow the one rule below, so a page says the same either way (tests/web/test_related_parts.py
compares them on generated corpora).

The rule, for a work ``e``, up to :data:`SHOWN` works:

- Each author's co-works are the first :data:`CO_WORKS_PER_AUTHOR` rows of ``?w schema:author ?a``
  in the store's order (its window, rows repeated once per graph that states them); an author whose
  window, repeated once per row ``e schema:author ?a``, reaches the bound is *prolific*. A co-work in
  the window of a non-prolific author counts every author it shares with ``e``; one seen only in
  prolific windows counts the prolific authors whose window holds it. Most shared first, then IRI.
- When fewer than :data:`SHOWN` were found: the first :data:`TOPIC_ROWS` rows (work, shared topic)
  in the store's order, ``e``'s topics in its order; their works by IRI, the first :data:`SHOWN`.
- A work's title is the least of its literal ``schema:name`` values (:data:`UNTITLED` without one),
  as the topic lists (:func:`kgpub.summary.topics`) show it.

The store's order is the order of its index: the rows of one author (one topic) in a scan of all
rows are the rows a lookup of that author finds, in the same order. Packed (:mod:`kgpub.packed`):
``works`` (sorted IRIs), ``ends`` into ``related`` (numbers of ``works``), ``titles`` and
``untitled`` (the sorted numbers of works without a name).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import chain, combinations
from typing import Any

import pyoxigraph as ox

from kgpub.packed import Strings
from kgpub.store import Store

CO_WORKS_PER_AUTHOR = 100
SHOWN = 8
TOPIC_ROWS = 40
UNTITLED = "(untitled work)"
AUTHORS = "SELECT ?w ?a WHERE { ?w <http://schema.org/author> ?a }"
ABOUT = "SELECT ?w ?c WHERE { ?w <http://schema.org/about> ?c FILTER(isIRI(?w)) }"


def rows(store: Store, sparql: str) -> list[tuple[str, str]]:
    """A two-column scan as N-Triples tokens (``<iri>``, ``_:b``, literals), from one native TSV
    serialisation: reading 334,000 rows term by term in Python costs more than the scan itself."""
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    lines = (result.serialize(format=ox.QueryResultsFormat.TSV) or b"").decode("utf-8").split("\n")
    return [(w, c) for w, _, c in (line.partition("\t") for line in lines[1:] if line)]


def compute(authors: Iterable[tuple[str, str]], about: Iterable[tuple[str, str]],
            names: Mapping[str, str]) -> dict[str, Strings | array]:  # fmt: skip
    """The packed part from the scans (:data:`AUTHORS`, :data:`ABOUT` rows in the store's order, as
    :func:`rows` gives them) and each work's title (``names``: IRI -> least literal name)."""
    authors, about = list(authors), list(about)
    tokens = sorted({w for w, _ in authors if w.startswith("<")} | {w for w, _ in about})
    number = {w: i for i, w in enumerate(tokens)}  # IRI order: "<" and ">" change no comparison
    posting: dict[str, list[int]] = {}  # author -> works in the store's order (-1: not an IRI)
    by_work: list[list[str]] = [[] for _ in tokens]  # work -> its authors, a row each
    for w, a in authors:
        i = number.get(w, -1)
        posting.setdefault(a, []).append(i)
        if i >= 0:
            by_work[i].append(a)
    topic_works: dict[str, list[int]] = {}  # topic -> works in the store's order
    topics_of: list[list[str]] = [[] for _ in tokens]  # work -> its topics in the store's order, a row each
    for w, c in about:
        topic_works.setdefault(c, []).append(number[w])
        topics_of[number[w]].append(c)

    lists = Lists(posting, by_work)
    several = lists.shared_twice()
    ends, related = array("I"), array("I")
    for e in range(len(tokens)):
        picked = lists.ranked(e, several.get(e, ()))
        if len(picked) < SHOWN:
            found: list[int] = []
            for c in topics_of[e]:
                found.extend(w for w in topic_works[c][: TOPIC_ROWS + len(topics_of[e])] if w != e)
                if len(found) >= TOPIC_ROWS:
                    break
            picked = list(dict.fromkeys(picked + sorted(set(found[:TOPIC_ROWS]))[:SHOWN]))[:SHOWN]
        related.extend(picked)
        ends.append(len(related))
    iris = [w[1:-1] for w in tokens]
    titles = [names.get(w) for w in iris]
    return {"works": Strings.of(iris), "ends": ends, "related": related,
            "titles": Strings.of(t or "" for t in titles),
            "untitled": array("I", (i for i, t in enumerate(titles) if t is None))}  # fmt: skip


class Lists:
    """Each author's works (numbers of works, in IRI order): the window the rule reads, all of
    them, and per work its authors and those prolific for it."""

    def __init__(self, posting: dict[str, list[int]], by_work: list[list[str]]) -> None:
        self.posting = posting
        self.window = {a: works[:CO_WORKS_PER_AUTHOR] for a, works in posting.items()}
        self.seen = {a: frozenset(w) - {-1} for a, w in self.window.items()}
        self.first = {a: sorted(s)[: SHOWN + 1] for a, s in self.seen.items()}
        big = frozenset(a for a, w in self.window.items() if len(w) >= CO_WORKS_PER_AUTHOR)
        self.mine = [frozenset(rows) for rows in by_work]
        self.prolific = [
            mine & big if len(rows) == len(mine)  # else a statement in several graphs: its author's window repeats
            else frozenset(a for a in mine if rows.count(a) * len(self.window[a]) >= CO_WORKS_PER_AUTHOR)
            for rows, mine in zip(by_work, self.mine, strict=True)
        ]

    def shared_twice(self) -> dict[int, set[int]]:
        """Per work, the co-works that may share more than one author with it: those two of its
        authors' lists hold (both prolific: their windows, else every work of both). Grouped by
        pair of authors: most pairs wrote one work together, which adds nothing, and intersecting
        two authors' lists for each work cost more than the rest of the part."""
        together = Counter(chain.from_iterable(combinations(sorted(m), 2) for m in self.mine if len(m) > 1))
        every: dict[str, frozenset[int]] = {}
        several: dict[int, set[int]] = {}
        for (a, b), count in together.items():
            if count < 2:
                continue
            for x in (a, b):
                if x not in every:
                    every[x] = frozenset(self.posting[x]) - {-1} if len(self.posting[x]) > CO_WORKS_PER_AUTHOR \
                        else self.seen[x]  # fmt: skip
            both, windows = every[a] & every[b], self.seen[a] & self.seen[b]
            for e in both:
                if a not in self.prolific[e] or b not in self.prolific[e]:  # a rare one's list is complete
                    several.setdefault(e, set()).update(both)
                elif len(windows) > 1 or e not in windows:
                    several.setdefault(e, set()).update(windows)
        for e, found in several.items():
            found.discard(e)
        return several

    def ranked(self, e: int, several: Iterable[int]) -> list[int]:
        """The first :data:`SHOWN` co-works of ``e`` by shared authors, without counting every
        co-work: only those in ``several`` can count more than one, and of the others the least
        numbers (IRIs) come first."""
        mine, seen = self.mine[e], self.seen
        if not several:  # most works: every co-work shares one author
            if len(mine) == 1:
                return [w for w in self.first[next(iter(mine))] if w != e][:SHOWN]
            ones = set().union(*(self.first[a] for a in mine))
            ones.discard(e)
            return sorted(ones)[:SHOWN]
        prolific = self.prolific[e]
        rare = mine - prolific
        counted = []
        for w in several:
            if rare and any(w in seen[a] for a in rare):  # a rare author's list found it: all shared count
                n = len(mine & self.mine[w])
            else:
                n = sum(w in seen[a] for a in prolific)
            counted.append((-n, w))
        counted.sort()
        top = [w for _, w in counted[:SHOWN]]
        missing = SHOWN - len(top)
        if missing > 0:  # then works sharing one author, least IRI first
            take = missing + len(counted) + 1
            if take <= SHOWN + 1:
                ones = set().union(*(self.first[a] for a in mine))
            else:
                ones = set().union(*(sorted(seen[a])[:take] for a in mine))
            ones.difference_update(top, several)
            ones.discard(e)
            top += sorted(ones)[:missing]
        return top


def lookup(part: Mapping[str, Any], iri: str) -> list[tuple[str, str]]:
    """(IRI, title) of the works related to ``iri`` as the part holds them ([] for a work it does
    not list: one with neither an author nor a topic)."""
    works, ends = part["works"], part["ends"]
    i = bisect_left(works, iri)
    if i == len(works) or works[i] != iri:
        return []
    untitled = part["untitled"]
    out = []
    for j in part["related"][ends[i - 1] if i else 0 : ends[i]]:
        k = bisect_left(untitled, j)
        out.append((works[j], UNTITLED if k < len(untitled) and untitled[k] == j else part["titles"][j]))
    return out
