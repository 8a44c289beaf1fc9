"""arXiv author listings: abstract, optional comments, ``arXiv:ID [- doi: DOI]``, ``Created: date``.

The listing prints neither titles nor authors. The person it belongs to is declared by the source
manifest (``subject``) and becomes an author of every work, position unknown (``extra_authors``).
A record whose ``arXiv:`` or ``Created:`` line is missing is kept with what is known and flagged.

Comments stay on the record as printed; what can be read from them is added: page and figure
counts, a venue with its year where the text names one unambiguously (an acronym followed by a year,
``ICCAD 2019``, ``NeurIPS'23``, or a parenthesised acronym followed by a year, ``... Design (ISLPED)
2018``), and "submitted to ..." (a venue the work is not yet in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgpub.records import ParseResult, SourceDoc, WorkRecord
from kgpub.sources.context import ParseContext, split_lines
from kgpub.sources.dates import parse_iso_date
from kgpub.sources.identifiers import normalise_doi, parse_arxiv_id

_PAGES = re.compile(r"\b(\d{1,4})\s*(?:pages?|pp\.?)(?![a-z])", re.I)
_FIGURES = re.compile(r"\b(\d{1,3})\s*(?:figures?|figs?\.?)(?![a-z])", re.I)
_SUBMITTED = re.compile(r"\b(?:submitted|under review)\s+(?:to|at|for)\s+(?P<venue>[^.;,]+)", re.I)
_YEAR = r"(?P<year>(?:19|20)\d{2}|'\d{2})"
_ACRONYM = r"(?P<venue>[A-Z][A-Za-z0-9&-]*[A-Z][A-Za-z0-9&-]*)"
_PAREN_VENUE = re.compile(rf"\(\s*{_ACRONYM}(?:\s*'?\s*\d{{2,4}})?\s*\)\s*,?\s*{_YEAR}\b")
_PAREN_VENUE_YEAR = re.compile(rf"\(\s*{_ACRONYM}\s*{_YEAR}\s*\)")
_BARE_VENUE = re.compile(rf"(?<![\w(])(?:ACM |IEEE )?{_ACRONYM}\s*{_YEAR}\b")
_NOT_VENUES = frozenset({"II", "III", "IV", "PDF", "DOI", "URL", "LNCS"})


@dataclass(frozen=True, slots=True)
class CommentReading:
    pages: int | None = None
    figures: int | None = None
    venue: str | None = None
    venue_year: int | None = None
    submitted_to: str | None = None


def _year(text: str) -> int:
    if not text.startswith("'"):
        return int(text)
    short = int(text[1:])
    return 2000 + short if short < 70 else 1900 + short  # arXiv starts in 1991: '98 is 1998


def read_comments(text: str) -> CommentReading:
    """Readings from a comments field; fields it does not mention stay None."""
    pages = _PAGES.search(text)
    figures = _FIGURES.search(text)
    submitted = _SUBMITTED.search(text)
    venue_text = text
    submitted_to = None
    if submitted:
        submitted_to = submitted.group("venue").strip().rstrip(")").strip() or None
        venue_text = text[: submitted.start()] + text[submitted.end() :]  # not a venue the work is in
    venue = year = None
    for pattern in (_PAREN_VENUE, _PAREN_VENUE_YEAR, _BARE_VENUE):
        for m in pattern.finditer(venue_text):
            if m.group("venue") not in _NOT_VENUES:
                venue, year = m.group("venue"), _year(m.group("year"))
                break
        if venue:
            break
    return CommentReading(
        pages=int(pages.group(1)) if pages else None,
        figures=int(figures.group(1)) if figures else None,
        venue=venue,
        venue_year=year,
        submitted_to=submitted_to,
    )


_RECORD_END = ("arXiv:", "Created:")
MAX_COMMENT_CHARS = 300  # a longer paragraph after an abstract is the next record's abstract
_ID_LINE = re.compile(r"^arXiv:\s*(?P<id>\S*)(?:\s+-\s+doi:\s*(?P<doi>\S*))?\s*(?P<rest>.*)$")
_CREATED = re.compile(r"^Created:\s*(?P<date>.*)$")
_HINT_ID = "expected 'arXiv:2303.06182', 'arXiv:2303.06182v2' or 'arXiv:hep-th/9901001'"


@dataclass
class _Pending:
    abstract: str | None = None
    comments: list[str] = field(default_factory=list)
    first: int | None = None  # 1-based line of the record's first line
    last: int = 0


class _ListingParser:
    def __init__(self, doc: SourceDoc, text: str) -> None:
        self.ctx = ParseContext(doc)
        self.lines = [line.strip() for line in split_lines(text)]
        self.count = 0
        self.consumed: int | None = None  # a Created: line already used by the arXiv: line before it
        if doc.subject is None:
            self.ctx.warning(
                "listing.subject.missing",
                "the listing's person is not declared",
                None,
                "subject",
                hint='add subject = "Person Name" to this source in the manifest; '
                "works are kept without that author",
            )

    def _paragraphs(self) -> list[tuple[int, int]]:
        runs, i, n = [], 0, len(self.lines)
        while i < n:
            if self.lines[i]:
                j = i
                while j + 1 < n and self.lines[j + 1]:
                    j += 1
                runs.append((i, j))
                i = j + 1
            else:
                i += 1
        return runs

    def run(self) -> ParseResult:
        if any(self.lines) and not any(ln.startswith(("arXiv:", "Created:")) for ln in self.lines):
            return self.ctx.not_this_kind("\n".join(self.lines), "it has no 'arXiv:' or 'Created:' line")
        pending = _Pending()
        for a, b in self._paragraphs():
            for i in range(a, b + 1):
                pending = self._line(i, pending, first_of_paragraph=(i == a), paragraph=(a, b))
        if pending.first is not None:
            self._emit(pending, None, None)
        return self.ctx.result

    def _line(
        self, i: int, pending: _Pending, *, first_of_paragraph: bool, paragraph: tuple[int, int]
    ) -> _Pending:
        line = self.lines[i]
        if line.startswith("arXiv:"):
            if pending.first is None:
                pending.first = i + 1
            pending.last = i + 1
            nxt = i + 1
            while nxt < len(self.lines) and not self.lines[nxt]:
                nxt += 1
            created = nxt if nxt < len(self.lines) and self.lines[nxt].startswith("Created:") else None
            self._emit(pending, i, created)
            self.consumed = created
            return _Pending()
        if line.startswith("Created:"):
            if i == self.consumed:
                return pending
            pending.first = pending.first or i + 1
            self._emit(pending, None, i)
            return _Pending()
        if not first_of_paragraph:
            return pending  # continuation lines were joined with their paragraph's first line
        a, b = paragraph
        for j in range(a, b + 1):  # the text ends where an identifier line starts
            if self.lines[j].startswith(_RECORD_END):
                b = j - 1
                break
        text = " ".join(self.lines[a : b + 1])
        if pending.abstract is None and not pending.comments:
            pending.abstract, pending.first, pending.last = text, a + 1, b + 1
        elif len(text) <= MAX_COMMENT_CHARS:
            pending.comments.append(text)
            pending.last = b + 1
        else:
            self._emit(pending, None, None)
            pending = _Pending(text, [], a + 1, b + 1)
        return pending

    def _emit(self, pending: _Pending, id_at: int | None, created_at: int | None) -> None:
        ctx = self.ctx
        self.count += 1
        first = pending.first if pending.first else (id_at if id_at is not None else created_at or 0) + 1
        last = max(pending.last, (id_at or 0) + 1, (created_at or 0) + 1, first)
        work = WorkRecord(
            f"listing/work/{self.count}",
            ctx.prov(first, last),
            abstract=pending.abstract,
            work_type="preprint",
        )
        if ctx.doc.subject:
            work.extra_authors = (ctx.doc.subject,)
        flags: list[str] = []
        if pending.abstract is None:
            flags.append("incomplete")
            ctx.error(
                "listing.abstract.missing",
                "record has no abstract",
                first,
                "abstract",
                hint="each record starts with its abstract paragraph",
            )
        if pending.comments:
            work.comments = "\n".join(pending.comments)
            reading = read_comments(work.comments)
            work.pages, work.figures = reading.pages, reading.figures
            work.venue, work.venue_year, work.submitted_to = (
                reading.venue,
                reading.venue_year,
                reading.submitted_to,
            )
        if id_at is None:
            flags.append("incomplete")
            ctx.error(
                "listing.id.missing",
                "record has no 'arXiv:' line (truncated record?)",
                last,
                "arxiv_id",
                hint=_HINT_ID,
            )
        else:
            self._id_line(id_at, work, flags)
        if created_at is None:
            flags.append("incomplete")
            ctx.error(
                "listing.created.missing",
                "record has no 'Created:' line",
                last,
                "date",
                hint="expected 'Created: YYYY-MM-DD' after the arXiv line",
            )
        else:
            m = _CREATED.match(self.lines[created_at])
            reading_date = parse_iso_date(m.group("date") if m else "")
            if reading_date.date is None:
                flags.append("date-invalid")
                ctx.error(
                    "listing.created.unparsable",
                    reading_date.problem or "",
                    created_at + 1,
                    "date",
                    hint="expected 'Created: YYYY-MM-DD'",
                )
            work.date = reading_date.date
            work.date_role = "created" if work.date is not None else None
        work.flags = tuple(dict.fromkeys(flags))
        ctx.result.works.append(work)

    def _id_line(self, i: int, work: WorkRecord, flags: list[str]) -> None:
        ctx = self.ctx
        m = _ID_LINE.match(self.lines[i])
        assert m is not None  # the line starts with "arXiv:"
        parsed = parse_arxiv_id(m.group("id"))
        if parsed is None:
            flags.append("incomplete")
            ctx.error(
                "listing.id.unparsable",
                f"{m.group('id')!r} is not an arXiv identifier",
                i + 1,
                "arxiv_id",
                hint=_HINT_ID,
            )
        else:
            work.arxiv_id, work.arxiv_version = parsed
        if m.group("doi") is not None:
            doi = normalise_doi(m.group("doi"))
            if doi is None:
                ctx.error(
                    "listing.doi.unparsable",
                    f"{m.group('doi')!r} is not a DOI",
                    i + 1,
                    "doi",
                    hint="expected '- doi: 10.NNNN/suffix' after the arXiv id",
                )
            work.doi = doi
        if m.group("rest"):
            ctx.warning(
                "listing.id.trailing",
                f"unexpected text after the identifier: {m.group('rest')[:60]!r}",
                i + 1,
                "arxiv_id",
                hint=_HINT_ID,
            )


def parse(doc: SourceDoc, text: str) -> ParseResult:
    """Parse an arXiv author listing into works (no titles, no bylines)."""
    return _ListingParser(doc, text).run()
