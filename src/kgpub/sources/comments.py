"""What can be read from an arXiv comments field: page and figure counts, a venue with its year,
and "submitted to ..." (a venue the work is not yet in).

The comments stay on the record as printed; these readings are additions. A venue is read only
where the text names one unambiguously: an acronym followed by a year (``ICCAD 2019``,
``NeurIPS'23``) or a parenthesised acronym followed by a year (``... Design (ISLPED) 2018``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    return 2000 + int(text[1:]) if text.startswith("'") else int(text)


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
