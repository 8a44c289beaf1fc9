"""Hand-built records reproducing the situations of the seed sources (a profile, an arXiv author
listing without titles or authors, a feed with truncated bylines), with invented texts.

Overlaps (5 works seen in more than one document, as in the seeds):
  P1 = L1 (abstract identical up to whitespace)    title from the profile, arXiv id + DOI from the listing
  P2 = L2 (abstract)                                title from the profile, arXiv id from the listing
  P3 = F1 (abstract)                                profile + feed
  L3 = F2 (abstract)                                listing + feed: arXiv id from one, title from the other
  F3 = L4 = P4 (abstract)                           all three
Distinct works: profile 5 + listing 5 + feed 6 = 16 records, 16 - 6 duplicate sightings = 10 works.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from kgpub.records import (
    Byline,
    Category,
    FeedListing,
    ParseResult,
    PartialDate,
    PersonRecord,
    ProfileSnapshot,
    Provenance,
    SourceDoc,
    WorkRecord,
)

OWNER = "Marta Ostrowska-Núñez"
CAPTURED = dt.date(2026, 11, 21)


TITLES = {
    1: "Sparse attention kernels for graph learning",
    2: "Robust federated training under client drift",
    3: "Side channels in shared cache hierarchies",
    4: "Differential privacy for recommendation logs",
    5: "Energy-aware scheduling of neural accelerators",
    30: "Quantised transformers on microcontrollers",
    60: "A benchmark of tabular anomaly detectors",
    70: "Energy aware scheduling of neural accelerators?",
    80: "Verifying smart contracts with refinement types",
}
FEED_TITLE_4 = "Private recommendation from logged feedback"


def abstract(n: int) -> str:
    return f"We study problem number {n} and show that method {n} improves the baseline by {n} points."


def _doc(name: str, kind: str, subject: str | None = None) -> SourceDoc:
    sha = hashlib.sha256(name.encode()).hexdigest()
    return SourceDoc(f"/x/{name}", name, sha, kind, 1000, CAPTURED, subject)  # type: ignore[arg-type]


def _prov(doc: SourceDoc, line: int, span: int = 3) -> Provenance:
    return Provenance(doc.name, doc.sha256, line, line + span - 1)


def profile() -> ParseResult:
    doc = _doc("profile.txt", "profile")
    owner = PersonRecord("profile/person", _prov(doc, 1, 1), OWNER, profile_url="https://example.org/r/marta")
    works = []
    for i, n in enumerate((1, 2, 3, 4, 5), start=1):
        works.append(
            WorkRecord(
                f"profile/{i}",
                _prov(doc, 10 * i),
                title=TITLES[n],
                abstract=abstract(n),
                work_type="preprint",
                date=PartialDate(2022),
                date_role="published",
                venue="arXiv",
            )
        )
    snap = ProfileSnapshot(
        "profile/snapshot",
        _prov(doc, 1, 8),
        "profile/person",
        CAPTURED,
        role="Researcher",
        trust_score=21,
        trust_band="Emerging",
        verification_level="L1",
        claim_status="Unclaimed author",
        counts={"works": 6, "followers": 0, "topics": 5, "close_collaborators": 4, "following": 0},
        works=tuple(w.local_id for w in works),
    )
    return ParseResult(doc, works=works, persons=[owner], profiles=[snap])


def listing() -> ParseResult:
    doc = _doc("listing.txt", "arxiv-listing", subject="Ostrowska-Nunez, Marta")
    specs = [  # (abstract n, arXiv id, doi)
        (1, "2301.00001", "10.1109/ICCAD.2019.1"),
        (2, "2302.00002", None),
        (30, "2303.00030", None),
        (4, "hep-th/9901001", None),
        (50, "2305.00050", None),
    ]
    works = []
    for i, (n, arxiv, doi) in enumerate(specs, start=1):
        text = abstract(n).replace(" ", "  \n ", 2) if n == 1 else abstract(n)  # same after normalising
        works.append(
            WorkRecord(
                f"listing/{i}",
                _prov(doc, 5 * i, 4),
                abstract=text,
                arxiv_id=arxiv,
                doi=doi,
                date=PartialDate(2023, 1, i),
                date_role="created",
                venue="ICCAD" if doi else None,
                venue_year=2019 if doi else None,
                comments="6 pages, 5 figures" if n == 2 else None,
                pages=6 if n == 2 else None,
            )
        )
    return ParseResult(doc, works=works)


FEED_BYLINES = [
    ("Ana Gómez", "G. Suh", "Lee, Marta"),
    ("Marta Ostrowska-Nuñez", "Bo Chen", "Ana Gomez"),
    ("G. Edward Suh", "Gang Suh", "Cheng Li"),
    ("Bo Chen",),
    ("Zoë O'Neil", "Bo Chen", "et al."),
    ("Bo Chen", "Ana Gómez"),
]


def feed() -> ParseResult:
    doc = _doc("feed.txt", "feed")
    abstracts = [3, 30, 4, 60, 70, 80]
    works, listings = [], []
    for i, (n, names) in enumerate(zip(abstracts, FEED_BYLINES, strict=True), start=1):
        line = 3 * i - 2
        cat = Category("LG", "cs.LG", "unique") if i % 2 else Category("CR", None, "ambiguous", ("cs.CR", "q-fin.CR"))
        year_inferred = i == 6
        date = PartialDate(2026 if year_inferred else 2022, 5, i, year_inferred=year_inferred)
        works.append(
            WorkRecord(
                f"feed/{i}",
                _prov(doc, line),
                title=FEED_TITLE_4 if n == 4 else TITLES[n],
                abstract=abstract(n),
                date=date,
                date_role="listed",
                categories=(cat,),
                byline=Byline(tuple(x for x in names if x != "et al."), truncated=len(names) == 3),
            )
        )
        listings.append(
            FeedListing(
                f"feed/listing/{i}",
                _prov(doc, line),
                f"feed/{i}",
                i,
                score=72.7 if i != 2 else None,
                code=i % 3 == 0,
                organisation="Acme Labs" if i == 1 else None,
                category=cat,
                date=date,
                captured=CAPTURED,
            )
        )
    return ParseResult(doc, works=works, listings=listings)


def all_results() -> list[ParseResult]:
    return [profile(), listing(), feed()]


def member_records(entity, results: list[ParseResult]) -> list[tuple[SourceDoc, WorkRecord]]:  # type: ignore[no-untyped-def]
    """A reconciled work's members as (document, record): reconciliation keeps only their references."""
    by_ref = {(r.source.name, w.local_id): (r.source, w) for r in results for w in r.works}
    return [by_ref[ref] for ref in entity.members]
