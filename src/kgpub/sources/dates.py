"""Dates as pages print them, kept at their real precision.

Feeds print ``May 30, 2022`` or, for the year of capture, just ``Jun 1``. A missing year is inferred
as the latest such date not after the capture date and marked ``year_inferred`` so that nobody
mistakes it for a printed fact. Impossible dates (``Feb 30``) are reported, never "corrected".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from kgpub.records import MONTH_NAMES, PartialDate

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, 1):
    MONTHS[_name.lower()] = _number
    MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9

_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.? +(\d{1,2})(?:,? +(\d{4}))?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?,? +(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class DateReading:
    """A parsed date, or why it could not be read (``problem``: what was expected)."""

    date: PartialDate | None
    problem: str | None = None
    needs_capture: bool = False  # the year was missing and no capture date was known


def _checked(year: int, month: int | None, day: int | None, inferred: bool, printed: str) -> DateReading:
    if month is not None and not 1 <= month <= 12:
        return DateReading(None, f"month {month} in {printed!r} does not exist; expected 1-12")
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return DateReading(
                None, f"{printed!r} is not a calendar date ({MONTH_NAMES[month - 1]} {year} has {last} days)"
            )
    return DateReading(PartialDate(year, month, day, inferred))


def infer_year(month: int, day: int, captured: dt.date) -> int | None:
    """The year of the latest ``month``/``day`` not after ``captured`` (None if the day never exists)."""
    for year in range(captured.year, captured.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # Feb 29 outside a leap year
        if candidate <= captured:
            return year
    return None


@lru_cache(maxsize=8192)  # feeds repeat a few dates thousands of times; readings are immutable
def parse_printed_date(text: str, captured: dt.date | None) -> DateReading:
    """``May 30, 2022`` / ``Jun 1`` (year inferred) / ``March 2021`` / ``2023-03-10`` / ``2023``."""
    text = text.strip()
    m = _MONTH_DAY_YEAR.match(text)
    if m:
        month = MONTHS.get(m.group(1).lower())
        if month is None:
            return DateReading(None, f"{m.group(1)!r} is not a month name; expected e.g. 'Jun 1, 2023'")
        day = int(m.group(2))
        if m.group(3):
            return _checked(int(m.group(3)), month, day, False, text)
        if captured is None:
            return DateReading(
                None, f"{text!r} has no year and the capture date is unknown", needs_capture=True
            )
        if not 1 <= day <= 31:
            return DateReading(None, f"{text!r} is not a calendar date")
        year = infer_year(month, day, captured)
        if year is None:
            return DateReading(None, f"{text!r} is not a calendar date")
        return _checked(year, month, day, True, text)
    m = _MONTH_YEAR.match(text)
    if m and m.group(1).lower() in MONTHS:
        return _checked(int(m.group(2)), MONTHS[m.group(1).lower()], None, False, text)
    m = _ISO.match(text)
    if m:
        return _checked(
            int(m.group(1)),
            int(m.group(2)) if m.group(2) else None,
            int(m.group(3)) if m.group(3) else None,
            False,
            text,
        )
    return DateReading(
        None, f"cannot read {text!r} as a date; expected e.g. 'Jun 1, 2023', 'Jun 1' or '2023-06-01'"
    )


def parse_iso_date(text: str) -> DateReading:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` only (records files, arXiv ``Created:`` lines)."""
    m = _ISO.match(text.strip())
    if not m:
        return DateReading(None, f"cannot read {text!r} as a date; expected YYYY-MM-DD, YYYY-MM or YYYY")
    return _checked(
        int(m.group(1)),
        int(m.group(2)) if m.group(2) else None,
        int(m.group(3)) if m.group(3) else None,
        False,
        text,
    )
