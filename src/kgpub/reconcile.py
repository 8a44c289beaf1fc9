"""Reconciliation: the same work or person seen in several sources becomes one entity.

Strong evidence merges (DOI, versionless arXiv id, identical abstract text; for persons ORCID,
profile URL, identical normalised name). Weak evidence never merges: similar titles become a
:class:`MergeCandidate`, compatible-but-different names a :class:`PersonAmbiguity`, both for a
curator. Facts that disagree inside one entity stay per source and are reported as :class:`Conflict`.
The result is independent of the order of the input: survivors are chosen by identifier strength,
ties by identifier text.

A build reconciles without holding its records: :class:`Reconciler` takes one source at a time
(``add``) and keeps per record only its reference, its strong identifiers, its normalised title and
a hash per field that conflicts are judged on. Which fields of which entities disagree is known at
``finish``; their values are gathered while the sources are read a second time for the mapping
(:meth:`Reconciled.collect`), so a conflict's values are the texts the sources printed.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgpub.identity import WORK_RANKS, Identity, normalise_text, work_identities
from kgpub.reconcile_persons import PersonAmbiguity, PersonClusterer, PersonEntity, PersonIndex
from kgpub.reconcile_titles import MergeCandidate, title_candidates
from kgpub.records import ParseResult, WorkRecord

__all__ = [
    "Conflict",
    "MergeCandidate",
    "PersonAmbiguity",
    "PersonEntity",
    "Reconciled",
    "Reconciler",
    "WorkEntity",
    "reconcile",
]

Ref = tuple[str, str]  # (source name, record local id)
_RANKS = {name + ":": rank for name, rank in WORK_RANKS.items()}
# the fields whose values must agree inside one work; "date" is judged per role, coarser agreeing
FIELDS = ("title", "abstract", "doi", "arxiv_id", "venue", "date")


@dataclass(slots=True)
class WorkEntity:
    """One work: its member records and the identity its IRI comes from."""

    identity: Identity
    members: list[Ref]
    # each member's own strongest identity (its candidate IRI) and every other strong identifier a
    # member carries: a record that gains a DOI later must not orphan its published arXiv-keyed IRI
    member_identities: list[Identity]
    titles: tuple[str, ...] = ()  # the members' titles, whitespace-normalised, sorted, distinct
    key: str = ""  # identity.key, kept

    def __post_init__(self) -> None:
        self.key = self.identity.key

    @property
    def redirect_keys(self) -> list[str]:
        """Keys other members would have minted alone: published IRIs that now answer 301."""
        return sorted({i.key for i in self.member_identities} - {self.key})


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
    candidates: list[MergeCandidate] = field(default_factory=list)
    derived_authors: list[tuple[str, str, str]] = field(default_factory=list)  # (work key, person key, source)
    notes: list[str] = field(default_factory=list)
    _work_by_ref: dict[Ref, WorkEntity] = field(default_factory=dict)
    # records whose values a conflict needs → the fields; values gathered by ``collect``
    _pending: dict[Ref, tuple[str, ...]] = field(default_factory=dict)
    _claims: dict[tuple[str, str], dict[str, set[str]]] = field(default_factory=dict)

    def work_of(self, source: str, local_id: str) -> WorkEntity | None:
        return self._work_by_ref.get((source, local_id))

    def collect(self, result: ParseResult) -> None:
        """Take from one source the values that conflicting fields need (every source, once)."""
        if not self._pending:
            return
        name = result.source.name
        for w in result.works:
            fields = self._pending.get((name, w.local_id))
            if fields is None:
                continue
            entity = self._work_by_ref[(name, w.local_id)].key
            for f, value in _values(w):
                if f.partition(":")[0] in fields:
                    self._claims.setdefault((entity, f), {}).setdefault(value, set()).add(name)

    @property
    def conflicts(self) -> list[Conflict]:
        out: list[Conflict] = []
        for (entity, name), values in sorted(self._claims.items()):
            if name.startswith("date:"):
                lex = sorted(values)
                # "2022" and "2022-05-30" agree (one is coarser); "2022-05" and "2022-06" do not
                if any(not (b.startswith(a) or a.startswith(b)) for a in lex for b in lex):
                    out.append(Conflict("work", entity, name, tuple((v, tuple(sorted(values[v]))) for v in lex)))
            elif len(values) > 1:
                claims = tuple(sorted((v, tuple(sorted(s))) for v, s in values.items()))
                out.append(Conflict("work", entity, name, claims))
        return out

    @property
    def redirects(self) -> dict[tuple[str, str], str]:
        """(entity type, merged-away key) → survivor key, for works and persons."""
        out = {("work", k): w.key for w in self.works for k in w.redirect_keys}
        out.update({("person", k): p.key for p in self.persons.entities for k in p.redirect_keys})
        return out

    @property
    def ambiguities(self) -> list[PersonAmbiguity]:
        return self.persons.ambiguities


def _values(w: WorkRecord) -> Iterable[tuple[str, str]]:
    """(field, value) pairs a conflict compares: text whitespace-normalised, dates by role."""
    for name, value in (
        ("title", w.title),
        ("abstract", w.abstract),
        ("doi", w.doi),
        ("arxiv_id", w.arxiv_id),
        ("venue", w.venue),
    ):
        if value and (text := normalise_text(value)):
            yield name, text
    if w.date is not None:
        yield f"date:{w.date_role or 'date'}", w.date.lexical


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = array("q", range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Reconciler:
    """Reconciles sources given one at a time; memory per record is a few dozen bytes plus its
    identifiers and title (see the module docstring)."""

    def __init__(self) -> None:
        self._refs: list[Ref] = []
        self._strong: list[tuple[str, ...]] = []  # per record: strong identifiers, strongest first
        self._titles: list[str | None] = []
        self._hashes = {f: array("q") for f in FIELDS}  # per record and field: hash of the value, 0 = none
        self._first: dict[str, int] = {}  # identifier → first record carrying it
        self._subjects: list[tuple[str, str, list[str]]] = []  # (source, subject, work local ids)
        self._persons = PersonClusterer()
        self._notes: list[str] = []

    def add(self, result: ParseResult) -> None:
        name = result.source.name
        hashes = self._hashes
        for w in result.works:
            strong = tuple(i.identifier for i in work_identities(name, w)[:-1])
            for ident in strong:
                self._first.setdefault(ident, len(self._refs))
            self._refs.append((name, w.local_id))
            self._strong.append(strong)
            title = _text(w.title)
            self._titles.append(title)
            # the abstract by its identity (a digest of its normalised text, made once already)
            abstract = next((x for x in strong if x.startswith("abstract:")), None)
            date = (w.date_role or "date", w.date.lexical) if w.date is not None else None
            for f, value in (("title", title), ("abstract", abstract), ("doi", _text(w.doi)),
                             ("arxiv_id", _text(w.arxiv_id)), ("venue", _text(w.venue)), ("date", date)):
                hashes[f].append((hash(value) or 1) if value else 0)
        if result.source.subject and result.source.kind in ("arxiv-listing", "profile"):
            self._subjects.append((name, result.source.subject, [w.local_id for w in result.works]))
        self._persons.add(result)

    def finish(self) -> Reconciled:
        refs, strong = self._refs, self._strong
        uf = _UnionFind(len(refs))
        first = self._first
        for i, ids in enumerate(strong):
            for ident in ids:
                j = first[ident]
                if j != i:
                    uf.union(i, j)
        self._first = {}
        clusters: dict[int, list[int]] = defaultdict(list)
        for i in range(len(refs)):
            clusters[uf.find(i)].append(i)
        del uf
        out = Reconciled([], self._persons.finish(), notes=self._notes)
        for members in clusters.values():
            own = [_identity(strong[i][0]) if strong[i] else _fallback(refs[i]) for i in members]
            known = sorted(set(own) | {_identity(x) for i in members for x in strong[i]})
            titles = tuple(sorted({t for i in members if (t := self._titles[i]) is not None}))
            entity = WorkEntity(min(own, key=Identity.sort_key), [refs[i] for i in members], known, titles)
            out.works.append(entity)
            for i in members:
                out._work_by_ref[refs[i]] = entity
            if len(members) > 1:
                self._flag_conflicts(out, members)
        out.works.sort(key=lambda e: e.identity.sort_key())
        out.candidates = title_candidates(((w.key, w.titles) for w in out.works), out.notes)
        out.derived_authors = self._subject_authors(out)
        out.notes.extend(out.persons.notes)
        return out

    def _flag_conflicts(self, out: Reconciled, members: list[int]) -> None:
        fields = tuple(f for f in FIELDS if len({h for i in members if (h := self._hashes[f][i])}) > 1)
        if fields:
            for i in members:
                out._pending[self._refs[i]] = fields

    def _subject_authors(self, rec: Reconciled) -> list[tuple[str, str, str]]:
        """A listing that belongs to a person (manifest ``subject``) says: this person is an author
        of every work listed. Recorded in the reconciliation graph, since the manifest, not the
        document, said it."""
        out: set[tuple[str, str, str]] = set()
        for source, subject, local_ids in self._subjects:
            person = rec.persons.for_name(subject)
            if person is None:
                rec.notes.append(f"{source}: subject {subject!r} is not a usable person name")
                continue
            for local in local_ids:
                work = rec.work_of(source, local)
                if work is not None:
                    out.add((work.key, person.key, source))
        return sorted(out)


def _text(value: str | None) -> str | None:
    return (normalise_text(value) or None) if value else None


def _identity(identifier: str) -> Identity:
    return Identity(_RANKS[identifier[: identifier.index(":") + 1]], identifier)


def _fallback(ref: Ref) -> Identity:
    """The record-local identity (never matches another record), as ``work_identities`` makes it."""
    return Identity(WORK_RANKS["record"], f"record:{ref[0]}#{ref[1]}")


def reconcile(results: Iterable[ParseResult]) -> Reconciled:
    """All sources at once (tests, small builds): add every source, finish, collect the values."""
    results = list(results)
    rc = Reconciler()
    for r in results:
        rc.add(r)
    rec = rc.finish()
    for r in results:
        rec.collect(r)
    return rec
