"""Entity IRIs and documents over real HTTP: negotiation, documents parsed back, validators, redirects."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from tests.web.conftest import BASE, LiveServer, fixture_quads

SCHEMA = "http://schema.org/"
KGPUB = "https://w3id.org/kgpub/ns#"
FOAF = "http://xmlns.com/foaf/0.1/"
FORMATS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


@pytest.fixture(scope="module")
def http(live: LiveServer) -> httpx.Client:
    with httpx.Client(base_url=live.url, follow_redirects=False, timeout=30) as client:
        yield client


def parse(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}


def merged_view() -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in fixture_quads()}


@pytest.mark.parametrize(
    ("accept", "ext"),
    [
        (None, "html"),
        ("*/*", "html"),
        ("text/html", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("text/html;q=0.5, text/turtle;q=0.9", "ttl"),
        ("application/rdf+xml;q=0.3, text/turtle;q=0.2, */*;q=0.1", "rdf"),
        ("text/turtle;q=0, text/*", "html"),
        ("application/xhtml+xml", "html"),
    ],
)
def test_entity_iri_303_by_accept(http: httpx.Client, accept: str | None, ext: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = http.get("/id/work/w1", headers=headers)
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/id/work/w1.{ext}")
    assert "Accept" in r.headers["Vary"]


def test_format_parameter_overrides_accept(http: httpx.Client) -> None:
    r = http.get("/id/work/w1?format=nt", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/id/work/w1.nt")


def test_406_lists_offered_formats(http: httpx.Client) -> None:
    r = http.get("/id/work/w1", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "Accept" in r.headers["Vary"]
    offered = r.json()["error"]["offered"]
    assert set(offered) == {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
                            "application/rdf+xml"}  # fmt: skip
    assert http.get("/id/work/w1?format=png").status_code == 406
    page = http.get("/id/work/w1?format=png", headers={"Accept": "text/html"})
    assert page.status_code == 406 and "<code>text/turtle</code>" in page.text


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_documents_parse_back_and_match_the_store(http: httpx.Client, ext: str) -> None:
    media, fmt = FORMATS[ext]
    r = http.get(f"/id/work/w1.{ext}")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(media)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    got = parse(r.content, fmt)
    w1 = ox.NamedNode(BASE + "id/work/w1")
    own = {t for t in merged_view() if t.subject == w1}
    assert own and own <= got  # every statement about the work, from every source
    doc = ox.NamedNode(f"{BASE}id/work/w1.{ext}")
    assert ox.Triple(doc, ox.NamedNode(FOAF + "primaryTopic"), w1) in got
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in got)
    # labels of every linked entity travel with the document
    for t in own:
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(BASE + "id/person/"):
            assert any(x.subject == t.object and x.predicate.value == SCHEMA + "name" for x in got)


def test_authorships_in_order_with_positions(http: httpx.Client) -> None:
    got = parse(http.get("/id/work/w2.nt").content, ox.RdfFormat.N_TRIPLES)
    positions = {t.subject.value: int(t.object.value) for t in got if t.predicate.value == KGPUB + "position"}
    names = {t.subject.value: t.object.value for t in got if t.predicate.value == KGPUB + "printedName"}
    order = [names[s] for s, _ in sorted(positions.items(), key=lambda kv: kv[1])]
    assert order == ["Dana Ruiz", "Ada Quinn", "Eli van der Berg"]
    assert any(t.predicate.value == KGPUB + "bylineTruncated" and t.object.value == "true" for t in got)


def test_person_document_links_back_to_works(http: httpx.Client) -> None:
    got = parse(http.get("/id/person/p1.ttl").content, ox.RdfFormat.TURTLE)
    p1 = ox.NamedNode(BASE + "id/person/p1")
    works = {t.subject.value for t in got if t.object == p1 and t.predicate.value == SCHEMA + "author"}
    assert works == {BASE + f"id/work/{w}" for w in ("w1", "w2", "w3")}


def test_link_headers_alternates_canonical_and_signposting(http: httpx.Client, live: LiveServer) -> None:
    r = http.get("/id/work/w1.html")
    links = r.headers["Link"]
    for ext, (media, _) in FORMATS.items():
        assert f'<{live.url}/id/work/w1.{ext}>; rel="alternate"; type="{media}"' in links
        assert f'<{live.url}/id/work/w1.{ext}>; rel="describedby"; type="{media}"' in links
    assert f'<{BASE}id/work/w1.html>; rel="canonical"' in links
    assert '<http://schema.org/ScholarlyArticle>; rel="type"' in links
    assert '<https://doi.org/10.1000/abc.123>; rel="cite-as"' in links
    assert '<https://arxiv.org/abs/2101.00001>; rel="related"' in links
    for p in ("p1", "p2", "p3"):
        assert f'<{BASE}id/person/{p}>; rel="author"' in links
    ttl_links = http.get("/id/person/p1.ttl").headers["Link"]
    assert f'<{live.url}/id/person/p1.html>; rel="alternate"; type="text/html"' in ttl_links
    assert 'rel="cite-as"' not in ttl_links


@pytest.mark.parametrize("ext", ["html", "ttl"])
def test_etag_and_last_modified_revalidate_to_304(http: httpx.Client, ext: str) -> None:
    r = http.get(f"/id/work/w2.{ext}")
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    again = http.get(f"/id/work/w2.{ext}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    since = http.get(f"/id/work/w2.{ext}", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    stale = http.get(f"/id/work/w2.{ext}", headers={"If-None-Match": '"not-the-etag"'})
    assert stale.status_code == 200 and stale.content == r.content


def test_head_has_headers_and_no_body(http: httpx.Client) -> None:
    r = http.head("/id/work/w1.ttl")
    assert r.status_code == 200 and r.content == b""
    assert r.headers["ETag"] and r.headers["Link"]
    assert http.head("/id/work/w1", headers={"Accept": "text/turtle"}).status_code == 303


def test_merged_away_iri_moves_permanently(http: httpx.Client) -> None:
    r = http.get("/id/person/p6", headers={"Accept": "text/turtle"})
    assert r.status_code == 301 and r.headers["Location"].endswith("/id/person/p1")
    r = http.get("/id/person/p6.ttl")
    assert r.status_code == 301 and r.headers["Location"].endswith("/id/person/p1.ttl")


def test_unknown_entity_404_with_search_hint(http: httpx.Client) -> None:
    r = http.get("/id/work/no-such-work", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert 'action="/search"' in r.text
    j = http.get("/id/work/no-such-work.ttl", headers={"Accept": "application/json"})
    assert j.status_code == 404 and "search" in j.json()["error"]["hint"]
    assert http.get("/id/work/..%2Fetc").status_code == 404
    assert http.get("/id/work/w1.exe").status_code == 404


def test_topics_resolve_locally(http: httpx.Client) -> None:
    r = http.get("/id/topic/cs.AR", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/id/topic/cs.AR.ttl")
    got = parse(http.get("/id/topic/cs.AR.ttl").content, ox.RdfFormat.TURTLE)
    about = {t.subject.value for t in got if t.predicate.value == SCHEMA + "about"}
    assert about == {BASE + "id/work/w1", BASE + "id/work/w2"}
