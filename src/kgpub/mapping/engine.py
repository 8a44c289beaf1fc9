"""The mapping engine: one source document's records → the lines of its named graph.

Every subject is a survivor IRI from reconciliation, so ``GRAPH ?g { <work> schema:name ?t }``
answers which document said a title. Lines are N-Triples without the final `` .``: the caller
joins them into N-Triples (one graph) or N-Quads (graph appended) without re-formatting.
"""

from __future__ import annotations

from kgpub.identity import hash_key, iri, work_identities
from kgpub.mapping import ntriples as nt
from kgpub.mapping.table import MappingTable, RecordTable
from kgpub.names import fold, is_not_a_name
from kgpub.reconcile import Reconciled
from kgpub.records import (
    Category,
    FeedListing,
    ParseResult,
    PartialDate,
    PersonRecord,
    ProfileSnapshot,
    WorkRecord,
)

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TRUE = nt.boolean(True)


class SourceMapper:
    """Writes one ParseResult; ``notes`` collects values that could not be written (with where)."""

    def __init__(self, table: MappingTable, base: str, rec: Reconciled, result: ParseResult) -> None:
        self.t, self.base, self.rec, self.result = table, base, rec, result
        self.doc = result.source
        self.lines: list[str] = []
        self.notes: list[str] = []
        self.source_iri = nt.iri(iri(base, "source", hash_key("source:" + self.doc.name)))
        self._persons_written: set[str] = set()
        self._work_iri: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self._works_by_id = {w.local_id: w for w in result.works}

    # -- helpers -------------------------------------------------------------------------------
    def _record(self, s: str, table: RecordTable, record: object, line: int | None = None) -> None:
        out = self.lines
        for t in table.types:
            out.append(f"{s} {RDF_TYPE} {t}")
        for rule in table.fields:
            value = getattr(record, rule.field)
            if value is None or value == () or value == "":
                continue
            try:
                objects = rule.objects(value)
            except (ValueError, TypeError) as exc:
                where = self.doc.name if line is None else f"{self.doc.name}:{line}"
                self.notes.append(f"{where}: {rule.field}={value!r} not written: {exc}")
                continue
            for o in objects:
                out.append(f"{s} {rule.predicate} {o}")

    def _lines(self, s: str, table: RecordTable, line_start: int, line_end: int) -> None:
        st = table.structure
        self.lines.extend(
            (
                f"{s} {st['source_line']} {nt.integer(line_start)}",
                f"{s} {st['source_line_end']} {nt.integer(line_end)}",
            )
        )

    def _date(self, s: str, predicate: str, date: PartialDate) -> None:
        self.lines.append(f"{s} {predicate} {nt.literal(date.lexical, date.xsd_datatype)}")
        if date.year_inferred:
            self.lines.append(f"{s} {self.t.term('work', 'year_inferred')} {TRUE}")

    def _categories(self, s: str, st: dict[str, str], categories: tuple[Category, ...]) -> None:
        template = self.t.iris["arxiv_category"]
        for c in categories:
            self.lines.append(f"{s} {st['category_printed']} {nt.literal(c.printed)}")
            if c.resolved:
                self.lines.append(f"{s} {st['category']} {nt.iri(template.replace('{value}', c.resolved))}")
            else:  # ambiguous or unknown: reported, never guessed
                why = f"ambiguous: {', '.join(c.alternatives)}" if c.alternatives else c.resolution
                self.lines.append(f"{s} {st['category_unresolved']} {nt.literal(f'{c.printed} ({why})')}")

    def person_by_name(self, printed: str) -> str | None:
        """IRI of the person a printed name denotes; writes the person's type and printed name
        into this graph once (the source said this name)."""
        entity = self.rec.persons.for_name(printed)
        if entity is None:
            return None
        p = self._mint("person", entity.key)
        mark = p + "\x00" + printed
        if mark not in self._persons_written:
            if p not in self._persons_written:
                for t in self.t.records["person"].types:
                    self.lines.append(f"{p} {RDF_TYPE} {t}")
                self._persons_written.add(p)
            self.lines.append(f"{p} {self.t.term('person', 'byline_name')} {nt.literal(printed)}")
            self._persons_written.add(mark)
        return p

    def organization(self, name: str) -> str:
        key = hash_key("org:" + " ".join(fold(name).split()))
        o = self._mint("organization", key)
        if o not in self._persons_written:
            self._persons_written.add(o)
            self._record(o, self.t.records["organization"], _Named(name))
        return o

    def _mint(self, kind: str, key: str) -> str:
        """``<{base}id/{kind}/{key}>``: no escaping needed (base checked once, keys are hex)."""
        return f"<{self.base}id/{kind}/{key}>"

    def _own(self, w: WorkRecord) -> str:
        """The identifier the record would mint its IRI from alone (stable under merges)."""
        return work_identities(self.doc.name, w)[0].identifier

    def work_iri(self, local_id: str) -> str | None:
        if local_id not in self._work_iri:
            entity = self.rec.work_of(self.doc.name, local_id)
            if entity is None:
                return None
            self._work_iri[local_id] = self._mint("work", entity.key)
        return self._work_iri[local_id]

    # -- record types --------------------------------------------------------------------------
    def work(self, w: WorkRecord) -> None:
        s = self.work_iri(w.local_id)
        if s is None:
            return
        table = self.t.records["work"]
        st = table.structure
        self._record(s, table, w, w.prov.line_start)
        self._lines(s, table, w.prov.line_start, w.prov.line_end)
        if w.date is not None:
            self._date(s, st.get(f"date_{w.date_role}", st["date_unknown_role"]), w.date)
        self._categories(s, st, w.categories)
        if w.byline is not None:
            own = self._own(w)
            position = 0
            for name in w.byline.names:
                if is_not_a_name(name):
                    self.notes.append(f"{self.doc.name}:{w.prov.line_start}: {name!r} is not an author; skipped")
                    continue
                position += 1
                a = self._mint("authorship", hash_key(f"authorship:{own}#{position}"))
                self.lines.extend(
                    (
                        f"{s} {st['authorship']} {a}",
                        f"{a} {RDF_TYPE} {st['authorship_type']}",
                        f"{a} {st['position']} {nt.integer(position)}",
                        f"{a} {st['printed_name']} {nt.literal(name)}",
                    )
                )
                p = self.person_by_name(name)
                if p is not None:
                    self.lines.extend((f"{a} {st['person']} {p}", f"{s} {st['author']} {p}"))
                self.counts["authorships"] = self.counts.get("authorships", 0) + 1
            if w.byline.truncated:
                self.lines.append(f"{s} {st['byline_truncated']} {TRUE}")
            for alt in w.byline.alternatives:
                text = f"{alt.title} | {', '.join(alt.names)}"
                self.lines.append(f"{s} {st['byline_alternative']} {nt.literal(text)}")
        for name in w.extra_authors:
            p = self.person_by_name(name)
            if p is not None:
                self.lines.append(f"{s} {st['author']} {p}")

    def person(self, p: PersonRecord) -> None:
        entity = self.rec.persons.of_record(self.doc.name, p.local_id)
        if entity is None:
            return
        s = self._mint("person", entity.key)
        self._persons_written.add(s)
        self._record(s, self.t.records["person"], p, p.prov.line_start)
        self._lines(s, self.t.records["work"], p.prov.line_start, p.prov.line_end)
        for name in p.affiliations:
            self.lines.append(f"{s} {self.t.term('person', 'affiliation')} {self.organization(name)}")

    def profile(self, snap: ProfileSnapshot) -> None:
        table = self.t.records["profile"]
        st = table.structure
        s = self._mint("profile", hash_key(f"profile:{self.doc.name}#{snap.local_id}"))
        self._record(s, table, snap, snap.prov.line_start)
        self._lines(s, self.t.records["work"], snap.prov.line_start, snap.prov.line_end)
        self.lines.append(f"{s} {st['derived_from']} {self.source_iri}")
        captured = snap.captured or self.doc.captured
        if captured is not None:
            self.lines.append(f"{s} {st['captured']} {nt.literal(captured.isoformat(), nt.XSD + 'date')}")
        owner = self.rec.persons.of_record(self.doc.name, snap.person)
        owner_iri = self._mint("person", owner.key) if owner is not None else None
        if owner_iri is not None:
            self.lines.append(f"{s} {st['snapshot_of']} {owner_iri}")
        for label, n in sorted(snap.counts.items()):
            if label in self.t.counts:
                self.lines.append(f"{s} {self.t.counts[label]} {nt.integer(n)}")
            else:
                self.lines.append(f"{s} {st['other_count']} {nt.literal(f'{label}={n}')}")
        author = self.t.term("work", "author")
        for local in snap.works:
            w = self.work_iri(local)
            if w is None:
                self.notes.append(f"{self.doc.name}: profile lists unknown work {local!r}")
                continue
            self.lines.append(f"{s} {st['lists_work']} {w}")
            if owner_iri is not None:  # the page lists this person's own works
                self.lines.append(f"{w} {author} {owner_iri}")

    def listing(self, li: FeedListing) -> None:
        table = self.t.records["listing"]
        st = table.structure
        w = self.work_iri(li.work)
        work_rec = self._works_by_id.get(li.work)
        own = self._own(work_rec) if work_rec else li.local_id
        s = self._mint("listing", hash_key(f"listing:{self.doc.name}#{own}"))
        self._record(s, table, li, li.prov.line_start)
        self._lines(s, self.t.records["work"], li.prov.line_start, li.prov.line_end)
        self.lines.append(f"{s} {st['derived_from']} {self.source_iri}")
        if w is not None:
            self.lines.append(f"{s} {st['listed_work']} {w}")
        if li.date is not None:
            self._date(s, st["date"], li.date)
        if li.organisation:
            self.lines.append(f"{s} {st['organisation']} {self.organization(li.organisation)}")
        if li.category is not None:
            self._categories(s, st, (li.category,))

    def run(self) -> list[str]:
        for p in self.result.persons:
            self.person(p)
        for w in self.result.works:
            self.work(w)
        for snap in self.result.profiles:
            self.profile(snap)
        for li in self.result.listings:
            self.listing(li)
        return self.lines


class _Named:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name
