"""Kind detection (reported to the user), the arXiv taxonomy as SKOS data, dates and comment readings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph
import pytest

from kgpub.project import data_file
from kgpub.records import PartialDate
from kgpub.sources.arxiv_listing import read_comments
from kgpub.sources.categories import decide_by_context, resolve_code, taxonomy
from kgpub.sources.dates import parse_printed_date
from kgpub.sources.detect import detect_kind, detect_kind_with_reason

from .conftest import FEED_SEED, LISTING_SEED, PROFILE_SEED, run_source


@pytest.mark.parametrize(
    ("path", "kind"),
    [(PROFILE_SEED, "profile"), (LISTING_SEED, "arxiv-listing"), (FEED_SEED, "feed")],
)
def test_seed_kinds_are_detected_and_reported(seeds_present: None, path: Path, kind: str) -> None:
    result = run_source(path.read_bytes(), None, name=path.name, subject="Hsien-Hsin S. Lee")
    assert result.source.kind == kind and result.source.kind_detected
    first = result.diagnostics[0]
    assert (first.severity, first.code, first.field, first.line) == (
        "info",
        "source.kind.detected",
        "kind",
        1,
    )
    assert kind in first.message and f'kind = "{kind}"' in (first.hint or "")
    assert result.works


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("x.txt", b'{"type": "work", "id": "a"}\n', "records"),
        (
            "x.json",
            b'{"@context": {"n": "http://schema.org/name"}, "@id": "http://e.org/a", "n": "x"}',
            "rdf",
        ),
        ("x.txt", b'<?xml version="1.0"?>\n<rdf:RDF/>', "rdf"),
        ("x.txt", b"@prefix ex: <http://e.org/> .\nex:a ex:b ex:c .\n", "rdf"),
        ("x.txt", b"PREFIX ex: <http://e.org/>\nex:a ex:b ex:c .\n", "rdf"),
        ("x.txt", b"<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n", "rdf"),
        ("x.ttl", b"anything", "rdf"),
        ("x.txt", b"A summary.\n\narXiv:2301.00001\nCreated: 2023-01-01\n", "arxiv-listing"),
        (
            "x.txt",
            b"LGJan 1, 2023\nA TitleAnn Lee\nAbstract.\n72.7CRJun 1\nB TitleBo Chen\nAbstract.\n",
            "feed",
        ),
        ("x.txt", b"Researcher profile\n\nAnn Lee\n\n3 published item(s)\n", "profile"),
        ("x.txt", b"Dear diary, today nothing happened.\n", None),
        ("x.json", b'{"hello": "world"}', None),
    ],
)
def test_detection_rules(name: str, data: bytes, kind: str | None) -> None:
    got, reason = detect_kind_with_reason(Path(name), data)
    assert got == kind and reason
    assert detect_kind(Path(name), data) == kind


def test_undetectable_file_is_an_error_naming_the_field() -> None:
    result = run_source(b"Dear diary.\n", None, name="diary.txt")
    [diag] = result.diagnostics
    assert (diag.severity, diag.file, diag.line, diag.field) == ("error", "diary.txt", 1, "kind")
    assert result.record_count() == 0


@pytest.mark.parametrize(
    ("path", "declared", "suggested"),
    [
        (PROFILE_SEED, "feed", "profile"),
        (PROFILE_SEED, "arxiv-listing", "profile"),
        (FEED_SEED, "arxiv-listing", "feed"),
        (FEED_SEED, "profile", "feed"),
        (LISTING_SEED, "feed", "arxiv-listing"),
        (LISTING_SEED, "profile", "arxiv-listing"),
    ],
)
def test_file_of_the_wrong_declared_kind_is_one_error_with_a_suggestion(
    seeds_present: None, path: Path, declared: str, suggested: str
) -> None:
    result = run_source(path.read_bytes(), declared, name=path.name, subject="X")  # type: ignore[arg-type]
    assert result.record_count() == 0
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert len(errors) == 1
    [diag] = errors
    assert (diag.code, diag.file, diag.line, diag.field) == (f"{declared}.wrong-kind", path.name, 1, "kind")
    assert f'kind = "{suggested}"' in (diag.hint or "")


# --- taxonomy ---

SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_taxonomy_is_a_skos_concept_scheme() -> None:
    quads = list(pyoxigraph.parse(path=data_file("ontology", "arxiv-taxonomy.ttl")))
    store = pyoxigraph.Store()
    store.extend(quads)
    ask = store.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ASK { "
        "<https://w3id.org/kgpub/arxiv/cs.LG> a skos:Concept ; skos:notation 'cs.LG' ; "
        "skos:prefLabel 'Machine Learning'@en ; skos:broader <https://w3id.org/kgpub/arxiv/cs> ; "
        "skos:inScheme <https://w3id.org/kgpub/arxiv/> . "
        "<https://w3id.org/kgpub/arxiv/> a skos:ConceptScheme . "
        "<https://w3id.org/kgpub/arxiv/cs> skos:prefLabel 'Computer Science'@en }"
    )
    assert bool(ask)
    rows = list(
        store.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?c WHERE { ?c a skos:Concept . "
            "FILTER NOT EXISTS { ?c skos:notation ?n ; skos:prefLabel ?l ; skos:inScheme ?s } }"
        )
    )
    assert rows == []  # every concept has a code, a label and its scheme


def test_taxonomy_covers_every_archive() -> None:
    tax = taxonomy()
    assert tax.archives == {
        "cs",
        "econ",
        "eess",
        "math",
        "astro-ph",
        "cond-mat",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math-ph",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "physics",
        "quant-ph",
        "q-bio",
        "q-fin",
        "stat",
    }
    categories = [c for c in tax.labels if "." in c]
    assert len([c for c in categories if c.startswith("cs.")]) == 40
    assert len([c for c in categories if c.startswith("math.")]) == 32
    assert len(categories) == 146  # plus 9 archives that are categories themselves (gr-qc, hep-th, ...)
    assert tax.labels["cond-mat.stat-mech"] == "Statistical Mechanics"
    assert tax.labels["eess.SY"] == "Systems and Control"


@pytest.mark.parametrize(
    ("code", "alternatives"),
    [
        ("CV", ("cs.CV", "math.CV")),
        ("GT", ("cs.GT", "math.GT")),
        ("NA", ("cs.NA", "math.NA")),
        ("IT", ("cs.IT", "math.IT")),
        ("LO", ("cs.LO", "math.LO")),
        ("SY", ("cs.SY", "eess.SY")),
        ("PR", ("math.PR", "q-fin.PR")),
        ("ST", ("math.ST", "q-fin.ST")),
        ("AP", ("math.AP", "stat.AP")),
        ("CO", ("astro-ph.CO", "math.CO", "stat.CO")),
    ],
)
def test_codes_in_several_archives_are_ambiguous(code: str, alternatives: tuple[str, ...]) -> None:
    cat = resolve_code(code)
    assert (cat.resolution, cat.resolved, cat.alternatives) == ("ambiguous", None, alternatives)


def test_context_decides_only_with_a_strict_majority() -> None:
    from collections import Counter

    cv = resolve_code("CV")
    assert decide_by_context(cv, Counter({"cs": 3, "math": 1})).resolved == "cs.CV"
    assert decide_by_context(cv, Counter({"cs": 1, "math": 1})).resolved is None
    assert decide_by_context(cv, Counter({"physics": 5})).resolution == "ambiguous"


def test_full_unique_unknown() -> None:
    assert (resolve_code("cs.LG").resolution, resolve_code("LG").resolved) == ("full", "cs.LG")
    assert resolve_code("stat-mech").resolved == "cond-mat.stat-mech"
    assert resolve_code("gr-qc").resolution == "full"
    assert resolve_code("cs.ZZ").resolution == "unknown" and resolve_code("ZZ").resolution == "unknown"


# --- dates and comments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "captured", "expected"),
    [
        ("May 30, 2022", None, PartialDate(2022, 5, 30)),
        ("Jun 1", dt.date(2026, 11, 21), PartialDate(2026, 6, 1, True)),
        ("Dec 24", dt.date(2026, 11, 21), PartialDate(2025, 12, 24, True)),
        ("Nov 21", dt.date(2026, 11, 21), PartialDate(2026, 11, 21, True)),
        ("September 3, 2020", None, PartialDate(2020, 9, 3)),
        ("Sept 3, 2020", None, PartialDate(2020, 9, 3)),
        ("March 2021", None, PartialDate(2021, 3)),
        ("2023", None, PartialDate(2023)),
    ],
)
def test_printed_dates(text: str, captured: dt.date | None, expected: PartialDate) -> None:
    assert parse_printed_date(text, captured).date == expected


@pytest.mark.parametrize(
    "text", ["Feb 30, 2023", "Feb 29, 2023", "Foo 3, 2020", "Jun 41", "2023-13-01", "soon"]
)
def test_impossible_dates_explain_what_was_expected(text: str) -> None:
    reading = parse_printed_date(text, dt.date(2026, 1, 1))
    assert reading.date is None and reading.problem
    assert text in reading.problem or text.split()[0] in reading.problem


@pytest.mark.parametrize(
    ("text", "pages", "figures", "venue", "year", "submitted"),
    [
        ("7 pages, ICCAD 2019", 7, None, "ICCAD", 2019, None),
        (
            "In International Symposium on Low Power Electronics and Design (ISLPED) 2018",
            None,
            None,
            "ISLPED",
            2018,
            None,
        ),
        ("Accepted at NeurIPS'23; 10 pages, 4 figures", 10, 4, "NeurIPS", 2023, None),
        (
            "Proceedings of the International Symposium on Computer Architecture (ISCA '22)",
            None,
            None,
            "ISCA",
            2022,
            None,
        ),
        ("12 pages, submitted to ICML 2024", 12, None, None, None, "ICML 2024"),
        (
            "Under review at IEEE Transactions on Computers.",
            None,
            None,
            None,
            None,
            "IEEE Transactions on Computers",
        ),
        ("v2: typo fixed", None, None, None, None, None),
        ("1 figure", None, 1, None, None, None),
    ],
)
def test_comment_readings(text, pages, figures, venue, year, submitted) -> None:
    r = read_comments(text)
    assert (r.pages, r.figures, r.venue, r.venue_year, r.submitted_to) == (
        pages,
        figures,
        venue,
        year,
        submitted,
    )
