"""Paper feeds: three lines per item — header, ``Title + byline``, abstract.

The header glues an optional score, a subject-class code, a date and an optional ``Code`` flag:
``72.7AIJun 1``, ``IRMay 30, 2022Code``. Facts of the header describe the *listing* (FeedListing),
except the subject class and the date, which the feed shows for the work.

Date choice: the header date is the date the feed lists the work under; on arXiv-derived feeds it
is most likely the submission date, but the page does not say so. It is therefore put on both
FeedListing.date and WorkRecord.date with ``date_role = "listed"``, so that reconciliation can
prefer an arXiv ``Created:`` date (role "created") when one is known and never mistakes a listing
date for a publication date. A year the header leaves out is inferred from the capture date.

Recovery: the three-line rhythm is expected but not trusted. A missing title or abstract, a
garbled header or a stray line each yields a diagnostic; the item is kept with what is known and
flagged, and parsing continues at the next header.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kgpub.records import Category, FeedListing, ParseResult, Provenance, SourceDoc, WorkRecord
from kgpub.sources.byline import split_title_byline
from kgpub.sources.categories import archive_counts, decide_by_context, resolve_code
from kgpub.sources.context import ParseContext, split_lines
from kgpub.sources.dates import parse_printed_date

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
HEADER = re.compile(
    rf"^(?P<score>\d{{1,3}}(?:\.\d+)?)?"
    # subject class: bare (LG), full (cs.LG, physics.optics) or a hyphenated archive (quant-ph, hep-th)
    rf"(?P<cat>[a-z]+(?:-[a-z]+)?\.(?:[A-Z]{{2}}|[a-z]+(?:-[a-z]+)?)|[A-Z]{{2}}|[a-z]+-[a-z]+)"
    rf"(?P<date>{_MONTH}[a-z]*\.?(?: [^C]*?)?)?(?P<code>Code)?\s*$"
)
_UNSET = Provenance("", "", 0, 0)  # replaced by the item's real span before the records are kept
MAX_HEADER_CHARS = 64  # a header is short; longer lines are titles or abstracts
_HEADER_HINT = "a header looks like '72.7AIJun 1' or 'IRMay 30, 2022Code': [score] code date [Code]"


@lru_cache(maxsize=4096)
def _resolve(code: str) -> Category:
    return resolve_code(code)


def match_header(line: str) -> re.Match[str] | None:
    """A header line, or None. A header needs a date or a score so that short titles never match."""
    if len(line) > MAX_HEADER_CHARS:
        return None
    m = HEADER.match(line)
    if m is None or not (m.group("date") or m.group("score")):
        return None
    return m


class _FeedParser:
    def __init__(self, doc: SourceDoc, text: str) -> None:
        self.ctx = ParseContext(doc)
        self.lines = split_lines(text)
        self.position = 0

    def _next_nonblank(self, i: int) -> int:
        while i < len(self.lines) and not self.lines[i].strip():
            i += 1
        return i

    def run(self) -> ParseResult:
        if any(line.strip() for line in self.lines) and not any(
            match_header(ln.strip()) for ln in self.lines
        ):
            return self.ctx.not_this_kind(
                "\n".join(self.lines), "no line is a feed header such as 'LGJun 1, 2023'"
            )
        i = self._next_nonblank(0)
        while i < len(self.lines):
            line = self.lines[i].strip()
            m = match_header(line)
            if m is not None:
                i = self._item(i, m)
            elif split_title_byline(line) is not None:
                self.ctx.error(
                    "feed.header.missing",
                    "title line without a header line before it",
                    i + 1,
                    "header",
                    hint=_HEADER_HINT,
                )
                i = self._item(i - 1, None)
            else:
                self.ctx.warning(
                    "feed.line.unexpected",
                    f"line is not part of any item: {line[:60]!r}",
                    i + 1,
                    "header",
                    hint=_HEADER_HINT,
                )
                i += 1
            i = self._next_nonblank(i)
        self._resolve_categories()
        return self.ctx.result

    def _item(self, h: int, m: re.Match[str] | None) -> int:
        """Read the item whose header is at index ``h`` (m None: header missing, title at h + 1)."""
        ctx, doc = self.ctx, self.ctx.doc
        self.position += 1
        k = self.position
        flags: list[str] = []
        work = WorkRecord(f"feed/work/{k}", _UNSET)
        listing = FeedListing(f"feed/listing/{k}", _UNSET, work.local_id, k, captured=doc.captured)
        if m is None:
            flags.append("incomplete")
        else:
            self._header(h + 1, m, work, listing, flags)
        last = h
        t = self._next_nonblank(h + 1)
        if t < len(self.lines) and match_header(self.lines[t].strip()) is None:
            last = t
            self._title(t + 1, self.lines[t].strip(), work, listing, flags)
            a = self._next_nonblank(t + 1)
            if a < len(self.lines) and match_header(self.lines[a].strip()) is None:
                last = a
                work.abstract = self.lines[a].strip()
            else:
                flags.append("incomplete")
                ctx.error(
                    "feed.abstract.missing",
                    "item has no abstract line after its title",
                    t + 1,
                    "abstract",
                    hint="each item is three lines: header, title with byline, abstract",
                )
        else:
            flags.append("incomplete")
            ctx.error(
                "feed.title.missing",
                "header is not followed by a title line (truncated item)",
                h + 1 if m is not None else h + 2,
                "title",
                hint="each item is three lines: header, title with byline, abstract",
            )
        start = h + 1 if m is not None else h + 2
        work.prov = listing.prov = ctx.prov(start, max(last + 1, start))
        work.flags = tuple(dict.fromkeys(flags))
        ctx.result.works.append(work)
        ctx.result.listings.append(listing)
        return last + 1

    def _header(
        self, line_no: int, m: re.Match[str], work: WorkRecord, listing: FeedListing, flags: list[str]
    ) -> None:
        ctx = self.ctx
        if m.group("score"):
            listing.score = float(m.group("score"))
        listing.code = m.group("code") is not None
        category = _resolve(m.group("cat"))
        listing.category = category
        work.categories = (category,)
        if category.resolution == "unknown":
            ctx.warning(
                "feed.category.unknown",
                f"{m.group('cat')!r} is not an arXiv subject class",
                line_no,
                "category",
                hint="expected a code such as LG, CR or cs.LG (see ontology/arxiv-taxonomy.ttl)",
            )
        date_text = m.group("date")
        if not date_text:
            flags.append("incomplete")
            ctx.error(
                "feed.date.missing",
                "header has no date",
                line_no,
                "date",
                hint="expected a date such as 'Jun 1, 2023' or 'Jun 1' after the subject class",
            )
            return
        reading = parse_printed_date(date_text, ctx.doc.captured)
        if reading.date is not None:
            work.date = listing.date = reading.date
            work.date_role = "listed"
        elif reading.needs_capture:
            flags.append("year-unknown")
            ctx.warning(
                "feed.date.year-unknown",
                reading.problem or "",
                line_no,
                "date",
                hint="declare captured = YYYY-MM-DD for this source in the manifest",
            )
        else:
            flags.append("date-invalid")
            ctx.error(
                "feed.date.unparsable",
                reading.problem or "",
                line_no,
                "date",
                hint="fix the date in the source; the item is kept without a date",
            )

    def _title(
        self, line_no: int, line: str, work: WorkRecord, listing: FeedListing, flags: list[str]
    ) -> None:
        split = split_title_byline(line)
        if split is None:
            work.title = line
            flags.append("byline-unsplit")
            self.ctx.warning(
                "feed.byline.unsplit",
                "cannot tell where the title ends and the byline starts",
                line_no,
                "byline",
                hint="expected 'TitleFirst Author, Second Author et al.'; the whole line is kept as title",
            )
            return
        work.title = split.title
        work.byline = split.byline
        listing.organisation = split.organisation
        if split.byline.ambiguous:
            flags.append("byline-ambiguous")
            readings = "; ".join(f"{s.title!r} / {', '.join(s.names)}" for s in split.byline.alternatives)
            self.ctx.warning(
                "feed.byline.ambiguous",
                f"title/byline split is ambiguous; chose {split.title!r}, other readings: {readings}",
                line_no,
                "byline",
                hint="check the title against the original page",
            )

    def _resolve_categories(self) -> None:
        """Second pass: ambiguous codes are decided by the archives the feed's other codes use."""
        listings = self.ctx.result.listings
        context = archive_counts(lst.category for lst in listings if lst.category is not None)
        for work, listing in zip(self.ctx.result.works, listings, strict=True):
            cat = listing.category
            if cat is None or cat.resolution != "ambiguous":
                continue
            decided = decide_by_context(cat, context)
            listing.category = decided
            work.categories = (decided,)
            alts = ", ".join(cat.alternatives)
            if decided.resolution == "context":
                self.ctx.info(
                    "feed.category.context",
                    f"{cat.printed!r} exists in several archives ({alts}); chose {decided.resolved} "
                    "because the feed's other codes are mostly in that archive",
                    listing.prov.line_start,
                    "category",
                )
            else:
                self.ctx.warning(
                    "feed.category.ambiguous",
                    f"{cat.printed!r} exists in several archives ({alts}) and the feed does not decide",
                    listing.prov.line_start,
                    "category",
                    hint="print the full category (e.g. cs.CV) in the source",
                )


def parse(doc: SourceDoc, text: str) -> ParseResult:
    """Parse a feed document into works and their listings."""
    return _FeedParser(doc, text).run()
