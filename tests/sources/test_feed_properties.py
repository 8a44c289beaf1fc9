"""Generated feeds: headers, titles and bylines built from the rules, glued as the feed glues them,
must be read back item by item (dates at their precision, inferred years marked)."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from kgpub.records import PartialDate

from .conftest import run_source
from .test_byline import names, titles

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CODES = {
    "LG": "cs.LG",
    "CR": "cs.CR",
    "IR": "cs.IR",
    "AI": "cs.AI",
    "ML": "stat.ML",
    "cs.DB": "cs.DB",
    "quant-ph": "quant-ph",
    "hep-th": "hep-th",
    "CL": "cs.CL",
}
CAPTURED = dt.date(2026, 11, 21)


@st.composite
def items(draw: st.DrawFn) -> tuple[list[str], dict]:
    score = draw(st.one_of(st.none(), st.integers(0, 999).map(lambda n: n / 10)))
    code = draw(st.sampled_from(sorted(CODES)))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    year = draw(st.one_of(st.none(), st.integers(1991, 2026)))
    flag = draw(st.booleans())
    title = draw(titles())
    byline = draw(st.lists(names(), min_size=1, max_size=3))
    truncated = draw(st.booleans())
    header = (f"{score}" if score is not None else "") + code + f"{MONTHS[month - 1]} {day}"
    header += (f", {year}" if year else "") + ("Code" if flag else "")
    line = title + ", ".join(byline) + (" et al." if truncated else "")
    if year is None:
        year_expected = CAPTURED.year if (month, day) <= (CAPTURED.month, CAPTURED.day) else CAPTURED.year - 1
        date = PartialDate(year_expected, month, day, year_inferred=True)
    else:
        date = PartialDate(year, month, day)
    expected = {
        "score": score,
        "category": CODES[code],
        "date": date,
        "code": flag,
        "title": title,
        "names": tuple(byline),
        "truncated": truncated,
    }
    return [header, line, "An abstract that says what the work does, in one line."], expected


@settings(max_examples=int(os.environ.get("KGPUB_FEED_EXAMPLES", "300")), deadline=None)
@given(st.lists(items(), min_size=1, max_size=6))
def test_generated_feeds_are_read_back(generated: list[tuple[list[str], dict]]) -> None:
    text = "\n".join(line for lines, _ in generated for line in lines) + "\n"
    result = run_source(text, "feed", name="gen.txt", captured=CAPTURED)
    assert len(result.works) == len(generated)
    assert [d for d in result.diagnostics if d.severity != "info"] == []
    for k, ((_, want), work, listing) in enumerate(
        zip(generated, result.works, result.listings, strict=True), 1
    ):
        assert listing.position == k
        assert listing.score == want["score"]
        assert listing.category is not None and listing.category.resolved == want["category"]
        assert listing.date == want["date"] == work.date
        assert listing.code is want["code"]
        assert work.title == want["title"]
        assert work.byline is not None
        assert (work.byline.names, work.byline.truncated) == (want["names"], want["truncated"])
        assert (work.prov.line_start, work.prov.line_end) == (3 * k - 2, 3 * k)
