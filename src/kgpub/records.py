"""The typed contract between the source parsers and everything downstream.

Parsers (``kgpub.sources``) produce these records and nothing else; reconciliation and mapping
consume them and never look at source text. Every record carries its :class:`Provenance` so that any
fact in the graph can be traced to a file, a line span and the exact bytes (sha256) it came from.

Records keep what a source *said*, not what we concluded: a byline keeps printed names, a category
keeps the printed code beside its resolution, a date keeps its precision. Conclusions (same person,
same work) are the job of ``kgpub.reconcile``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# English month names, used to read printed dates and to show dates with their precision
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

SourceKind = Literal["profile", "arxiv-listing", "feed", "records", "rdf"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("profile", "arxiv-listing", "feed", "records", "rdf")


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One source document as it was read."""

    path: str  # file system path it was read from
    name: str  # stable display name: path relative to the manifest / build root
    sha256: str  # of the raw bytes
    kind: SourceKind
    size: int = 0
    captured: _dt.date | None = None  # when the page was copied (manifest, else file mtime)
    subject: str | None = None  # the person a listing or feed belongs to (manifest)
    graph: str | None = None  # for kind = "rdf": the named graph its triples go into
    kind_detected: bool = False  # True when the kind was detected from content


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: file, exact content (sha256) and 1-based inclusive line span."""

    source: str  # SourceDoc.name
    sha256: str
    line_start: int
    line_end: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in a source. Never an exception: the rest of the file is still parsed."""

    severity: Severity
    code: str  # machine-readable, e.g. "feed.date.unparsable"
    message: str  # what is wrong, for a person
    file: str
    line: int | None = None
    field: str | None = None
    hint: str | None = None  # how to fix it

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        text = f"{where}: {self.severity}: {what}{self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date with its real precision. ``year_inferred`` marks a year that the source left out and
    that was inferred from the capture date."""

    year: int
    month: int | None = None
    day: int | None = None
    year_inferred: bool = False

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def lexical(self) -> str:
        if self.day is not None and self.month is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def xsd_datatype(self) -> str:
        xsd = "http://www.w3.org/2001/XMLSchema#"
        return xsd + {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]


CategoryResolution = Literal["full", "unique", "context", "ambiguous", "unknown"]


@dataclass(frozen=True, slots=True)
class Category:
    """An arXiv subject class as printed, and what it resolves to.

    ``resolution``: "full" (printed as ``cs.LG``), "unique" (bare code found in one archive),
    "context" (bare code in several archives, chosen by the source's context), "ambiguous"
    (several archives, no context decides: ``resolved`` is None and ``alternatives`` lists them),
    "unknown" (no such code).
    """

    printed: str
    resolved: str | None
    resolution: CategoryResolution
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BylineSplit:
    """One way to read a glued "Title + byline" line."""

    title: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Byline:
    """Names in print order. ``truncated`` when the source cut the list ("et al."): "et al." itself
    is never a name. ``alternatives`` holds other plausible splits when the split was ambiguous."""

    names: tuple[str, ...]
    truncated: bool = False
    alternatives: tuple[BylineSplit, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


@dataclass(slots=True)
class WorkRecord:
    """A scholarly work as one source describes it."""

    local_id: str  # unique within its source, e.g. "feed/3"
    prov: Provenance
    title: str | None = None
    abstract: str | None = None
    work_type: str | None = None  # e.g. "preprint", as printed
    arxiv_id: str | None = None  # versionless, e.g. "2303.06182" or "hep-th/9901001"
    arxiv_version: int | None = None
    doi: str | None = None  # lower-cased, without resolver prefix
    date: PartialDate | None = None
    date_role: Literal["created", "published", "listed"] | None = None
    venue: str | None = None  # e.g. "ICCAD"
    venue_year: int | None = None
    submitted_to: str | None = None  # "submitted to X": not (yet) a venue
    comments: str | None = None  # free text as printed
    pages: int | None = None
    figures: int | None = None
    categories: tuple[Category, ...] = ()
    byline: Byline | None = None
    extra_authors: tuple[str, ...] = ()  # authors whose byline position is unknown
    flags: tuple[str, ...] = ()  # curator flags, e.g. "incomplete"


@dataclass(slots=True)
class PersonRecord:
    """A person a source names explicitly (a profile's owner, a records-file person)."""

    local_id: str
    prov: Provenance
    name: str
    orcid: str | None = None  # bare 0000-0000-0000-000X
    profile_url: str | None = None
    affiliations: tuple[str, ...] = ()
    description: str | None = None


@dataclass(slots=True)
class ProfileSnapshot:
    """What a profile page claimed about a person when it was copied: metrics describe the snapshot,
    not the person."""

    local_id: str
    prov: Provenance
    person: str  # PersonRecord.local_id
    captured: _dt.date | None = None
    role: str | None = None
    affiliation_status: str | None = None
    collaboration_status: str | None = None
    trust_score: int | None = None
    trust_band: str | None = None
    verification_level: str | None = None  # e.g. "L1"
    claim_status: str | None = None  # e.g. "Unclaimed author"
    counts: dict[str, int] = field(default_factory=dict)  # works, followers, topics, close_collaborators, following
    works: tuple[str, ...] = ()  # WorkRecord.local_id of the listed works, in page order


@dataclass(slots=True)
class FeedListing:
    """One appearance of a work in a feed: the facts describe the listing, not the work."""

    local_id: str
    prov: Provenance
    work: str  # WorkRecord.local_id
    position: int  # 1-based order in the feed
    score: float | None = None
    code: bool = False
    organisation: str | None = None
    category: Category | None = None
    date: PartialDate | None = None
    captured: _dt.date | None = None


@dataclass(slots=True)
class RdfPayload:
    """An RDF document published as it is, in its own named graph."""

    local_id: str
    prov: Provenance
    media_type: str
    data: bytes
    graph: str | None = None
    # (subject IRI, first line, last line) for the line-based RDF syntaxes (see sources/rdf_lines.py)
    spans: tuple[tuple[str, int, int], ...] = ()


@dataclass(slots=True)
class ParseResult:
    """Everything one source yielded. Records that could not be completed are still here, flagged."""

    source: SourceDoc
    works: list[WorkRecord] = field(default_factory=list)
    persons: list[PersonRecord] = field(default_factory=list)
    profiles: list[ProfileSnapshot] = field(default_factory=list)
    listings: list[FeedListing] = field(default_factory=list)
    rdf: list[RdfPayload] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def record_count(self) -> int:
        return len(self.works) + len(self.persons) + len(self.profiles) + len(self.listings) + len(self.rdf)
