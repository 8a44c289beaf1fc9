"""/validation/diagnostics over real HTTP: the parsers' diagnostics of a real build, kept in the
store, listed with file, line and field, filtered, paged, and escaped."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from kgpub.config import load_config
from kgpub.pipeline import BuildSummary, build
from kgpub.store import EmbeddedStore
from kgpub.web import create_app
from tests.live import follow_next, thread_server

BASE = "http://localhost:8080/"
HOSTILE = '<script>alert("d")</script>'
WORKS = [
    {"type": "work", "id": "w1", "title": "Fine", "arxiv_id": "2301.00001"},
    {"type": "work", "id": "w2", "title": "Bad DOI", "doi": HOSTILE},
    {"type": "work", "id": "w3", "title": "Bad date", "date": "2023-02-30"},
    {"type": "work", "id": "w4", "title": "Bad arXiv id", "arxiv_id": "2301.1"},
]
PEOPLE = [
    {"type": "person", "id": "p1", "name": "Ann Lee", "orcid": "0000-0002-1825-0098"},
    {"type": "person", "id": "p2", "name": "Bo Chen", "orcid": "not an orcid"},
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    root = tmp_path_factory.mktemp("diagpage")
    (root / "src").mkdir()
    for name, records in (("works.jsonl", WORKS), ("people.jsonl", PEOPLE)):
        (root / "src" / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    config = load_config(overrides={"store": str(root / "store"), "base": BASE})
    summary = build([root / "src"], config=config, progress=False)
    return root / "store", summary


@pytest.fixture(scope="module")
def site(built: tuple[Path, BuildSummary]) -> Iterator[str]:
    with thread_server(create_app({"store": str(built[0]), "base": BASE, "page_size": 10})) as url:
        yield url


def _all(site: str, **params: str) -> list[dict[str, object]]:
    return follow_next(site + "/validation/diagnostics.json", "diagnostics", {**params, "limit": "2"})


def test_every_diagnostic_of_the_build_is_listed_once(site: str, built: tuple[Path, BuildSummary]) -> None:
    _, summary = built
    rows = _all(site)
    assert len(rows) == sum(summary.diagnostics.values())
    assert {s: sum(1 for r in rows if r["severity"] == s) for s in ("error", "warning", "info")} == {
        s: summary.diagnostics.get(s, 0) for s in ("error", "warning", "info")
    }
    errors = {(str(r["document"]).rsplit("/", 1)[-1], r["line"], r["field"]) for r in rows if r["severity"] == "error"}
    assert errors >= {
        ("works.jsonl", 2, "doi"),
        ("works.jsonl", 3, "date"),
        ("works.jsonl", 4, "arxiv_id"),
        ("people.jsonl", 1, "orcid"),
        ("people.jsonl", 2, "orcid"),
    }
    assert len({json.dumps(r, sort_keys=True) for r in rows}) == len(rows)


def test_filters_by_severity_and_document(site: str) -> None:
    every = _all(site)
    documents = {str(r["document"]) for r in every}
    assert len(documents) == 2
    for severity in ("error", "info"):
        assert _all(site, severity=severity) == [r for r in every if r["severity"] == severity]
    for doc in documents:
        assert _all(site, document=doc) == [r for r in every if r["document"] == doc]
    bad = httpx.get(site + "/validation/diagnostics.json", params={"severity": "fatal"})
    assert bad.status_code == 400 and "severity" in bad.json()["error"]["message"]


def test_the_html_page_escapes_what_the_source_said(site: str) -> None:
    page = httpx.get(site + "/validation/diagnostics", params={"severity": "error", "limit": "50"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    assert "works.jsonl:2" in page.text
    assert "/validation/diagnostics" in httpx.get(site + "/validation").text  # linked from the report


def test_a_source_page_links_to_its_diagnostics(site: str, built: tuple[Path, BuildSummary]) -> None:
    store = EmbeddedStore(built[0])
    rows = store.query(
        "SELECT ?doc ?name ?n WHERE { GRAPH ?g { ?doc <https://w3id.org/kgpub/ns#fileName> ?name ; "
        "<https://w3id.org/kgpub/ns#diagnosticCount> ?n } }"
    )
    pages = 0
    for row in rows:
        path = row["doc"].value.removeprefix(BASE.rstrip("/"))
        page = httpx.get(site + path + ".html")
        assert page.status_code == 200, path
        listing = "/validation/diagnostics?" + urlencode({"document": row["name"].value})
        assert f'href="{html.escape(listing)}">{row["n"].value}</a>' in page.text
        linked = httpx.get(site + listing.replace("diagnostics?", "diagnostics.json?")).json()
        assert linked["matched"] == int(row["n"].value) > 0
        pages += 1
    assert pages == 2
