"""Reconciliation: the same work or person seen in several sources becomes one entity.

Strong evidence merges (DOI, versionless arXiv id, identical abstract text; for persons ORCID,
profile URL, identical normalised name). Weak evidence never merges: similar titles become a
:class:`MergeCandidate`, compatible-but-different names a :class:`PersonAmbiguity`, both for a
curator. Facts that disagree inside one entity stay per source and are reported as :class:`Conflict`.
The result is independent of the order of the input: survivors are chosen by identifier strength,
ties by identifier text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgpub.identity import Identity, normalise_text, work_identities
from kgpub.reconcile_persons import PersonAmbiguity, PersonEntity, PersonIndex, cluster_persons
from kgpub.reconcile_titles import MergeCandidate, title_candidates
from kgpub.records import ParseResult, SourceDoc, WorkRecord

__all__ = [
    "Conflict", "MergeCandidate", "PersonAmbiguity", "PersonEntity", "Reconciled", "WorkEntity", "reconcile",
]


@dataclass(slots=True)
class WorkEntity:
    """One work: its member records (with their documents) and the identity its IRI comes from."""

    identity: Identity
    members: list[tuple[SourceDoc, WorkRecord]]
    member_identities: list[Identity]  # each member's own strongest identity (its candidate IRI)

    @property
    def key(self) -> str:
        return self.identity.key

    @property
    def redirect_keys(self) -> list[str]:
        """Keys other members would have minted alone: published IRIs that now answer 301."""
        return sorted({i.key for i in self.member_identities} - {self.key})

    def titles(self) -> list[str]:
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

    def work_of(self, source: str, local_id: str) -> WorkEntity | None:
        return self._work_by_ref.get((source, local_id))

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
    for members in clusters.values():
        own = [idents[i][0] for i in members]
        entity = WorkEntity(min(own), [records[i] for i in members], own)
        works.append(entity)
        for doc, w in entity.members:
            by_ref[(doc.name, w.local_id)] = entity
    works.sort(key=lambda e: e.identity)

    persons = cluster_persons(results)
    out = Reconciled(works, persons, _work_by_ref=by_ref)
    for w in works:
        out.conflicts.extend(_work_conflicts(w))
    out.candidates = title_candidates(works)
    out.derived_authors = _subject_authors(results, out)
    out.notes.extend(persons.notes)
    return out


def _work_conflicts(entity: WorkEntity) -> list[Conflict]:
    if len(entity.members) < 2:
        return []
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    dates: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc, w in entity.members:
        for name, value in (("title", w.title), ("abstract", w.abstract), ("doi", w.doi),
                            ("arxiv_id", w.arxiv_id), ("venue", w.venue)):
            if value and normalise_text(value):
                seen[name][normalise_text(value)].add(doc.name)
        if w.date is not None:
            dates[w.date_role or "date"][w.date.lexical].add(doc.name)
    out = [
        Conflict("work", entity.key, name, tuple(sorted((v, tuple(sorted(s))) for v, s in values.items())))
        for name, values in sorted(seen.items()) if len(values) > 1
    ]
    for role, values in sorted(dates.items()):
        lex = sorted(values)
        # "2022" and "2022-05-30" agree (one is coarser); "2022-05" and "2022-06" do not
        if any(not (b.startswith(a) or a.startswith(b)) for a in lex for b in lex):
            out.append(Conflict("work", entity.key, f"date:{role}",
                                tuple((v, tuple(sorted(values[v]))) for v in lex)))
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

