"""Pages in real headless Chromium (Debian's /usr/bin/chromium), with JavaScript switched off: the
site must work without it. Screenshots of every page type go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import ARTIFACTS, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()


def shot(pg: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def svg_nodes(pg: object) -> int:
    return pg.locator("svg.neighbourhood g.nb-node").count()  # type: ignore[attr-defined,no-any-return]


def test_home_search_person_work_coauthor(page: object, live: LiveServer) -> None:
    pg = page
    pg.goto(live.url + "/")  # type: ignore[attr-defined]
    assert "kgpub" in pg.title()  # type: ignore[attr-defined]
    shot(pg, "home")

    pg.fill("#q-home", "quinn")  # type: ignore[attr-defined]
    pg.click("form.search-form.big button")  # type: ignore[attr-defined]
    pg.wait_for_url("**/search?q=quinn")  # type: ignore[attr-defined]
    shot(pg, "search")

    pg.click("ul.results a:has-text('Ada Quinn')")  # type: ignore[attr-defined]
    pg.wait_for_url("**/id/person/p1.html")  # type: ignore[attr-defined]
    assert pg.locator("h1").inner_text() == "Ada Quinn"  # type: ignore[attr-defined]
    assert svg_nodes(pg) > 3  # the neighbourhood is drawn: the person plus co-authors and topics
    shot(pg, "person")

    pg.click("ol.worklist a:has-text('Graph Neural Networks')")  # type: ignore[attr-defined]
    pg.wait_for_url("**/id/work/w1.html")  # type: ignore[attr-defined]
    authors = pg.locator("p.byline .author a").all_inner_texts()  # type: ignore[attr-defined]
    assert authors == ["Ada Quinn", "Bola Osei", "Chen Wei"]
    assert svg_nodes(pg) > 3
    assert pg.locator("a[href^='javascript:']").count() == 0  # type: ignore[attr-defined]
    shot(pg, "work")

    pg.click("p.byline a:has-text('Bola Osei')")  # type: ignore[attr-defined]
    pg.wait_for_url("**/id/person/p2.html")  # type: ignore[attr-defined]
    assert pg.locator("h1").inner_text() == "Bola Osei"  # type: ignore[attr-defined]
    # the co-author link in the SVG leads back to the first person
    pg.click("svg.neighbourhood a:has(title:text-is('Ada Quinn'))")  # type: ignore[attr-defined]
    pg.wait_for_url("**/id/person/p1.html")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/id/work/w2", "work-truncated-conflict"),
        ("/id/work/w4", "work-validation"),
        ("/id/topic/cs.AR", "topic"),
        ("/id/organization/o1", "organisation"),
        ("/id/source/s002", "source"),
        ("/id/profile/pr1", "profile"),
        ("/id/work/nope", "not-found"),
        ("/.well-known/void", "void"),
    ],
)
def test_page_types_render(page: object, live: LiveServer, path: str, name: str) -> None:
    pg = page
    response = pg.goto(live.url + path)  # type: ignore[attr-defined]
    assert response.status == (404 if name == "not-found" else 200)
    assert pg.locator("h1").count() == 1  # type: ignore[attr-defined]
    if name not in ("not-found", "void"):
        assert svg_nodes(pg) >= 2
    shot(pg, name)


def test_readable_on_a_phone(browser: object, live: LiveServer) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        java_script_enabled=False, viewport={"width": 390, "height": 844}, device_scale_factor=1
    )
    pg = context.new_page()
    for path, name in (("/id/work/w1", "work-phone"), ("/id/person/p1", "person-phone"), ("/", "home-phone")):
        pg.goto(live.url + path)
        # nothing wider than the screen: the layout reflows instead of scrolling sideways
        assert pg.locator("main").bounding_box()["width"] <= 390
        for box in pg.locator("main .card, main .stat").all():
            edge = box.bounding_box()
            assert edge["x"] >= 0 and edge["x"] + edge["width"] <= 390
        shot(pg, name)
    context.close()
