"""A work page's related works: most shared authors first, then IRI. A prolific author's co-works
are read only up to a bound (CO_WORKS_PER_AUTHOR), so the ranking must still count every shared
author of a co-work found through a co-author with fewer works."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgpub.web import create_app, get_store
from kgpub.web.render.work import CO_WORKS_PER_AUTHOR, related_works
from tests.web.conftest import build_store

S = "http://schema.org/"
BASE = "http://localhost:8080/id/"
GRAPH = ox.NamedNode("http://localhost:8080/graph/source/test")


def _authored(work: str, *persons: str) -> list[ox.Quad]:
    return [
        ox.Quad(
            ox.NamedNode(BASE + "work/" + work), ox.NamedNode(S + "author"), ox.NamedNode(BASE + "person/" + p), GRAPH
        )
        for p in persons
    ]


def _related(folder: Path, work: str) -> list[str]:
    app = create_app({"store": str(folder), "base": "http://localhost:8080/"})
    with app.test_request_context("/"):
        links = related_works(get_store(app), BASE + "work/" + work)
    return [link.iri.rsplit("/", 1)[-1] for link in links]


def test_a_co_work_sharing_a_prolific_and_a_rare_author_ranks_first(tmp_path: Path) -> None:
    quads = _authored("w-this", "hub", "rare")
    # the hub has many more works than the bound; "z-both" (last by IRI) also has the rare author
    quads += [q for i in range(3 * CO_WORKS_PER_AUTHOR) for q in _authored(f"h{i:04d}", "hub")]
    quads += _authored("z-both", "hub", "rare")
    build_store(tmp_path / "s", quads).close()
    related = _related(tmp_path / "s", "w-this")
    assert related[0] == "z-both"  # two shared authors, though the hub's first works may not include it
    assert len(related) == 8 and "w-this" not in related


def test_without_prolific_authors_the_ranking_is_exact(tmp_path: Path) -> None:
    quads = _authored("w-this", "a", "b", "c")
    quads += _authored("x1", "a") + _authored("x2", "a", "b") + _authored("x3", "a", "b", "c") + _authored("x0", "c")
    build_store(tmp_path / "s", quads).close()
    assert _related(tmp_path / "s", "w-this") == ["x3", "x2", "x0", "x1"]
