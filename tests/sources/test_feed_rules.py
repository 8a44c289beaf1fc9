"""Feed rules on inputs written for them: headers, dates, categories, recovery from bad blocks."""

from __future__ import annotations

import datetime as dt

import pytest

from kgpub.records import PartialDate

from .conftest import run_source

ABSTRACT = "We study a problem and report results that are long enough to be an abstract line."


def feed(*items: tuple[str, str, str] | str, captured: dt.date | None = dt.date(2026, 2, 15)):
    lines: list[str] = []
    for item in items:
        lines.extend(item if isinstance(item, tuple) else (item,))
    return run_source("\n".join(lines) + "\n", "feed", name="f.txt", captured=captured)


def item(header: str, title_line: str = "A Title of a WorkAnn Lee, Bo Chen") -> tuple[str, str, str]:
    return (header, title_line, ABSTRACT)


@pytest.mark.parametrize(
    ("header", "score", "printed", "resolved", "date", "code"),
    [
        ("LGMay 30, 2022", None, "LG", "cs.LG", PartialDate(2022, 5, 30), False),
        ("99CRJan 2, 2020Code", 99.0, "CR", "cs.CR", PartialDate(2020, 1, 2), True),
        ("5.25cs.LGMar 3, 2021", 5.25, "cs.LG", "cs.LG", PartialDate(2021, 3, 3), False),
        ("quant-phDec 31, 2019", None, "quant-ph", "quant-ph", PartialDate(2019, 12, 31), False),
        ("hep-thJune 7, 2018Code", None, "hep-th", "hep-th", PartialDate(2018, 6, 7), True),
        ("ARMar 5", None, "AR", "cs.AR", PartialDate(2025, 3, 5, year_inferred=True), False),
        ("MLFeb 15", None, "ML", "stat.ML", PartialDate(2026, 2, 15, year_inferred=True), False),
        ("CLJun 2023", None, "CL", "cs.CL", PartialDate(2023, 6), False),
    ],
)
def test_header(header, score, printed, resolved, date, code) -> None:
    result = feed(item(header), item("LGJan 1, 2020"))
    listing = result.listings[0]
    assert listing.score == score
    assert listing.category is not None
    assert (listing.category.printed, listing.category.resolved) == (printed, resolved)
    assert listing.date == date
    assert result.works[0].date == date
    assert listing.code is code


def test_missing_year_is_the_latest_such_date_not_after_capture() -> None:
    result = feed(item("LGFeb 29"), item("LGFeb 16"), item("LGFeb 15"), captured=dt.date(2026, 2, 15))
    dates = [lst.date for lst in result.listings]
    assert dates == [
        PartialDate(2024, 2, 29, year_inferred=True),
        PartialDate(2025, 2, 16, year_inferred=True),
        PartialDate(2026, 2, 15, year_inferred=True),
    ]
    assert all(d is not None and d.precision == "day" for d in dates)


def test_impossible_date_is_reported_and_the_item_kept() -> None:
    result = feed(item("LGFeb 30, 2023"), item("LGJan 1, 2023"))
    assert len(result.works) == 2
    work = result.works[0]
    assert work.date is None and "date-invalid" in work.flags
    assert work.title == "A Title of a Work"
    [diag] = [d for d in result.diagnostics if d.field == "date"]
    assert (diag.severity, diag.file, diag.line) == ("error", "f.txt", 1)
    assert "Feb 30, 2023" in diag.message and "28 days" in diag.message
    assert str(diag).startswith("f.txt:1: error: date:")


def test_missing_year_without_capture_date_is_reported() -> None:
    result = feed(item("LGJun 1"), item("LGJan 1, 2023"), captured=None)
    assert result.works[0].date is None
    assert "year-unknown" in result.works[0].flags
    [diag] = [d for d in result.diagnostics if d.field == "date"]
    assert diag.line == 1 and "captured" in (diag.hint or "")
    assert result.works[1].date == PartialDate(2023, 1, 1)


def test_truncated_block_without_abstract() -> None:
    result = feed(("LGJan 1, 2023", "First WorkAnn Lee"), item("CRJan 2, 2023", "Second WorkBo Chen"))
    assert [w.title for w in result.works] == ["First Work", "Second Work"]
    first = result.works[0]
    assert first.abstract is None and "incomplete" in first.flags
    assert (first.prov.line_start, first.prov.line_end) == (1, 2)
    [diag] = result.diagnostics
    assert (diag.file, diag.line, diag.field, diag.severity) == ("f.txt", 2, "abstract", "error")
    assert result.works[1].abstract == ABSTRACT and result.works[1].flags == ()


def test_header_without_title() -> None:
    result = feed("LGJan 1, 2023", item("CRJan 2, 2023", "Second WorkBo Chen"))
    assert len(result.works) == 2
    assert result.works[0].title is None and result.works[0].flags == ("incomplete",)
    assert result.listings[0].date == PartialDate(2023, 1, 1)
    [diag] = result.diagnostics
    assert (diag.line, diag.field) == (1, "title")


def test_title_without_header() -> None:
    result = feed(item("LGJan 1, 2023"), ("Lost WorkCy Dee, Ed Fox", ABSTRACT), item("CRJan 2, 2023"))
    assert len(result.works) == 3
    lost = result.works[1]
    assert lost.title == "Lost Work" and lost.byline is not None and lost.byline.names == ("Cy Dee", "Ed Fox")
    assert lost.date is None and "incomplete" in lost.flags
    assert result.listings[1].category is None
    [diag] = result.diagnostics
    assert (diag.line, diag.field) == (4, "header")
    assert (lost.prov.line_start, lost.prov.line_end) == (4, 5)


def test_stray_line_is_reported_not_dropped_silently() -> None:
    result = feed(item("LGJan 1, 2023"), "no header here", item("CRJan 2, 2023"))
    assert len(result.works) == 2
    [diag] = result.diagnostics
    assert (diag.line, diag.field, diag.severity) == (4, "header", "warning")
    assert "no header here" in diag.message


def test_unsplittable_title_line_is_kept_whole_and_flagged() -> None:
    result = feed(item("LGJan 1, 2023", "only lower case words here"), item("CRJan 2, 2023"))
    work = result.works[0]
    assert work.title == "only lower case words here" and work.byline is None
    assert "byline-unsplit" in work.flags
    [diag] = result.diagnostics
    assert (diag.line, diag.field) == (2, "byline")


def test_ambiguous_split_is_reported_with_alternatives() -> None:
    result = feed(item("LGJan 1, 2023", "Deep LearningDeAndre Jordan, Ann Lee"))
    work = result.works[0]
    assert work.byline is not None and work.byline.ambiguous
    readings = {(work.title, work.byline.names)} | {(a.title, a.names) for a in work.byline.alternatives}
    assert readings == {
        ("Deep Learning", ("DeAndre Jordan", "Ann Lee")),
        ("Deep LearningDe", ("Andre Jordan", "Ann Lee")),
    }
    assert (work.title, work.byline.names[0]) == ("Deep Learning", "DeAndre Jordan")
    assert "byline-ambiguous" in work.flags
    [diag] = result.diagnostics
    assert (diag.line, diag.field) == (2, "byline") and "Deep LearningDe" in diag.message


def test_code_in_several_archives_without_deciding_context() -> None:
    result = feed(item("GNJan 1, 2023"), item("GNJan 2, 2023"))
    cat = result.listings[0].category
    assert cat is not None and cat.resolution == "ambiguous" and cat.resolved is None
    assert cat.alternatives == ("econ.GN", "math.GN", "q-bio.GN", "q-fin.GN")
    diags = [d for d in result.diagnostics if d.field == "category"]
    assert [(d.severity, d.line) for d in diags] == [("warning", 1), ("warning", 4)]


def test_code_decided_by_the_feeds_other_codes() -> None:
    result = feed(item("PRJan 1, 2023"), item("CAJan 2, 2023"), item("NTJan 3, 2023"), item("CRJan 4, 2023"))
    pr = result.listings[0].category
    assert pr is not None and (pr.resolved, pr.resolution) == ("math.PR", "context")
    assert pr.alternatives == ("math.PR", "q-fin.PR")


def test_tied_context_does_not_guess() -> None:
    result = feed(item("CVJan 1, 2023"), item("CAJan 2, 2023"), item("CRJan 3, 2023"))
    cv = result.listings[0].category
    assert cv is not None and cv.resolution == "ambiguous" and cv.resolved is None


def test_unknown_code() -> None:
    result = feed(item("ZZJan 1, 2023"))
    cat = result.listings[0].category
    assert cat is not None and (cat.resolution, cat.resolved) == ("unknown", None)
    [diag] = result.diagnostics
    assert (diag.line, diag.field) == (1, "category")


def test_org_tag_and_et_al() -> None:
    result = feed(
        item("LGJan 1, 2023", "Scaling Laws, Revisited: Why 42?Ann Lee, Bo Chen, Cy Dee et al. · deepmind")
    )
    work, listing = result.works[0], result.listings[0]
    assert work.title == "Scaling Laws, Revisited: Why 42?"
    assert work.byline is not None and work.byline.names == ("Ann Lee", "Bo Chen", "Cy Dee")
    assert work.byline.truncated and listing.organisation == "deepmind"
    assert all("et al" not in n for n in work.byline.names)


def test_crlf_and_blank_lines_are_tolerated() -> None:
    text = "\r\n".join(["", "LGJan 1, 2023", "A WorkAnn Lee", "", ABSTRACT, "", ""])
    result = run_source(text, "feed", name="f.txt")
    assert len(result.works) == 1 and result.works[0].abstract == ABSTRACT
    assert (result.works[0].prov.line_start, result.works[0].prov.line_end) == (2, 5)
    assert result.diagnostics == []
