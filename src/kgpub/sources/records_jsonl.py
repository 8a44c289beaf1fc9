"""kgpub's own JSON Lines format: one work, person or profile per line (``"type"`` says which).

Any system can feed kgpub through this format without a new parser. Each line is checked against
``mappings/records.schema.json`` (the documented contract, see docs/records-format.md) before it
becomes a record. A line with a bad optional field is kept without that field and flagged; a line
without a usable ``type``/``id`` (or a required field) cannot become a record and is reported. Line
length and JSON nesting are bounded before the JSON parser sees the line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kgpub.records import Byline, ParseResult, PersonRecord, ProfileSnapshot, SourceDoc, WorkRecord
from kgpub.sources.categories import archive_counts, decide_by_context, resolve_code
from kgpub.sources.context import ParseContext, split_lines
from kgpub.sources.dates import parse_iso_date
from kgpub.sources.identifiers import normalise_doi, normalise_orcid, parse_arxiv_id
from kgpub.sources.records_schema import read_line


class _RecordsParser:
    def __init__(self, doc: SourceDoc, text: str) -> None:
        self.ctx = ParseContext(doc)
        self.lines = split_lines(text)
        self.seen: dict[str, int] = {}

    def run(self) -> ParseResult:
        for n, line in enumerate(self.lines, 1):
            if line.strip():
                self._line(n, line)
        self._check_references()
        self._decide_categories()
        return self.ctx.result

    def _line(self, n: int, line: str) -> None:
        ctx = self.ctx
        reading = read_line(line)
        for p in reading.problems:
            ctx.error(p.code, p.message, n, p.field, hint=p.hint)
        clean = reading.record
        if clean is None:
            return
        kind = clean["type"]
        local_id = f"records/{kind}/{clean['id']}"
        if local_id in self.seen:
            ctx.error(
                "records.id.duplicate",
                f"{kind} id {clean['id']!r} already used on line {self.seen[local_id]}; this line is skipped",
                n,
                "id",
                hint="ids are unique per type within a file",
            )
            return
        self.seen[local_id] = n
        flags = ("invalid-fields",) if reading.dropped else ()
        if kind == "work":
            self._work(n, local_id, clean, flags)
        elif kind == "person":
            self._person(n, local_id, clean)
        else:
            self._profile(n, local_id, clean)

    def _work(self, n: int, local_id: str, o: dict[str, Any], flags: tuple[str, ...]) -> None:
        w = WorkRecord(
            local_id,
            self.ctx.prov(n),
            title=o.get("title"),
            abstract=o.get("abstract"),
            work_type=o.get("work_type"),
            date_role=o.get("date_role"),
            venue=o.get("venue"),
            venue_year=o.get("venue_year"),
            submitted_to=o.get("submitted_to"),
            comments=o.get("comments"),
            pages=o.get("pages"),
            figures=o.get("figures"),
            extra_authors=tuple(o.get("extra_authors", ())),
            flags=flags,
        )
        if "arxiv_id" in o and (parsed := parse_arxiv_id(o["arxiv_id"])):
            w.arxiv_id, w.arxiv_version = parsed
        if "doi" in o:
            w.doi = normalise_doi(o["doi"])
        if "date" in o:
            reading = parse_iso_date(o["date"])
            if reading.date is None:
                w.flags = (*w.flags, "date-invalid")
                self.ctx.error(
                    "records.date.invalid",
                    reading.problem or "",
                    n,
                    "date",
                    hint="expected a real calendar date: YYYY-MM-DD, YYYY-MM or YYYY",
                )
            w.date = reading.date
        if "authors" in o:
            w.byline = Byline(tuple(o["authors"]), bool(o.get("authors_truncated", False)))
        w.categories = tuple(resolve_code(c) for c in o.get("categories", ()))
        for c in w.categories:
            if c.resolution == "unknown":
                self.ctx.warning(
                    "records.category.unknown",
                    f"{c.printed!r} is not an arXiv category",
                    n,
                    "categories",
                    hint="expected e.g. cs.LG (see ontology/arxiv-taxonomy.ttl)",
                )
        w.flags = tuple(dict.fromkeys((*w.flags, *o.get("flags", ()))))
        self.ctx.result.works.append(w)

    def _person(self, n: int, local_id: str, o: dict[str, Any]) -> None:
        orcid = None
        if "orcid" in o:
            orcid = normalise_orcid(o["orcid"])
            if orcid is None:
                self.ctx.error(
                    "records.orcid.checksum",
                    f"{o['orcid']!r} fails the ORCID check digit",
                    n,
                    "orcid",
                    hint="copy the iD from the person's ORCID page; kept without it",
                )
        self.ctx.result.persons.append(
            PersonRecord(
                local_id,
                self.ctx.prov(n),
                o["name"],
                orcid=orcid,
                profile_url=o.get("profile_url"),
                affiliations=tuple(o.get("affiliations", ())),
                description=o.get("description"),
            )
        )

    def _profile(self, n: int, local_id: str, o: dict[str, Any]) -> None:
        captured = None
        if "captured" in o:
            reading = parse_iso_date(o["captured"])
            if reading.date is None or reading.date.day is None or reading.date.month is None:
                self.ctx.error(
                    "records.captured.invalid",
                    reading.problem or "not a full date",
                    n,
                    "captured",
                    hint="expected YYYY-MM-DD",
                )
            else:
                captured = dt.date(reading.date.year, reading.date.month, reading.date.day)
        self.ctx.result.profiles.append(
            ProfileSnapshot(
                local_id,
                self.ctx.prov(n),
                f"records/person/{o['person']}",
                captured=captured or self.ctx.doc.captured,
                role=o.get("role"),
                affiliation_status=o.get("affiliation_status"),
                collaboration_status=o.get("collaboration_status"),
                trust_score=o.get("trust_score"),
                trust_band=o.get("trust_band"),
                verification_level=o.get("verification_level"),
                claim_status=o.get("claim_status"),
                counts=dict(o.get("counts", {})),
                works=tuple(f"records/work/{w}" for w in o.get("works", ())),
            )
        )

    def _check_references(self) -> None:
        for snap in self.ctx.result.profiles:
            for ref, field in [(snap.person, "person")] + [(w, "works") for w in snap.works]:
                if ref not in self.seen:
                    self.ctx.warning(
                        "records.reference.unknown",
                        f"{field} refers to {ref.rsplit('/', 1)[1]!r}, which no line of this file defines",
                        snap.prov.line_start,
                        field,
                        hint="add that line or fix the id",
                    )

    def _decide_categories(self) -> None:
        works = self.ctx.result.works
        context = archive_counts(c for w in works for c in w.categories)
        for w in works:
            if any(c.resolution == "ambiguous" for c in w.categories):
                w.categories = tuple(decide_by_context(c, context) for c in w.categories)
                for c in w.categories:
                    if c.resolution in ("ambiguous", "context"):
                        self.ctx.report(
                            "warning" if c.resolution == "ambiguous" else "info",
                            f"records.category.{c.resolution}",
                            f"{c.printed!r} exists in {', '.join(c.alternatives)}; "
                            + (
                                f"chose {c.resolved} by the file's other categories"
                                if c.resolved
                                else "nothing in the file decides"
                            ),
                            w.prov.line_start,
                            "categories",
                            hint="write the full category, e.g. cs.CV",
                        )


def parse(doc: SourceDoc, text: str) -> ParseResult:
    """Parse a records file (JSON Lines) into works, persons and profile snapshots."""
    return _RecordsParser(doc, text).run()
