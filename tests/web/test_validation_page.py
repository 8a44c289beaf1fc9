"""/validation over real HTTP: the report of a real build of examples/, plus crafted hostile results.

Every filter is checked against a direct query of the store, paging against the whole report, and
hostile literals and IRIs in a result against the HTML they end up in.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from werkzeug.serving import make_server

from kgpub.config import load_config
from kgpub.pipeline import build
from kgpub.store import EmbeddedStore
from kgpub.web import create_app
from tests.live import follow_next
from tests.web.test_browser import CHROMIUM, browser, page, shot  # noqa: F401 - fixtures

REPO = Path(__file__).resolve().parents[2]
BASE = "http://localhost:8080/"
VGRAPH = BASE + "graph/validation"
SH = "http://www.w3.org/ns/shacl#"
HOSTILE_MESSAGE = '<script>alert("m")</script> "><img src=x onerror=alert(1)> \u202eevil'
HOSTILE_FOCUS = "javascript:alert(2)"


def _hostile_results() -> str:
    msg = ox.Literal(HOSTILE_MESSAGE)
    return (
        f"<{VGRAPH}#h1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SH}ValidationResult> .\n"
        f"<{VGRAPH}#h1> <{SH}focusNode> <{HOSTILE_FOCUS}> .\n"
        f"<{VGRAPH}#h1> <{SH}resultSeverity> <{SH}Violation> .\n"
        f"<{VGRAPH}#h1> <{SH}resultMessage> {msg} .\n"
        f"<{VGRAPH}#h1> <{SH}value> {ox.Literal('<b>bold</b>')} .\n"
    )


@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("valpage") / "store"
    config = load_config(overrides={"store": str(folder), "base": BASE})
    build([REPO / "examples"], config=config, progress=False)
    store = EmbeddedStore(folder)
    current = ox.serialize(
        store.db().quads_for_pattern(None, None, None, ox.NamedNode(VGRAPH)), format=ox.RdfFormat.N_QUADS
    ).decode()
    triples = "".join(line.rsplit(" <", 1)[0] + " .\n" for line in current.splitlines() if line)
    text = triples + _hostile_results()
    with store.writer() as w:
        w.replace_graphs({VGRAPH: text}, {VGRAPH: "with-hostile"})
    return folder


@pytest.fixture(scope="module")
def site(report_store: Path) -> Iterator[str]:
    app = create_app({"store": str(report_store), "base": BASE, "page_size": 10})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _direct(report_store: Path) -> list[dict[str, str]]:
    """The report as stored: one dict per result (severity, focus, shape)."""
    q = f"""SELECT ?r ?sev ?e ?shape WHERE {{ GRAPH <{VGRAPH}> {{ ?r a <{SH}ValidationResult> ;
      <{SH}resultSeverity> ?sev ; <{SH}focusNode> ?e OPTIONAL {{ ?r <{SH}sourceShape> ?shape }} }} }}"""
    rows = EmbeddedStore(report_store).db().query(q)
    return [
        {"severity": r["sev"].value.rsplit("#", 1)[-1], "entity": r["e"].value,
         "shape": r["shape"].value if r["shape"] is not None else ""}
        for r in rows  # type: ignore[union-attr]
    ]


def _all(site: str, **params: str) -> list[dict[str, object]]:
    """Every result for these filters, following the next links."""
    return follow_next(site + "/validation.json", "results", {**params, "limit": "7"})


def test_counts_match_the_stored_report(site: str, report_store: Path) -> None:
    stored = Counter(r["severity"] for r in _direct(report_store))
    body = httpx.get(site + "/validation.json").json()
    assert body["counts"]["severity"] == {s: stored.get(s, 0) for s in ("Violation", "Warning", "Info")}
    assert stored["Warning"] > 0 and stored["Violation"] == 1  # the examples' warnings + the crafted one
    shapes = Counter(r["shape"] for r in _direct(report_store) if r["shape"])
    assert body["counts"]["shape"] == dict(shapes)


def test_paging_walks_every_result_once_violations_first(site: str, report_store: Path) -> None:
    rows = _all(site)
    assert len(rows) == len(_direct(report_store))
    order = [r["severity"] for r in rows]
    assert order == sorted(order, key=["Violation", "Warning", "Info"].index)
    first = httpx.get(site + "/validation.json", params={"limit": "3"})
    assert len(first.json()["results"]) == 3
    assert 'rel="next"' in first.headers["Link"] and "offset=3" in first.headers["Link"]
    by_param = httpx.get(site + "/validation", params={"format": "json", "limit": "3"})
    assert by_param.headers["content-type"].startswith("application/json")
    assert by_param.json()["results"] == first.json()["results"] and "format=json" in by_param.json()["next"]


@pytest.mark.parametrize("severity", ["Violation", "Warning", "Info"])
def test_severity_filter(site: str, report_store: Path, severity: str) -> None:
    rows = _all(site, severity=severity)
    assert {r["severity"] for r in rows} <= {severity}
    assert len(rows) == sum(1 for r in _direct(report_store) if r["severity"] == severity)


def test_shape_and_entity_filters(site: str, report_store: Path) -> None:
    direct = _direct(report_store)
    shape = Counter(r["shape"] for r in direct if r["shape"]).most_common(1)[0][0]
    rows = _all(site, shape=shape)
    assert rows and {r["shape"] for r in rows} == {shape}
    assert len(rows) == sum(1 for r in direct if r["shape"] == shape)
    entity = str(rows[0]["entity"])
    by_entity = _all(site, entity=entity)
    assert {r["entity"] for r in by_entity} == {entity}
    assert len(by_entity) == sum(1 for r in direct if r["entity"] == entity)
    db = EmbeddedStore(report_store).db()
    for row in _all(site, severity="Warning")[:20]:  # labels are the entities' names in the store
        names = {q.object.value for q in db.quads_for_pattern(ox.NamedNode(str(row["entity"])),
                                                              ox.NamedNode("http://schema.org/name"), None)}
        assert (row["label"] in names) if names else row["label"] is None


def test_source_filter_keeps_results_of_that_document(site: str) -> None:
    everything = _all(site)
    documents = {s.split(":")[0] for r in everything for s in r["sources"]}  # type: ignore[attr-defined]
    assert len(documents) >= 2
    store_docs = httpx.get(site + "/validation", params={"limit": "1"}).text
    for name in documents:
        assert name in store_docs  # offered in the source filter
    # the source filter takes the document's graph IRI; find it from the provenance graph
    kg = "https://w3id.org/kgpub/ns#"
    q = f"SELECT ?g ?n WHERE {{ GRAPH ?pg {{ ?d <{kg}namedGraph> ?g ; <{kg}fileName> ?n }} }}"
    rows = httpx.get(site + "/sparql", params={"query": q}, headers={"Accept": "application/json"}).json()
    graphs = {b["n"]["value"]: b["g"]["value"] for b in rows["results"]["bindings"]}
    name = sorted(documents)[0]
    narrowed = _all(site, source=graphs[name])
    assert narrowed and len(narrowed) < len(everything)
    assert all(any(s.startswith(name) for s in r["sources"]) for r in narrowed)  # type: ignore[attr-defined]
    expected = [r for r in everything if any(s.startswith(name + ":") or s == name for s in r["sources"])]  # type: ignore[attr-defined]
    assert len(narrowed) == len(expected)
    assert _all(site, source="http://example.org/not-a-document") == []


@pytest.mark.parametrize(
    "params",
    [{"severity": "Fatal"}, {"shape": "not an iri"}, {"source": "<x>"}, {"limit": "many"}, {"limit": "100000"}],
)
def test_bad_filters_are_400_in_the_error_shape(site: str, params: dict[str, str]) -> None:
    resp = httpx.get(site + "/validation", params=params, headers={"Accept": "application/json"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["status"] == 400 and error["message"]


def test_hostile_literals_and_iris_are_escaped(site: str) -> None:
    html = httpx.get(site + "/validation", params={"severity": "Violation"}).text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'href="javascript:' not in html
    assert HOSTILE_FOCUS in html  # shown as text, not as a link


def test_csv_and_links_from_home_and_entity_pages(site: str) -> None:
    resp = httpx.get(site + "/validation.csv", params={"severity": "Warning", "limit": "5"})
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 5 and {r["severity"] for r in rows} == {"Warning"}
    assert 'href="/validation"' in httpx.get(site + "/").text
    entity = rows[0]["entity"]
    page_html = httpx.get(site + "/" + entity[len(BASE):] + ".html").text
    assert "/validation?entity=" in page_html


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium")
def test_browser_filters_the_report(page: object, site: str) -> None:  # noqa: F811
    pg = page
    pg.goto(site + "/validation")  # type: ignore[attr-defined]
    all_rows = pg.locator("table.validation-report tbody tr").count()  # type: ignore[attr-defined]
    shot(pg, "validation")
    pg.click("section.stats .sev-info a")  # type: ignore[attr-defined]
    pg.wait_for_url("**/validation?severity=Info")  # type: ignore[attr-defined]
    severities = pg.locator("table.validation-report tbody tr td:first-child").all_inner_texts()  # type: ignore[attr-defined]
    assert severities and set(severities) == {"Info"} and len(severities) <= all_rows
    shot(pg, "validation-info")
