"""Dataset level over real HTTP: home, search, VoID, sitemap, robots, dumps, ontology, shapes, health,
the per-snapshot cache, and a crawler that reaches every entity following RDF links only."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgpub.web import create_app
from kgpub.web.listings import cache_of
from tests.web.conftest import BASE, LiveServer, build_store, fixture_quads, local

VOID = "http://rdfs.org/ns/void#"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def http(live: LiveServer) -> httpx.Client:
    with httpx.Client(base_url=live.url, follow_redirects=False, timeout=30) as client:
        yield client


def triples(body: bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}


def test_home_page_counts_examples_and_search_form(http: httpx.Client) -> None:
    r = http.get("/")
    assert r.status_code == 200 and "Accept" in r.headers["Vary"]
    html = r.text
    assert re.search(r'<span class="n">4</span><span class="what">works</span>', html)
    assert re.search(r'<span class="n">5</span><span class="what">people</span>', html)
    assert 'action="/search"' in html and "/id/work/w4" in html  # the latest work is listed
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    dataset = triples(block.group(1).encode(), ox.RdfFormat.JSON_LD)
    assert ox.Triple(ox.NamedNode(BASE + ".well-known/void#dataset"),
                     ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("http://schema.org/Dataset")) in dataset  # fmt: skip


def test_home_in_rdf_is_the_void_description(http: httpx.Client) -> None:
    r = http.get("/", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert any(t.predicate.value == VOID + "sparqlEndpoint" for t in triples(r.content))


def test_search_by_name_and_title(http: httpx.Client) -> None:
    html = http.get("/search", params={"q": "quinn"}).text
    assert "/id/person/p1" in html and "1 result " in html
    html = http.get("/search", params={"q": "ACCELERATORS edge"}).text
    assert "/id/work/w2" in html
    html = http.get("/search", params={"q": "<script>x"}).text
    assert "<script>x" not in html and "0 results" in html


def test_void_statistics_endpoint_dumps_license(http: httpx.Client) -> None:
    r = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert "Accept" in r.headers["Vary"]
    got = triples(r.content)
    ds = ox.NamedNode(BASE + ".well-known/void#dataset")

    def one(pred: str) -> str:
        return next(t.object.value for t in got if t.subject == ds and t.predicate.value == pred)

    assert int(one(VOID + "triples")) == len(fixture_quads())
    assert one(VOID + "sparqlEndpoint") == BASE + "sparql"
    assert one("http://purl.org/dc/terms/license").startswith("https://creativecommons.org/")
    assert one(VOID + "dataDump") == BASE + "dumps/kgpub.nq.gz"
    assert any(t.predicate.value == "http://spdx.org/rdf/terms#checksumValue" and t.object.value == "ab" * 32
               for t in got)  # fmt: skip
    parts = {t.object for t in got if t.predicate.value == VOID + "classPartition"}
    assert len(parts) >= 6
    html = http.get("/.well-known/void").text
    assert "void:sparqlEndpoint" in html
    assert (
        http.get("/.well-known/void?format=jsonld").headers["Content-Type"].startswith("application/ld+json")
    )
    refused = http.get("/.well-known/void", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "Accept" in refused.headers["Vary"]
    assert "text/turtle" in refused.json()["error"]["offered"]


def test_sitemap_index_pages_and_robots(http: httpx.Client, live: LiveServer) -> None:
    live.app.config["KGPUB_SITEMAP_PAGE_SIZE"] = 4
    try:
        index = ET.fromstring(http.get("/sitemap.xml").content)
        pages = [e.text for e in index.iter(SM + "loc")]
        urls: list[str] = []
        for page in pages:
            doc = ET.fromstring(http.get(local(page or "", live)).content)
            locs = [e.text or "" for e in doc.iter(SM + "loc")]
            assert 0 < len(locs) <= 4
            urls += locs
    finally:
        live.app.config.pop("KGPUB_SITEMAP_PAGE_SIZE")
    assert len(pages) == -(-len(urls) // 4) and len(pages) > 1
    assert BASE + "id/work/w1.html" in urls and BASE + "id/topic/cs.LG.html" in urls
    assert len(urls) == len(set(urls))
    robots = http.get("/robots.txt").text
    assert f"Sitemap: {live.url}/sitemap.xml" in robots


def test_dumps_listing_download_checksum_and_no_escape(http: httpx.Client, data_root: Path) -> None:
    listing = http.get("/dumps/").text
    assert "kgpub.nq.gz" in listing and "ab" * 32 in listing
    r = http.get("/dumps/kgpub.nq.gz")
    assert r.status_code == 200 and r.content == (data_root / "dumps" / "kgpub.nq.gz").read_bytes()
    assert r.headers["ETag"]
    assert http.get("/dumps/kgpub.nq.gz", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    assert http.get("/dumps/kgpub.nq.gz.sha256").text.startswith("ab" * 32)
    link = data_root / "dumps" / "leak.txt"
    if not link.exists():
        os.symlink(data_root / "secret.txt", link)
    for path in (
        "/dumps/../secret.txt",
        "/dumps/..%2Fsecret.txt",
        "/dumps/%2e%2e/secret.txt",
        "/dumps/leak.txt",
        "/dumps/.hidden",
        "/dumps/secret.txt",
    ):
        assert http.get(path).status_code == 404, path


def test_ontology_and_shapes_negotiated(http: httpx.Client) -> None:
    r = http.get("/ns", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Accept" in r.headers["Vary"]
    assert any(t.subject.value == "https://w3id.org/kgpub/ns#Authorship" for t in triples(r.content))
    html = http.get("/ns").text
    assert 'id="Authorship"' in html and "One slot of a printed byline" in html
    shapes = http.get("/shapes", headers={"Accept": "application/n-triples"})
    assert any(
        t.predicate.value.endswith("targetClass") for t in triples(shapes.content, ox.RdfFormat.N_TRIPLES)
    )
    assert http.get("/shapes/work.ttl").status_code == 200
    assert http.get("/shapes/..%2Fontology%2Fkgpub.ttl").status_code == 404


def test_health_ok_and_503_when_store_unavailable(http: httpx.Client, tmp_path: Path) -> None:
    r = http.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["snapshot"]
    broken = tmp_path / "store"
    (broken / "snapshots").mkdir(parents=True)
    os.symlink("snapshots/gone", broken / "current")
    app = create_app({"store": str(broken), "base": BASE})
    answer = app.test_client().get("/health")
    assert answer.status_code == 503 and answer.get_json()["status"] == "unavailable"


def test_heavy_listings_computed_once_per_snapshot(tmp_path: Path) -> None:
    quads = fixture_quads()
    store = build_store(tmp_path / "store", quads)
    app = create_app({"store": str(tmp_path / "store"), "base": BASE})
    client = app.test_client()
    client.get("/")
    client.get("/search?q=ada")
    first = cache_of(app).computations
    for _ in range(3):
        assert client.get("/").status_code == 200
        client.get("/search?q=graph")
    assert cache_of(app).computations == first
    # a new build publishes a new snapshot: the listings follow it
    extra = "<http://localhost:8080/id/work/w9> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
            "<http://schema.org/ScholarlyArticle> .\n"  # fmt: skip
    store.replace_graphs({BASE + "graph/source/s009": extra}, {BASE + "graph/source/s009": "d9"})
    html = client.get("/").get_data(as_text=True)
    assert cache_of(app).computations > first
    assert re.search(r'<span class="n">5</span><span class="what">works</span>', html)


def test_crawler_following_rdf_links_reaches_every_entity(live: LiveServer) -> None:
    """Start at the home page asking for Turtle only; follow every IRI under the base."""
    entities = {
        term.value
        for q in fixture_quads()
        for term in (q.subject, q.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(BASE + "id/")
    }
    entities |= {"https://w3id.org/kgpub/arxiv/" + c for c in ("cs.LG", "cs.AR", "cs.CR", "cs.IR")}
    seen: set[str] = set()
    described: set[str] = set()
    queue = deque([live.url + "/"])
    with httpx.Client(follow_redirects=True, timeout=30, headers={"Accept": "text/turtle"}) as client:
        while queue:
            url = queue.popleft()
            r = client.get(url)
            assert r.status_code == 200, url
            assert r.headers["Content-Type"].startswith("text/turtle"), url
            for t in triples(r.content):
                if t.predicate.value == "http://xmlns.com/foaf/0.1/primaryTopic":
                    described.add(t.object.value)
                for term in (t.subject, t.object):
                    if not isinstance(term, ox.NamedNode) or term.value in seen:
                        continue
                    iri = term.value
                    if (
                        iri.startswith(BASE + "id/")
                        and "#" not in iri
                        and not re.search(r"\.(html|ttl|jsonld|nt|rdf)$", iri)
                    ):
                        seen.add(iri)
                        queue.append(local(iri, live))
    assert entities <= seen | described
    topics = {e for e in entities if e.startswith("https://w3id.org/")}
    assert topics <= described  # each topic was dereferenced through its local page
    assert BASE + "id/person/p6" in seen  # the merged-away IRI was followed (and redirected)


def test_pages_of_an_empty_store_before_any_build(tmp_path: Path) -> None:
    app = create_app({"store": str(tmp_path / "nothing-yet"), "base": BASE})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/search?q=x").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/id/work/w1", headers={"Accept": "text/html"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("quin", ["/id/person/p1"], ["/id/person/p2"]),  # a word prefix
        ("edge inference", ["/id/work/w2"], ["/id/work/w1"]),  # every word must match
        ("Edge", ["/id/work/w2", "/id/organization/o1"], []),
        ("machine", ["/id/topic/cs.LG"], []),
        ("feed", ["/id/source/s002"], []),  # source documents by file name
        ("uinn", [], ["/id/person/p1"]),  # inside a word: not a match
    ],
)
def test_search_matches_word_prefixes(
    http: httpx.Client, query: str, expected: list[str], absent: list[str]
) -> None:
    html = http.get("/search", params={"q": query}).text
    for path in expected:
        assert f'href="{path}"' in html, path
    for path in absent:
        assert f'href="{path}"' not in html, path
