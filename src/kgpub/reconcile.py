"""Reconciliation: the same work or person seen in several sources becomes one entity.

Strong evidence merges (DOI, versionless arXiv id, identical abstract text; for persons ORCID,
profile URL, identical normalised name). Weak evidence never merges: similar titles become a
:class:`MergeCandidate`, compatible-but-different names a :class:`PersonAmbiguity`, both for a
curator. Facts that disagree inside one entity stay per source and are reported as :class:`Conflict`.
The result is independent of the order of the input: survivors are chosen by identifier strength,
ties by identifier text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kgpub.identity import Identity, normalise_text, work_identities
from kgpub.names import fold
from kgpub.reconcile_persons import PersonAmbiguity, PersonEntity, PersonIndex, cluster_persons
from kgpub.records import ParseResult, SourceDoc, WorkRecord

__all__ = [
    "Conflict",
    "MergeCandidate",
    "PersonAmbiguity",
    "PersonEntity",
    "Reconciled",
    "WorkEntity",
    "reconcile",
]


@dataclass(slots=True)
class WorkEntity:
    """One work: its member records (with their documents) and the identity its IRI comes from."""

    identity: Identity
    members: list[tuple[SourceDoc, WorkRecord]]
    # each member's own strongest identity (its candidate IRI) and every other strong identifier a
    # member carries: a record that gains a DOI later must not orphan its published arXiv-keyed IRI
    member_identities: list[Identity]
    key: str = ""  # identity.key, kept

    def __post_init__(self) -> None:
        self.key = self.identity.key

    @property
    def redirect_keys(self) -> list[str]:
        """Keys other members would have minted alone: published IRIs that now answer 301."""
        return sorted({i.key for i in self.member_identities} - {self.key})

    def titles(self) -> list[str]:
        if len(self.members) == 1:
            title = self.members[0][1].title
            return [normalise_text(title)] if title else []
        return sorted({normalise_text(w.title) for _, w in self.members if w.title})


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources disagree about one field of one entity; every value is kept with who said it."""

    entity_type: str  # "work"
    entity: str  # survivor key
    field: str
    values: tuple[tuple[str, tuple[str, ...]], ...]  # (value, source names), sorted


@dataclass(slots=True)
class Reconciled:
    works: list[WorkEntity]
    persons: PersonIndex
    conflicts: list[Conflict] = field(default_factory=list)
    candidates: list[MergeCandidate] = field(default_factory=list)
    derived_authors: list[tuple[str, str, str]] = field(default_factory=list)  # (work key, person key, source)
    notes: list[str] = field(default_factory=list)
    _work_by_ref: dict[tuple[str, str], WorkEntity] = field(default_factory=dict)
    _own_by_ref: dict[tuple[str, str], Identity] = field(default_factory=dict)

    def work_of(self, source: str, local_id: str) -> WorkEntity | None:
        return self._work_by_ref.get((source, local_id))

    def own_identity(self, source: str, local_id: str) -> Identity | None:
        """The identity a work record would mint its IRI from on its own (its candidate IRI)."""
        return self._own_by_ref.get((source, local_id))

    @property
    def redirects(self) -> dict[tuple[str, str], str]:
        """(entity type, merged-away key) → survivor key, for works and persons."""
        out = {("work", k): w.key for w in self.works for k in w.redirect_keys}
        out.update({("person", k): p.key for p in self.persons.entities for k in p.redirect_keys})
        return out

    @property
    def ambiguities(self) -> list[PersonAmbiguity]:
        return self.persons.ambiguities


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def reconcile(results: Iterable[ParseResult]) -> Reconciled:
    results = sorted(results, key=lambda r: r.source.name)  # order-independent from here on
    records = [(r.source, w) for r in results for w in r.works]
    idents = [work_identities(doc.name, w) for doc, w in records]
    uf = _UnionFind(len(records))
    first_seen: dict[str, int] = {}
    for i, ids in enumerate(idents):
        for ident in ids[:-1]:  # the record-local fallback never matches anything else
            j = first_seen.setdefault(ident.identifier, i)
            if j != i:
                uf.union(i, j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        clusters[uf.find(i)].append(i)
    works: list[WorkEntity] = []
    by_ref: dict[tuple[str, str], WorkEntity] = {}
    own_by_ref = {(doc.name, w.local_id): ids[0] for (doc, w), ids in zip(records, idents, strict=True)}
    for members in clusters.values():
        own = [idents[i][0] for i in members]
        known = sorted(set(own) | {x for i in members for x in idents[i][:-1]})
        entity = WorkEntity(min(own, key=Identity.sort_key), [records[i] for i in members], known)
        works.append(entity)
        for doc, w in entity.members:
            by_ref[(doc.name, w.local_id)] = entity
    works.sort(key=lambda e: e.identity.sort_key())

    persons = cluster_persons(results)
    out = Reconciled(works, persons, _work_by_ref=by_ref, _own_by_ref=own_by_ref)
    for entity in works:
        out.conflicts.extend(_work_conflicts(entity))
    out.candidates = title_candidates(works, out.notes)
    out.derived_authors = _subject_authors(results, out)
    out.notes.extend(persons.notes)
    return out


def _work_conflicts(entity: WorkEntity) -> list[Conflict]:
    if len(entity.members) < 2:
        return []
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    dates: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc, w in entity.members:
        for name, value in (
            ("title", w.title),
            ("abstract", w.abstract),
            ("doi", w.doi),
            ("arxiv_id", w.arxiv_id),
            ("venue", w.venue),
        ):
            if value and normalise_text(value):
                seen[name][normalise_text(value)].add(doc.name)
        if w.date is not None:
            dates[w.date_role or "date"][w.date.lexical].add(doc.name)
    out = [
        Conflict("work", entity.key, name, tuple(sorted((v, tuple(sorted(s))) for v, s in values.items())))
        for name, values in sorted(seen.items())
        if len(values) > 1
    ]
    for role, values in sorted(dates.items()):
        lex = sorted(values)
        # "2022" and "2022-05-30" agree (one is coarser); "2022-05" and "2022-06" do not
        if any(not (b.startswith(a) or a.startswith(b)) for a in lex for b in lex):
            out.append(Conflict("work", entity.key, f"date:{role}", tuple((v, tuple(sorted(values[v]))) for v in lex)))
    return out


def _subject_authors(results: list[ParseResult], rec: Reconciled) -> list[tuple[str, str, str]]:
    """A listing that belongs to a person (manifest ``subject``) says: this person is an author of
    every work listed. Recorded in the reconciliation graph, since the manifest, not the document,
    said it."""
    out: set[tuple[str, str, str]] = set()
    for r in results:
        if not r.source.subject or r.source.kind not in ("arxiv-listing", "profile"):
            continue
        person = rec.persons.for_name(r.source.subject)
        if person is None:
            rec.notes.append(f"{r.source.name}: subject {r.source.subject!r} is not a usable person name")
            continue
        for w in r.works:
            work = rec.work_of(r.source.name, w.local_id)
            if work is not None:
                out.add((work.key, person.key, r.source.name))
    return sorted(out)


# -- merge candidates from similar titles
# Titles are compared only inside blocks of titles sharing one of their three rarest significant
# words (rarest across the whole build): similar titles share their rare words, while common words
# would make blocks as large as the build. A block larger than MAX_BLOCK is a common word and is
# skipped, so the cost stays near-linear; titles whose three rarest words are all that common are
# not compared at all, and the build says how many (a note), rather than leaving a curator to
# believe the candidate list is complete. (An exact trigram similarity join with prefix filtering
# found 11% more pairs at 10,000 generated works but took 28x as long; splitting large blocks by
# word pairs found 98.7% of them at 2.5x the time at 10,000 works, but 279,000 pairs at 100,000:
# the generator's titles come from a small grammar, so at that size most are near-duplicates.)
# Similarity is the Dice coefficient of the character trigrams of the normalised titles (set
# operations in C, unlike a sequence alignment): one typo in a 50-letter title still scores about 0.9.

THRESHOLD = 0.8
MAX_BLOCK = 200
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"a", "an", "the", "of", "on", "for", "in", "and", "to", "with", "via", "towards", "toward"})


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    """Two works that may be one: left/right are survivor keys (left < right)."""

    left: str
    right: str
    similarity: float  # 0..1, Dice coefficient of character trigrams of the normalised titles
    left_title: str
    right_title: str


def normalise_title(title: str) -> str:
    return " ".join(_WORD.findall(fold(title)))


def trigrams(norm: str) -> frozenset[str]:
    padded = f"  {norm} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of character trigrams of the normalised titles, 0..1."""
    na, nb = normalise_title(a), normalise_title(b)
    if na == nb:
        return 1.0
    ta, tb = trigrams(na), trigrams(nb)
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def title_candidates(works: Sequence[WorkEntity], notes: list[str] | None = None) -> list[MergeCandidate]:
    """Pairs of works with similar titles; ``notes`` gets a line when some titles could not be
    compared (see above)."""
    titled: list[tuple[str, str, str, frozenset[str]]] = []
    df: Counter[str] = Counter()
    for w in works:
        for title in w.titles():
            norm = normalise_title(title)
            words = frozenset(norm.split()) - _STOP
            titled.append((w.key, norm, title, words))
            df.update(words)
    blocks: dict[str, list[tuple[str, str, str, frozenset[str]]]] = defaultdict(list)
    rarest: list[list[str]] = []
    for item in titled:
        rarest.append(sorted(item[3], key=lambda t: (df[t], t))[:3])
        for word in rarest[-1]:
            blocks[word].append(item)
    grams: dict[str, frozenset[str]] = {}
    best: dict[tuple[str, str], MergeCandidate] = {}
    compared: set[int] = set()
    for items in blocks.values():
        if len(items) < 2 or len(items) > MAX_BLOCK:
            continue
        compared.update(id(item) for item in items)
        for i, (ka, na, ta, _) in enumerate(items):
            ga = grams.get(na) or grams.setdefault(na, trigrams(na))
            for kb, nb, tb, _ in items[i + 1 :]:
                if ka == kb:
                    continue
                gb = grams.get(nb) or grams.setdefault(nb, trigrams(nb))
                score = 2 * len(ga & gb) / (len(ga) + len(gb))
                if score < THRESHOLD:
                    continue
                (l_key, l_title), (r_key, r_title) = sorted(((ka, ta), (kb, tb)))
                pair = (l_key, r_key)
                if pair not in best or best[pair].similarity < score:
                    best[pair] = MergeCandidate(l_key, r_key, round(score, 4), l_title, r_title)
    crowded = sum(
        1
        for item, words in zip(titled, rarest, strict=True)
        if id(item) not in compared and any(len(blocks[w]) > MAX_BLOCK for w in words)
    )
    if crowded and notes is not None:
        notes.append(
            f"merge candidates: {crowded} of {len(titled)} titles were not compared with any other: each of "
            f"their three rarest words is in no other title or in more than MAX_BLOCK = {MAX_BLOCK} (the "
            "list of candidates may miss their near-duplicates)"
        )
    return [best[p] for p in sorted(best)]
