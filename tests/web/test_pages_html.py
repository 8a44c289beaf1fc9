"""HTML entity pages: content per type, escaping, safe links, JSON-LD and citation tags against the RDF."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import httpx
import pyoxigraph as ox
import pytest

from kgpub.web.iris import safe_href
from tests.web.conftest import BASE, LiveServer

SCHEMA = "http://schema.org/"


class Page(HTMLParser):
    """Collects what the tests look at: hrefs, meta tags, JSON-LD blocks, SVG nodes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.meta: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self.svg_nodes = 0
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "href" in a:
            self.hrefs.append(a["href"] or "")
        if tag == "meta" and a.get("name", "").startswith("citation_"):
            self.meta.append((a["name"] or "", a.get("content") or ""))
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        if tag == "g" and "nb-node" in (a.get("class") or ""):
            self.svg_nodes += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


@pytest.fixture(scope="module")
def http(live: LiveServer) -> httpx.Client:
    with httpx.Client(base_url=live.url, follow_redirects=True, timeout=30) as client:
        yield client


def triples(body: bytes | str, fmt: ox.RdfFormat) -> set[ox.Triple]:
    data = body.encode() if isinstance(body, str) else body
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)}


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,<b>", "vbscript:x",
     "//evil.example/",
     "http:/nohost", "ftp://x/"],
)  # fmt: skip
def test_safe_href_refuses_dangerous_schemes(value: str) -> None:
    assert safe_href(value) is None


@pytest.mark.parametrize(
    "value", ["https://arxiv.org/abs/1", "http://x.org/a?b=c", "mailto:a@b.org", "/id/work/w1"]
)
def test_safe_href_keeps_web_links(value: str) -> None:
    assert safe_href(value) == value


def test_work_page_content(http: httpx.Client) -> None:
    html = http.get("/id/work/w1").text
    page = Page(html)
    # the <script> inside the abstract is text, never markup
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html
    assert not any(h.lower().lstrip().startswith(("javascript:", "data:")) for h in page.hrefs)
    assert "javascript:alert(1)" in html  # shown, as text
    assert (
        "https://doi.org/10.1000/abc.123" in page.hrefs and "https://arxiv.org/abs/2101.00001" in page.hrefs
    )
    byline = html.index("Ada Quinn"), html.index("Bola Osei"), html.index("Chen Wei")
    assert list(byline) == sorted(byline)
    assert (
        "5 January 2021" in html and "(day)" in html and '2021</time> <span class="precision">(year)' in html
    )
    assert "code available" in html and "ICCAD 2021" in html and "Edge Systems Lab" in html
    assert "Hardware Architecture" in html and "/id/topic/cs.AR" in page.hrefs
    assert page.svg_nodes >= 4


def test_truncated_byline_and_conflict_are_shown(http: httpx.Client) -> None:
    html = http.get("/id/work/w2").text
    assert "byline truncated" in html
    assert html.index("Dana Ruiz") < html.index("Ada Quinn") < html.index("Eli van der Berg")
    assert "May 2022" in html and "(month)" in html
    row = re.search(r'<tr class="conflict">.*?schema:name.*?</tr>', html, re.S)
    assert row is not None and "conflict" in row.group(0)
    assert "Low-Power Accelerators for Edge Inference" in html and "000_profile.txt" in html
    box = re.search(r'<div class="conflict-box">.*?</div>', html, re.S)  # the reconciliation's record
    assert box is not None and "title" in box.group(0) and "002_feed.txt" in box.group(0)
    assert "incomplete" in html


def test_validation_results_rendered(http: httpx.Client) -> None:
    html = http.get("/id/work/w4").text
    assert "Authorship 1 has no resolved person" in html and "sev-warning" in html
    assert "F. Unresolved" in html
    assert "No validation results" in http.get("/id/work/w1").text


def test_jsonld_and_citation_tags_match_the_rdf(http: httpx.Client) -> None:
    page = Page(http.get("/id/work/w1").text)
    rdf = triples(http.get("/id/work/w1.nt").content, ox.RdfFormat.N_TRIPLES)
    assert len(page.jsonld) == 1
    embedded = triples(json.loads(page.jsonld[0]) and page.jsonld[0], ox.RdfFormat.JSON_LD)
    assert embedded and embedded <= rdf
    w1 = ox.NamedNode(BASE + "id/work/w1")
    schema_own = {t for t in rdf if t.subject == w1 and t.predicate.value.startswith(SCHEMA)}
    assert schema_own <= embedded
    names = {t.subject for t in embedded if t.predicate.value == SCHEMA + "name"}
    assert {ox.NamedNode(BASE + f"id/person/p{i}") for i in (1, 2, 3)} <= names

    meta = page.meta
    title = next(t.object.value for t in rdf if t.subject == w1 and t.predicate.value == SCHEMA + "name")
    assert ("citation_title", title) in meta
    positions = sorted(
        (int(t.object.value), t.subject) for t in rdf if t.predicate.value == "https://w3id.org/kgpub/ns#position"
        and ox.Triple(w1, ox.NamedNode("https://w3id.org/kgpub/ns#authorship"), t.subject) in rdf
    )  # fmt: skip
    printed = {t.subject: t.object.value for t in rdf if t.predicate.value.endswith("#printedName")}
    assert [v for k, v in meta if k == "citation_author"] == [printed[s] for _, s in positions]
    assert ("citation_publication_date", "2021/01/05") in meta
    assert ("citation_doi", "10.1000/abc.123") in meta
    assert ("citation_technical_report_number", "arXiv:2101.00001") in meta


def test_person_page_works_paged_sorted_coauthors_profile(http: httpx.Client) -> None:
    html = http.get("/id/person/p1").text
    page = Page(html)
    assert {"/id/work/w1", "/id/work/w2", "/id/work/w3"} <= set(page.hrefs)
    assert "Bola Osei" in html and re.search(r"Bola Osei</a> <span class=\"count\"[^>]*>2<", html)
    assert "Trust" in html or "trustScore" in html
    assert "1 March 2024" in html  # the profile snapshot's capture date
    first_html = http.get("/id/person/p1?size=1&sort=title").text
    worklist = Page(re.search(r'<ol class="worklist">.*?</ol>', first_html, re.S).group(0))
    assert worklist.hrefs == ["/id/work/w1"]  # "Graph…" sorts first, one per page
    assert any("page=2" in h for h in Page(first_html).hrefs)
    oldest = http.get("/id/person/p1?size=1&sort=date-asc").text
    assert "Secure Caches, Revisited" in oldest
    assert page.svg_nodes >= 5


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/id/topic/cs.AR", ["Hardware Architecture", "cs.AR", "/id/work/w2"]),
        ("/id/organization/o1", ["Edge Systems Lab", "/id/person/p2", "/id/work/w1"]),
        ("/id/source/s002", ["002_feed.txt", "cc000000", "/id/work/w4", "/id/person/p5"]),
        ("/id/listing/l1", ["kgpub:hasCode", "/id/work/w1", "kgpub:yearInferred"]),
        ("/id/profile/pr1", ["kgpub:trustBand", "/id/person/p1"]),
    ],
)
def test_other_page_types(http: httpx.Client, path: str, expected: list[str]) -> None:
    r = http.get(path)
    assert r.status_code == 200
    for text in expected:
        assert text in r.text, text
    page = Page(r.text)
    assert len(page.jsonld) == 1 and triples(page.jsonld[0], ox.RdfFormat.JSON_LD)
