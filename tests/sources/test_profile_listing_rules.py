"""Profile and arXiv-listing rules on inputs written for them: other numbers, bands and levels; other
comment shapes; identifiers with versions and old-style ids; truncated and broken records."""

from __future__ import annotations

import pytest

from kgpub.records import PartialDate
from kgpub.sources.profile import read_status

from .conftest import run_source

ABSTRACT = "We present a method and show that it works on several benchmarks with careful ablations."


def profile_page(
    status: str,
    trust: str,
    counts: list[str],
    works: list[list[str]],
    announced: int | None = None,
    name: str = "Zoë van der Berg-Ødegaard",
) -> str:
    lines = [
        "Researcher profile",
        "",
        name,
        "",
        f"{name} contributes to research.",
        "",
        status,
        "",
        "Trust snapshot",
        "",
        trust,
        *counts,
        "",
        "Published work",
        "",
    ]
    lines += [f"{announced if announced is not None else len(works)} published item(s)", ""]
    for block in works:
        lines += [*block, ""]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("trust", "score", "band", "level", "claim"),
    [
        ("Trust 21 - EmergingVerification L1Unclaimed author", 21, "Emerging", "L1", "Unclaimed author"),
        (
            "Trust 100 - Well establishedVerification L12Claimed author",
            100,
            "Well established",
            "L12",
            "Claimed author",
        ),
        ("Trust 0 - NewVerification L0Unclaimed", 0, "New", "L0", "Unclaimed"),
        ("Trust 73 - TrustedVerification L3", 73, "Trusted", "L3", None),
    ],
)
def test_trust_line(trust, score, band, level, claim) -> None:
    result = run_source(
        profile_page("PhD StudentAffiliation verifiedNot open to collaboration", trust, [], []), "profile"
    )
    snap = result.profiles[0]
    assert (snap.trust_score, snap.trust_band, snap.verification_level, snap.claim_status) == (
        score,
        band,
        level,
        claim,
    )
    assert (snap.role, snap.affiliation_status, snap.collaboration_status) == (
        "PhD Student",
        "Affiliation verified",
        "Not open to collaboration",
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "ResearcherAffiliation not importedOpen to collaborate",
            ("Researcher", "Affiliation not imported", "Open to collaborate"),
        ),
        (
            "Research ScientistAffiliated with DeepMindAvailable to collaborate",
            ("Research Scientist", "Affiliated with DeepMind", "Available to collaborate"),
        ),
        ("ProfessorUnaffiliated", ("Professor", "Unaffiliated", None)),
        (
            "Postdoc 2Affiliation pendingClosed to collaboration",
            ("Postdoc 2", "Affiliation pending", "Closed to collaboration"),
        ),
        ("Identity and collaboration", None),
        ("Claiming unlocks direct collaboration workflows.", None),
    ],
)
def test_status_line(line: str, expected: tuple | None) -> None:
    assert read_status(line) == expected


def test_counts_for_any_number_and_label() -> None:
    counts = [
        "1234works",
        "1follower",
        "17topics",
        "250close collaborators",
        "Follow researcher12",
        "3 datasets",
    ]
    result = run_source(
        profile_page(
            "ResearcherAffiliation not importedOpen to collaborate",
            "Trust 5 - NewVerification L1Unclaimed author",
            counts,
            [],
        ),
        "profile",
    )
    assert result.profiles[0].counts == {
        "works": 1234,
        "followers": 1,
        "topics": 17,
        "close_collaborators": 250,
        "following": 12,
        "datasets": 3,
    }
    assert result.persons[0].name == "Zoë van der Berg-Ødegaard"


def test_works_and_a_truncated_block() -> None:
    works = [
        ["preprint2021arXiv", "A First Title", ABSTRACT],
        ["journal-article2018Nature", "A Second Title"],
        ["conference paper2024", "Third", ABSTRACT],
    ]
    text = profile_page(
        "ResearcherAffiliation not importedOpen to collaborate",
        "Trust 5 - NewVerification L1Unclaimed author",
        [],
        works,
    )
    result = run_source(text, "profile")
    first, second, third = result.works
    assert (first.work_type, first.date, first.venue, first.title, first.abstract) == (
        "preprint",
        PartialDate(2021),
        "arXiv",
        "A First Title",
        ABSTRACT,
    )
    assert (second.work_type, second.venue, second.title, second.abstract) == (
        "journal-article",
        "Nature",
        "A Second Title",
        None,
    )
    assert second.flags == ("incomplete",)
    assert (third.work_type, third.venue, third.date) == ("conference paper", None, PartialDate(2024))
    [diag] = result.diagnostics
    assert (diag.file, diag.field, diag.severity) == ("input.txt", "abstract", "error")
    assert diag.line == second.prov.line_end == text.split("\n").index("A Second Title") + 1


def test_announced_count_mismatch_is_reported() -> None:
    result = run_source(
        profile_page(
            "ResearcherAffiliation not importedOpen to collaborate",
            "Trust 5 - NewVerification L1Unclaimed author",
            [],
            [["preprint2021arXiv", "T", ABSTRACT]],
            announced=3,
        ),
        "profile",
    )
    assert len(result.works) == 1
    assert [(d.code, d.field) for d in result.diagnostics] == [("profile.works.count", "works")]


def test_profile_without_its_usual_lines_still_reports_each_missing_field() -> None:
    text = "Researcher profile\n\nAnn Lee\n"
    result = run_source(text, "profile", name="p.txt")
    assert [p.name for p in result.persons] == ["Ann Lee"]
    fields = [(d.field, d.file) for d in result.diagnostics]
    assert fields == [("role", "p.txt"), ("trust_score", "p.txt"), ("works", "p.txt")]


# --- arXiv listing ----------------------------------------------------------------------------------------


def listing(*records: str, subject: str | None = "Ann Lee"):
    return run_source("\n\n".join(records) + "\n", "arxiv-listing", name="l.txt", subject=subject)


def test_versions_old_ids_and_doi_forms() -> None:
    result = listing(
        f"{ABSTRACT}\n\narXiv:2303.06182v3\nCreated: 2023-03-10",
        f"{ABSTRACT}\n\narXiv:hep-th/9901001v2 - doi: https://doi.org/10.1103/PhysRevD.60.ABC\n"
        "Created: 1999-01-01",
        f"{ABSTRACT}\n\narXiv:math.AG/0601001\nCreated: 2006-01-01",
    )
    got = [(w.arxiv_id, w.arxiv_version, w.doi) for w in result.works]
    assert got == [
        ("2303.06182", 3, None),
        ("hep-th/9901001", 2, "10.1103/physrevd.60.abc"),
        ("math.AG/0601001", None, None),
    ]
    assert result.diagnostics == []
    assert all(w.extra_authors == ("Ann Lee",) for w in result.works)


def test_comments_submitted_to_and_figures() -> None:
    result = listing(
        f"{ABSTRACT}\n\n12 pages, 5 figures, submitted to NeurIPS 2024\n\narXiv:2401.00001\n"
        "Created: 2024-01-01"
    )
    work = result.works[0]
    assert (work.pages, work.figures, work.submitted_to, work.venue, work.venue_year) == (
        12,
        5,
        "NeurIPS 2024",
        None,
        None,
    )


def test_bad_id_and_bad_date_are_reported_and_the_rest_parsed() -> None:
    result = listing(
        f"{ABSTRACT}\n\narXiv:2313.0618\nCreated: 2023-02-30",
        f"{ABSTRACT}\n\narXiv:2301.00002\nCreated: 2023-01-02",
    )
    bad, good = result.works
    assert bad.arxiv_id is None and bad.date is None and bad.abstract == ABSTRACT
    assert set(bad.flags) == {"incomplete", "date-invalid"}
    assert (good.arxiv_id, good.date, good.flags) == ("2301.00002", PartialDate(2023, 1, 2), ())
    assert [(d.line, d.field, d.severity) for d in result.diagnostics] == [
        (3, "arxiv_id", "error"),
        (4, "date", "error"),
    ]
    assert "2313.0618" in result.diagnostics[0].message and "arXiv:2303.06182" in (
        result.diagnostics[0].hint or ""
    )


def test_truncated_record_without_id_lines() -> None:
    long_abstract = ABSTRACT * 5
    result = listing(long_abstract, f"{long_abstract}\n\narXiv:2301.00002\nCreated: 2023-01-02")
    first, second = result.works
    assert first.abstract == long_abstract and first.arxiv_id is None and first.flags == ("incomplete",)
    assert second.arxiv_id == "2301.00002"
    fields = sorted((d.field, d.line) for d in result.diagnostics)
    assert fields == [("arxiv_id", 1), ("date", 1)]


def test_created_line_missing() -> None:
    result = listing(
        f"{ABSTRACT}\n\narXiv:2301.00002", f"{ABSTRACT}\n\narXiv:2301.00003\nCreated: 2023-01-03"
    )
    assert [w.arxiv_id for w in result.works] == ["2301.00002", "2301.00003"]
    assert result.works[0].flags == ("incomplete",) and result.works[0].date is None
    [diag] = result.diagnostics
    assert (diag.field, diag.line) == ("date", 3)


def test_record_lines_without_blank_lines_between() -> None:
    # a paragraph's lines are one text (abstracts may wrap); identifier lines end it
    text = (
        f"{ABSTRACT}\narXiv:2301.00002v1\nCreated: 2023-01-02\n\n"
        f"{ABSTRACT}\narXiv:2301.00003\n\nCreated: 2023-01-03"
    )
    result = listing(text)
    first, second = result.works
    assert (first.abstract, first.comments, first.arxiv_id, first.arxiv_version) == (
        ABSTRACT,
        None,
        "2301.00002",
        1,
    )
    assert (second.abstract, second.arxiv_id, second.date) == (
        ABSTRACT,
        "2301.00003",
        PartialDate(2023, 1, 3),
    )
    assert result.diagnostics == []
    assert [(w.prov.line_start, w.prov.line_end) for w in result.works] == [(1, 3), (5, 8)]
