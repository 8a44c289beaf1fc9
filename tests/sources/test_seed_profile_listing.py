"""The seed profile (000) and arXiv listing (001): every work, as a careful reader reads them, and the
abstracts that the README says are identical across files."""

from __future__ import annotations

import pytest

from kgpub.records import PartialDate

from .conftest import CAPTURED, FEED_SEED, LISTING_SEED, PROFILE_SEED, run_source, seed_lines

OWNER = "Hsien-Hsin S. Lee"

# title, year, first line of the block (type+year+venue), last line (abstract)
PROFILE_WORKS = [
    (
        "Cocktail Party Attack: Breaking Aggregation-Based Privacy in Federated Learning using Independent "
        "Component Analysis",
        2022,
        55,
        59,
    ),
    (
        "Hercules: Heterogeneity-Aware Inference Serving for At-Scale Personalized Recommendation",
        2022,
        61,
        65,
    ),
    ("Sustainable AI: Environmental Implications, Challenges and Opportunities", 2022, 67, 71),
    ("DeepRecSys: A System for Optimizing End-To-End At-scale Neural Recommendation Inference", 2020, 73, 77),
    ("The Architectural Implications of Facebook's DNN-based Personalized Recommendation", 2020, 79, 83),
    ("RecNMP: Accelerating Personalized Recommendation with Near-Memory Processing", 2019, 85, 89),
]

# arXiv id, version, doi, created, comments, pages, venue, venue year, line span
LISTING = [
    ("2303.06182", None, None, (2023, 3, 10), None, None, None, None, (1, 4)),
    ("2212.06264", None, None, (2022, 12, 12), None, None, None, None, (6, 9)),
    ("2212.00939", None, None, (2022, 12, 1), None, None, None, None, (11, 14)),
    ("2203.07424", None, None, (2022, 3, 14), None, None, None, None, (16, 19)),
    ("1912.12953", None, None, (2019, 12, 30), None, None, None, None, (21, 24)),
    ("1911.12815", None, None, (2019, 11, 28), "7 pages, ICCAD 2019", 7, "ICCAD", 2019, (26, 31)),
    (
        "1805.08309",
        None,
        "10.1145/3218603.3218643",
        (2018, 5, 21),
        "In International Symposium on Low Power Electronics and Design (ISLPED) 2018",
        None,
        "ISLPED",
        2018,
        (33, 38),
    ),
]


@pytest.fixture(scope="module")
def profile(seeds_present: None):
    return run_source(PROFILE_SEED.read_bytes(), "profile", name="000.txt")


@pytest.fixture(scope="module")
def listing(seeds_present: None):
    return run_source(LISTING_SEED.read_bytes(), "arxiv-listing", name="001.txt", subject=OWNER)


def test_profile_owner(profile) -> None:
    assert len(profile.persons) == 1
    person = profile.persons[0]
    assert person.local_id == "profile/person"
    assert person.name == OWNER
    assert person.prov.line_start == 3


def test_profile_snapshot(profile) -> None:
    assert len(profile.profiles) == 1
    snap = profile.profiles[0]
    assert snap.person == "profile/person"
    assert snap.captured == CAPTURED
    assert snap.role == "Researcher"
    assert snap.affiliation_status == "Affiliation not imported"
    assert snap.collaboration_status == "Open to collaborate"
    assert (snap.trust_score, snap.trust_band) == (21, "Emerging")
    assert snap.verification_level == "L1"
    assert snap.claim_status == "Unclaimed author"
    assert snap.counts == {"works": 6, "followers": 0, "topics": 5, "close_collaborators": 4, "following": 0}
    assert snap.works == tuple(f"profile/work/{k}" for k in range(1, 7))
    assert (snap.prov.line_start, snap.prov.line_end) == (7, 23)


@pytest.mark.parametrize("k", range(1, 7))
def test_profile_work(profile, k: int) -> None:
    title, year, first, last = PROFILE_WORKS[k - 1]
    work = profile.works[k - 1]
    assert work.local_id == f"profile/work/{k}"
    assert work.title == title
    assert work.work_type == "preprint"
    assert work.venue == "arXiv"
    assert work.date == PartialDate(year)
    assert work.extra_authors == (OWNER,)
    assert work.byline is None
    assert (work.prov.line_start, work.prov.line_end) == (first, last)
    assert work.abstract == seed_lines(PROFILE_SEED)[last - 1].strip()
    assert work.flags == ()


def test_profile_has_no_diagnostics(profile) -> None:
    assert profile.diagnostics == []


def test_listing_has_seven_records(listing) -> None:
    assert [w.local_id for w in listing.works] == [f"listing/work/{k}" for k in range(1, 8)]
    assert listing.diagnostics == []


@pytest.mark.parametrize("k", range(1, 8))
def test_listing_record(listing, k: int) -> None:
    arxiv_id, version, doi, created, comments, pages, venue, venue_year, span = LISTING[k - 1]
    work = listing.works[k - 1]
    assert work.arxiv_id == arxiv_id
    assert work.arxiv_version == version
    assert work.doi == doi
    assert work.date == PartialDate(*created) and work.date_role == "created"
    assert work.comments == comments
    assert work.pages == pages
    assert (work.venue, work.venue_year) == (venue, venue_year)
    assert work.submitted_to is None and work.figures is None
    assert work.title is None and work.byline is None
    assert work.extra_authors == (OWNER,)
    assert (work.prov.line_start, work.prov.line_end) == span
    assert work.abstract == seed_lines(LISTING_SEED)[span[0] - 1].strip()
    assert work.flags == ()


def test_same_abstract_across_files(profile, listing) -> None:
    feed = run_source(FEED_SEED.read_bytes(), "feed", name="002.txt")
    by_title = {w.title: w.abstract for w in profile.works}
    assert feed.works[3].abstract == by_title[PROFILE_WORKS[0][0]]  # Cocktail Party Attack
    assert feed.works[17].abstract == by_title[PROFILE_WORKS[2][0]]  # Sustainable AI
    assert listing.works[3].abstract == by_title[PROFILE_WORKS[1][0]]  # Hercules = 2203.07424
    assert listing.works[4].abstract == by_title[PROFILE_WORKS[5][0]]  # RecNMP = 1912.12953


def test_listing_without_subject_is_reported(seeds_present: None) -> None:
    result = run_source(LISTING_SEED.read_bytes(), "arxiv-listing", name="001.txt")
    assert all(w.extra_authors == () for w in result.works)
    [diag] = result.diagnostics
    assert (diag.severity, diag.file, diag.field) == ("warning", "001.txt", "subject")
    assert "subject" in (diag.hint or "")
