"""Hostile data and hostile URLs against the real app over HTTP (werkzeug in a thread, a store of
its own): markup, attribute breakouts and bidirectional overrides in literals are shown as text on
every page that shows them; `javascript:`/`data:` IRIs are never links; traversal and injection in
entity paths never reach a file or a query; every redirect stays on the site; every HTML answer
carries the security headers."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from kgpub.web import create_app
from tests.live import thread_server
from tests.web.conftest import BASE, build_store

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
RTL = "invoice\u202egnp.exe"
NAME = f"Evil {BREAKOUT} {RTL} {SCRIPT}"
TRIG = f"""
@prefix schema: <http://schema.org/> . @prefix kgpub: <https://w3id.org/kgpub/ns#> .
@prefix id: <{BASE}id/> .
<{BASE}graph/source/h1> {{
  id:person\\/evil a schema:Person ; schema:name {ox.Literal(NAME)} ;
      schema:sameAs <javascript:alert(1)>, <JaVaScRiPt:alert(2)>, <data:text/html,PHNjcmlwdD4> .
  id:work\\/evil a schema:ScholarlyArticle ; schema:name {ox.Literal("Title " + NAME)} ;
      schema:abstract {ox.Literal(NAME)} ; schema:author id:person\\/evil ;
      schema:url <javascript:alert(3)> ; schema:sameAs <data:text/html,x> .
  id:work\\/gone kgpub:mergedInto <http://evil.example/id/work/evil> .
  id:work\\/dots kgpub:mergedInto <{BASE}id/../..//evil.example/x> .
}}
"""
HTML = {"Accept": "text/html"}


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href") and value is not None:
                self.links.append(value)
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("hostile") / "store"
    build_store(folder, list(ox.parse(TRIG, format=ox.RdfFormat.TRIG))).close()
    with thread_server(create_app({"store": str(folder), "base": BASE})) as url:
        yield url


def shown_pages(site: str) -> list[str]:
    person = BASE + "id/person/evil"
    select = "SELECT ?n ?s WHERE { ?p <http://schema.org/name> ?n OPTIONAL { ?p <http://schema.org/sameAs> ?s } }"
    return [
        "/id/person/evil.html", "/id/work/evil.html", "/search?q=Evil",
        "/queries/person-works?person=" + quote(person, safe=""),
        "/sparql?query=" + quote(select, safe=""),
        "/sparql?query=" + quote(f"SELECT * WHERE {{ {SCRIPT} {BREAKOUT} }}", safe=""),  # a refusal page
    ]


def test_hostile_literals_are_text_on_every_page(site: str) -> None:
    with httpx.Client(base_url=site, headers=HTML, timeout=30) as http:
        for path in shown_pages(site):
            resp = http.get(path)
            assert resp.status_code in (200, 400), (path, resp.status_code)
            html = resp.text
            page = Page(html)
            assert "<script>alert(1)" not in html and "<img src=x" not in html, path
            assert "img" not in page.tags and not page.handlers, (path, page.handlers)
            assert "\u202e" not in html, path  # shown as [U+202E], never applied
            if path.startswith(("/id/", "/search", "/queries")):
                assert "[U+202E]" in html, path
            bad = [h for h in page.links if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
            assert not bad, (path, bad)


def test_rdf_keeps_the_data_exactly(site: str) -> None:
    ttl = httpx.get(site + "/id/person/evil.ttl", timeout=30).text
    names = [t.object.value for t in ox.parse(ttl, format=ox.RdfFormat.TURTLE)
             if t.predicate.value == "http://schema.org/name"]
    assert NAME in names


def test_security_headers_on_html_and_nosniff_everywhere(site: str) -> None:
    with httpx.Client(base_url=site, timeout=30) as http:
        for path in [*shown_pages(site), "/", "/id/work/nothing-here", "/queries", "/dumps/"]:
            resp = http.get(path, headers=HTML)
            assert resp.headers["X-Content-Type-Options"] == "nosniff", path
            if resp.headers["Content-Type"].startswith("text/html"):
                csp = resp.headers["Content-Security-Policy"]
                assert "script-src 'self'" in csp and "object-src 'none'" in csp and "unsafe-inline" not in csp
                assert resp.headers["Referrer-Policy"] and resp.headers["X-Frame-Options"] == "DENY", path
        for path in ("/id/work/evil.ttl", "/health", "/sparql?query=ASK%7B%7D"):
            assert http.get(path).headers["X-Content-Type-Options"] == "nosniff", path


@pytest.mark.parametrize(
    "path",
    [
        "/id/work/%2e%2e", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/work/..%2F..%2Fpyproject.toml",
        "/id/work/%2E%2E%2F%2E%2E%2Fpyproject.toml", "/id/work/a%2Fb", "/id/work/evil%00",
        "/id/work/%00", "/id/work/evil%0d%0aSet-Cookie:%20x=1", "/id/work/evil%3E%20%3Chttp:%2F%2Fx%3E",
        "/id/work/evil'%20UNION", "/id/work/evil%20", "/id/work/%20evil", "/id/work/ev%C4%B1l",
        "/id/work/evil.html%00.ttl", "/dumps/%2e%2e%2fpyproject.toml", "/shapes/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/queries/..%2f..%2fpyproject", "/sitemaps/..%2f1.xml",
    ],
)
def test_traversal_and_injection_in_paths_are_404(site: str, path: str) -> None:
    resp = httpx.get(site + path, timeout=30)
    assert resp.status_code in (400, 404), (path, resp.status_code)
    assert "[project]" not in resp.text and "root:" not in resp.text
    assert "set-cookie" not in resp.headers


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/id/work/evil", {"Host": "evil.example"}),
        ("/id/work/evil", {"X-Forwarded-Host": "evil.example"}),
        ("/id/work/evil?next=http://evil.example/&size=5", {}),
        ("/id/work/gone", {}),  # merged into an IRI of another site: not followed
        ("/id/work/dots", {}),  # merged into ../..//evil.example under the base
        ("//evil.example/id/work/evil", {}),
        ("/%2F%2Fevil.example", {}),
        ("/%5Cevil.example", {}),
        ("/sparql/", {}),
        ("/id/work/evil/", {}),
    ],
)
def test_redirects_stay_on_the_site(site: str, path: str, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=site, timeout=30) as http:
        resp = http.get(path, headers=headers)
    assert resp.status_code < 500, (path, resp.status_code)
    if 300 <= resp.status_code < 400:
        location = resp.headers["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        target = urlsplit(urljoin(site + "/", location))
        assert target.netloc == urlsplit(site).netloc and "evil.example" not in target.netloc, location
        assert not target.path.startswith("//"), location
